"""Signs of doubt: a date, village or kind the parser is not sure of is left empty (the card
asks), never filled with a wrong value."""

from __future__ import annotations

from datetime import date

import pytest

from bot.reports.parsing import find_types, find_village, parse_report


@pytest.mark.parametrize(
    "text",
    [
        "开展“清风村居 廉洁家风”主题党日",
        "组织党员观看电影《李家村的春天》",
        "【东湖乡村干部群】",
        "我们和农村一起",
        "普法进村 服务到家\n近日组织党员开展普法宣传",
        "党员们把温暖送到村",
        "早上和村两委一起查看秋收",
        "县纪委来我村开展廉政教育",
        "上坝村、下坝村两个党支部联合开展主题党日",
    ],
)
def test_a_phrase_a_title_or_a_township_is_no_village(text: str) -> None:
    assert find_village(text) is None


def test_a_body_names_the_village_better_than_its_headline() -> None:
    assert find_village("文艺下村 欢乐到家\n3月2日，桃溪村党支部开展志愿服务") == "桃溪村"
    assert find_village("【喜迎国庆】梅岭村：升国旗\n梅岭村党支部开展主题党日") == "梅岭村"
    # a headline that is a sentence is read as one
    assert find_village("今天柳庄村开了党员大会，\n到会30人") == "柳庄村"


def test_a_groups_name_in_brackets_is_its_village() -> None:
    assert find_village("转发自「杉木坳村第一党小组」群聊\n今天开了小组会") == "杉木坳村"


def test_of_two_joint_branches_the_one_named_again() -> None:
    text = "东坪村、西坪村两个支部联合召开党员大会，东坪村党员20人参加"
    assert find_village(text) == "东坪村"
    assert find_village("我们上坝村和下坝村党支部一起开展主题党日") == "上坝村"


def test_a_forward_names_who_wrote_it() -> None:
    assert find_village("转发枫岭村张书记的消息：昨天开了支委会") == "枫岭村"


def test_a_gacha_is_a_village() -> None:
    assert find_village("额尔敦嘎查党支部召开党员大会") == "额尔敦嘎查"
    assert find_village("乌力吉图嘎查党支部开展主题党日") == "乌力吉图嘎查"


TODAY = date(2026, 4, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("后天就是五四了，今天我们提前开了主题党日", TODAY),
        ("明天就是清明，今天上午组织党员祭扫烈士墓", TODAY),
        ("4月20日前各村要交台账。4月13日我们开了党员大会", date(2026, 4, 13)),
        ("截至4月10日，继4月8日召开支委会后，4月12日召开党员大会", date(2026, 4, 12)),
        ("按照4月3日全镇推进会部署，4月9日开展志愿服务", date(2026, 4, 9)),
        ("在4月2日支委会研究的基础上，4月7日召开党员大会", date(2026, 4, 7)),
        ("4月8日，全镇召开组织工作会议。4月10日，我们组织党员学习会议精神", date(2026, 4, 10)),
        ("4月8日，县委印发通知。4月10日，我们组织党员学习", date(2026, 4, 10)),
        ("镇纪委4月8日来我村讲廉政课。4月10日我们组织党员学习", date(2026, 4, 10)),
        ("4月8日，市委督导组进驻我县。4月10日，松林村召开党员大会", date(2026, 4, 10)),
        # a township or county by name holding a meeting of its own
        ("4月8日，青山镇组织召开党建推进会。4月10日上午，松林村召开党员大会", date(2026, 4, 10)),
        ("4月8日，红旗乡举办书记培训班；4月10日，松林村开展主题党日", date(2026, 4, 10)),
        ("4月8日，城关镇松林村党支部召开党员大会", date(2026, 4, 8)),
        ("4月6日至7日，县委组织支部书记培训。4月9日，松林村召开党员大会", date(2026, 4, 9)),
        ("先前报的4月8日不对，支委会是4月9日开的", date(2026, 4, 9)),
        ("4.12 党小组会 学习全会精神 到会6人", date(2026, 4, 12)),
        ("县委宣讲团成员4月11日到我村宣讲全会精神", date(2026, 4, 11)),
        ("传达4月10日镇党委会议精神", None),
        # the only day told is still the day
        ("4月8日，县委组织部到我们松林村调研，召开座谈会", date(2026, 4, 8)),
        # a day not said is not the day the news item was dated
        ("近日，松林村党支部开展主题党日活动，到会党员30名。\n2026-04-14", None),
        ("松林村党支部 2026年4月14日\n日前开展了主题党日", None),
        ("上个月最后一天开了党小组会", date(2026, 3, 31)),
        ("五一前一天组织党员义务劳动", date(2026, 4, 30)),
        ("上月最后一天开了支委会", date(2026, 3, 31)),
        ("本月的最后一天组织党员学习", date(2026, 4, 30)),
        # a masthead's or a signature's date is the writing's
        ("松林村党支部 2026年4月14日\n4月11日，召开党员大会", date(2026, 4, 11)),
        ("4月11日，召开党员大会\n松林村党支部\n2026年4月14日", date(2026, 4, 11)),
        ("松林村党支部 2026年4月14日\n今天召开党员大会", date(2026, 4, 14)),
        # … but a record's first line with only a date is the meeting's
        ("2026年4月14日\n地点：村部\n传达4月10日镇里的安排，召开支委会", date(2026, 4, 14)),
    ],
)
def test_a_date_that_is_not_the_activitys(text: str, expected: date | None) -> None:
    assert parse_report(text, today=TODAY).date == expected


def test_a_notices_title_is_no_record() -> None:
    title = "镇党委关于做好2026年度组织生活会和民主评议党员工作的通知"
    assert parse_report(title, today=TODAY).plan


def test_a_deadline_to_come_is_a_plan() -> None:
    assert parse_report("请各支部于4月25日前召开组织生活会", today=TODAY).plan
    assert parse_report("请于本周五前将党课开展情况报镇组织办", today=TODAY).plan
    done = parse_report("4月20日前要交台账，今天上午开了党员大会，到会30人", today=TODAY)
    assert not done.plan and done.date == TODAY


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "党员大会会议记录\n时间：4月2日\n议程：一、传达镇党委关于召开组织生活会的通知",
            "支部党员大会",
        ),
        ("2025年度组织生活会记录 一、通报准备情况 二、书记代表支委会作检查", "组织生活会"),
        ("刚才发错了，不是党课，是党小组会", "党小组会"),
        ("镇里通知本周要召开组织生活会，我们今天先开了支委会", "支部委员会"),
        ("继上周召开支委会研究后，今天召开党员大会", "支部党员大会"),
        ("传达上级关于开展主题党日的要求，支委会研究了具体安排", "支部委员会"),
        ("前面那条写的不是党小组会，是支委会", "支部委员会"),
        ("在上月召开支委会的基础上，今天召开党员大会", "支部党员大会"),
        ("带领党员到邻镇学习产业发展经验", "其他"),
        ("清明前组织党员到烈士陵园祭扫", "其他"),
        ("全村党员在广场升国旗，到了20人", "其他"),
        ("鹿鸣村重温讲话精神，参学党员21人", "集中学习"),
    ],
)
def test_a_kind_in_a_heading_a_correction_or_an_instruction(text: str, expected: str) -> None:
    assert find_types(" ".join(text.split()))[0] == expected


def test_a_kind_said_to_be_wrong_alone_is_none() -> None:
    assert find_types("不是党课")[0] is None
