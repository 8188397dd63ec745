"""Two activities in one message become two cards, offered one after another through the
conversation core (so every channel has them); an announcement at the end is not logged."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import messages
from bot.conversation.turns import Press, Text
from tests.test_conversation_core import REGULATION, SECRETARY, World, action, only


@pytest.fixture
def ledger(make_kb, knowledge_dir: Path, tmp_path: Path) -> World:
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    return World(kbase, tmp_path)


TWO = (
    "11月20日上午召开支委会，5名支委全部参加，研究冬季防火；当天下午接着召开党员大会，"
    "应到党员40人，实到36人。明天上午组织党员志愿者给五保户送温暖。"
)


def _secretary_rows(ledger: World):
    return ledger.reports.recent(ledger.accounts.user_id_at("test", "sec") or 0)


def test_two_activities_two_cards_one_after_another(ledger: World) -> None:
    first = only(ledger.core().handle(SECRETARY, Text(TWO)))
    assert "支部委员会" in first.text and "应到：5" in first.text
    assert messages.REPORT_MORE_ACTIVITIES.format(count=1) in first.text
    saved, second = ledger.core().handle(SECRETARY, Press(action(first, ":ok:")))
    assert "已记入台账" in saved.text
    assert "支部党员大会" in second.text and "应到：40" in second.text
    assert "日期：2026-11-20" in second.text and "还有" not in second.text
    again = ledger.core().handle(SECRETARY, Press(action(first, ":ok:")))  # a double tap
    assert len(again) == 1 and "不会重复保存" in again[0].text  # offers no third card
    only(ledger.core().handle(SECRETARY, Press(action(second, ":ok:"))))
    rows = _secretary_rows(ledger)
    assert sorted((r.type, r.expected, r.attended) for r in rows) == [
        ("支部党员大会", 40, 36),
        ("支部委员会", 5, 5),
    ]  # and the announced service is not logged


def test_the_next_card_also_after_a_cancel(ledger: World) -> None:
    first = only(ledger.core().handle(SECRETARY, Text(TWO)))
    cancelled, second = ledger.core().handle(SECRETARY, Press(action(first, ":no:")))
    assert cancelled.text == messages.REPORT_CANCELLED and "支部党员大会" in second.text
    only(ledger.core().handle(SECRETARY, Press(action(second, ":ok:"))))
    assert [r.type for r in _secretary_rows(ledger)] == ["支部党员大会"]


def test_a_report_ending_with_tomorrows_plan_logs_what_happened(ledger: World) -> None:
    card = only(
        ledger.core().handle(
            SECRETARY,
            Text(
                "今天上午开了支委会，5个支委都在。下午两点接着开党员大会，大家准时到村部，不要迟到"
            ),
        )
    )
    assert "支部委员会" in card.text and "日期：2026-11-24" in card.text
    assert "还有" not in card.text
    only(ledger.core().handle(SECRETARY, Press(action(card, ":ok:"))))
    assert [r.type for r in _secretary_rows(ledger)] == ["支部委员会"]
