"""三会一课 reminders: N days before a period (month, quarter, year) ends, one private message
to each secretary of a branch that still has something due by then, listing only that branch's
items; and, to staff who opted in, one summary (numbers for their own scope) on the last working
day of the month.

They travel through the Party-day outbox (reminder_outbox, kinds "orglife" and
"orglife_summary"), so they share its claim, hand-off and record, its mutes, quiet hours and
grace period: each is sent at most once across restarts and workers. Planning a period is one
transaction that first claims the period's slot in reminder_slots (a second process blocks there,
then finds it taken; a restarted one finds it at once). Each branch reminded gets a row in
orglife_reminder_plans (unique per branch, period and rule set) and each message a key unique per
period and recipient: a rules edit mid-period (a new rule set, so a new slot) reaches only the
branches that had nothing due before, never anyone twice.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.db import orglife_reminders as plans_db
from bot.db import reminders as outbox_db
from bot.db.inserts import insert_ignoring_duplicates
from bot.db.models import ReminderMessage
from bot.ledger_query.periods import month_end
from bot.orglife import messages
from bot.orglife.reminder_texts import reminder_text, summary_text
from bot.orglife.rules import Rules
from bot.orglife.status import BranchStatus, OrgLifeService
from bot.partyday.planner import STAFF_ROLES
from bot.partyday.policy import ReminderKind, ReminderPolicy
from bot.partyday.reminders import ReminderService, Sender, TickResult
from bot.partyday.workdays import WorkdayCalendar
from bot.people.accounts import AccountService, Member, Role
from bot.people.scope import scope_of

REMIND_AT = time(9, 0)
SUMMARY_AT = time(9, 30)


def rule_set(rules: Rules) -> str:
    """A short digest of the rules in force: part of a plan's key."""
    described = repr(
        (
            [(r.kind, r.every.value, r.times, sorted(r.counts)) for r in rules.rules],
            sorted((k, sorted(v)) for k, v in rules.exempt.items()),
        )
    )
    return hashlib.sha1(described.encode("utf-8")).hexdigest()[:12]


class OrgLifeReminders:
    """A source for the outbox loop: `tick` has ReminderService.tick's signature and result."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        accounts: AccountService,
        orglife: OrgLifeService,
        outbox: ReminderService,
        days: int,
        clock: Callable[[], datetime],
        workdays: WorkdayCalendar | None = None,
    ) -> None:
        self._sessions = session_factory
        self._accounts = accounts
        self._orglife = orglife
        self._outbox = outbox
        self.days = days  # 0: no reminders (the staff summary still goes to those who asked)
        self._clock = clock
        self._workdays = workdays or WorkdayCalendar()

    @property
    def policy(self) -> ReminderPolicy:
        return self._outbox.policy

    async def tick(
        self,
        send: Sender,
        *,
        should_stop: Callable[[], bool] = lambda: False,
        channel: str,
    ) -> TickResult:
        planned = await asyncio.to_thread(self.plan_due)
        result = await self._outbox.deliver_due(send, should_stop=should_stop, channel=channel)
        result.planned = planned
        return result

    # -- when -------------------------------------------------------------------------------------

    def reminder_due(self, month: date) -> datetime:
        day = month_end(month) - timedelta(days=self.days)
        return self.policy.after_quiet(datetime.combine(day, REMIND_AT, self.policy.timezone))

    def summary_due(self, month: date) -> datetime:
        day = self._workdays.previous_workday(month_end(month))
        return self.policy.after_quiet(datetime.combine(day, SUMMARY_AT, self.policy.timezone))

    # -- planning ---------------------------------------------------------------------------------

    def plan_due(self) -> int:
        """Write this month's reminders and summaries once they are due; 0 when already done."""
        now = self._clock()
        month = now.astimezone(self.policy.timezone).date().replace(day=1)
        written = 0
        if self.days > 0 and now >= self.reminder_due(month):
            written += self._plan_reminders(month, now)
        if now >= self.summary_due(month):
            written += self._plan_summaries(month, now)
        return written

    def _planned(self, key: str, period: str) -> bool:
        with self._sessions() as session:
            return key in outbox_db.list_slot_keys(session=session, months=[period])

    def _plan_reminders(self, month: date, now: datetime) -> int:
        period = f"{month:%Y-%m}"
        rules = self._orglife.rules()
        digest = rule_set(rules)
        key = f"{period}/orglife/{digest}"
        if self._planned(key, period):
            return 0
        end = month_end(month)
        found = self._orglife.status_of(self._orglife.all_branches(), month=month)
        due = {
            (s.township, s.village): [i for i in s.items if i.end == end and not i.done]
            for s in found
        }
        due = {branch: items for branch, items in due.items() if items}
        secretaries: dict[tuple[str, str], list[Member]] = defaultdict(list)
        for member in self._accounts.members(role=Role.SECRETARY):
            if member.village:
                secretaries[(member.township or "", member.village)].append(member)
        due_at = self.reminder_due(month)
        with self._sessions() as session, session.begin():
            if not outbox_db.claim_slot(session=session, key=key, now=now):
                return 0  # another process planned it
            reminded = plans_db.list_planned_branches(session=session, period=period)
            fresh = {b: items for b, items in due.items() if b not in reminded}
            plans_db.insert_plans(
                session=session,
                rows=[
                    {
                        "township": township,
                        "village": village,
                        "period": period,
                        "rule_set": digest,
                        "due": "、".join(i.rule.kind for i in items),
                        "planned_at": now,
                    }
                    for (township, village), items in fresh.items()
                ],
            )
            rows = [
                self._row(
                    member,
                    kind=ReminderKind.ORGLIFE,
                    key=f"orglife/{period}/{member.id}",
                    period=period,
                    due_at=due_at,
                    text=reminder_text(village, items),
                )
                for (township, village), items in fresh.items()
                for member in secretaries[(township, village)]
            ]
            written = self._write(session, key, rows)
        return written

    def _plan_summaries(self, month: date, now: datetime) -> int:
        period = f"{month:%Y-%m}"
        key = f"{period}/orglife-summary"
        if self._planned(key, period):
            return 0
        with self._sessions() as session:
            opted = plans_db.list_summary_optins(session=session)
        recipients = [
            m for m in self._accounts.members() if m.id in opted and m.role in STAFF_ROLES
        ]
        found: list[BranchStatus] = []
        if recipients:
            found = self._orglife.status_of(self._orglife.all_branches(), month=month)
        due_at = self.summary_due(month)
        today = due_at.astimezone(self.policy.timezone).date()
        rows = []
        for member in recipients:
            scope = scope_of(member)
            mine = [s for s in found if scope.may_see(s.township, s.village)]
            where = messages.SUMMARY_COUNTY if scope.county else scope.township or ""
            rows.append(
                self._row(
                    member,
                    kind=ReminderKind.ORGLIFE_SUMMARY,
                    key=f"orglife-summary/{period}/{member.id}",
                    period=period,
                    due_at=due_at,
                    text=summary_text(where, mine, today=today),
                )
            )
        with self._sessions() as session, session.begin():
            if not outbox_db.claim_slot(session=session, key=key, now=now):
                return 0
            return self._write(session, key, rows)

    def _write(self, session: Session, key: str, rows: Sequence[dict[str, Any]]) -> int:
        muted = outbox_db.list_muted_kinds(session=session, user_ids=[r["user_id"] for r in rows])
        for row in rows:
            if row["status"] == "pending" and (row["user_id"], row["kind"]) in muted:
                row["status"] = "muted"
        written = insert_ignoring_duplicates(session=session, model=ReminderMessage, rows=rows)
        outbox_db.set_slot_messages(session=session, key=key, messages=written)
        return written

    def _row(
        self,
        member: Member,
        *,
        kind: ReminderKind,
        key: str,
        period: str,
        due_at: datetime,
        text: str,
    ) -> dict[str, Any]:
        reachable = member.reachable and member.channel and member.external_id
        return {
            "key": key,
            "kind": kind.value,
            "month": period,
            "user_id": member.id,
            "channel": member.channel or "",
            "external_id": member.external_id or "",
            "village": member.village,
            "township": member.township,
            "text": text,
            "due_at": due_at,
            "expires_at": due_at + self.policy.grace,
            "status": "pending" if reachable else "unreachable",
            "attempts": 0,
        }

    # -- the staff's opt-in ----------------------------------------------------------------------

    def summary_opted_in(self, user_id: int) -> bool:
        with self._sessions() as session:
            return user_id in plans_db.list_summary_optins(session=session)

    def set_summary(self, user_id: int, on: bool) -> None:
        with self._sessions() as session, session.begin():
            plans_db.set_summary_optin(session=session, user_id=user_id, on=on, now=self._clock())


def summary_optin_reply(reminders: OrgLifeReminders | None, member: Member, args: str) -> str:
    """/orglife_summary on|off: a staff member's monthly summary, switched; bare: its state."""
    if reminders is None:
        return messages.SUMMARY_UNAVAILABLE
    if member.role not in STAFF_ROLES:
        return messages.SUMMARY_STAFF_ONLY
    said = args.strip().lower()
    if said in ("on", "开", "开启", "订阅"):
        reminders.set_summary(member.id, True)
        scope = scope_of(member)
        where = messages.SUMMARY_COUNTY if scope.county else scope.township or ""
        return messages.SUMMARY_ON.format(scope=where)
    if said in ("off", "关", "关闭", "退订"):
        reminders.set_summary(member.id, False)
        return messages.SUMMARY_OFF
    on = reminders.summary_opted_in(member.id)
    state = messages.SUMMARY_STATE_ON if on else messages.SUMMARY_STATE_OFF
    return messages.SUMMARY_STATE.format(state=state)
