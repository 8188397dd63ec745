"""KnowledgeText settles words by its character and bigram sets; the answers must be the plain
substring scan's."""

from __future__ import annotations

import random

from bot.qa.concept_reading import KnowledgeText

PASSAGES = [
    "第一条　党支部委员会由党员大会选举产生，每届任期三年至五年。",
    "第二条 村民委员会 成员\n由村民直接选举产生。",
    "发展党员应当经过入党积极分子的培养教育和考察。",
]


def _scan(passages: list[str], word: str) -> bool:
    return bool(word) and word in "\n".join("".join(p.split()) for p in passages)


def test_words_settled_by_the_sets_agree_with_the_scan() -> None:
    rng = random.Random(26)
    joined = "".join("".join(p.split()) for p in PASSAGES)
    alphabet = [*sorted(set(joined)), "肩", "挑", "x"]
    words = [
        "",
        "党",
        "肩",
        "党支部",
        "支委会",
        "一肩挑",
        "党员会",
        "村民委员会成员由村民",
        "产生。发展",
    ]
    for _ in range(3000):
        length = rng.randint(1, 6)
        if rng.random() < 0.5:  # a piece of the text itself, maybe across passages
            start = rng.randrange(len(joined) - length)
            words.append(joined[start : start + length])
        else:
            words.append("".join(rng.choice(alphabet) for _ in range(length)))
    knowledge = KnowledgeText(PASSAGES)
    for word in words:
        assert (word in knowledge) == _scan(PASSAGES, word), word
    again = KnowledgeText(PASSAGES)  # nothing remembered yet: the same answers the second way
    assert [w in again for w in reversed(words)] == [_scan(PASSAGES, w) for w in reversed(words)]


def test_an_empty_knowledge_base_holds_no_word() -> None:
    knowledge = KnowledgeText([])
    assert "党" not in knowledge and "党章" not in knowledge and 3 not in knowledge
