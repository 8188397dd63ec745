"""三会一课 status: periods (month, quarter and year ends, a record on the last day), exemptions,
one meeting counted once, a correction moving a record, the staff table's scope, the rules
file's bad lines, the chat route and the CLI's JSON lines."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.db.models import Report
from bot.orglife.asking import answer_orglife, read_orglife_question
from bot.orglife.rules import (
    DEFAULT_RULES,
    RULES_FILE_NAME,
    Every,
    RulesFileError,
    load_rules,
    parse_frequency,
    parse_rules,
)
from bot.orglife.status import OrgLifeService, period_of
from bot.people.accounts import AccountService, Member, Role
from bot.reports.service import ReportService

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 6, 2, tzinfo=UTC)  # 10:00 in Shanghai
CG, HK = "城关镇", "河口镇"
SHIPPED = Path(__file__).resolve().parents[1] / "knowledge" / RULES_FILE_NAME


class World:
    def __init__(self, tmp_path: Path) -> None:
        engine = make_engine(f"sqlite:///{tmp_path / 'o.db'}")
        upgrade_schema(engine)
        self.sessions = make_session_factory(engine)
        self.now = NOW
        clock = lambda: self.now  # noqa: E731
        self.accounts = AccountService(session_factory=self.sessions, clock=clock)
        self.people = {
            "zhang": self.accounts.add(
                1, Role.SECRETARY, channel="telegram", township=CG, village="张家村"
            ),
            "li": self.accounts.add(
                2, Role.SECRETARY, channel="telegram", township=CG, village="李庄村"
            ),
            "fenglin": self.accounts.add(
                3, Role.SECRETARY, channel="telegram", township=HK, village="枫林村"
            ),
            "cg-staff": self.accounts.add(4, Role.STAFF, channel="telegram", township=CG),
            "county": self.accounts.add(5, Role.STAFF, channel="telegram"),
        }
        self.reports = ReportService(session_factory=self.sessions, clock=clock, timezone=SHANGHAI)
        self.rules_path = tmp_path / RULES_FILE_NAME
        self.service = OrgLifeService(
            session_factory=self.sessions,
            today=self.reports.today,
            rules_path=self.rules_path,
        )
        self._drafts = 0

    def log(self, village: str, day: date, kind: str, *, tags: tuple[str, ...] = ()) -> int:
        township = HK if village == "枫林村" else CG
        self._drafts += 1
        with self.sessions() as session, session.begin():
            report = Report(
                draft_id=self._drafts,
                reporter_id=self.people["li" if village == "李庄村" else "zhang"].id,
                village=village,
                township=township,
                activity_date=day,
                type=kind,
                tags=json.dumps(list(tags), ensure_ascii=False),
                summary=f"{village}{kind}",
                created_at=self.now,
                updated_at=self.now,
            )
            session.add(report)
            session.flush()
            return report.id

    def status(self, who: str, month: date) -> dict[str, tuple[list[str], list[str]]]:
        found = self.service.status(self.people[who], month=month)
        return {s.village: (s.done, s.due) for s in found}


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def test_the_shipped_file_is_the_defaults() -> None:
    assert load_rules(SHIPPED) == DEFAULT_RULES
    assert load_rules(None) == DEFAULT_RULES
    assert [r.frequency() for r in DEFAULT_RULES.rules][:4] == [
        "每月1次",
        "每月1次",
        "每月1次",
        "每季度至少1次",
    ]
    assert parse_frequency("每季度至少 2 次") == (Every.QUARTER, 2)
    assert parse_frequency("每年一次") == (Every.YEAR, 1)
    assert parse_frequency("经常") is None


def test_bad_lines_are_named_and_the_rules_in_force_stay(world: World) -> None:
    bad = (
        "规则:\n"
        "  - 活动: 主题党日\n"
        "    要求: 每月1次\n"
        "  - 活动: 三会\n"  # line 4: no such kind
        "    要求: 每月1次\n"
        "  - 活动: 党课\n"
        "    要求: 隔三差五\n"  # line 7: no frequency
    )
    with pytest.raises(RulesFileError) as raised:
        parse_rules(bad)
    assert raised.value.problems == [
        "三会一课规则文件第4行：不认识的活动类型“三会”。",
        "三会一课规则文件第7行：看不懂要求“隔三差五”，请写成 每月1次、每季度至少1次、每年至少1次。",
    ]
    with pytest.raises(RulesFileError) as not_yaml:
        parse_rules("规则:\n  - 活动: [主题党日\n")
    assert "第" in not_yaml.value.problems[0]
    # a good file applies; a bad edit afterwards keeps it
    good = "规则:\n  - 活动: 党课\n    要求: 每季度至少2次\n"
    world.rules_path.write_text(good, encoding="utf-8")
    assert [r.kind for r in world.service.rules().rules] == ["党课"]
    world.rules_path.write_text(bad, encoding="utf-8")
    import os

    os.utime(world.rules_path, (1, 1))  # a new mtime whatever the file system's resolution
    assert [r.kind for r in world.service.rules().rules] == ["党课"]


def test_period_boundaries_and_a_record_on_the_last_day(world: World) -> None:
    assert period_of(Every.QUARTER, date(2026, 12, 1)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_of(Every.YEAR, date(2026, 2, 1)) == (date(2026, 1, 1), date(2026, 12, 31))
    world.log("张家村", date(2026, 1, 31), "主题党日")  # a month's last day
    world.log("张家村", date(2026, 3, 31), "支部党员大会")  # a quarter's last day
    world.log("张家村", date(2025, 12, 31), "组织生活会")  # last year's last day
    world.log("张家村", date(2026, 4, 1), "党课")  # the next quarter's first day
    january = world.status("zhang", date(2026, 1, 1))["张家村"]
    assert "主题党日" in january[0] and "支部党员大会" in january[0]
    assert "党课" in january[1] and "组织生活会" in january[1]
    february = world.status("zhang", date(2026, 2, 1))["张家村"]
    assert "主题党日" in february[1] and "支部党员大会" in february[0]
    april = world.status("zhang", date(2026, 4, 1))["张家村"]
    assert "支部党员大会" in april[1] and "党课" in april[0]
    december_2025 = world.status("zhang", date(2025, 12, 1))["张家村"]
    assert "组织生活会" in december_2025[0]


def test_one_meeting_counts_for_every_rule_it_met_and_once(world: World) -> None:
    world.log("张家村", date(2026, 12, 2), "主题党日", tags=("支部党员大会",))
    world.log("张家村", date(2026, 12, 2), "主题党日")  # the same meeting logged twice
    world.rules_path.write_text(
        "规则:\n  - 活动: 主题党日\n    要求: 每月2次\n  - 活动: 支部党员大会\n"
        "    要求: 每季度至少1次\n    计入: [支部党员大会]\n",
        encoding="utf-8",
    )
    done, due = world.status("zhang", date(2026, 12, 1))["张家村"]
    assert done == ["支部党员大会"] and due == ["主题党日"]
    item = world.service.status(world.people["zhang"], month=date(2026, 12, 1))[0].items[0]
    assert len(item.held) == 1 and item.missing == 1
    assert item.days_left == 26  # 6 December to 31 December, today included


def test_exempt_branches_are_not_asked(world: World) -> None:
    world.rules_path.write_text(
        SHIPPED.read_text(encoding="utf-8").replace(
            "党小组会: []", "党小组会: [城关镇/张家村, 枫林村]"
        ),
        encoding="utf-8",
    )
    month = date(2026, 12, 1)
    assert "党小组会" not in world.status("zhang", month)["张家村"][1]
    assert "党小组会" in world.status("li", month)["李庄村"][1]
    assert "党小组会" not in world.status("fenglin", month)["枫林村"][1]


def test_a_correction_moving_a_record_updates_the_status(world: World) -> None:
    report_id = world.log("张家村", date(2026, 11, 30), "支部委员会")
    assert "支部委员会" in world.status("zhang", date(2026, 11, 1))["张家村"][0]
    assert "支部委员会" in world.status("zhang", date(2026, 12, 1))["张家村"][1]
    moved = world.reports.correct_own(world.people["zhang"].id, report_id, "date", "12月1日")
    assert moved is not None
    assert "支部委员会" in world.status("zhang", date(2026, 11, 1))["张家村"][1]
    assert "支部委员会" in world.status("zhang", date(2026, 12, 1))["张家村"][0]


def test_each_role_sees_its_scope_and_no_ranking(world: World) -> None:
    world.log("李庄村", date(2026, 12, 1), "主题党日")
    world.log("枫林村", date(2026, 12, 1), "主题党日")
    month = date(2026, 12, 1)
    assert set(world.status("zhang", month)) == {"张家村"}
    assert set(world.status("cg-staff", month)) == {"张家村", "李庄村"}
    assert set(world.status("county", month)) == {"张家村", "李庄村", "枫林村"}

    def answer(who: str, text: str) -> str:
        question = read_orglife_question(text, rules=DEFAULT_RULES, today=world.reports.today())
        assert question is not None, text
        return answer_orglife(world.service, world.people[who], question, text)

    mine = answer("li", "这个月三会一课还差啥")
    assert "√ 主题党日" in mine and "○ 支部委员会" in mine and "还剩26天" in mine
    assert "张家村" not in mine
    lesson = answer("zhang", "这个季度党课上了没")
    assert "党课" in lesson and "主题党日" not in lesson
    table = answer("cg-staff", "这个月各支部三会一课完成情况")
    assert "城关镇李庄村：已开展 主题党日" in table and "枫林村" not in table
    county = answer("county", "这个月三会一课完成情况")
    assert "城关镇：2个支部，2个还有待开展事项" in county and "河口镇：1个支部" in county
    assert "李庄村" not in county
    assert "枫林村" in answer("county", "河口镇这个月三会一课完成情况")
    assert answer("cg-staff", "河口镇这个月三会一课完成情况") == "不在您的查看范围。"


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("这个月三会一课还差啥", True),
        ("这个季度党课上了没", True),
        ("本月主题党日开了没有", True),
        ("三会一课是什么", False),
        ("上个月哪些村开了主题党日？", False),
        ("我们村这个月的主题党日登记上了没", False),  # whether it is in the ledger
        ("主题党日多久开展一次？", False),
    ],
)
def test_which_texts_ask_for_the_status(text: str, asked: bool) -> None:
    found = read_orglife_question(text, rules=DEFAULT_RULES, today=date(2026, 12, 6))
    assert (found is not None) is asked


def test_the_cli_prints_one_json_line_per_branch(
    env_settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main
    from bot.settings import Settings

    engine = make_engine(Settings().sqlalchemy_url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    accounts = AccountService(session_factory=sessions, clock=lambda: NOW)
    accounts.add(1, Role.SECRETARY, channel="telegram", township=CG, village="张家村")
    accounts.add(2, Role.SECRETARY, channel="telegram", township=HK, village="枫林村")
    with sessions() as session, session.begin():
        session.add(
            Report(
                draft_id=1,
                reporter_id=1,
                village="张家村",
                township=CG,
                activity_date=date(2026, 11, 30),
                type="党课",
                summary="党课",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    assert main(["orglife", "status", "--month", "2026-11", "--township", CG, "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 1
    assert lines[0]["village"] == "张家村" and lines[0]["period"] == "2026-11"
    assert "党课" in lines[0]["done"] and "支部党员大会" in lines[0]["due"]
    assert main(["orglife", "status", "--month", "十三月", "--json"]) == 2


def test_a_member_outside_every_scope_sees_nothing(world: World) -> None:
    nobody = Member(9, "访客", Role.SECRETARY, village=None, township=None, reachable=True)
    assert world.service.status(nobody, month=date(2026, 12, 1)) == []


def test_doctor_names_the_bad_line(tmp_path: Path) -> None:
    from bot.cli.doctor import _orglife_rules_lines
    from bot.settings import Settings

    folder = tmp_path / "knowledge"
    folder.mkdir()
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", knowledge_dir=folder)  # type: ignore[call-arg]
    shown: list[tuple[str, object]] = []
    assert _orglife_rules_lines(settings, lambda label, value: shown.append((label, value))) == []
    assert "默认规则" in str(shown[-1][1])
    (folder / RULES_FILE_NAME).write_text(
        "规则:\n  - 活动: 党课\n    要求: 常开\n", encoding="utf-8"
    )
    problems = _orglife_rules_lines(settings, lambda label, value: shown.append((label, value)))
    assert problems == [
        "三会一课规则文件第3行：看不懂要求“常开”，请写成 每月1次、每季度至少1次、每年至少1次。"
    ]
