"""No impossible value under generated and mutated write-ups: a field the parser is not sure of
is left empty (the card asks), never filled with a head count past a branch's size, a date to
come on a record, a phrase as a village, a title as a person."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.reports.parsing import MAX_COUNT, TYPE_NAMES, parse_activities, parse_report
from bot.reports.validation import check_fields

TODAY = date(2025, 11, 20)
FRAGMENTS = (
    "中共桑园村支部委员会",
    "中共青峰乡黄土岗村总支部委员会",
    "党组织名称：中共柏树村支部委员会",
    "结合村里实际",
    "党员们回村后",
    "宣讲进村",
    "法治进村 普法到家\n",
    "主题是“清廉村居”",
    "【青峰乡村干部群】\n",
    "明天就是七一了",
    "28日前报送",
    "巴彦嘎查党支部",
    "全镇5个村",
    "2024年3月5日",
    "时间：2025年11月18日晚上",
    "实到 2024",
    "应到2025人",
    "参加人数：1998",
    "应到党员32人，实到28人",
    "5个支委来了4个",
    "缺席3人（外出务工）",
    "请假两人",
    "主持人：村党支部书记袁方",
    "由支部书记主持",
    "记录人：",
    "地点：村委会二楼会议室",
    "腊月二十三",
    "正月初八",
    "重阳节那天",
    "下周二准备召开党员大会",
    "明天上午组织志愿服务",
    "召开支委会",
    "开展“不忘初心”主题党日活动",
    "东岭村党支部",
    "我们是腰店村的",
    "□支部党员大会　■党小组会",
    "，",
    "。",
    "\n",
    "；",
    "１２",
    "二十多人",
    "廿三",
    "流动党员19名、在家党员23名参加",
    "全组八个人来了七个",
    "一行8人",
    "按31个报",
    "线上参会12人",
    "08:15 张立群：",
    "主持是我",
    "缺席人数：",
)
TEXT = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(
            alphabet="村镇乡党员支委会议中共年月日号人名实到应缺席请假主持0123456789二十",
            max_size=6,
        ),
        st.integers(min_value=0, max_value=99999).map(str),
    ),
    min_size=1,
    max_size=12,
).map("".join)
_NAME_PHRASE = re.compile(
    r"中共|结合|参加|宣讲|党员|群众|们|^[进回驻入到出在去来返全本该每各个几和与]村$|个村$|"
    r"[乡农]村$|村居"
)


def _check(parsed, *, plan_allowed: bool = True) -> None:
    for count in (parsed.expected, parsed.attended, parsed.absent):
        assert count is None or 0 <= count <= MAX_COUNT
    if parsed.expected is not None and parsed.attended is not None:
        fields = {"expected": parsed.expected, "attended": parsed.attended}
        # more came than were expected: never confirmed as such, the card asks
        assert parsed.attended <= parsed.expected or check_fields(
            fields, today=TODAY, earliest=date(2010, 1, 1)
        )
    if parsed.expected is not None and parsed.absent is not None:
        assert parsed.absent <= parsed.expected
    if parsed.date is not None and parsed.date > TODAY:
        assert parsed.plan  # a day to come is a plan, never a record
    if parsed.date is not None and not parsed.plan:
        assert parsed.date >= TODAY - timedelta(days=3 * 366)
    if parsed.village is not None:
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,6}", parsed.village)
        assert parsed.village.endswith(("村", "嘎查"))
        assert not _NAME_PHRASE.search(parsed.village)
    assert parsed.type is None or parsed.type in TYPE_NAMES
    for person in (parsed.host, parsed.recorder):
        assert person is None or (
            re.fullmatch(r"[\u4e00-\u9fff]{2,4}", person) and "书记" not in person
        )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_no_impossible_value(text: str) -> None:
    _check(parse_report(text, today=TODAY))
    for activity in parse_activities(text, today=TODAY):
        _check(activity)


def test_a_heading_is_no_meeting_and_a_year_no_count() -> None:
    parsed = parse_report(
        "党组织名称：中共桑园村支部委员会\n时间：2025年11月18日\n开展主题党日，实到 2024",
        today=TODAY,
    )
    assert parsed.type == "主题党日" and parsed.village == "桑园村"
    assert parsed.attended is None and parsed.date == date(2025, 11, 18)


def test_long_hostile_messages_are_read_in_time() -> None:
    """A run of 6,000 digits took 12 s (every start inside the run was tried); a pasted list
    of 900 lines 4 s (each line re-read what came before it)."""
    import time

    parse_activities("今天开了支委会", today=TODAY)  # the spelling fixer loads on first use
    for text in (
        "1" * 6000,
        "\n".join(f"{n}. 王某某" for n in range(1, 900)),
        "6月10日召开支委会，应到7人实到6人；当天下午召开党员大会，实到28人。" * 150,
    ):
        started = time.perf_counter()
        parse_activities(text[:6000], today=TODAY)
        assert time.perf_counter() - started < 3.0
