"""The fact asked must be stated of what was asked: how far ahead (提前几天) is asked, not told;
a ratio asked with words between 比例 and 多少; 十八周岁 is no span of weeks; an article is about
what its opening and its headings name, not a chapter heading naming several things; and a count of times asked of a thing (几次志愿服务) is stated by a figure counting that
thing. A knowledge base written for the tests; no model, no network."""

from __future__ import annotations

from bot.qa.concept import focus_rank
from bot.qa.concept_reading import KnowledgeText, concepts
from bot.qa.evidence import fact_stated
from bot.qa.fact_kinds import kind_asked
from bot.qa.fact_stated import unstated
from bot.qa.vocabulary import Vocabulary
from tests.support.passages import regulation_passage

CHAPTER = "村民委员会组织法 > 第四章 村民会议和村民代表会议 > 第二十一条"
ASSEMBLY = "第二十一条 村民会议由本村十八周岁以上的村民组成。召集村民会议，应当提前十天通知村民。"
DELEGATES = "第二十五条 村民代表会议由村民委员会召集。召开村民代表会议，应当提前五天通知代表。"
IN_FORCE = "第七十四条 本法自2021年6月1日起施行。"
THEME_DAY = "第十六条 党支部应当每月开展1次主题党日，组织党员集中学习和开展志愿服务等。"
SERVICE = "第十八条 党员每年参加志愿服务一般不少于2次。"
TEXTS = ["党员", CHAPTER, ASSEMBLY, DELEGATES, IN_FORCE, THEME_DAY, SERVICE, "乡村振兴促进法"]


def _label(question: str) -> str | None:
    kind = kind_asked(question)
    return kind.label if kind else None


def test_how_far_ahead_is_asked_and_a_ratio_across_words() -> None:
    assert _label("村民代表会议开会 要提前几天通知代表") == "的天数"
    assert _label("前几天开会他没来 算不算违纪") is None  # told: a few days ago
    assert _label("党支部选举 差额比例至少要多少") == "的比例"


def _stated(question: str, *texts: str) -> str:
    knowledge = KnowledgeText(TEXTS)
    kind = kind_asked(question)
    assert kind is not None
    found = [c for c in concepts(question, Vocabulary(), knowledge) if c.in_knowledge_base]
    # what it is about: its nouns and Party terms, as the evidence check reads them
    return fact_stated(kind, [c for c in found if focus_rank(c.forms[0]) <= 1], list(texts))


def test_the_chapter_heading_is_not_what_the_article_is_about() -> None:
    question = "村民代表会议 要提前几天通知"
    # the chapter names 村民代表会议; the article's figure is 村民会议's, and 十八周岁 no span
    assert _stated(question, f"{CHAPTER}{ASSEMBLY}") != "yes"
    assert _stated(question, f"{CHAPTER}{DELEGATES}") == "yes"
    # a chapter heading naming one thing says what its articles are about
    members = "党章 > 第一章 党员 > 第一条第一条 年满十八岁的中国工人、农民和其他社会阶层的先进分子，可以申请。"
    assert _stated("党员要满多少岁", members) == "yes"
    assert _stated("党员要满多少岁", members.replace("第一章 党员", "第一章 总则")) != "yes"


def test_a_count_of_times_is_stated_of_the_thing_counted() -> None:
    knowledge = KnowledgeText(TEXTS)

    def unstated_here(question: str, text: str) -> bool:
        quoted = [regulation_passage(text, title="条例", chunk_id="1")]
        return unstated(question, quoted, Vocabulary(), knowledge)

    # 1次 counts 主题党日, not 志愿服务
    assert unstated_here("党员每年至少要参加几次志愿服务", THEME_DAY)
    assert not unstated_here("党员每年至少要参加几次志愿服务", SERVICE)
