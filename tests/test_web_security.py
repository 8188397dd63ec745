"""Issue 25's web and WeCom hardening through real HTTP: security headers on every response,
sessions ended on the server, CSRF beside a wrong Basic header, per-source login and invite
limits, the registration that tells nothing before the code is valid, scope by parameter,
hostile ids and file names. The XSS payloads run in the browser tests (test_web_browser.py)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.accounts import Role
from bot.web.headers import SECURITY_HEADERS
from tests.test_web import csrf_of
from tests.web_harness import PASSWORD, WebWorld, make_web_world


@pytest.fixture
def world(make_kb, knowledge_dir: Path, tmp_path: Path) -> WebWorld:
    return make_web_world(make_kb, knowledge_dir, tmp_path)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_every_response_carries_the_security_headers(world: WebWorld) -> None:
    c = TestClient(world.app, raise_server_exceptions=False)
    big = {"Content-Length": str(10**10)}
    for response in (
        c.get("/login"),
        c.get("/static/page.js"),
        c.get("/ask", follow_redirects=False),
        c.get("/no-such-page"),
        c.get("/api/reports"),
        c.post("/api/conversation/messages", content=b"x", headers=big),
    ):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, (response.request.url, name)
    policy = SECURITY_HEADERS["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    for template in (Path(__file__).parents[1] / "bot/web/templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "<script>" not in text and " onsubmit=" not in text and " onclick=" not in text


def _client(world: WebWorld, address: str = "testclient") -> TestClient:
    return TestClient(world.app, raise_server_exceptions=False, client=(address, 50000))


def _login(world: WebWorld, login: str, address: str = "testclient") -> tuple[TestClient, str]:
    c = _client(world, address)
    csrf = csrf_of(c.get("/login").text)
    response = c.post("/login", data={"login": login, "password": PASSWORD, "csrf": csrf})
    assert response.url.path == "/ask", response.text
    return c, csrf


def _invite(world: WebWorld, **place: str) -> str:
    invite = world.services.accounts.create_invite(Role.SECRETARY, **place)
    return invite.code
