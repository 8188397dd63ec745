"""A simulated week of a county, scripted through the conversation core (Conversation.handle,
as every channel calls it), with every scope rule checked after each day.

    .venv/bin/python -m bench.scope_week [--embedder e5-small] [--days 7]

Two townships each have a 张家村; secretaries report (and announce plans) every day, township
and county staff and the admin ask the ledger (by month, village and type, and in free text)
and export. Every row anyone is shown is checked against the one rule in bot/people/scope.py; a row
outside the viewer's scope is a leak. Ledger questions are also asked in a group chat: every
reply with ledger rows must be marked private (sent to the asker, never the group).
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from bench.common import copy_eval_corpus, open_knowledge_base

if TYPE_CHECKING:
    from bot.db.ledger_questions import ReportFact
    from bot.people.invite_words import InviteRequest
    from bot.people.members import Member
    from bot.reports.rows import ReportRow

BRANCHES = [("城关镇", "张家村"), ("河口镇", "张家村"), ("城关镇", "李庄村"), ("河口镇", "马坪村")]
KINDS = ["主题党日", "支部委员会", "志愿服务", "党课", "党小组会"]
QUESTIONS = [
    "{month}月份哪些村开展了{kind}？",
    "张家村这个月开了几次{kind}？",
    "今年开了几次{kind}？",
    "哪些村搞过人居环境整治？",
    "最近有哪些村组织党员学习？",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--days", type=int, default=7)
    args = parser.parse_args()

    from bot.conversation.turns import Press, Text, Who
    from bot.index.embeddings import make_embeddings
    from bot.index.vectors import make_vector_store
    from bot.ledger_query.answering import answer_ledger_question
    from bot.people.accounts import AccountService, Role
    from bot.people.invite_words import read_invite_words
    from bot.people.scope import scope_of
    from bot.reports.index import COLLECTION, ReportIndex
    from bot.reports.service import ReportService
    from tests.support.core_harness import conversation_over

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "knowledge"
        folder.mkdir()
        copy_eval_corpus(folder)
        kbase = open_knowledge_base(folder, Path(tmp) / "data", make_embeddings(args.embedder))
        kbase.ingestor.ingest()
        now = [datetime(2026, 11, 2, 1, tzinfo=UTC)]
        clock = lambda: now[0]  # noqa: E731
        accounts = AccountService(session_factory=kbase.sessions, clock=clock)
        index = ReportIndex(
            vectors=make_vector_store(Path(tmp) / "data" / "chroma", COLLECTION),
            embeddings=kbase.embeddings,
        )
        reports = ReportService(
            session_factory=kbase.sessions, clock=clock, timezone=UTC, index=index
        )
        conversation = conversation_over(
            kbase,
            clock=clock,
            accounts=accounts,
            reports=reports,
            media_dir=Path(tmp) / "data" / "media",
            report_index=index,
        )

        secretaries: dict[tuple[str, str], Member] = {}
        for n, (township, village) in enumerate(BRANCHES):
            invite = accounts.invites.create_invite(
                Role.SECRETARY, **_bound(read_invite_words(["书记", township, village]))
            )
            secretaries[(township, village)] = accounts.invites.register(
                f"s{n}", invite.code, channel="terminal", name=f"{township}{village}书记"
            )
        viewers: dict[tuple[str, str] | str, Member] = {k: m for k, m in secretaries.items()}
        for key, words in (
            ("城关镇 staff", ["staff", "城关镇"]),
            ("county staff", ["工作人员", "全县"]),
        ):
            invite = accounts.invites.create_invite(Role.STAFF, **_bound(read_invite_words(words)))
            viewers[key] = accounts.invites.register(key, invite.code, channel="terminal")
        viewers["admin"] = accounts.add("admin", Role.ADMIN, channel="terminal")

        checks = leaks = plans_logged = group_leaks = 0
        for day in range(args.days):
            today = now[0].date()
            for n, member in enumerate(secretaries.values()):
                kind = KINDS[(day + n) % len(KINDS)]
                who = Who("terminal", str(member.external_id), chat=f"c{n}")
                report = f"{today.month}月{today.day}日我们村开展{kind}，组织党员清理人居环境，实到{10 + n}人"
                (card,) = conversation.handle(who, Text(report))
                confirm = next(b.action for row in card.buttons for b in row if "ok" in b.action)
                conversation.handle(who, Press(confirm))
                plan = f"我们村定于{(today + timedelta(days=3)).day}日开展主题党日活动"
                conversation.handle(who, Text(plan))
            reports.index_pending()
            for name, viewer in viewers.items():
                scope = scope_of(viewer)
                shown: list[ReportRow | ReportFact] = list(reports.query(viewer))
                for template in QUESTIONS:
                    question = template.format(month=today.month, kind=KINDS[day % len(KINDS)])
                    shown += answer_ledger_question(reports, viewer, question, index).reports
                shown += reports.rows_by_ids(viewer, index.search("主题党日", viewer, k=50))
                in_group = Who("terminal", str(viewer.external_id), chat="group", private=False)
                for reply in conversation.handle(in_group, Text("这个月哪些村开展了主题党日？")):
                    group_leaks += (
                        "台账" in reply.text and "记录" in reply.text and not reply.private
                    )
                for row in shown:
                    checks += 1
                    if not scope.may_see(row.township, row.village):
                        leaks += 1
                        print(f"LEAK: {name} saw {row.township}{row.village} #{row.id}")
            now[0] += timedelta(days=1)
        for member in secretaries.values():
            plans_logged += sum(r.activity_date > now[0].date() for r in reports.recent(member.id))
        stored = len(reports.query(viewers["admin"]))
        expected = args.days * len(BRANCHES)
        wrong_branch = sum(
            (r.township, r.village) not in BRANCHES for r in reports.query(viewers["admin"])
        )
    print(
        f"{args.days} simulated days, {len(BRANCHES)} branches (two 张家村), 2 staff + admin | "
        f"reports stored {stored}/{expected}, plans logged as done {plans_logged}, "
        f"reports on a wrong branch {wrong_branch} | rows shown and checked {checks}, "
        f"leaks {leaks}, ledger replies into a group {group_leaks}"
    )


class _Place(TypedDict):
    village: str | None
    township: str | None


def _bound(request: InviteRequest) -> _Place:
    return {"village": request.village, "township": request.township}


if __name__ == "__main__":
    main()
