"""DingTalk through the one outbox, end to end: `partybot start` with only DingTalk configured
runs the outbox in DingTalk's loop; an admin's broadcast confirmed in the DingTalk chat reaches
every member once, woken at once, with the admin's progress note in the admin's own chat; a
Party-day reminder due goes out once through the same loop."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot import messages
from bot.cli import main
from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.db.models import ReminderMessage
from bot.people.accounts import AccountService, Role
from bot.services import make_core_services, make_knowledge_base_from_settings
from bot.settings import Settings
from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET, FakeDingTalk
from tests.support.fakes import Clock, HashingEmbeddings, until
from tests.support.partyday_setup import CALENDAR_YAML, local

ADMIN = "admin4711"
MEMBERS = {
    "dt01": (Role.SECRETARY, "张家村", "城关镇"),
    "dt02": (Role.SECRETARY, "河口村", "河口镇"),
    "dt03": (Role.STAFF, None, "城关镇"),
}
TEXT = "请于周五前报送主题党日开展情况"
POLL_S = 3600  # the outbox's round interval: only a wake can start the broadcast in time


@pytest.fixture
def dingtalk_env(env_settings: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeDingTalk]:
    with FakeDingTalk() as fake:
        for name, value in {
            "DINGTALK_CLIENT_ID": CLIENT_ID,
            "DINGTALK_CLIENT_SECRET": CLIENT_SECRET,
            "DINGTALK_API_BASE_URL": fake.api_base_url,
            "DINGTALK_WEBHOOK_BASE_URL": fake.webhook_base_url,
            "REMINDER_TICK_SECONDS": str(POLL_S),
        }.items():
            monkeypatch.setenv(name, value)
        for name in ("WECOM_CORP_ID", "WECOM_SECRET", "WECOM_AIBOT_ID", "WEB_ENABLED"):
            monkeypatch.delenv(name, raising=False)
        yield fake


def add_people(accounts: AccountService) -> None:
    accounts.add(ADMIN, Role.ADMIN, channel="dingtalk", name="管理员")
    for user, (role, village, township) in MEMBERS.items():
        accounts.add(user, role, channel="dingtalk", village=village, township=township)


def texts_to(fake: FakeDingTalk, user: str) -> list[str]:
    return [sent["text"] for sent in list(fake.batch_sent) if sent["user"] == user]


def test_start_with_dingtalk_alone_sends_a_confirmed_broadcast_at_once(
    dingtalk_env: FakeDingTalk,
) -> None:
    fake = dingtalk_env
    add_people(AccountService(session_factory=_sessions(), clock=_now))
    default_term = signal.getsignal(signal.SIGTERM)
    failures: list[BaseException] = []
    took: list[float] = []

    def admin_confirms_then_stop() -> None:
        try:
            fake.wait_connected(1, timeout_s=120)  # after the knowledge folder's ingest
            fake.push(fake.message(ADMIN, text=f"/broadcast 全体 {TEXT}"))
            fake.wait_for_replies(1)
            assert any("确认发送" in str(m) for _, m in fake.replies), fake.replies
            fake.push(fake.message(ADMIN, text=messages.BROADCAST_CONFIRM))
            confirmed = time.monotonic()
            everyone = [ADMIN, *MEMBERS]
            until(
                lambda: all("【通知】" + TEXT in texts_to(fake, u) for u in everyone),
                30,
                f"not everyone got the notice: {fake.batch_sent}",
            )
            took.append(time.monotonic() - confirmed)
            until(
                lambda: any(t.startswith("发送完成") for t in texts_to(fake, ADMIN)),
                30,
                f"no note to the admin: {texts_to(fake, ADMIN)}",
            )
            time.sleep(0.5)  # anything sent twice would be sent by now
        except BaseException as exc:  # re-raised in the test's thread
            failures.append(exc)
        finally:
            until(lambda: signal.getsignal(signal.SIGTERM) is not default_term, 60, "no hold")
            os.kill(os.getpid(), signal.SIGTERM)  # as systemd stops the service

    scenario = threading.Thread(target=admin_confirms_then_stop, daemon=True)
    scenario.start()
    assert main(["start"]) == 0
    scenario.join(10)
    if failures:
        raise failures[0]
    notices = Counter(s["user"] for s in fake.batch_sent if s["text"] == "【通知】" + TEXT)
    assert notices == {user: 1 for user in [ADMIN, *MEMBERS]}
    assert not any(s["text"].startswith("【通知】【通知】") for s in fake.batch_sent)
    assert took[0] < 15, f"{took[0]:.1f} s: the wake did not start it (rounds every {POLL_S} s)"
    done = [t for t in texts_to(fake, ADMIN) if t.startswith("发送完成")]
    assert done == [messages.BROADCAST_DONE.format(sent=4, total=4, unreachable=0, failed=0)]


def test_a_party_day_reminder_due_goes_out_once_through_dingtalks_loop(
    dingtalk_env: FakeDingTalk, tmp_path: Path
) -> None:
    from bot.channels.dingtalk.server import start_dingtalk

    fake = dingtalk_env
    settings = Settings()
    kbase = make_knowledge_base_from_settings(settings, HashingEmbeddings())
    clock = Clock(local("2023-07-07 09:00"))  # three days before 城关镇's Party day
    core = make_core_services(settings, kbase, clock=clock)
    add_people(core.accounts)
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text(CALENDAR_YAML, encoding="utf-8")
    assert core.calendar is not None
    core.calendar.import_file(calendar)
    runner = start_dingtalk(settings, core, run_outbox=True)
    try:
        fake.wait_connected(1)
        until(lambda: texts_to(fake, "dt01"), 20, "no reminder to dt01")
        for _ in range(2):  # more rounds: nothing is sent again
            rounds = core.outbox.rounds
            core.outbox.wake()
            until(lambda: core.outbox.rounds > rounds, 10, "no round after a wake")  # noqa: B023
        assert core.outbox.running and set(core.outbox.outlets) == {"dingtalk"}
    finally:
        runner.stop()
        core.conversation.close()
    with kbase.sessions() as session:
        rows = list(session.scalars(select(ReminderMessage)))
    sent = [r for r in rows if r.status == "sent"]
    assert {r.channel for r in rows} == {"dingtalk"} and sent
    for row in sent:
        assert texts_to(fake, row.external_id).count(row.text) == 1
    assert fake.rate_violations == 0


def _now() -> datetime:
    return datetime.now(UTC)


def _sessions() -> sessionmaker[Session]:
    """The process's database, made before `partybot start` opens it."""
    settings = Settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.sqlalchemy_url)
    upgrade_schema(engine)
    return make_session_factory(engine)
