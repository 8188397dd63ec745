"""Issue 25's web and WeCom hardening through real HTTP: security headers on every response,
sessions ended on the server, CSRF beside a wrong Basic header, per-source login and invite
limits, the registration that tells nothing before the code is valid, scope by parameter,
hostile ids and file names. The XSS payloads run in the browser tests (test_web_browser.py)."""

from __future__ import annotations

import base64
import socket
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.channels.web import messages
from bot.channels.web.headers import SECURITY_HEADERS
from bot.people.accounts import Role
from bot.people.invites import RegistrationError
from tests.support.web_harness import JPEG, PASSWORD, WebWorld, make_web_world
from tests.test_web import csrf_of


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
    for template in (Path(__file__).parents[1] / "bot/channels/web/templates").glob("*.html"):
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
    invite = world.services.accounts.invites.create_invite(Role.SECRETARY, **place)
    return invite.code


# -- item 7: sessions end on the server; a wrong Basic header is no way round CSRF --------------


def test_a_cookie_captured_before_logout_is_refused(world: WebWorld) -> None:
    c, csrf = _login(world, "staff")
    captured = dict(c.cookies)
    assert c.get("/api/reports").status_code == 200
    c.post("/logout", data={"csrf": csrf})
    thief = _client(world)
    thief.cookies.update(captured)
    assert thief.get("/api/reports").status_code == 401
    assert thief.get("/ledger", follow_redirects=False).status_code == 303


def test_a_password_change_and_a_revocation_end_sessions_on_the_server(world: WebWorld) -> None:
    c, _ = _login(world, "sec")
    world.services.logins.set_password("sec", "another-password-9")
    assert c.get("/api/reports").status_code == 401
    c, _ = _login(world, "staff")
    staff = world.services.accounts.member_at("web", "staff")
    assert staff is not None
    world.services.accounts.revoke(staff.id)
    assert c.get("/api/reports").status_code == 401


def test_a_wrong_basic_header_beside_a_session_does_not_skip_csrf(world: WebWorld) -> None:
    c, _ = _login(world, "admin")
    wrong = {"Authorization": "Basic " + base64.b64encode(b"admin:nope").decode()}
    response = c.post("/api/invites", json={"role": "staff"}, headers=wrong)
    assert response.status_code == 401
    response = c.post("/users/invite", data={"role": "staff", "township": "城关镇"}, headers=wrong)
    assert "邀请码：" not in response.text
    assert world.services.accounts.directory()  # the users are there, and no invite was made
    right = {"Authorization": "Basic " + base64.b64encode(f"admin:{PASSWORD}".encode()).decode()}
    response = c.post("/api/invites", json={"role": "staff", "township": "城关镇"}, headers=right)
    assert response.status_code == 201  # the API with the right password needs no token


# -- item 5: limits per source and per account; registration tells nothing before the code -----


def test_a_guesser_slows_only_themselves(world: WebWorld) -> None:
    attacker = _client(world, "198.51.100.7")
    csrf = csrf_of(attacker.get("/login").text)
    for _ in range(30):
        attacker.post("/login", data={"login": "sec", "password": "guess-guess", "csrf": csrf})
    response = attacker.post("/login", data={"login": "sec", "password": PASSWORD, "csrf": csrf})
    assert messages.LOGIN_ERRORS["throttled"] in response.text  # the guesser's address is out
    _login(world, "sec", "203.0.113.20")  # the real user, from their own address, gets in
    # Basic is counted the same way
    basic_wrong = {"Authorization": "Basic " + base64.b64encode(b"staff:nope").decode()}
    for _ in range(6):
        attacker.get("/api/reports", headers=basic_wrong)
    basic_right = {
        "Authorization": "Basic " + base64.b64encode(f"staff:{PASSWORD}".encode()).decode()
    }
    assert (
        _client(world, "203.0.113.21").get("/api/reports", headers=basic_right).status_code == 200
    )


def test_wrong_invite_codes_block_only_their_source(world: WebWorld) -> None:
    for n in range(60):  # fifty used to block every registration on every channel
        address = f"198.51.100.{n % 12}"
        with pytest.raises(RegistrationError):
            world.services.accounts.invites.register(
                f"guess{n}", "WRONG234", channel="web", chat=f"web-address:{address}"
            )
    code = _invite(world, township="城关镇", village="赵家村")
    newcomer = _client(world, "203.0.113.30")
    csrf = csrf_of(newcomer.get("/register").text)
    form = {"code": code, "login": "zhao", "password": "zhaojia-2026", "password2": "zhaojia-2026"}
    response = newcomer.post("/register", data={**form, "csrf": csrf})
    assert response.url.path == "/ask", response.text
    telegram = world.services.accounts.invites.register(
        "777", _invite(world, village="钱家村"), channel="telegram"
    )
    assert telegram.village == "钱家村"


def test_registration_tells_taken_from_free_only_with_a_valid_code(world: WebWorld) -> None:
    prober = _client(world, "198.51.100.50")
    csrf = csrf_of(prober.get("/register").text)
    answers = []
    for login in ("sec", "nobody-here", "admin", "free-name", "staff"):
        form = {"code": "WRONG234", "login": login, "password": "x" * 10, "password2": "x" * 10}
        answers.append(prober.post("/register", data={**form, "csrf": csrf}).text)
    assert all(messages.LOGIN_ERRORS["unknown"] in a for a in answers)
    assert not any(messages.LOGIN_ERRORS["taken"] in a for a in answers)
    form = {"code": "WRONG234", "login": "sec", "password": "x" * 10, "password2": "x" * 10}
    throttled = prober.post("/register", data={**form, "csrf": csrf})
    assert messages.LOGIN_ERRORS["code_throttled"] in throttled.text  # the sixth try: slowed
    # with a valid code the invitee is told the name is taken
    invitee = _client(world, "203.0.113.40")
    csrf = csrf_of(invitee.get("/register").text)
    form = {"code": _invite(world, village="孙家村"), "login": "sec", "password": "y" * 10}
    response = invitee.post("/register", data={**form, "password2": "y" * 10, "csrf": csrf})
    assert messages.LOGIN_ERRORS["taken"] in response.text


def test_forwarded_addresses_are_believed_only_from_named_proxies() -> None:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from bot.channels.serving import proxied_server

    def whoami(request: Request) -> PlainTextResponse:
        return PlainTextResponse(request.client.host if request.client else "")

    app = Starlette(routes=[Route("/", whoami)])
    for trusted, expected in (("", "127.0.0.1"), ("127.0.0.1", "203.0.113.99")):
        port = _free_port()
        server = proxied_server(app, "127.0.0.1", port, trusted_proxies=trusted)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        try:
            answer = httpx.get(
                f"http://127.0.0.1:{port}/", headers={"X-Forwarded-For": "203.0.113.99"}
            )
            assert answer.text == expected, trusted
        finally:
            server.should_exit = True
            thread.join(10)


# -- item 6: a place outside the viewer's scope, by parameter, is refused -----------------------


def test_out_of_scope_places_by_parameter_are_refused(world: WebWorld) -> None:
    staff, _ = _login(world, "staff")  # 城关镇
    for path in ("/ledger.xlsx", "/ledger", "/api/reports"):
        response = staff.get(path, params={"month": "2026-11", "township": "河口镇"})
        assert response.status_code == 403, path
        assert "河口镇" not in response.headers.get("content-disposition", "")
    assert staff.get("/ledger.xlsx", params={"township": "城关镇"}).status_code == 200
    calendar = {"year": "2026", "township": "河口镇"}
    assert staff.get("/api/calendar", params=calendar).status_code == 403
    assert staff.get("/api/calendar", params={**calendar, "township": "城关镇"}).status_code == 200
    sec, _ = _login(world, "sec")  # 城关镇张家村
    for params in (
        {"village": "李家村"},
        {"township": "河口镇"},
        {"township": "河口镇", "village": "张家村"},
    ):
        assert sec.get("/api/reports", params=params).status_code == 403, params
    assert sec.get("/api/reports", params={"village": "张家村"}).status_code == 200
    admin, _ = _login(world, "admin")
    assert admin.get("/ledger.xlsx", params={"township": "河口镇"}).status_code == 200


# -- item 9: hostile ids, button data and file names -----------------------------------------------


def test_hostile_ids_and_button_data_are_answers_not_500s(world: WebWorld) -> None:
    admin, csrf = _login(world, "admin")
    for path in (
        "/api/broadcasts/999",
        "/api/broadcasts/99999999999999999999",
        "/api/reports/99999999999999999999",
        "/ledger/99999999999999999999",
    ):
        assert admin.get(path).status_code == 404, path
    sec, csrf = _login(world, "sec")
    for action in (
        "src:99999999999999999999",
        "rp:ok:²",
        "rp:edit:٣",
        "rp:no:99999999999999999999",
        "fb:1:99999999999999999999",
    ):
        response = sec.post(
            "/api/conversation/presses", json={"action": action}, headers={"X-CSRF-Token": csrf}
        )
        assert response.status_code == 200, (action, response.text)
        assert response.json()[0]["text"], action


def test_a_255_byte_upload_name_is_said_to_be_too_long(world: WebWorld) -> None:
    admin, csrf = _login(world, "admin")
    name = "党" * 83 + ".md"  # 249 + 3 bytes: the kept copy's name would pass 255
    response = admin.post(
        "/api/documents",
        files=[("files", (name, "# 标题\n\n第一条　内容。\n".encode(), "text/markdown"))],
        headers={"X-CSRF-Token": csrf},
    )
    assert "文件名太长" in response.text, response.text


# -- item 8: photos on no report are limited per user, and swept with their rows ------------------


def _photos(c: TestClient, csrf: str, tag: str, count: int, caption: str = "") -> list[dict]:
    files = [
        ("files", (f"{n}.jpg", JPEG + f"{tag}-{n}".encode(), "image/jpeg")) for n in range(count)
    ]
    response = c.post(
        "/api/conversation/photos",
        files=files,
        data={"caption": caption},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200, response.text
    return response.json()


def _press(c: TestClient, csrf: str, card: dict, label: str) -> None:
    action = next(b["action"] for row in card["buttons"] for b in row if b["label"] == label)
    c.post("/api/conversation/presses", json={"action": action}, headers={"X-CSRF-Token": csrf})


def _kept(world: WebWorld) -> list[Path]:
    return sorted((world.settings.data_dir / "media" / "photos").glob("*/*"))


def test_photos_on_no_report_are_held_to_a_quota(world: WebWorld) -> None:
    from bot import messages as chat_messages
    from bot.reports.media import MAX_UNATTACHED_PHOTOS

    c, csrf = _login(world, "sec")
    replies: list[dict] = []
    for request in range(MAX_UNATTACHED_PHOTOS // 9 + 2):  # past the quota, nine at a time
        replies += _photos(c, csrf, f"r{request}", 9)
    assert len(_kept(world)) == MAX_UNATTACHED_PHOTOS
    assert replies[-1]["text"] == chat_messages.REPORT_PHOTO_QUOTA
    # the sentence they wait for makes the card; confirmed, the quota is free again
    card = c.post(
        "/api/conversation/messages",
        json={"text": "11月20日张家村开展主题党日，应到30人实到28人"},
        headers={"X-CSRF-Token": csrf},
    ).json()[0]
    _press(c, csrf, card, "确认")
    assert c.get("/api/reports").json()["reports"][0]["photos"] == MAX_UNATTACHED_PHOTOS
    assert _photos(c, csrf, "next", 1)[0]["text"] != chat_messages.REPORT_PHOTO_QUOTA


def test_the_quota_counts_bytes_too(world: WebWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot import messages as chat_messages
    from bot.reports import media

    monkeypatch.setattr(media, "MAX_UNATTACHED_BYTES", 3 * 1024)
    c, csrf = _login(world, "sec")
    big = JPEG + b"\x00" * 1024  # about 1.2 KB each
    files = [("files", (f"{n}.jpg", big + bytes([n]), "image/jpeg")) for n in range(5)]
    replies = c.post("/api/conversation/photos", files=files, headers={"X-CSRF-Token": csrf}).json()
    assert len(_kept(world)) == 2
    assert any(r["text"] == chat_messages.REPORT_PHOTO_QUOTA for r in replies)


def test_orphan_photos_are_swept_with_their_rows(world: WebWorld) -> None:
    from datetime import UTC, datetime, timedelta

    from bot.runtime.housekeeping import prune

    c, csrf = _login(world, "sec")
    card = _photos(c, csrf, "kept", 2, "11月20日张家村开展主题党日，应到30人实到28人")[0]
    _press(c, csrf, card, "确认")  # on a report: stays
    card = _photos(c, csrf, "cancelled", 3, "11月21日张家村开展主题党日，应到30人实到28人")[0]
    _press(c, csrf, card, "取消")  # a cancelled card's photos: orphans
    _photos(c, csrf, "waited", 1)  # waits for a sentence that never comes
    assert len(_kept(world)) == 6
    sessions = world.sessions
    now = datetime.now(UTC)
    media_dir = world.settings.data_dir / "media"
    early = prune(
        session_factory=sessions,
        clock=lambda: now,
        retention=timedelta(days=7),
        timezone=UTC,
        media_dir=media_dir,
    )
    assert early.orphan_photos == 0 and len(_kept(world)) == 6  # too young to be orphans
    later = prune(
        session_factory=sessions,
        clock=lambda: now + timedelta(days=2),
        retention=timedelta(days=7),
        timezone=UTC,
        media_dir=media_dir,
    )
    assert later.orphan_photos == 4 and len(_kept(world)) == 2
    c, _ = _login(world, "sec")  # two days on, the session has ended (and was pruned too)
    report_id = c.get("/api/reports").json()["reports"][0]["id"]
    assert c.get(f"/ledger/{report_id}/photos/2").status_code == 200
