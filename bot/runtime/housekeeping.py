"""Pruning what the bot no longer needs, without ever letting it send anything twice.

A processed-update id guards against Telegram redelivering an update, which it does for at
most a day; a reminder outbox row and its slot guard against planning a month's reminder again,
which the planner only does for last month, this month and next; a broadcast's delivery rows
matter while it is sending. So: updates older than the retention go; outbox rows and slots go
only once their month is out of the planner's window *and* older than the retention; delivery
rows only of finished broadcasts; remembered answers (查看原文, 👍/👎) after the retention;
photos still waiting for their sentence after a day; link codes expired over the retention
ago; buttons offered over the retention ago; then the kept photo files no row names any more
(waited in vain, or on a card cancelled or expired), once a day old.
Running it twice, or in two processes at once, is harmless.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from bot.db import housekeeping as db
from bot.db.answers import delete_answers_before
from bot.db.links import delete_link_codes
from bot.db.logins import delete_login_leftovers
from bot.db.offered_buttons import delete_offered_buttons
from bot.db.orglife_reminders import delete_plans
from bot.db.photos import list_named_photo_paths
from bot.db.reports import delete_waiting_photos
from bot.partyday.rules import month_key, shift_month
from bot.people.invites import GUESS_WINDOW

MIN_RETENTION = timedelta(days=7)
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class PruneResult:
    updates: int
    reminders: int
    slots: int
    deliveries: int
    drafts: int
    invite_attempts: int
    answers: int = 0
    waiting_photos: int = 0
    login_leftovers: int = 0
    orphan_photos: int = 0
    orglife_plans: int = 0
    link_codes: int = 0
    offered_buttons: int = 0


def prune(
    *,
    session_factory: sessionmaker[Session],
    clock: Callable[[], datetime],
    retention: timedelta,
    timezone: tzinfo,
    media_dir: Path | None = None,
) -> PruneResult:
    retention = max(retention, MIN_RETENTION)
    now = clock()
    before = now - retention
    local = now.astimezone(timezone)
    # the planner looks at last month, this month and next: older months are settled
    settled_before = month_key(*shift_month(local.year, local.month, -1))
    with session_factory() as session, session.begin():
        result = PruneResult(
            updates=db.delete_processed_updates(session=session, before=before),
            reminders=db.delete_finished_reminders(
                session=session, before=before, months_before=settled_before
            ),
            slots=db.delete_planned_slots(
                session=session, before=before, months_before=settled_before
            ),
            deliveries=db.delete_finished_deliveries(session=session, before=before),
            drafts=db.delete_closed_drafts(session=session, before=before),
            invite_attempts=db.delete_invite_attempts(session=session, before=now - GUESS_WINDOW),
            answers=delete_answers_before(session=session, before=before),
            # a photo whose sentence never came within a day is not waiting any more
            waiting_photos=delete_waiting_photos(session=session, before=now - ONE_DAY),
            login_leftovers=delete_login_leftovers(
                session=session, attempts_before=now - ONE_DAY, now=now
            ),
            orglife_plans=delete_plans(
                session=session, before=before, months_before=settled_before
            ),
            # kept a while after they expire, so a late one is told it expired
            link_codes=delete_link_codes(session=session, before=before),
            offered_buttons=delete_offered_buttons(session=session, before=before),
        )
    if media_dir is None:
        return result
    orphans = sweep_orphan_photos(session_factory=session_factory, media_dir=media_dir, now=now)
    return PruneResult(**{**vars(result), "orphan_photos": orphans})


def sweep_orphan_photos(
    *, session_factory: sessionmaker[Session], media_dir: Path, now: datetime
) -> int:
    """Removes kept photo files that no row names and that were last kept over a day ago (a
    photo being kept right now is younger: keeping touches the file before its row exists)."""
    folder = media_dir / "photos"
    if not folder.is_dir():
        return 0
    with session_factory() as session:
        named = {os.path.realpath(p) for p in list_named_photo_paths(session=session)}
    cutoff = (now - ONE_DAY).timestamp()
    removed = 0
    for path in folder.glob("*/*"):
        if not path.is_file() or path.is_symlink() or os.path.realpath(path) in named:
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # another sweep took it
            continue
    return removed
