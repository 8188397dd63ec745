"""Pruning old rows never makes anything go out twice, and leaves what still guards."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from bot.db.models import ProcessedUpdate, ReminderMessage, ReminderSlot
from bot.runtime.housekeeping import prune
from tests.support.partyday_setup import SHANGHAI, RecordingSender, local, make_county


def _count(sessions, model) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_pruning_every_day_sends_each_reminder_once(sessions, tmp_path) -> None:
    county = make_county(sessions, tmp_path)
    sender = RecordingSender(county.clock)

    def prune_now():
        return prune(
            session_factory=sessions,
            clock=county.clock,
            retention=timedelta(days=1),  # raised to the 7-day floor
            timezone=SHANGHAI,
        )

    for now in county.walk(
        sender, local("2023-07-01 00:00"), local("2023-09-20 00:00"), timedelta(hours=6)
    ):
        if now.hour == 0:
            prune_now()
    per_person = Counter((tid, text.split("】")[0]) for tid, text, _ in sender.sent)
    assert max(per_person.values()) == 3  # three months: one of each kind a month, never two
    with sessions() as session:
        months = set(session.scalars(select(ReminderMessage.month)))
        slots = set(session.scalars(select(ReminderSlot.key)))
    # July is out of the planner's window and older than the retention: gone; August stays
    assert "2023-07" not in months and "2023-08" in months
    assert not any(key.startswith("2023-07/") for key in slots)
    sent_before = len(sender.sent)
    county.tick(sender)
    assert len(sender.sent) == sent_before


def test_processed_updates_go_after_the_retention_only(sessions, tmp_path) -> None:
    county = make_county(sessions, tmp_path)
    accounts = county.accounts
    assert accounts.claim_update(1, channel="telegram")
    county.clock.now += timedelta(days=3)
    assert accounts.claim_update(2, channel="telegram")
    result = prune(
        session_factory=sessions, clock=county.clock, retention=timedelta(days=2), timezone=SHANGHAI
    )
    assert result.updates == 0  # the 7-day floor: Telegram redelivers for a day at most
    county.clock.now += timedelta(days=5)
    result = prune(
        session_factory=sessions, clock=county.clock, retention=timedelta(days=7), timezone=SHANGHAI
    )
    assert result.updates == 1 and _count(sessions, ProcessedUpdate) == 1
    assert not accounts.claim_update(2, channel="telegram")  # the recent one still guards
