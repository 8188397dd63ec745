"""A count, name or plan the parser is not sure of is left empty, never filled wrongly."""

from __future__ import annotations

from datetime import date

import pytest

from bot.reports.parsing import find_attendance, find_village, parse_activities, parse_report


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("镇中心校党员6人参加，帮村里孩子辅导功课", (None, None)),
        ("两个村共58名党员参加了学习", (None, None)),
        ("片区共有党员120人到会", (None, None)),
        ("我村党员7人参加，县医院党员5人参加", (None, 7)),
        ("县供电公司党员8人，我村党员15人参加", (None, 15)),
        # a 党总支's branches are its own
        ("三个支部共87名党员，到会72名", (87, 72)),
    ],
)
def test_another_bodys_count_is_not_the_branchs(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert find_attendance(text) == expected


def test_the_branchs_share_of_a_joint_total() -> None:
    text = "县林业局机关党支部与松岗村党支部开展联学，共40名党员参加，其中松岗村党员23名"
    assert find_attendance(text) == (None, 23)
    assert find_village(text) == "松岗村"
    assert find_attendance("共30人参加，其中本村党员18人") == (None, 18)


def test_a_linking_word_is_no_part_of_a_name() -> None:
    assert find_village("三个村参加，包括石岭村、水口村") == "石岭村"
    assert find_village("另外柿子坪村也派了党员") == "柿子坪村"


def test_todays_counted_meeting_is_a_record_beside_tomorrows_call() -> None:
    today = date(2026, 3, 10)
    text = "今天上午开了党员大会，到会党员26人。明天下午请党员们2点在村口集合植树"
    parsed = parse_report(text, today=today)
    assert not parsed.plan and parsed.attended == 26
    assert [a.plan for a in parse_activities(text, today=today)] == [False]
    call = "今天下午三点开党员大会，请全体党员准时到会，别忘了"
    assert parse_report(call, today=today).plan
    chat = "今天上午在村部开支委会，别忘了\n会开完了，5个支委都到了"
    assert not parse_report(chat, today=today).plan


def test_two_counts_for_one_role_leave_it_empty() -> None:
    assert find_attendance("党员大会上参加表决的28人，会后参与打扫的15人") == (None, None)
    assert find_attendance("出席会议的党员33人，会后参与打扫的党员33人") == (None, 33)


def test_a_longer_stem_is_a_phrase_unless_registered() -> None:
    assert find_village("组织党员学习交流到各个自然村") is None
    assert find_village("今天去了黄土坡上李家坪村") is None
    assert (
        find_village("今天去了黄土坡上李家坪村", known={"黄土坡上李家坪村"}) == "黄土坡上李家坪村"
    )
    assert find_village("马鞍山村开展主题党日") == "马鞍山村"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a part of those who came, online, is not all of them
        ("线上参加5人，线下23人，共28人", (None, None)),
        ("现场党员23人，视频参加5人", (None, None)),
        # the township's own people who came are another body's
        ("镇里来了10个，我们村来了18个", (None, 18)),
        ("双方党员共32人参加，其中村党员20人", (None, 20)),
        # a total of those who came is not the branch's members
        ("共有29名党员参加", (None, 29)),
        ("党员共32名，出席29名", (32, 29)),
    ],
)
def test_parts_totals_and_other_bodies(text: str, expected: tuple[int | None, int | None]) -> None:
    assert find_attendance(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("支部31名党员，这次到了27名", (31, 27)),
        ("31人中到会27人", (31, 27)),
        ("到会情况：27/31", (31, 27)),
        ("出勤27人，缺勤4人", (31, 27)),
        ("5名支委4名到会", (5, 4)),
        # the rest who all came are those who came, not the members
        ("支部31名党员，4名在外务工，其余27名全部参加", (31, 27)),
        # members at work are those who came, never the members expected
        ("组织31名党员开展志愿服务", (None, 31)),
    ],
)
def test_members_and_those_who_came_in_more_wordings(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert find_attendance(text) == expected


def test_one_activity_is_no_head_count() -> None:
    text = "三月十号下午我们开了一个主题党日活动在村里的文化广场来了有三十来个"
    assert find_attendance(text) == (None, None)
    assert find_attendance("昨天搞了一个志愿服务，去了十二个党员志愿者") == (None, 12)


@pytest.mark.parametrize(
    "text",
    [
        "实到二十五、六人",
        "参加党员25、6人",
        "参会党员近30人",
        "参会党员约30人",
        "参会党员30人左右",
        "参会党员不到30人",
    ],
)
def test_a_rough_figure_said_around_its_number_is_no_count(text: str) -> None:
    assert find_attendance(text) == (None, None)


def test_a_count_beside_a_rough_word_elsewhere_stays() -> None:
    assert find_attendance("30人来了") == (None, 30)
    assert find_attendance("参加党员25人、群众6人") == (None, 25)


def test_members_at_work_when_nothing_else_counts_who_came() -> None:
    assert find_attendance("十五名党员帮村里的留守老人修缮房屋") == (None, 15)
    assert find_attendance("石门村党支部组织15名党员到敬老院打扫卫生") == (None, 15)
    # another body's members, or members served or honoured, are not those who came
    assert find_attendance("县审计局机关党支部书记带领12名党员来到结对帮扶的苇塘村") == (None, None)
    assert find_attendance("为7名党员过政治生日") == (None, None)
