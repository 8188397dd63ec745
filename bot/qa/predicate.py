"""What a yes-or-no question asks whether (算不算失职: 失职), and whether a passage names it; a
specific verb asked about, named whole or split by its object as the regulations write it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.qa.clauses import yes_no_clauses
from bot.qa.concept import Concept, focus_rank
from bot.qa.vocabulary import question_words, word_class

# the verbs and adjectives of a yes-or-no clause at least this specific (失职, 申请, 优秀; not
# 成立, 参加), with its Party terms, are what it asks whether: the passages quoted must name them
PREDICATE = 9.0


class Event(Concept):
    """A specific verb asked about (换届, 延期): named whole, or a two-character verb split by
    its object as the regulations write it (延期: 延长预备期)."""

    def in_text(self, text: str) -> bool:
        if super().in_text(text):
            return True
        word = self.forms[0]
        return (
            len(word) == 2
            and re.search(f"{re.escape(word[0])}.{{1,4}}{re.escape(word[1])}", text) is not None
        )


def predicate_of(question: str, known: Sequence[Concept]) -> tuple[tuple[str, ...], ...]:
    """What each yes-or-no clause asks whether: the specific verbs and adjectives after its
    modal or either-or form (算不算失职: 失职; 能不能申请: 申请), or in the whole clause when
    the form closes it (还能评优秀不); when it has none, the Party terms of the clause (党费还要
    不要接着交) — never both, or the Party term, named by any passage on it, would stand for
    the verb (用党费请客吃饭算不算失职 asks about 失职)."""
    found = []
    for span, clause in yes_no_clauses(question):
        asked, said = set(question_words(span)), set(question_words(clause))
        acts = [
            c
            for c in known
            if c.word in asked
            and c.specificity >= PREDICATE
            and word_class(c.word).startswith(("v", "a"))
        ]
        terms = [c for c in known if c.word in said and focus_rank(c.forms[0]) == 0]
        forms = tuple(form for c in acts or terms for form in c.forms)
        if forms:
            found.append(forms)
    return tuple(found)


def names_predicate(text: str, predicate: Sequence[Sequence[str]]) -> bool:
    """Whether a passage names one word of each yes-or-no clause's predicate, a two-character
    verb also split by its object as the regulations write it (延期: 延长预备期)."""
    return all(
        any(Event(form, (form,), 0.0, True).in_text(text) for form in forms) for forms in predicate
    )
