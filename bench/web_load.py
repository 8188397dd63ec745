"""The web console under load, served by `partybot web` in its own process (the real model,
SQLite): the 台账 page at 10,000 reports, the 知识库 page at 100 documents, /ask with 50 people
asking at once, and a schemathesis run against the OpenAPI spec (no 500s).

.venv/bin/python -m bench.web_load [--reports 10000] [--users 50] [--seconds 120] [--examples 30]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import httpx

from bench.common import SHARED, synthetic_reports

PASSWORD = "bench-password-1"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def prepare(root: Path, reports: int, users: int) -> dict[str, str]:
    knowledge = root / "knowledge"
    knowledge.mkdir()
    for path in sorted((SHARED / "corpus").glob("*.md")):
        shutil.copy(path, knowledge / path.name)
    for n in range(100 - len(list(knowledge.iterdir()))):
        (knowledge / f"工作报告{n:03d}.md").write_text(
            f"# 第{n}村党支部工作报告\n\n## 一、主要工作\n\n全年召开支部党员大会{n % 6 + 4}次，"
            f"开展主题党日{12 + n % 3}次，组织志愿服务{n % 9 + 2}次。\n",
            encoding="utf-8",
        )
    env = {
        **os.environ,
        "PARTYBOT_DATA_DIR": str(root / "data"),
        "PARTYBOT_KNOWLEDGE_DIR": str(knowledge),
        "PARTYBOT_EMBEDDING_MODEL": "e5-small",
        "REMINDERS_ENABLED": "false",
    }
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "LLM_BASE_URL", "WEB_ROOT_PATH"):
        env.pop(name, None)
    run = [sys.executable, "-m", "bot.cli"]
    subprocess.run([*run, "ingest"], env=env, check=True, capture_output=True)
    subprocess.run(
        [*run, "users", "add", "--channel", "web", "--external-id", "admin", "--role", "admin"],
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [*run, "users", "add", "--channel", "web", "--external-id", "u0", "--role", "staff"],
        env=env,
        check=True,
        capture_output=True,
    )
    _fill(root / "data" / "partybot.db", reports, users)
    for login in ["admin", *(f"u{n}" for n in range(users))]:
        subprocess.run(
            [*run, "users", "passwd", login],
            input=PASSWORD + "\n",
            text=True,
            env=env,
            check=True,
            capture_output=True,
        )
    return env


def _fill(database: Path, reports: int, users: int) -> None:
    from bot.db.engine import make_engine, make_session_factory
    from bot.people.accounts import AccountService, Role

    sessions = make_session_factory(make_engine(f"sqlite:///{database}"))
    now = datetime.now(UTC)
    accounts = AccountService(session_factory=sessions, clock=lambda: now)
    for n in range(1, users):
        accounts.add(f"u{n}", Role.STAFF, channel="web")
    for n in range(300):
        accounts.add(
            f"tg{n}",
            Role.SECRETARY,
            channel="telegram",
            village=f"第{n}村",
            township=f"第{n % 12}镇",
        )
    with sessions() as session, session.begin():
        session.add_all(
            synthetic_reports(
                reports, first=date(2026, 11, 1), days=23, now=now, reporter_of=lambda n: 1
            )
        )


async def timed_gets(client: httpx.AsyncClient, url: str, times: int) -> list[float]:
    spent = []
    for _ in range(times):
        start = time.perf_counter()
        response = await client.get(url)
        spent.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return spent


async def logged_in(client: httpx.AsyncClient, login: str) -> str:
    """Log in through the form, as a phone's browser does; the page's CSRF token."""
    form = (await client.get("/login")).text
    token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)  # type: ignore[union-attr]
    data = {"login": login, "password": PASSWORD, "csrf": token, "next": ""}
    assert (await client.post("/login", data=data)).status_code in (200, 303)
    page = (await client.get("/ask")).text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]


async def asker(
    base: str, login: str, questions: list[str], until: float, *, basic: bool
) -> list[float]:
    """One person asking in turn; with a session cookie like the /ask page, or with HTTP Basic
    like a county system's script (one password verification per request)."""
    auth = (login, PASSWORD) if basic else None
    async with httpx.AsyncClient(base_url=base, auth=auth, timeout=120) as client:
        headers = {} if basic else {"X-CSRF-Token": await logged_in(client, login)}
        spent = []
        for question in questions:
            if time.monotonic() > until:
                break
            start = time.perf_counter()
            response = await client.post(
                "/api/conversation/messages", json={"text": question}, headers=headers
            )
            spent.append(time.perf_counter() - start)
            assert response.status_code == 200, response.text
        return spent


async def ask_load(base: str, users: int, seconds: float, *, basic: bool) -> dict[str, float]:
    rows = [json.loads(line) for line in (SHARED / "eval" / "qa_dev2.jsonl").open(encoding="utf-8")]
    questions = [r["question"] for r in rows]
    until = time.monotonic() + seconds
    start = time.perf_counter()
    runs = await asyncio.gather(
        *(
            asker(base, f"u{n}", random.Random(n).sample(questions, 4), until, basic=basic)
            for n in range(users)
        )
    )
    wall = time.perf_counter() - start
    ask = [t for run in runs for t in run]
    return {
        "answers": len(ask),
        "p50_ms": round(statistics.median(ask) * 1000),
        "p95_ms": round(p95(ask) * 1000),
        "wall_s": round(wall, 1),
    }


async def measure(base: str, users: int, seconds: float) -> dict[str, object]:
    async with httpx.AsyncClient(base_url=base, auth=("admin", PASSWORD), timeout=60) as client:
        await client.get("/ledger?month=2026-11")  # warm: the first request loads the model
        ledger = await timed_gets(client, "/ledger?month=2026-11", 30)
        ledger_last = await timed_gets(client, "/ledger?month=2026-11&page=200", 10)
        knowledge = await timed_gets(client, "/knowledge", 30)
        documents = len((await client.get("/api/documents")).json())
        total = (await client.get("/api/reports", params={"month": "2026-11"})).json()["total"]
    return {
        "reports": total,
        "documents": documents,
        "ledger_p50_ms": round(statistics.median(ledger) * 1000),
        "ledger_p95_ms": round(p95(ledger) * 1000),
        "ledger_last_page_p95_ms": round(p95(ledger_last) * 1000),
        "knowledge_p50_ms": round(statistics.median(knowledge) * 1000),
        "knowledge_p95_ms": round(p95(knowledge) * 1000),
        "ask_users": users,
        "ask_page_session": await ask_load(base, users, seconds, basic=False),
        "ask_api_basic_auth": await ask_load(base, users, seconds, basic=True),
    }


def schemathesis_run(base: str, examples: int, workdir: Path) -> tuple[int, str]:
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "run",
            f"{base}/api/openapi.json",
            "--auth",
            f"admin:{PASSWORD}",
            "--checks",
            "not_a_server_error",
            "--max-examples",
            str(examples),
            "--exclude-method",
            "DELETE",
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=workdir,  # its cache of crashes stays out of the repository
    )
    return run.returncode, run.stdout[-1500:]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--examples", type=int, default=30, help="schemathesis; 0 skips it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        env = prepare(root, args.reports, args.users)
        print(f"prepared in {time.perf_counter() - started:.0f} s", flush=True)
        port = 18080
        server = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "web", "--port", str(port)],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(600):
                try:
                    if httpx.get(f"{base}/healthz").status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            figures = asyncio.run(measure(base, args.users, args.seconds))
            print(json.dumps(figures, ensure_ascii=False, indent=1), flush=True)
            if args.examples:
                code, tail = schemathesis_run(base, args.examples, root)
                print(f"schemathesis exit {code}\n{tail}")
            print(f"web process peak RSS: {_rss(server.pid)} MiB")
        finally:
            server.terminate()
            server.wait(30)


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024
    return 0


if __name__ == "__main__":
    main()
