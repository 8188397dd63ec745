"""Which number counts the branch's members who came: groups summed, parts of a party, a chat's
settled count, qualified 应到/实到; and the writer of a chat line as the host."""

from __future__ import annotations

from datetime import date

import pytest

from bot.reports.parsing import find_attendance, parse_report
from bot.reports.parsing.minutes import count_listed_present, find_absent, find_host, find_place


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the branch's own groups that share one verb are summed
        ("返乡流动党员8名、本村在家党员15名参加座谈", (None, 23)),
        ("老党员5名和年轻党员20名参加了座谈", (None, 25)),
        # …but never another body's group, another village's or another role's count
        ("我村党员25人、供电公司党员8人参加", (None, 25)),
        ("竹山村党员25名、竹溪村党员20名参加联合主题党日", (None, 25)),
        ("应到党员30名、实到党员28名参加", (30, 28)),
        # beside another body's members, the branch's own count, never the joint total
        ("交通局党员12人、河湾村党员18人共30人参加", (None, 18)),
    ],
)
def test_groups_of_the_branchs_members_share_one_verb(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert find_attendance(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全组八个人来了七个", (8, 7)),
        ("支委六个人到了五个", (6, 5)),
        ("原计划参加25人，实际来了22人", (None, 22)),
        ("报名参加30人，到了27人", (None, 27)),
        ("支部一共十五个党员，一个没少", (15, 15)),
        ("在家的党员都来了，一共31人", (None, 31)),
        ("来的都是党员，二十二个", (None, 22)),
        ("书记带领支委和党员代表一行9人走访困难户", (None, 9)),
        ("今天我和两名支委一共3个人，到五组走访", (None, 3)),
        ("应到会有表决权的正式党员：29名\n实到会有表决权的正式党员：26名", (29, 26)),
        ("党员18人、入党积极分子3人", (None, 18)),
        ("党员17人、村小教师5人走村入户", (None, 17)),
        ("参观党员共21人", (None, 21)),
        ("实到：三十 二人", (None, 32)),
        # those at home are not the branch's members expected
        ("全村在册党员38名，其中在家党员30名，到会30名", (38, 30)),
        ("在家的34名党员都参加了", (None, 34)),
        ("参加人员：全体支委及党员代表 共13人 内容：学习", (None, 13)),
        ("村两委干部和党员代表共11人，前往邻镇学习", (None, 11)),
        # 党员代表 are members (村民代表 are not)
        ("组织党员代表12人到县烈士陵园祭扫", (None, 12)),
        ("全体党员（共36人）开展主题党日，实际到会31人", (36, 31)),
    ],
)
def test_those_who_came_in_more_wordings(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert find_attendance(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the make-up of a village or of the party, not those who came
        ("我村现有户籍人口1200人，党员45人、村民代表20人，今天召开主题党日", (None, None)),
        ("我们村共45人", (None, None)),
        # those served, non-members away, villagers' group heads: no members expected or came
        ("为全村12名生活困难党员和23户困难群众送去慰问金", (None, None)),
        ("参会返乡党员7名、返乡大学生12名、在外创业人士5名", (None, 7)),
        ("支委5人、村民小组长8人参加", (None, None)),
        # a part of those who came: the room without those online, a subset by age
        ("应到党员40人，线下参会26人，线上参会10人", (40, None)),
        ("参会党员中60岁以上的有14名", (None, None)),
        # a plan's count is no head count, nor are the villages visited (the 8 went)
        ("原计划参加25人", (None, None)),
        ("今年以来共开展主题党日11次，累计参加党员286人次", (None, None)),
        # a date, a garbled number, the parts listed after 其中, another body's members
        ("到会党员12月5日", (None, None)),
        ("应到 32 实到 2O", (32, None)),
        ("实到党员32人，其中第一党小组12人，第二党小组20人", (None, 32)),
        ("出席会议的有党员21名和村两委成员5名", (None, 21)),
        # guests invited are not the branch's; its members at work are those who came
        ("组织全村12名女党员开展主题党日，邀请县妇联3名同志参加", (None, 12)),
        ("8个支委到了3个村", (None, 8)),
        ("12名党员来了两个小时", (None, 12)),
    ],
)
def test_counts_that_are_no_attendance_stay_empty(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert find_attendance(text) == expected


def test_a_chat_settles_on_its_last_count() -> None:
    text = "来了35个人\n书记，签到的党员是31个，还有4个是群众代表\n那就按31个报"
    assert find_attendance(text)[1] == 31
    assert find_attendance("参加党员20人，以19人为准") == (None, 19)
    # a 按 with no head count is no settlement
    assert find_attendance("参会党员20人，补贴按100元报") == (None, 20)


def test_the_writer_of_a_chat_line_chairs_when_they_say_so() -> None:
    chat = "09:02 刘建国：昨天支委会开了\n09:03 刘建国：主持是我，记录王芳"
    assert find_host(chat) == "刘建国"
    assert find_host("刘建国 09:02\n昨天支委会是我主持的") == "刘建国"
    # a nickname or an office is not the name the ledger needs
    assert find_host("老陈 09:02\n主持是我") is None
    assert find_host("09:03 镇组织办：主持是我") is None
    # a time word or 我 is never a name
    assert find_host("今天我主持召开了支委会") is None


def test_a_place_gone_to_and_an_absence_counted_before_its_reasons() -> None:
    assert find_place("七一那天去了市革命纪念馆参观") == "市革命纪念馆"
    assert find_place("去的县烈士陵园，党员20人") == "县烈士陵园"
    assert find_place("组织党员前往市党史馆参观") == "市党史馆"
    assert find_place("党员和学生到乡烈士陵园祭扫") == "乡烈士陵园"
    assert find_place("地点在老支书家的院坝里") == "老支书家的院坝里"
    assert find_absent("缺席：3名（2名在外务工，1名住院）")[0] == 3
    assert find_absent("缺席人员及原因：张三（外出务工）、李四（住院）")[0] == 2
    assert find_absent("应到：6人 实到：6人\n缺席：无")[0] is None
    assert count_listed_present("到会的有：王军、李强、张丽、赵刚，共4人") == 4


def test_counts_that_do_not_add_up_leave_the_absent_count_to_the_card() -> None:
    today = date(2025, 1, 1)
    parsed = parse_report("应到30人，实到28人，请假3人", today=today)
    assert (parsed.expected, parsed.attended, parsed.absent) == (30, 28, None)
    # fewer on leave than missing: the counts decide
    parsed = parse_report("应到30人，实到27人，请假2人", today=today)
    assert parsed.absent == 3


def test_an_office_is_no_host_and_a_gathering_point_no_place() -> None:
    assert find_host("主持：第一书记") is None
    assert find_host("由组织委员代为主持") is None
    assert find_host("主持人：村党支部书记、村委会主任 王德胜") == "王德胜"
    assert find_host("会议由王德胜同志（村党支部书记）主持") == "王德胜"
    assert find_place("在家党员全部参加") is None
    assert find_place("在村委会门口集合后，到县烈士陵园祭扫") == "县烈士陵园"


def test_a_form_counts_the_absent_without_a_unit() -> None:
    assert find_absent("出席人数：27 缺席人数：2")[0] == 2
    assert find_absent("缺席党员人数 4")[0] == 4
    assert find_absent("请假3天")[0] is None


def test_names_are_read_as_typed_not_as_the_slip_fixer_spells_words() -> None:
    parsed = parse_report(
        "主持人：村党支部书记 何志远\n记录人：罗志远\n地点：志远家里\n召开支委会，应到5人实到5人",
        today=date(2025, 11, 3),
    )
    assert (parsed.host, parsed.recorder, parsed.place) == ("何志远", "罗志远", "志远家里")


def test_a_title_remnant_or_a_nickname_is_no_host() -> None:
    assert find_host("主持人：党小组长") is None
    assert find_host("村支书老王主持") is None
    assert find_host("主持人：支委 刘一手") == "刘一手"
    assert find_host("主持人：小组长王芳") == "王芳"
    # those present are counted, nicknames and all
    assert count_listed_present("出席：老王、小李、张三") == 3


def test_a_count_corrected_or_thinned_of_non_members() -> None:
    chat = "今天主题党日签到的一共29个\n不对，是27个，有两个签了两次"
    assert find_attendance(chat)[1] == 27
    assert find_attendance("来了28个，其中有3个是入党积极分子") == (None, 25)
    # members counted apart are not thinned again
    assert find_attendance("共30人参加，其中党员25人，其中有5个是群众") == (None, 25)
    # a correction of something else is no count
    assert find_attendance("应到30人，实到28人，时间不对，是下午3点") == (30, 28)


def test_the_total_after_a_list_of_those_present_is_theirs() -> None:
    parsed = parse_report(
        "今天主题党日 参加的党员有：张三、李四、王五、赵六、孙七、周八 一共6个",
        today=date(2025, 12, 1),
    )
    assert (parsed.expected, parsed.attended) == (None, 6)


def test_a_corrected_count_replaces_the_one_said_before() -> None:
    assert find_attendance("应到32人，实到30人。应到人数写错了，应该是35人") == (35, 30)
    assert find_attendance("应到32人，实到30人，实到人数写错了，应该是31人") == (32, 31)
    # a correction of 应到 never settles those who came
    assert find_attendance("应到写错了，是35个")[1] is None
