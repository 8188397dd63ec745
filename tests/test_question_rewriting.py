"""How a question is rewritten before it is searched: the regulations' words for the dense
query, and the pinyin keyboard's slips mended — without changing what was asked."""

from __future__ import annotations

import pytest

from bot.qa.pinyin_input import SpellingFixer
from bot.qa.vocabulary import Vocabulary, load_vocabulary

_VOCABULARY = Vocabulary(
    synonyms={
        "一年": ("每年",),
        "一个月": ("每月",),
        "跑了": ("失去联系",),
        "找不着": ("失去联系",),
        "老板": ("经营者",),
    }
)


@pytest.mark.parametrize(
    ("question", "formal"),
    [
        # an amount stays an amount: 满一年 is no 满每年
        ("小王转正满一年以后能当支委吗", "小王转正满一年以后能当支委吗"),
        ("挂职一个月算不算基层经历", "挂职一个月算不算基层经历"),
        ("下乡一年了 补贴发几次", "下乡一年了 补贴发几次"),
        # ... and a rate in a clause that asks how many or how often
        ("团小组一年开几次会", "团小组每年开几次会"),
        ("志愿者一个月能领多少补助", "志愿者每月能领多少补助"),
        # two phrases side by side for the same thing are written once
        ("老张跑了找不着，党籍咋办", "老张失去联系，党籍咋办"),
        ("老张跑了，找不着，党籍咋办", "老张失去联系，党籍咋办"),
        # apart, each is replaced where it stands
        ("老板跑了以后工人也找不着他", "经营者失去联系以后工人也失去联系他"),
    ],
)
def test_formal_text_keeps_amounts_and_writes_a_repeated_meaning_once(
    question: str, formal: str
) -> None:
    assert _VOCABULARY.formal_text(question) == formal


def test_the_shipped_vocabulary_reads_everyday_words_for_power_and_titles() -> None:
    shipped = load_vocabulary(None)
    assert "执政" in shipped.formal_text("一个党掌权久了最容易出啥毛病")
    assert "职称评定" in shipped.formal_text("在村里教书的评职称有照顾吗")


_FIXER = SpellingFixer(
    {"法治", "支持", "支部", "党史", "党员", "预备", "代表", "理由", "凡是", "真理"}
)


@pytest.mark.parametrize(
    ("question", "fixed"),
    [
        # the characters of an either-or form are typed as meant
        ("组织法支不支持村里办合作社", "组织法支不支持村里办合作社"),
        # the characters as typed read likelier than the sound-alike word (党 + 是 over 党史)
        ("咱们党是哪一年建立的", "咱们党是哪一年建立的"),
        ("这部法里有没有写", "这部法里有没有写"),
        # the slips are still mended
        ("党原要不要交", "党员要不要交"),
        ("预被期满咋转", "预备期满咋转"),
        ("人大带表换届", "人大代表换届"),
        ("村支不开会咋整", "村支部开会咋整"),  # 不, common as it is, typed for 部
        # a known word typed right keeps its characters: 应到 + 的 is not 应 + 道德
        ("赞成票按应到的算", "赞成票按应到的算"),
    ],
)
def test_a_slip_is_mended_only_into_a_word_it_could_be_typed_for(question: str, fixed: str) -> None:
    assert _FIXER.fix(question) == fixed
