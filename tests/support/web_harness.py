"""The web console over real services (SQLite, Chroma, the hashing embedder), for the
TestClient tests and the browser tests alike."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from bot.channels.web.server import make_web
from bot.people.accounts import Role
from bot.services import CoreServices, make_core_services
from bot.settings import Settings

REGULATION = (
    "# 中国共产党支部工作条例（试行）\n\n第九条　党支部应当每月相对固定1天开展主题党日，"
    "组织党员集中学习、过组织生活、进行民主议事和志愿服务等。\n\n"
    "第十条　党支部每年至少召开1次组织生活会，一般安排在第四季度。\n\n"
    "第十一条　党员应当按期交纳党费。\n"
)
PASSWORD = "dangjian2026"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 200


@dataclass
class WebWorld:
    app: FastAPI
    services: CoreServices
    settings: Settings
    sessions: Any = None  # the database's session factory

    def user(
        self,
        login: str,
        role: Role,
        *,
        township: str | None = None,
        village: str | None = None,
        name: str = "",
    ) -> int:
        member = self.services.accounts.add(
            login, role, channel="web", name=name, township=township, village=village
        )
        assert self.services.logins.set_password(login, PASSWORD)
        return member.id


def make_web_world(make_kb, knowledge_dir: Path, tmp_path: Path, **overrides: object) -> WebWorld:
    (knowledge_dir / "支部工作条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        knowledge_dir=knowledge_dir,
        web_public_url="http://testserver",
        reminders_enabled=False,
        **overrides,  # type: ignore[arg-type]
    )
    services = make_core_services(settings, kbase, clock=lambda: datetime.now(UTC))
    app = make_web(settings, kbase, services)
    world = WebWorld(app, services, settings, kbase.sessions)
    world.user("admin", Role.ADMIN, name="管理员老李")
    world.user("staff", Role.STAFF, township="城关镇", name="组织委员")
    world.user("sec", Role.SECRETARY, township="城关镇", village="张家村", name="张书记")
    world.user("sec2", Role.SECRETARY, township="河口镇", village="李家村", name="李书记")
    return world


@contextlib.contextmanager
def serving(world: WebWorld) -> Iterator[str]:
    """The console served by a real uvicorn on a free loopback port: its base URL."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(world.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
