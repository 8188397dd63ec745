"""A word of the question as the evidence check reads it: its forms, how specific it is, and
whether the knowledge base uses it; and how likely a word is to be what the question is about."""

from __future__ import annotations

from dataclasses import dataclass

from bot.index.tokenize import is_domain_term
from bot.qa.vocabulary import word_class

# what a question is about: nouns (n, nr, ns, nt, nz), verbal nouns, abbreviations, idioms, and
# words the dictionary does not know whole ("x": 一肩挑, 政务处分)
NOUN_CLASSES = ("n", "vn", "j", "l", "i", "x")


@dataclass(frozen=True)
class Concept:
    word: str
    forms: tuple[str, ...]  # the word and the regulation words the vocabulary gives for it
    specificity: float
    in_knowledge_base: bool

    def in_text(self, text: str) -> bool:
        return any(form in text for form in self.forms)


def focus_rank(word: str) -> int:
    """0 for a Party-work term, 1 for a noun (or a word the dictionary does not know), 2 else."""
    if is_domain_term(word):
        return 0
    return 1 if word_class(word).startswith(NOUN_CLASSES) else 2
