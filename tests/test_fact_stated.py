"""A confident answer must state the fact asked also when it is asked in the ways the kinds of
fact leave out: a count with 几 and a measure word, a point in time, the kinds of a thing; and
a date's label (上半年) is no span. A small knowledge base written for the tests; no model, no
network."""

from __future__ import annotations

from bot.qa.concept_reading import KnowledgeText
from bot.qa.fact_stated import unstated
from bot.qa.vocabulary import Vocabulary
from tests.support.passages import regulation_passage

MEETING = "第三条 民主评议会每年召开1次，每名党员应当对班子提出意见。"
ITEMS = "第四条 民主评议会上，每名党员至少提出3条意见。"
DUES = "第五条 党员应当按月交纳党费。"
DUES_FROM = "第六条 预备党员自支部大会通过之日起交纳党费。"
SANCTIONS = "第七条 对违规的合作社，由乡政府给予通报批评。"
SORTS = "第八条 乡政府对违规的合作社给予的处理分为三种：警告、通报批评、取消资格。"
REPORT = "上半年，全县共对12名干部进行谈话提醒，提拔干部30名。"
BARRED = "第九条 党员受到谈话提醒的，半年内不得提拔。"
DUTIES = "第十条 党员必须履行下列义务：（一）按时交纳党费；（二）参加组织生活。"
TEXTS = [MEETING, ITEMS, DUES, DUES_FROM, SANCTIONS, SORTS, REPORT, BARRED, DUTIES]


def _unstated(question: str, *texts: str) -> bool:
    quoted = [
        regulation_passage(text, title="条例", chunk_id=str(number))
        for number, text in enumerate(texts)
    ]
    return unstated(question, quoted, Vocabulary(), KnowledgeText(TEXTS))


def test_a_count_asked_with_a_measure_word_is_stated_with_the_same_one() -> None:
    question = "民主评议会上 每名党员至少要提几条意见"
    # 1次 says how often the meeting is held, not how many 条; 第三条 is an article's label
    assert _unstated(question, MEETING)
    assert not _unstated(question, ITEMS, MEETING)
    # how many 条 a list has is told by listing them; 好几条 is told, not asked
    assert not _unstated("党员的义务有几条", DUTIES)
    assert not _unstated("一个党员违反了好几条规定 按哪条处理", MEETING)


def test_a_point_in_time_asked_must_be_stated_about_every_noun() -> None:
    question = "预备党员从哪个月开始交党费"
    assert _unstated(question, DUES)  # 按月, but nothing on 预备党员
    assert not _unstated(question, DUES_FROM)
    # 党费 is what another question of the same message asks about, not this one's subject
    assert not _unstated("预备党员从啥时候算起 党费咋交", DUES_FROM.replace("交纳党费", "算起"))


def test_the_kinds_of_a_thing_asked_are_stated_by_their_number_or_an_enumeration() -> None:
    question = "违规的合作社 乡政府能给哪几种处理"
    assert _unstated(question, SANCTIONS)
    assert not _unstated(question, SORTS)


def test_a_date_label_is_no_span() -> None:
    question = "谈话提醒以后多长时间不能提拔"
    # 上半年 in a work report names when, not how long
    assert _unstated(question, REPORT)
    assert not _unstated(question, BARRED)


def test_nothing_asked_in_these_ways_is_left_alone() -> None:
    assert not _unstated("民主评议会有什么要求", MEETING)
    assert not _unstated("民主评议会一年开几次", MEETING)  # read by the evidence check


INTRODUCERS = "第十一条 发展对象应当有两名正式党员作入党介绍人。"
COMMITTEE = "第十二条 支部委员会由三至五人组成，委员任期三年。"


def test_a_count_of_a_thing_is_stated_by_a_figure_counting_that_thing() -> None:
    texts = [*TEXTS, INTRODUCERS, COMMITTEE]

    def unstated_here(question: str, text: str) -> bool:
        quoted = [regulation_passage(text, title="条例", chunk_id="1")]
        return unstated(question, quoted, Vocabulary(), KnowledgeText(texts))

    # 两名 counts the 正式党员 who introduce, not how many 发展对象 one of them may introduce
    assert unstated_here("一个党员能同时给几个发展对象当入党介绍人", INTRODUCERS)
    # the thing counted said later in the figure's clause, or no noun after the figure
    assert not unstated_here("发展对象要找几个入党介绍人", INTRODUCERS)
    assert not unstated_here("支部委员会设几个委员", COMMITTEE)
    assert unstated_here("支部委员会设几个委员", DUES)


def test_a_few_told_in_the_story_asks_no_count() -> None:
    texts = [*TEXTS, INTRODUCERS]
    quoted = [regulation_passage(DUES, title="条例", chunk_id="1")]
    for question in (
        "几个党员自己约着去交党费 没经过支部 这算数吗",
        "上面让多发展几个党员 这样行吗",
    ):
        assert not unstated(question, quoted, Vocabulary(), KnowledgeText(texts))
