from __future__ import annotations

import io
from pathlib import Path

from bot.channels.terminal import run_chat

REGULATION = "# 村务管理办法\n\n第一条　村务公开每季度一次。\n\n第二条　村民会议每年召开两次。\n\n第三条　本办法自公布之日起施行。\n"


def _conversation(kbase, clock=None, accounts=None, reports=None, tmp_path: Path | None = None):
    from datetime import UTC, datetime

    from bot.people.accounts import AccountService
    from bot.reports.service import ReportService
    from tests.support.core_harness import conversation_over

    clock = clock or (lambda: datetime.now(UTC))
    accounts = accounts or AccountService(session_factory=kbase.sessions, clock=clock)
    reports = reports or ReportService(session_factory=kbase.sessions, clock=clock, timezone=UTC)
    media_dir = (tmp_path or Path("/nonexistent")) / "media"
    return conversation_over(
        kbase, clock=clock, accounts=accounts, reports=reports, media_dir=media_dir
    )


def test_chat_at_the_console_answers_and_shows_the_source(make_kb, knowledge_dir: Path) -> None:
    """The person at the server's console needs no registration; 查看原文 is typed."""
    (knowledge_dir / "办法.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    stdin = io.StringIO("/help\n村务管理办法第二条\n查看原文\n有用\n/quit\n没读到这里\n")
    stdout = io.StringIO()
    run_chat(_conversation(kbase), stdin=stdin, stdout=stdout, interactive=False)
    out = stdout.getvalue()
    assert "/quit 退出" in out
    assert "《村务管理办法》第二条原文如下" in out
    assert "[查看原文] [有用] [没用]" in out
    assert out.count("第二条　村民会议每年召开两次。") == 2  # the answer, then 查看原文
    assert "谢谢反馈" in out
    assert "没读到这里" not in out and out.rstrip().endswith("再见。")


def test_chat_as_a_secretary_logs_a_report_and_asks_the_ledger(
    make_kb, knowledge_dir: Path, tmp_path: Path
) -> None:
    """The terminal goes through the same conversation as Telegram: a report gets the card,
    a missing date is asked (a question in between is answered), 确认 stores it, a plan is
    not logged, the ledger answers within the user's branch, /myreports lists their own."""
    from datetime import UTC, datetime

    from bot.conversation.turns import Who
    from bot.people.accounts import AccountService, Role
    from bot.reports.service import ReportService

    (knowledge_dir / "办法.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    clock = lambda: datetime(2026, 11, 24, 2, tzinfo=UTC)  # noqa: E731
    accounts = AccountService(session_factory=kbase.sessions, clock=clock)
    reports = ReportService(session_factory=kbase.sessions, clock=clock, timezone=UTC)
    member = accounts.add(
        "zhang",
        Role.SECRETARY,
        channel="terminal",
        name="张书记",
        village="张家村",
        township="城关镇",
    )
    other = accounts.add(7, Role.SECRETARY, channel="telegram", village="张家村", township="河口镇")
    reports.confirm(reports.start_draft(other, "11月3日张家村开展主题党日，实到9人").id, other)
    lines = [
        "召开支部委员会，研究发展党员工作，实到5人",
        "村务公开多久一次？",
        "11月20日",
        "确认",
        "我们村下周二搞主题党日",
        "今年开了几次支部委员会？",
        "/myreports",
        "/help",
        "/quit",
    ]
    stdout = io.StringIO()
    run_chat(
        _conversation(kbase, clock, accounts, reports, tmp_path),
        stdin=io.StringIO("\n".join(lines) + "\n"),
        stdout=stdout,
        interactive=False,
        who=Who("terminal", "zhang", chat="terminal"),
        name="张书记",
    )
    out = stdout.getvalue()
    assert "以“张书记”的身份" in out
    assert "还缺日期" in out
    assert "村务公开每季度一次" in out  # the question escaped the pending date
    assert "日期：2026-11-20" in out and "已记入台账" in out
    assert "不会记入台账" in out
    assert "共有 1 条支部委员会记录" in out
    (row,) = reports.query(member)
    assert (row.township, row.village, row.type) == ("城关镇", "张家村", "支部委员会")
    assert f"第{row.id}号 2026-11-20 支部委员会" in out  # /myreports
    assert "/myreports" in out.split("/help")[-1]  # the terminal has the commands too
