from __future__ import annotations

import json
from datetime import date

import pytest

from bot.cli import main
from bot.reports.parsing import find_attendance, find_date, find_types, find_village, parse_report
from tests.conftest import SHARED

TODAY = date(2023, 6, 14)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023年6月10日开展活动", date(2023, 6, 10)),
        ("6月10日上午开展活动", date(2023, 6, 10)),
        ("六月十日开展活动", date(2023, 6, 10)),
        ("6.10 主题党日", date(2023, 6, 10)),
        ("10号开了支委会", date(2023, 6, 10)),
        ("本月10号开了支委会", date(2023, 6, 10)),
        ("今天开展", TODAY),
        ("昨天开展", date(2023, 6, 13)),
        ("前天开展", date(2023, 6, 12)),
        ("本周一开展", date(2023, 6, 12)),
        ("这周三开展", date(2023, 6, 14)),
        ("上周五开展", date(2023, 6, 9)),
        ("上星期日开展", date(2023, 6, 11)),
        ("2月30日开展", None),
        ("没有日期", None),
        ("面积3.5亩", None),
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert find_date(text, today=TODAY) == expected


def test_december_reported_in_january_is_last_year() -> None:
    assert find_date("12月28日开展", today=date(2024, 1, 3)) == date(2023, 12, 28)
    assert find_date("28号开展", today=date(2024, 1, 3)) == date(2023, 12, 28)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("应到党员32人，实到28人", (32, 28)),
        ("应到25 实到22", (25, 22)),
        ("全村23名党员有21人参加", (23, 21)),
        ("到会党员十九人", (None, 19)),
        ("5名支委全部参加", (5, 5)),
        ("讨论接收2名预备党员，走访12户老人，群众40余人参加", (None, None)),
        ("应参会党员41名，实参会37名，4名外出务工党员请假", (41, 37)),
    ],
)
def test_attendance(text: str, expected: tuple[int | None, int | None]) -> None:
    assert find_attendance(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张家村党支部开展活动", "张家村"),
        ("昨天下午李庄村召开支部党员大会", "李庄村"),
        ("在村委会召开支委会", None),
        ("在村党群服务中心开展学习", None),
        ("组织全村党员集中学习", None),
        ("昨日，和平村开展志愿活动", "和平村"),
        ("研究主题党日安排和村集体经济项目", None),
    ],
)
def test_village(text: str, expected: str | None) -> None:
    assert find_village(text) == expected


def test_type_is_the_activity_done_and_others_are_tags() -> None:
    assert find_types("今天召开支委会，研究八月主题党日安排") == ("支部委员会", ["主题党日"])
    assert find_types("开展民主评议党员，党员大会按程序进行") == ("民主评议党员", ["支部党员大会"])
    assert find_types("10.10 红星村 主题党日：喜迎国庆") == ("主题党日", [])
    assert find_types("村里修了路") == (None, [])


def test_dev_set_accuracy_per_field_is_at_least_95_percent() -> None:
    rows = [
        json.loads(line)
        for line in (SHARED / "eval" / "reports_dev.jsonl").read_text("utf-8").splitlines()
    ]
    right: dict[str, int] = {}
    total: dict[str, int] = {}
    for row in rows:
        parsed = parse_report(row["text"], today=date.fromisoformat(row["today"])).as_json()
        for field, want in row["expect"].items():
            total[field] = total.get(field, 0) + 1
            ok = parsed[field] in want if field == "type" else parsed[field] == want
            right[field] = right.get(field, 0) + ok
    assert {f: right[f] / total[f] for f in total} == pytest.approx(
        dict.fromkeys(total, 1.0), abs=0.05
    )


def test_cli_report_parse_json(capsys: pytest.CaptureFixture[str]) -> None:
    texts = [
        "6月10日上午，张家村党支部开展“学习贯彻党的二十大精神”主题党日活动，应到党员32人，实到28人",
        "随便说说",
    ]
    assert main(["report", "parse", "--json", "--today", "2023-06-12", *texts]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [set(obj) for obj in lines] == [
        {
            "date",
            "village",
            "type",
            "tags",
            "theme",
            "expected",
            "attended",
            "summary",
            "plan",
            "place",
            "host",
            "recorder",
            "absent",
            "absent_reasons",
            "topics",
            "decisions",
        }
    ] * 2
    assert lines[0] | {"summary": None} == {
        "date": "2023-06-10",
        "village": "张家村",
        "type": "主题党日",
        "tags": [],
        "theme": "学习贯彻党的二十大精神",
        "expected": 32,
        "attended": 28,
        "summary": None,
        "plan": False,
        "place": None,
        "host": None,
        "recorder": None,
        "absent": 4,
        "absent_reasons": None,
        "topics": None,
        "decisions": None,
    }
    assert lines[1]["date"] is None and lines[1]["type"] is None and lines[1]["tags"] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # the wordings the conversation issue lists
        ("参会48人", (None, 48)),
        ("5个支委来了4个", (5, 4)),
        ("实到：22人", (None, 22)),
        ("听课党员24人", (None, 24)),
        ("参学党员三十名", (None, 30)),
        ("来了十九个", (None, 19)),
        ("参加党员廿三名", (None, 23)),
        ("来了二十多个党员", (None, None)),
        ("应到：31人 实到：28人 请假：3人", (31, 28)),
        ("现场参会党员17人，另有8名外出党员视频参加，共计25人", (None, 25)),
        ("小组党员11人到了9个", (11, 9)),
        ("支委7名到会6名", (7, 6)),
        ("7名支委全部到会", (7, 7)),
        ("应到党员12345人，实到12000人", (12345, 12000)),
    ],
)
def test_attendance_as_secretaries_write_it(text: str, expected) -> None:
    assert find_attendance(text) == expected


@pytest.mark.parametrize(
    ("text", "known", "expected"),
    [
        ("我们桃花村上周开了党员大会", (), "桃花村"),
        ("我是大河村第一书记，今天在村部开了支委会", (), "大河村"),
        ("城关镇桃花村召开支委会", (), "桃花村"),
        ("我是县交通局派驻芦苇荡村的第一书记，上周四到黄泥塘村给党员上了党课", (), "黄泥塘村"),
        ("驻村工作队今天组织党员学习", (), None),
        ("我们村下周二搞主题党日", (), None),
        ("今天和平村开展志愿服务", (), "和平村"),
        ("今天在老王家院子开会，张家湾的党员都来了", ("张家湾",), "张家湾"),
    ],
)
def test_villages_from_the_text_and_the_gazetteer(text: str, known, expected) -> None:
    assert find_village(text, known=known) == expected


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("6/30 十里铺村 支委会", date(2023, 7, 10), date(2023, 6, 30)),
        ("2023.6.30 五里墩村 主题党日", date(2023, 7, 10), date(2023, 6, 30)),
        ("上个月28号 上营村开展主题党日", date(2025, 9, 1), date(2025, 8, 28)),
        ("上周三（1月22日）青山村召开党员大会", date(2025, 1, 27), date(2025, 1, 22)),
        ("七一当天，赵家河村举行入党宣誓", date(2025, 7, 2), date(2025, 7, 1)),
        ("上个礼拜五我在村里讲了堂党课", date(2024, 7, 8), date(2024, 7, 5)),
    ],
)
def test_dates_as_secretaries_write_them(text: str, today: date, expected: date) -> None:
    assert find_date(text, today=today) == expected


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("王庄村定于11月28日开展主题党日活动，请全体党员准时参加", True),
        ("我们村下周二搞主题党日", True),
        ("明天七一，岔河村党支部计划组织全体党员参观纪念馆", True),
        ("原定今天下午的主题党日活动因下大雪推迟到下周举行，具体时间另行通知", True),
        ("昨天下午，光华村召开支委会，研究决定下周一开展主题党日活动，支委5人全部出席", False),
        ("11月20日王庄村开展主题党日，应到30人，实到28人", False),
    ],
)
def test_plans_are_told_apart_from_records(text: str, plan: bool) -> None:
    assert parse_report(text, today=date(2025, 11, 24)).plan is plan


def test_place_and_host_when_a_sentence_says_them() -> None:
    parsed = parse_report(
        "11月20日在村党群服务中心召开支部党员大会，由支部书记王明主持，实到25人",
        today=date(2025, 11, 24),
    )
    assert parsed.place == "村党群服务中心" and parsed.host == "王明"  # the name, not the title
    labelled = parse_report(
        "【支委会】时间：5月31日晚上 地点：杜家坝村村委会二楼 主持人：张某", today=date(2024, 6, 3)
    )
    assert labelled.place == "杜家坝村村委会二楼" and labelled.host == "张某"


def test_cli_report_parse_reads_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "parse", "--today", "2023-06-12", "召开支委会研究发展党员"]) == 0
    out = capsys.readouterr().out
    assert "活动类型：支部委员会" in out and "日期：（未填）" in out
    assert "是计划（不记入台账）：否" in out
    assert "None" not in out and "False" not in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("到会18/20", (20, 18)),
        ("参会人数：15人", (None, 15)),
        ("党员9人全部参加", (9, 9)),
        ("支委三人 全到", (3, 3)),
        ("总共三十个党员，来了二十七个", (30, 27)),
        ("党员30名中28名参加", (30, 28)),
        ("应到会21人 到会19人", (21, 19)),
        ("应到40人，到会率95%", (40, 38)),
        ("一共十二个党员，有一个没来", (12, 11)),
        ("应到党员20人，请假3人", (20, 17)),
        ("出席会议33人", (None, 33)),
        ("党员总数36人", (36, None)),
        ("6名支委参会", (None, 6)),
        ("来听的党员有十五个", (None, 15)),
        ("参加党员14人、群众10人", (None, 14)),
        ("群众代表30人参加", (None, None)),
        ("接收预备党员2名", (None, None)),
        ("支委一共三个人都到了", (3, 3)),
        ("党员去了8个", (None, 8)),
        ("应学党员18人，实学16人", (18, 16)),
        ("应该来30个，来了26个", (30, 26)),
        ("小组6个党员，有1个在外地没来", (6, 5)),
        ("参训党员40名", (None, 40)),
        ("党员32名，实际参加29名", (32, 29)),
        ("一共来了15个党员，还有3个没来", (18, 15)),  # those expected: who came and who did not
        ("支委和村民小组长共12人参加", (None, 12)),
    ],
)
def test_attendance_in_the_long_tail_of_wordings(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert find_attendance(text) == expected


def test_a_weekday_alone_is_the_last_one_for_what_happened() -> None:
    tuesday = date(2026, 11, 24)
    assert find_date("周日开展", today=tuesday) == date(2026, 11, 29)
    assert find_date("周日开展", today=tuesday, happened=True) == date(2026, 11, 22)
    assert find_date("这周日开展", today=tuesday, happened=True) == date(2026, 11, 29)
    assert find_date("周一开展", today=tuesday, happened=True) == date(2026, 11, 23)
    done = parse_report("星期六我们村开展了主题党日，实到20人", today=tuesday)
    assert done.date == date(2026, 11, 21) and not done.plan
    assert parse_report("星期六开展主题党日，请准时参加", today=tuesday).plan


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11-09 主题党日", date(2026, 11, 9)),
        ("每人捐款3-5元", None),
        ("3-5人一组", None),
        ("11.16 万福村 党小组会", date(2026, 11, 16)),
        ("筹集资金1.5 万元", None),
    ],
)
def test_dates_with_a_hyphen_or_a_point(text: str, expected: date | None) -> None:
    assert find_date(text, today=date(2026, 11, 24)) == expected


@pytest.mark.parametrize(
    ("text", "plan"),
    [
        ("下个月组织党员开展冬季义务劳动", True),
        ("过几天开个支委会", True),
        ("年底前要开一次组织生活会", True),
        ("下周去敬老院", True),
        ("准备下个礼拜开个党课", True),
        ("上周开了支委会，研究下个月的主题党日，支委5人出席", False),
    ],
)
def test_a_time_still_to_come_without_a_day_is_a_plan(text: str, plan: bool) -> None:
    assert parse_report(text, today=date(2026, 11, 24)).plan is plan


def test_kinds_named_by_what_was_done() -> None:
    assert find_types("组织党员去养老院打扫卫生")[0] == "志愿服务"
    assert find_types("组织党员义务理发")[0] == "志愿服务"
    assert find_types("第三党小组开会学习")[0] == "党小组会"
    assert find_types("组织全体党员学习了全会精神")[0] == "集中学习"
    assert find_types("义务教育政策宣讲")[0] is None


def test_registered_villages_are_found_without_their_cun() -> None:
    known = {"马家庄村", "张家村", "李家村", "新村"}
    assert find_village("我们马家庄开的党员大会", known=known) == "马家庄村"
    assert find_village("我是张家村第一书记，帮扶的李家村开展主题党日", known=known) == "李家村"
    assert find_village("张家口来的客人", known=known) is None  # 张家 is too short a name


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        ("元旦前一天我们村开了党员大会", date(2027, 1, 6), date(2026, 12, 31)),
        ("元旦前一天我们村开了党员大会", date(2026, 12, 31), date(2026, 12, 31)),
        ("国庆节那天开展主题党日", date(2026, 11, 24), date(2026, 10, 1)),
        ("植树节，桂花村组织义务植树", date(2026, 3, 20), date(2026, 3, 12)),
        ("元旦慰问于昨天开展", date(2027, 1, 6), date(2027, 1, 5)),  # the holiday names a kind
        ("国庆期间组织党员值班", date(2026, 10, 9), None),
    ],
)
def test_a_day_named_by_its_holiday(text: str, today: date, expected: date | None) -> None:
    assert find_date(text, today=today) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("支委三个人一个没少", (3, 3)),
        ("党员12人一个不少", (12, 12)),
        ("共有党员7人 到6人", (7, 6)),  # 到 right before the count: those who came
        ("应到7人 到6人", (7, 6)),
        ("党员10人到，2人请假", (12, 10)),  # 党员10人到 still reads as 10 came
        ("全支部20名党员除3名外出务工的都来了", (20, 17)),
        ("共有党员15人，除了2个生病的其余都参加了", (15, 13)),
        ("党员志愿者9人为群众义诊", (None, 9)),
        ("群众志愿者30人参加", (None, None)),
        ("4人外出务工，实到22人", (26, 22)),
    ],
)
def test_attendance_said_as_everyone_or_everyone_but(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert find_attendance(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("26日下午开了党小组会", date(2026, 11, 26)),
        ("2日上午开了支委会", date(2026, 12, 2)),
        ("请于10日前报送", None),  # a deadline, not a day
        ("前儿个开了支委会", date(2026, 11, 30)),
        ("昨儿个开了党员大会", date(2026, 12, 1)),
        ("今儿开展主题党日", date(2026, 12, 2)),
        ("明儿个开党员大会", date(2026, 12, 3)),
    ],
)
def test_a_day_of_the_month_alone_and_spoken_days(text: str, expected: date | None) -> None:
    assert find_date(text, today=date(2026, 12, 2)) == expected


def test_helping_named_households_is_service_and_an_agency_is_no_village() -> None:
    assert find_types("组织党员给五保户修房顶")[0] == "志愿服务"
    assert find_types("为独居老人送去棉被")[0] == "志愿服务"
    text = "我是县农业农村局派驻杉木村的第一书记，今天给党员上了党课"
    assert find_village(text) == "杉木村"
    assert find_village("县农村信用社来村里宣讲") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7名支委中到会6名", (7, 6)),
        ("参加学习的党员一共19名", (None, 19)),  # 一共 is no count of one
        ("参会党员总共8人", (None, 8)),
        ("党员12人，群众30余人参加", (None, 12)),  # the closing verb is the members' too
        ("党员9人和村民20人参与", (None, 9)),
    ],
)
def test_attendance_with_the_verb_elsewhere(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert find_attendance(text) == expected


def test_an_evening_before_a_name_and_a_committee_that_meets() -> None:
    assert find_village("昨晚黄泥村支委开会") == "黄泥村"
    assert find_village("当天石门村开展主题党日") == "石门村"
    assert find_types("昨晚支委开会研究低保评定")[0] == "支部委员会"


def test_an_a_not_a_question_is_no_report_and_起来了_is_no_count() -> None:
    from bot.reports.parsing import looks_like_report

    today = date(2026, 12, 2)
    questions = (
        "昨天党员大会表决的事算不算数",
        "支委会上吵起来了三个人，这个决议还作不作数",
        # asked without a question mark: which steps, why, how
        "秋季发展党员支部大会 一般分哪几步走",
        "上周主题党日为啥要党员签到",
        "下个月志愿服务活动咋记台账",
    )
    for question in questions:
        assert not looks_like_report(question, parse_report(question, today=today))
    assert find_attendance("大家讨论起来了两个小时") == (None, None)
    assert find_attendance("党员都来了19") == (None, 19)
