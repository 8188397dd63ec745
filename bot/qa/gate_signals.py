"""What the refusal decision weighs (see bot/qa/gate.py), read from the question, the
passages found and the keyword index; and the evidence check."""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections.abc import Sequence

from bot.index.keyword import KeywordIndex
from bot.qa.concept import focus_rank
from bot.qa.concept_reading import KnowledgeText, directional_verb
from bot.qa.evidence import FACT_DEPTH, Verdict, check_evidence
from bot.qa.gate import ABSENT_NAMED
from bot.qa.passages import Passage
from bot.qa.rerank import weighted_share
from bot.qa.vocabulary import (
    Vocabulary,
    general_share,
    question_words,
    specificity,
    tagged_words,
    word_class,
    word_parts,
)

WORDISH = re.compile(r"[\u4e00-\u9fff]")
# jieba's classes of words that say where, when or who (上面, 村里, 晚上, 每月): the circumstances
# of a question, not what the knowledge base must hold for it. Amounts stay: their measure word
# often names the topic (一亩, 一户)
CIRCUMSTANCE_CLASSES = ("f", "s", "t", "r")


def gate_signals(
    question: str,
    tokens: Sequence[str],
    passages: Sequence[Passage],
    similarities: Sequence[float],
    sparse_top: Sequence[str],
    dense_top: Sequence[str],
    *,
    keyword: KeywordIndex,
    vocabulary: Vocabulary,
    knowledge: KnowledgeText,
    quoted: Sequence[Passage] = (),
) -> tuple[dict[str, float], Verdict]:
    """What the refusal decision weighs (see bot/qa/gate.py), and the evidence check.
    `passages`: the order the decision was calibrated on; `quoted`: the order the answer
    quotes, when another."""
    ordered = sorted(similarities, reverse=True)
    top = ordered[0] if ordered else 0.0
    crowd = ordered[5:] or ordered[1:] or [top]
    words = weighed_words([t for t in dict.fromkeys(tokens) if WORDISH.search(t)], question)
    frequency = keyword.document_frequency
    synonyms = vocabulary.synonyms
    known = [w for w in words if w in frequency or w in synonyms]
    dictionary_words = weighed_words(question_words(question), question)
    weights = {w: specificity(w) for w in dictionary_words}
    total = sum(weights.values()) or 1.0
    foreign = [w for w in dictionary_words if not _known_word(w, keyword, vocabulary)]
    chunks = max(len(keyword.ids), 1)
    anchor = max(
        (
            math.log((frequency[w] / chunks) / general_share(w))
            for w in dictionary_words
            if w in frequency
        ),
        default=0.0,
    )
    evidence = check_evidence(
        question,
        [(p.title, p.heading + p.text) for p in passages],
        vocabulary,
        knowledge,
    )
    if _missing(evidence) > (False, 0.0) and _other_first(quoted, passages):
        # what is missing may be found in the passages the answer quotes first, another order
        # than the one the decision reads: the fact asked (得谁批) stated by the second quoted,
        # or the word asked (串通) used there as its kin (串供). The answer is judged on what
        # it quotes when that finds less missing and nothing it doubts: a fact stated only away
        # from what is asked (loose) or a passage not about it leaves the decision as it was
        in_quoted = check_evidence(
            question, [(p.title, p.heading + p.text) for p in quoted], vocabulary, knowledge
        )
        verdict = in_quoted[2]
        sure = not verdict.tentative and verdict.missing in (None, "concept")
        if sure and _missing(in_quoted) < _missing(evidence):
            evidence = in_quoted
    return {
        "dense": round(top, 4),
        "dense_gap": round(top - statistics.fmean(crowd), 4),
        "coverage": round(_coverage(words, passages, keyword, vocabulary), 4),
        "known": round(len(known) / len(words), 4) if words else 0.0,
        # the share of the question's specific words the knowledge base never uses
        "foreign": round(sum(weights[w] for w in foreign) / total, 4),
        # how much more often than in general Chinese its most Party-work word is used here
        "anchor": round(anchor, 4),
        "agree": float(bool(set(sparse_top) & set(dense_top))),
        "words": float(len(words)),
        "absent": evidence[0],
        "focal_top": evidence[1],
        "fact_missing": float(evidence[2].missing == "fact"),
        # the focal concept's kind: 0 a Party term, 1 a noun, 2 another word, 3 none
        "focal_kind": float(focus_rank(evidence[2].focus[0])) if evidence[2].focus else 3.0,
        # nothing the evidence check misses but, at most, a word absent that is not the focus
        "nothing_missing": float(
            not evidence[2].tentative and evidence[2].missing in (None, "concept")
        ),
    }, evidence[2]


def _missing(evidence: tuple[float, float, Verdict]) -> tuple[bool, float]:
    """How much the evidence check finds missing, for the refusal decision: the fact asked,
    then a word the knowledge base never uses specific enough to be named (gate.ABSENT_NAMED)."""
    absent = evidence[0] if evidence[0] >= ABSENT_NAMED else 0.0
    return evidence[2].missing == "fact", absent


def _other_first(quoted: Sequence[Passage], decided: Sequence[Passage]) -> bool:
    """Whether the answer quotes among its first passages (those the evidence check reads) one
    that the order the decision reads does not have among its first."""
    first = {p.chunk_id for p in decided[:FACT_DEPTH]}
    return any(p.chunk_id not in first for p in quoted[:FACT_DEPTH])


def weighed_words(words: Sequence[str], question: str) -> list[str]:
    """The words of `question` the refusal decision weighs: not a place, direction or time word
    or a pronoun, nor the complement said after 得 (管得太细: 太细), nor a verb said with its
    direction (引下来), which say how or where things stand rather than what is asked about."""
    tagged = tagged_words(question)
    complements = {
        word
        for (before, flag), (word, _) in itertools.pairwise(tagged)
        if (before, flag) == ("得", "ud")
    }
    return [
        w
        for w in words
        if w not in complements
        and not word_class(w).startswith(CIRCUMSTANCE_CLASSES)
        and not directional_verb(w)
    ]


def _known_word(word: str, keyword: KeywordIndex, vocabulary: Vocabulary) -> bool:
    """In the knowledge base or the vocabulary, whole or by its parts (公车私用: 公车)."""
    frequency, synonyms = keyword.document_frequency, vocabulary.synonyms
    if word in frequency or word in synonyms:
        return True
    return any(part in frequency or part in synonyms for part in word_parts(word))


def _coverage(
    words: Sequence[str],
    passages: Sequence[Passage],
    keyword: KeywordIndex,
    vocabulary: Vocabulary,
) -> float:
    """Share of the question's information (IDF-weighted words) found in one passage."""
    if not words or not passages:
        return 0.0
    weights = {w: keyword.idf(w) for w in words}
    total = sum(weights.values()) or 1.0
    synonyms = vocabulary.synonyms
    return max(weighted_share(weights, synonyms, p.heading + p.text) / total for p in passages)
