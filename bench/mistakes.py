"""An admin's mistakes and hostile uploads (issue 25, items 1, 9 and 10), each tried through
the real `partybot` command in a fresh process on a temp data folder.

    .venv/bin/python -m bench.mistakes [--postgres URL]

For each category: how many were tried, and how many held on each count: the data kept
(documents, users, no stray database), a Chinese message with no traceback, the exit code
(2 for a mistake, 0 for what now works), and the time bound (each within its limit).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RULE = "# 村务管理办法{n}\n\n第一条　村务公开每季度一次。\n\n第二条　村民会议每年召开两次。\n"
DOCUMENTS = 6
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
WECOM_FOUR = {
    "WECOM_CORP_ID": "ww0123456789",
    "WECOM_AGENT_ID": "1000002",
    "WECOM_SECRET": "s3cr3t",
    "WECOM_TOKEN": "t0ken",
}


@dataclass
class Case:
    category: str
    name: str
    args: list[str]
    env: dict[str, str] = field(default_factory=dict)
    said: str = ""  # a fragment the output must hold
    code: int = 2
    limit_s: float = 120.0
    kept: Callable[[], bool] = lambda: True
    prepare: Callable[[], None] = lambda: None
    undo: Callable[[], None] = lambda: None


@dataclass
class Tally:
    tried: int = 0
    kept: int = 0
    chinese: int = 0
    exit: int = 0
    timely: int = 0
    misses: list[str] = field(default_factory=list)


def _chinese(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text) and "Traceback" not in text


class World:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.data = tmp / "data"
        self.knowledge = tmp / "knowledge"
        self.knowledge.mkdir()
        for n in range(DOCUMENTS):
            (self.knowledge / f"办法{n}.md").write_text(RULE.format(n=n), encoding="utf-8")
        self.base_env = {
            k: v for k, v in os.environ.items() if not k.startswith(("WECOM_", "DATABASE_URL"))
        }
        self.base_env |= {
            "PARTYBOT_DATA_DIR": str(self.data),
            "PARTYBOT_KNOWLEDGE_DIR": str(self.knowledge),
            "PYTHONPATH": str(ROOT),
        }
        self.holder = socket.socket()
        self.holder.bind(("127.0.0.1", 0))
        self.holder.listen()
        self.busy_port = str(self.holder.getsockname()[1])

    def run(self, args: list[str], env: dict[str, str]) -> tuple[int, str, float]:
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", *args],
            env=self.base_env | {k: v.replace("{busy}", self.busy_port) for k, v in env.items()},
            cwd=self.tmp,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )
        return done.returncode, done.stdout + done.stderr, time.monotonic() - started

    def count(self, table: str) -> int:
        with sqlite3.connect(self.data / "partybot.db") as db:
            return int(db.execute(f"select count(*) from {table}").fetchone()[0])

    def documents_kept(self) -> bool:
        return self.count("knowledge_documents") == DOCUMENTS


def cases(world: World, postgres: str | None) -> list[Case]:
    w = world
    moved = w.tmp / "moved"
    elsewhere = w.tmp / "elsewhere"
    folder = w.tmp / "导出"
    users_before = {"n": 0}

    def move_most() -> None:
        moved.mkdir(exist_ok=True)
        for n in range(DOCUMENTS - 2):
            shutil.move(w.knowledge / f"办法{n}.md", moved / f"办法{n}.md")

    def move_back() -> None:
        for path in moved.iterdir():
            shutil.move(path, w.knowledge / path.name)

    def unmount() -> None:
        shutil.move(w.knowledge, elsewhere)
        w.knowledge.mkdir()

    def remount() -> None:
        w.knowledge.rmdir()
        shutil.move(elsewhere, w.knowledge)

    def note_users() -> None:
        users_before["n"] = w.count("users")

    typo = {"PARTYBOT_KNOWLEDGE_DIR": str(w.tmp / "knowlege")}
    a_file = w.tmp / "a-file"
    a_file.write_text("x")
    secretary = ["users", "add", "--channel", "web", "--external-id", "zhao", "--role", "书记"]
    found = [
        Case("knowledge folder", "mistyped, ingest", ["ingest"], typo, "什么也没有删除"),
        Case("knowledge folder", "mistyped, start", ["start"], typo, "PARTYBOT_KNOWLEDGE_DIR"),
        Case(
            "knowledge folder",
            "a file, not a folder",
            ["ingest"],
            {"PARTYBOT_KNOWLEDGE_DIR": str(a_file)},
            "不是文件夹",
        ),
        Case("knowledge folder", "not mounted (empty)", ["ingest"], {}, "--prune", 2),
        Case("knowledge folder", "most files gone", ["ingest"], {}, "《村务管理办法0》"),
        Case(
            "first day",
            "sqlite folder missing",
            ["db", "status"],
            {"DATABASE_URL": "sqlite:///some/dir/x.db"},
            "some/dir/x.db，但文件夹",
        ),
        Case("first day", "web port in use", ["web"], {"WEB_PORT": "{busy}"}, "WEB_PORT"),
        Case(
            "first day",
            "wecom port in use",
            ["run", "--channel", "wecom"],
            {**WECOM_FOUR, "WECOM_AES_KEY": AES_KEY, "WECOM_PORT": "{busy}"},
            "WECOM_PORT",
        ),
        Case("first day", "wecom 4 of 5", ["start"], WECOM_FOUR, "还缺：WECOM_AES_KEY"),
        Case(
            "first day",
            "wecom AES key length",
            ["start"],
            {**WECOM_FOUR, "WECOM_AES_KEY": AES_KEY[:40]},
            "应为 43 个",
        ),
        Case("first day", "secretary without village", secretary, {}, "--village"),
        Case(
            "first day",
            "export --output FOLDER",
            ["report", "export", "--month", "2026-07", "--output", str(folder)],
            {},
            "已导出",
            0,
        ),
        Case(
            "first day",
            "chat --as a web login",
            ["chat", "--as", "web:li"],
            {},
            "以“李书记”的身份",
            0,
        ),
    ]
    for case in found:  # every mistake keeps every document; some keep more
        case.kept = w.documents_kept
    found[3].prepare, found[3].undo = unmount, remount
    found[4].prepare, found[4].undo = move_most, move_back
    found[5].kept = lambda: not (w.tmp / "some").exists() and w.documents_kept()
    found[10].prepare = note_users
    found[10].kept = lambda: w.count("users") == users_before["n"] and w.documents_kept()
    found[11].prepare = lambda: folder.mkdir(exist_ok=True)
    found[11].kept = lambda: (folder / "台账-2026-07.xlsx").is_file()
    if postgres:
        from sqlalchemy.engine import make_url

        url = make_url(postgres).set(username="no_such_login", password=None)
        role_url = url.render_as_string(hide_password=False)
        found.append(
            Case(
                "first day",
                "postgres login missing",
                ["db", "status"],
                {"DATABASE_URL": role_url},
                "没有登录名",
            )
        )
    return found


def hostile(tmp: Path) -> list[tuple[str, bool, bool, bool, bool]]:
    """(name, data kept, Chinese message, outcome right, time bound) for the upload files."""
    import threading

    from bot import messages
    from ingest.loaders import LoadError, LoadLimits
    from ingest.sandbox import SandboxedLoader
    from tests.support.documents import write_docx, write_pdf

    results = []
    loader = SandboxedLoader(LoadLimits(timeout_s=120))
    try:
        deep = tmp / "嵌套.html"
        deep.write_text(f"<html><body>{'<div>' * 180_000}第一条{'</div>' * 180_000}</body></html>")
        started = time.monotonic()
        try:
            loader.load(deep)
            reason = ""
        except LoadError as exc:
            reason = exc.reason
        took = time.monotonic() - started
        said = messages.ingest_reason(reason, "255")
        results.append(("2 MB nested html", True, _chinese(said), reason == "too_deep", took < 5))
        pdf = write_pdf(
            tmp / "x.pdf",
            ["第一条　党员应当按期交纳党费。", "第二条　党费由党支部按月收缴，并公布收缴情况。"],
        )
        fake = tmp / "党费.docx"
        fake.write_bytes(pdf.read_bytes())
        loaded = loader.load(fake)
        note = messages.read_as_note(loaded.read_as)
        results.append(("docx that is a PDF", True, "PDF" in note, "党费" in loaded.text, True))
        old = tmp / "旧.docx"
        old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
        try:
            loader.load(old)
            reason, detail = "", ""
        except LoadError as exc:
            reason, detail = exc.reason, exc.detail
        said = messages.ingest_reason(reason, detail)
        results.append((".doc renamed .docx", True, ".doc" in said, reason == "wrong_format", True))
        rows = "".join(f"<tr><td>第{i}行</td><td>内容{i}</td></tr>" for i in range(60_000))
        slow = tmp / "慢.html"
        slow.write_text(f"<html><body><table>{rows}</table></body></html>", encoding="utf-8")
        small = write_docx(tmp / "小.docx")
        finished: dict[str, float] = {}

        def load(path: Path) -> None:
            loader.load(path)
            finished[path.name] = time.monotonic()

        loader.load(small)
        thread = threading.Thread(target=load, args=(slow,))
        thread.start()
        time.sleep(0.5)
        started = time.monotonic()
        load(small)
        small_s = finished["小.docx"] - started
        thread.join(timeout=300)
        first = finished["小.docx"] < finished.get("慢.html", float("inf"))
        results.append(("upload behind a slow file", True, True, first, small_s < 10))
    finally:
        loader.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="a reachable PostgreSQL URL, to try a wrong login")
    run(parser.parse_args().postgres)


def run(postgres: str | None) -> None:
    """Every mistake tried through the real command; prints the table (bench.attacks too)."""
    tallies: dict[str, Tally] = {}
    with tempfile.TemporaryDirectory() as name:
        world = World(Path(name))
        code, out, took = world.run(["ingest"], {})
        assert code == 0, out
        print(f"setup: {DOCUMENTS} documents indexed in {took:.0f} s")
        world.run(["users", "add", "--channel", "web", "--external-id", "li", "--role", "书记",
                   "--township", "城关镇", "--village", "李家村", "--name", "李书记"], {})  # fmt: skip
        for case in cases(world, postgres):
            case.prepare()
            try:
                code, out, took = world.run(case.args, case.env)
            finally:
                case.undo()
            tally = tallies.setdefault(case.category, Tally())
            checks = (case.kept(), _chinese(out) and case.said in out, code == case.code)
            timely = took < case.limit_s
            _count(tally, case.name, (*checks, timely))
        tally = tallies.setdefault("hostile uploads", Tally())
        for name_, kept, chinese, right, timely in hostile(Path(name)):
            _count(tally, name_, (kept, chinese, right, timely))
        world.holder.close()
    print("| category | tried | data kept | Chinese message | exit code | time bound |")
    print("|---|---|---|---|---|---|")
    for category, t in tallies.items():
        print(f"| {category} | {t.tried} | {t.kept} | {t.chinese} | {t.exit} | {t.timely} |")
    misses = [m for t in tallies.values() for m in t.misses]
    print("not held: " + ("; ".join(misses) if misses else "none"))


def _count(tally: Tally, name: str, checks: tuple[bool, bool, bool, bool]) -> None:
    tally.tried += 1
    kept, chinese, exit_ok, timely = checks
    tally.kept += kept
    tally.chinese += chinese
    tally.exit += exit_ok
    tally.timely += timely
    if not all(checks):
        labels = ("data", "message", "exit", "time")
        failed = [label for label, ok in zip(labels, checks, strict=True) if not ok]
        tally.misses.append(f"{name} ({', '.join(failed)})")


if __name__ == "__main__":
    main()
