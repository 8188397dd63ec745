"""The 三会一课 question through Conversation.handle, so every channel has it: routed before the
ledger questions and policy Q&A, answered in private, the rules file read from the service."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.conversation.turns import Text, Who
from bot.db.models import Report
from bot.people.accounts import AccountService, Role
from bot.reports.service import ReportService
from tests.support.core_harness import conversation_over

NOW = datetime(2026, 12, 6, 2, tzinfo=UTC)


def test_a_secretary_and_staff_ask_in_chat(make_kb, tmp_path: Path) -> None:
    kbase = make_kb()
    clock = lambda: NOW  # noqa: E731
    accounts = AccountService(session_factory=kbase.sessions, clock=clock)
    accounts.add("zhang", Role.SECRETARY, channel="test", township="城关镇", village="张家村")
    accounts.add("li", Role.SECRETARY, channel="test", township="城关镇", village="李庄村")
    accounts.add("staff", Role.STAFF, channel="test", township="城关镇")
    with kbase.sessions() as session, session.begin():
        session.add(
            Report(
                draft_id=1,
                reporter_id=1,
                village="张家村",
                township="城关镇",
                activity_date=date(2026, 12, 1),
                type="主题党日",
                tags='["支部党员大会"]',
                summary="主题党日暨党员大会",
                created_at=NOW,
                updated_at=NOW,
            )
        )
    reports = ReportService(
        session_factory=kbase.sessions, clock=clock, timezone=ZoneInfo("Asia/Shanghai")
    )
    core = conversation_over(
        kbase, clock=clock, accounts=accounts, reports=reports, media_dir=tmp_path / "media"
    )

    def ask(who: str, text: str, *, private: bool = True) -> list[str]:
        replies = core.handle(Who("test", who, chat=who if private else "group"), Text(text))
        assert all(not r.buttons for r in replies), "a policy answer, not the status"
        return [r.text for r in replies]

    (mine,) = ask("zhang", "这个月三会一课还差啥")
    assert "√ 主题党日" in mine and "√ 支部党员大会" in mine and "○ 支部委员会" in mine
    (lesson,) = ask("li", "这个季度党课上了没")
    assert "城关镇李庄村" in lesson and "○ 党课" in lesson and "张家村" not in lesson
    (table,) = ask("staff", "这个月三会一课完成情况")
    assert "城关镇张家村：已开展 主题党日" in table and "城关镇李庄村：已开展 —" in table
    in_group = core.handle(Who("test", "li", chat="group", private=False), Text("三会一课还差啥？"))
    assert in_group[0].private and "李庄村" in in_group[0].text and not in_group[1].private
