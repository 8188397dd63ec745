"""The hardening issue's attacks, redone: access attempts, kills during migrations, hostile
files, the memory a zip bomb costs the ingest, and issue 25's web and WeCom attacks
(bench.web_attacks) and a new admin's mistakes (bench.mistakes), which also run alone.

    .venv/bin/python -m bench.attacks [--kills 60] [--bomb-mb 1024] [--postgres]

Prints, for each part, what was tried and how much of it was handled as it must be.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


# -- access ---------------------------------------------------------------------------------------


def access_attempts(tmp: Path) -> tuple[int, int, list[str]]:
    """(attempts, blocked, what got through) on the account and report services."""
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.people.accounts import AccountService, Role
    from bot.people.invites import RegistrationError
    from bot.reports.service import ReportService
    from tests.support.fakes import Clock

    engine = make_engine(f"sqlite:///{tmp / 'access.db'}")
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    clock = Clock(datetime(2026, 6, 12, 2, 0, tzinfo=UTC))
    accounts = AccountService(session_factory=sessions, clock=clock)
    reports = ReportService(session_factory=sessions, clock=clock, timezone=UTC)
    accounts.add(1, Role.ADMIN, channel="telegram")
    attempts = blocked = 0
    leaks: list[str] = []

    def expect_refused(label: str, call: Callable[[], object]) -> None:
        nonlocal attempts, blocked
        attempts += 1
        try:
            result = call()
        except RegistrationError:
            blocked += 1
            return
        # a refusal is None/False, (None, False) from confirm, or "refused" from cancel
        if result in (None, False, (None, False), "refused"):
            blocked += 1
        else:
            leaks.append(label)

    # a revoked secretary replays their own code, and tries fresh ones
    own = accounts.invites.create_invite(Role.SECRETARY, village="张家村", township="城关镇")
    accounts.invites.register(200, own.code, channel="telegram")
    revoked = accounts.user_id_at("telegram", 200)
    assert revoked is not None  # registered just above
    accounts.revoke(revoked, by=1)
    for _ in range(10):
        expect_refused(
            "revoked replays own code",
            lambda: accounts.invites.register(200, own.code, channel="telegram"),
        )
    for _ in range(5):
        fresh = accounts.invites.create_invite(Role.SECRETARY, village="张家村", township="城关镇")
        expect_refused(
            "revoked uses a new code",
            partial(accounts.invites.register, 200, fresh.code, channel="telegram"),
        )
    # a demoted admin replays, and uses invites made while admin
    boss = accounts.invites.create_invite(Role.ADMIN, created_by=1)
    demoted = accounts.invites.register(300, boss.code, channel="telegram")
    stash = [accounts.invites.create_invite(Role.ADMIN, created_by=demoted.id) for _ in range(5)]
    accounts.set_role(demoted.id, Role.STAFF, by=1)
    for _ in range(5):
        expect_refused(
            "demoted admin replays",
            lambda: accounts.invites.register(300, boss.code, channel="telegram"),
        )
    for number, invite in enumerate(stash):
        expect_refused(
            "stashed admin invite",
            partial(accounts.invites.register, 400 + number, invite.code, channel="telegram"),
        )
    # guessing: after five wrong codes a chat is stopped, right code or not
    real = accounts.invites.create_invite(Role.STAFF, township="城关镇")
    for guess in range(5):
        with contextlib.suppress(RegistrationError):
            accounts.invites.register(500, f"GUESS{guess:03d}", channel="telegram")
    for _ in range(10):
        expect_refused(
            "guessing past the limit",
            lambda: accounts.invites.register(500, real.code, channel="telegram"),
        )
    # forged buttons on another secretary's draft
    accounts.add(201, Role.SECRETARY, channel="telegram", village="张家村", township="城关镇")
    accounts.add(202, Role.SECRETARY, channel="telegram", village="李庄村", township="城关镇")
    victim, attacker = accounts.member_at("telegram", 201), accounts.member_at("telegram", 202)
    assert victim is not None and attacker is not None
    for _ in range(4):
        draft = reports.start_draft(victim, "6月10日张家村开展主题党日，应到30人，实到28人")
        expect_refused("cancel another's draft", partial(reports.cancel, draft.id, owner=202))
        expect_refused(
            "edit another's draft",
            partial(reports.begin_edit, draft.id, "attended", owner=202),
        )
        expect_refused(
            "set another's field",
            partial(reports.set_field, draft.id, "attended", "1", owner=202),
        )
        expect_refused("confirm another's draft", partial(reports.confirm, draft.id, attacker))
    engine.dispose()
    return attempts, blocked, leaks


def webhook_forgeries(tmp: Path, count: int = 20) -> tuple[int, int]:
    """Updates posted to `partybot run --webhook` without its secret: (posted, refused 403)."""
    import json
    import os
    import socket
    import urllib.error
    import urllib.request

    from tests.support.fake_telegram import TOKEN, FakeBotAPI

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp / "knowledge").mkdir(exist_ok=True)
    with FakeBotAPI() as fake:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": fake.base_url,
            "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
            "ADMIN_IDS": "100",
            "PARTYBOT_DATA_DIR": str(tmp / "webhook-data"),
            "PARTYBOT_KNOWLEDGE_DIR": str(tmp / "knowledge"),
            "PARTYBOT_EMBEDDING_MODEL": "use-multilingual",
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "run",
                "--webhook",
                "https://x.invalid/telegram",
                "--port",
                str(port),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        refused = 0
        try:
            deadline = time.monotonic() + 60
            while not fake.params_of("setWebhook") and time.monotonic() < deadline:
                time.sleep(0.1)
            time.sleep(0.5)
            for number in range(count):
                update = {
                    "update_id": number + 1,
                    "message": {
                        "message_id": number + 1,
                        "date": int(time.time()),
                        "chat": {"id": 100, "type": "private"},
                        "from": {"id": 100, "is_bot": False, "first_name": "管理员"},
                        "text": "/deldoc 任意文件.md",
                    },
                }
                request = urllib.request.Request(
                    f"http://127.0.0.1:{port}/telegram",
                    data=json.dumps(update).encode(),
                    headers={"Content-Type": "application/json"},
                )
                if number % 2:
                    request.add_header("X-Telegram-Bot-Api-Secret-Token", f"guess-{number}")
                try:
                    urllib.request.urlopen(request, timeout=10).close()
                except urllib.error.HTTPError as error:
                    refused += error.code == 403
        finally:
            process.terminate()
            process.wait(timeout=30)
    return count, refused


# -- migrations ------------------------------------------------------------------------------------


def migration_kills(kills: int, database_url: str) -> tuple[int, int]:
    """(kills, databases the next start brought to the newest schema with every row)."""
    from bot.db.engine import head_revision, make_engine, upgrade_schema
    from bot.db.schema import inspect_schema
    from tests.support.migration_kills import (
        assert_at_head,
        counts,
        kill_inside,
        migration_seconds,
        reset,
    )

    rng = random.Random(20261124)
    reset(database_url, target="0004", rows=True)
    window = migration_seconds(database_url)
    expected = counts(database_url)
    survived = 0
    for number in range(kills):
        fresh = number % 2 == 1  # every other one kills the creation of a new database
        reset(database_url, target=None if fresh else "0004", rows=not fresh)
        kill_inside(database_url, rng, window)
        engine = make_engine(database_url)
        with engine.connect() as connection:
            status = inspect_schema(connection)
        consistent = not status.half_applied and (
            status.recorded in (None, head_revision()) if fresh else True
        )
        upgrade_schema(engine)
        engine.dispose()
        try:
            assert_at_head(database_url)
            whole = fresh or counts(database_url) == expected
        except AssertionError:
            whole = False
        survived += consistent and whole
    return kills, survived


# -- files -----------------------------------------------------------------------------------------


def hostile_files(tmp: Path) -> tuple[int, int, list[str]]:
    """(bad files, handled with the right per-file reason, wrong ones)."""
    from bot.services import make_knowledge_base
    from ingest.loaders import LoadLimits
    from ingest.ocr import ocr_available
    from tests.support.documents import write_scanned_pdf
    from tests.support.fakes import HashingEmbeddings
    from tests.support.hostile_files import (
        make_links,
        write_binary_as_text,
        write_broken_xml_docx,
        write_encrypted_pdf,
        write_zip_bomb_docx,
    )

    folder = tmp / "hostile"
    folder.mkdir()
    expected: dict[str, str] = {}
    for n in range(3):
        write_zip_bomb_docx(folder / f"炸弹{n}.docx", expanded_mb=40 * (n + 1))
        expected[f"炸弹{n}.docx"] = "zip_too_large"
        write_broken_xml_docx(folder / f"坏XML{n}.docx")
        expected[f"坏XML{n}.docx"] = "corrupt"
        write_encrypted_pdf(folder / f"加密{n}.pdf")
        expected[f"加密{n}.pdf"] = "encrypted"
        write_binary_as_text(folder / f"程序{n}.txt")
        expected[f"程序{n}.txt"] = "binary"
        write_scanned_pdf(folder / f"扫描{n}.pdf")
        expected[f"扫描{n}.pdf"] = "ocr_failed" if ocr_available() else "needs_ocr"
        (folder / f"截断{n}.docx").write_bytes(b"PK\x03\x04 truncated")
        expected[f"截断{n}.docx"] = "corrupt"
        (folder / f"空{n}.txt").write_bytes(b"")
        expected[f"空{n}.txt"] = "empty"
        (folder / f".隐藏{n}.md").write_text("# 隐藏", encoding="utf-8")
        expected[f".隐藏{n}.md"] = "hidden"
    write_zip_bomb_docx(folder / "小炸弹.docx", expanded_mb=20)  # under the XML limit
    expected["小炸弹.docx"] = "too_long"
    (folder / "大文件.txt").write_bytes("第一条　很长。\n".encode() * 4_000_000)  # 60 MB
    expected["大文件.txt"] = "too_large"
    (folder / "大文件2.md").write_bytes(b"#" * (40 << 20))
    expected["大文件2.md"] = "too_large"
    outside = tmp / "outside"
    outside.mkdir()
    make_links(folder, outside)
    expected.update(
        {"passwd.txt": "link_outside", "外部目录": "link_outside", "环/回到上层": "link_loop"}
    )
    expected["断链.md"] = "broken_link"
    data = tmp / "hostile-data"
    kbase = make_knowledge_base(
        database_url=f"sqlite:///{data / 'p.db'}",
        chroma_dir=data / "chroma",
        keyword_dir=data / "bm25",
        knowledge_dir=folder,
        embeddings=HashingEmbeddings(),
    )
    kbase.ingestor.limits = LoadLimits()
    found = {o.source: o.reason for o in kbase.ingestor.ingest().outcomes}
    wrong = [
        f"{name}: {found.get(name)} (expected {reason})"
        for name, reason in expected.items()
        if found.get(name) != reason
    ]
    return len(expected), len(expected) - len(wrong), wrong


def zip_bomb_peak(tmp: Path, expanded_mb: int) -> tuple[float, float, str]:
    """Peak RSS (MiB) of an ingest process, and of its parsing worker, over a folder holding a
    docx that expands to `expanded_mb` MB; and the outcome line."""
    from tests.support.hostile_files import write_zip_bomb_docx

    folder = tmp / "bomb"
    folder.mkdir()
    bomb = write_zip_bomb_docx(folder / "炸弹.docx", expanded_mb=expanded_mb)
    size_mb = bomb.stat().st_size / (1 << 20)
    script = f"""
import resource, sys
from pathlib import Path
from bot.services import make_knowledge_base
from tests.support.fakes import HashingEmbeddings
data = Path({str(tmp / "bomb-data")!r})
kbase = make_knowledge_base(database_url=f"sqlite:///{{data / 'p.db'}}", chroma_dir=data / "chroma",
    keyword_dir=data / "bm25", knowledge_dir=Path({str(folder)!r}), embeddings=HashingEmbeddings())
outcome = kbase.ingestor.ingest().outcomes[0]
kbase.ingestor.close()
print(outcome.status, outcome.reason, outcome.detail)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    outcome, own, worker = result.stdout.strip().splitlines()[-3:]
    return float(own), float(worker), f"{outcome} ({size_mb:.1f} MB on disk)"


def main() -> None:
    import logging

    logging.basicConfig(level=logging.ERROR)
    parser = argparse.ArgumentParser()
    parser.add_argument("--kills", type=int, default=60)
    parser.add_argument("--bomb-mb", type=int, default=1024)
    parser.add_argument("--postgres", help="also kill migrations on this PostgreSQL URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        attempts, blocked, leaks = access_attempts(tmp)
        posted, refused = webhook_forgeries(tmp)
        print(
            f"access attempts blocked: {blocked + refused}/{attempts + posted} "
            f"(services {blocked}/{attempts}, forged webhook updates {refused}/{posted})"
            + (f"; got through: {leaks}" if leaks else "")
        )
        started = time.monotonic()
        kills, survived = migration_kills(args.kills, f"sqlite:///{tmp / 'kills.db'}")
        print(
            f"SQLite migrations killed at random points: {survived}/{kills} recovered with "
            f"every row ({time.monotonic() - started:.0f} s)"
        )
        if args.postgres:
            from sqlalchemy import text

            from bot.db.engine import make_engine

            schema = f"k_{uuid.uuid4().hex[:10]}"
            admin = make_engine(args.postgres)
            with admin.begin() as connection:
                connection.execute(text(f"create schema {schema}"))
            try:
                url = f"{args.postgres}?options=-csearch_path%3D{schema}"
                kills, survived = migration_kills(args.kills, url)
                print(f"PostgreSQL migrations killed: {survived}/{kills} recovered with every row")
            finally:
                with admin.begin() as connection:
                    connection.execute(text(f"drop schema {schema} cascade"))
        total, right, wrong = hostile_files(tmp)
        print(
            f"hostile files handled with the right per-file reason: {right}/{total}"
            + (f"; wrong: {wrong}" if wrong else "")
        )
        own, worker, outcome = zip_bomb_peak(tmp, args.bomb_mb)
        print(
            f"zip bomb expanding to {args.bomb_mb} MB: {outcome}; peak RSS ingest process "
            f"{own:.0f} MiB, parsing worker {worker:.0f} MiB"
        )
        from bench.web_attacks import run as web_attacks

        (tmp / "web").mkdir()
        web_attacks(tmp / "web")
        from bench.mistakes import run as mistakes

        mistakes(args.postgres)


if __name__ == "__main__":
    main()
