"""Several bot processes on one database: each recipient of a broadcast gets it once."""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.outbox.broadcasting import Audience, BroadcastService
from bot.people.accounts import AccountService, Role
from tests.conftest import pg_schema_url

RECIPIENTS = 300


def _broadcast_from_three_workers(url: str, tmp_path: Path) -> tuple[Counter[str], set[str]]:
    engine = make_engine(url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    clock = lambda: datetime.now(UTC)  # noqa: E731
    accounts = AccountService(session_factory=sessions, clock=clock)
    for n in range(RECIPIENTS):
        accounts.add(
            9_000_000_000 + n,
            Role.SECRETARY,
            channel="telegram",
            village=f"{n}村",
            township="城关镇",
        )
    broadcasts = BroadcastService(session_factory=sessions, accounts=accounts, clock=clock)
    broadcast_id, _ = broadcasts.draft(1, "通知", Audience.parse("all"))
    assert broadcasts.confirm(broadcast_id)
    log, go = tmp_path / "sent.log", tmp_path / "go"
    command = [
        sys.executable,
        "-m",
        "tests.support.broadcast_worker",
        url,
        str(broadcast_id),
        str(log),
        str(go),
    ]
    workers = [subprocess.Popen(command, cwd=Path(__file__).parent.parent) for _ in range(3)]
    deadline = time.monotonic() + 60
    while len(list(tmp_path.glob("go.ready-*"))) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)  # until every worker has imported and waits for the start
    go.touch()
    assert all(worker.wait(timeout=120) == 0 for worker in workers)
    lines = log.read_text().splitlines()
    progress = broadcasts.progress(broadcast_id)
    assert progress.pending == 0 and progress.sent == RECIPIENTS
    assert broadcasts.unfinished() == []
    engine.dispose()
    return Counter(line.split()[0] for line in lines), {line.split()[1] for line in lines}


def test_three_workers_send_a_broadcast_once_each_on_sqlite(tmp_path: Path) -> None:
    sent, _ = _broadcast_from_three_workers(f"sqlite:///{tmp_path / 'b.db'}", tmp_path)
    # (SQLite's lock may let one worker take every batch; without the claims, three workers
    # sent most recipients the notice two or three times here too)
    assert len(sent) == RECIPIENTS and set(sent.values()) == {1}


@pytest.mark.postgres
def test_three_workers_send_a_broadcast_once_each_on_postgres(tmp_path: Path) -> None:
    with pg_schema_url("scale") as url:
        sent, workers = _broadcast_from_three_workers(url, tmp_path)
    assert len(sent) == RECIPIENTS and set(sent.values()) == {1}
    assert len(workers) >= 2  # they really shared the work (row locks skipped, not waited on)


REGULATION = (
    "# 中国共产党支部工作条例（试行）\n\n第九条　党支部应当每月相对固定1天开展主题党日。\n\n"
    "第十条　党支部每年至少召开1次组织生活会。\n"
)


def _knowledge_base(url: str, data: Path, knowledge: Path, server: str | None = None):  # type: ignore[no-untyped-def]
    from bot.services import make_knowledge_base
    from tests.support.fakes import HashingEmbeddings

    return make_knowledge_base(
        database_url=url,
        chroma_dir=data / "chroma",
        keyword_dir=data / "bm25",
        knowledge_dir=knowledge,
        embeddings=HashingEmbeddings(),
        chroma_server=server,
    )


def test_a_worker_with_an_empty_data_folder_is_repaired_by_ingest(tmp_path: Path) -> None:
    """The database says every file is indexed; a new worker's Chroma folder is empty. Ingest
    checks the vectors, not only the file hashes, and embeds those documents again."""
    from bot.qa.service import QAService

    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "条例.md").write_text(REGULATION, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first = _knowledge_base(url, tmp_path / "one", knowledge)
    assert [o.status for o in first.ingestor.ingest().outcomes] == ["added"]
    second = _knowledge_base(url, tmp_path / "two", knowledge)
    assert second.vectors.count() == 0
    report = second.ingestor.ingest()
    assert [o.status for o in report.outcomes] == ["repaired"]
    assert second.vectors.count() == first.vectors.count() > 0
    assert [o.status for o in second.ingestor.ingest().outcomes] == ["unchanged"]
    answer = QAService(second.retriever).ask("主题党日多久开展一次")
    assert "第九条" in answer.text


@pytest.fixture
def chroma_server(tmp_path: Path):  # type: ignore[no-untyped-def]
    """The chromadb package's own server (`chroma run`) on a free local port."""
    import shutil
    import socket
    import time

    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    chroma = shutil.which("chroma", path=str(Path(sys.executable).parent))
    assert chroma is not None
    server = subprocess.Popen(
        [
            chroma,
            "run",
            "--path",
            str(tmp_path / "chroma-server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).raise_for_status()
            break
        except httpx.HTTPError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise AssertionError("chroma run did not start") from None
            time.sleep(0.2)
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.postgres
def test_two_processes_share_postgres_and_a_chroma_server(tmp_path: Path, chroma_server) -> None:
    """Two `partybot` processes, each with its own (empty) data folder, on one PostgreSQL and
    one Chroma server: what one ingests the other answers from at once (its keyword index
    rebuilt from the database), and its own ingest finds nothing to do."""
    import json
    import os

    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "条例.md").write_text(REGULATION, encoding="utf-8")
    with pg_schema_url("chroma") as url:

        def partybot(data: str, *args: str) -> subprocess.CompletedProcess[str]:
            env = {k: v for k, v in os.environ.items() if not k.startswith("PARTYBOT_")}
            env.update(
                DATABASE_URL=url,
                CHROMA_SERVER=chroma_server,
                PARTYBOT_DATA_DIR=str(tmp_path / data),
                PARTYBOT_KNOWLEDGE_DIR=str(knowledge),
            )
            return subprocess.run(
                [sys.executable, "-m", "bot.cli", *args],
                env=env,
                capture_output=True,
                text=True,
                timeout=300,
                cwd=Path(__file__).parent.parent,
            )

        first = partybot("one", "ingest")
        assert first.returncode == 0 and "[新增]" in first.stdout, first.stderr
        asked = partybot("two", "ask", "--json", "主题党日多久开展一次")
        assert asked.returncode == 0, asked.stderr
        answer = json.loads(asked.stdout)
        assert not answer["refused"] and "第九条" in answer["answer"]
        again = partybot("two", "ingest")
        assert "未变 1" in again.stdout and "[修复]" not in again.stdout
        assert not (tmp_path / "two" / "chroma").exists()  # nothing kept locally


def test_a_chroma_server_collection_is_searched_as_wide_as_an_embedded_one(
    chroma_server: str,
) -> None:
    from bot.index.vectors import SEARCH_EF, make_vector_store

    store = make_vector_store(Path("unused"), "breadth_check", server=chroma_server)
    assert store.search_breadth() == SEARCH_EF
    store.add(["a"], [[1.0] + [0.0] * 383], [{"n": 1}])
    assert store.query([1.0] + [0.0] * 383, 5)[0].id == "a"
