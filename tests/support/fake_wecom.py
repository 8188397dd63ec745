"""A fake WeCom server API on 127.0.0.1 (gettoken, message/send, media/get, media/upload,
user/get, menu/create) for the WeCom channel's tests; anything else is recorded as unexpected
and fails the test."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

CORP_ID = "wwcorp0001"
SECRET = "app-secret-for-tests"
TOKEN = "callbacktoken"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as WeCom gives it
AGENT_ID = 1000002


class FakeWeComAPI:
    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.media: dict[str, bytes] = {}
        self.uploads: list[tuple[str, int]] = []
        self.card_updates: list[dict[str, Any]] = []
        self.unexpected: list[str] = []
        self.gone: set[str] = set()  # users who left the corp
        # the address book (通讯录): UserID → what user/get returns; some outside the app's range
        self.directory: dict[str, dict[str, Any]] = {}
        self.invisible: set[str] = set()
        self.menu: dict[str, Any] | None = None
        self.template_cards = True  # False: an older private deployment that knows none
        self.tokens_issued = 0
        # limits a real corp meets, enforced when set: messages per second for the app, and
        # per member per minute (WeCom: 30); over them, errcode 45009 and nothing is delivered
        self.app_per_second: float | None = None
        self.member_per_minute: int | None = None
        self.rate_violations = 0
        self.clock: Callable[[], float] = time.monotonic
        self.sent_at: list[float] = []
        self._recent: list[float] = []
        self._member_recent: dict[str, list[float]] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/cgi-bin"

    def __enter__(self) -> FakeWeComAPI:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        assert not self.unexpected, f"unexpected WeCom API calls: {self.unexpected}"

    def texts_to(self, user: str) -> list[str]:
        with self._lock:
            return [
                m["text"]["content"]
                for m in self.sent
                if m["touser"] == user and m["msgtype"] == "text"
            ]

    def cards_to(self, user: str) -> list[dict[str, Any]]:
        with self._lock:
            return [
                m["template_card"]
                for m in self.sent
                if m["touser"] == user and m["msgtype"] == "template_card"
            ]

    def _within_limits(self, user: str) -> bool:
        now = self.clock()
        with self._lock:
            if self.app_per_second is not None:
                self._recent = [t for t in self._recent if now - t < 1.0]
                if len(self._recent) >= self.app_per_second:
                    self.rate_violations += 1
                    return False
                self._recent.append(now)
            if self.member_per_minute is not None:
                recent = [t for t in self._member_recent.get(user, []) if now - t < 60.0]
                if len(recent) >= self.member_per_minute:
                    self.rate_violations += 1
                    return False
                self._member_recent[user] = [*recent, now]
        return True

    def _member(self, user_id: str) -> dict[str, Any]:
        # UserIDs are matched without regard to case, and answered in the address book's form
        found = next((u for u in self.directory if u.lower() == user_id.lower()), None)
        if found is None:
            return {"errcode": 60111, "errmsg": "invalid userid"}
        if found in self.invisible:
            return {"errcode": 60011, "errmsg": "no privilege to access/modify contact"}
        return {"errcode": 0, "errmsg": "ok", **self.directory[found]}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _json(self, payload: dict[str, Any]) -> None:
                body = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _query(self) -> tuple[str, dict[str, str]]:
                parts = urlsplit(self.path)
                return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}

            def _authorised(self, query: dict[str, str]) -> bool:
                if query.get("access_token") != "token-1":
                    self._json({"errcode": 40014, "errmsg": "invalid access_token"})
                    return False
                return True

            def do_GET(self) -> None:
                path, query = self._query()
                if path == "/cgi-bin/gettoken":
                    if (query.get("corpid"), query.get("corpsecret")) != (CORP_ID, SECRET):
                        self._json({"errcode": 40001, "errmsg": "invalid credential"})
                        return
                    fake.tokens_issued += 1
                    self._json({"errcode": 0, "access_token": "token-1", "expires_in": 7200})
                    return
                if path == "/cgi-bin/media/get" and self._authorised(query):
                    data = fake.media.get(query.get("media_id", ""))
                    if data is None:
                        self._json({"errcode": 40007, "errmsg": "invalid media_id"})
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "image/jpeg")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return
                if path == "/cgi-bin/user/get" and self._authorised(query):
                    self._json(fake._member(query.get("userid", "")))
                    return
                if path not in ("/cgi-bin/media/get", "/cgi-bin/user/get"):
                    fake.unexpected.append(f"GET {path}")
                    self.send_error(404)

            def do_POST(self) -> None:
                path, query = self._query()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if path == "/cgi-bin/message/send":
                    if not self._authorised(query):
                        return
                    message = json.loads(body)
                    if message.get("agentid") != AGENT_ID:
                        fake.unexpected.append(f"message/send for agent {message.get('agentid')}")
                    if message["msgtype"] == "template_card" and not fake.template_cards:
                        self._json({"errcode": 40008, "errmsg": "invalid message type"})
                        return
                    if message["touser"] in fake.gone:
                        self._json({"errcode": 81013, "errmsg": "user not in corp"})
                        return
                    if not fake._within_limits(message["touser"]):
                        self._json({"errcode": 45009, "errmsg": "reach max api daily quota limit"})
                        return
                    with fake._lock:
                        fake.sent.append(message)
                        fake.sent_at.append(time.monotonic())
                    self._json({"errcode": 0, "errmsg": "ok", "msgid": str(len(fake.sent))})
                    return
                if path == "/cgi-bin/message/update_template_card":
                    if not self._authorised(query):
                        return
                    update = json.loads(body)
                    with fake._lock:
                        fake.card_updates.append(update)
                    self._json({"errcode": 0, "errmsg": "ok"})
                    return
                if path == "/cgi-bin/media/upload":
                    if not self._authorised(query):
                        return
                    with fake._lock:
                        fake.uploads.append((query.get("type", ""), len(body)))
                    self._json({"errcode": 0, "type": query.get("type"), "media_id": "up-1"})
                    return
                if path == "/cgi-bin/menu/create":
                    if not self._authorised(query):
                        return
                    menu = json.loads(body)
                    problem = _menu_problem(menu)
                    if query.get("agentid") != str(AGENT_ID) or problem:
                        fake.unexpected.append(f"menu/create: {problem or query}")
                        self._json({"errcode": 40058, "errmsg": "invalid menu"})
                        return
                    fake.menu = menu
                    self._json({"errcode": 0, "errmsg": "ok"})
                    return
                fake.unexpected.append(f"POST {path}")
                self.send_error(404)

        return Handler


def _menu_problem(menu: dict[str, Any]) -> str:
    """What WeCom's menu/create would refuse: over 3 items, over 5 under one, names over 16
    bytes on top or 40 below, a click without a key."""
    buttons = menu.get("button", [])
    if not 1 <= len(buttons) <= 3:
        return f"{len(buttons)} top-level items"
    for top in buttons:
        if len(top.get("name", "").encode()) > 16:
            return f"top-level name too long: {top.get('name')}"
        subs = top.get("sub_button", [])
        if len(subs) > 5:
            return f"{len(subs)} items under {top['name']}"
        for item in subs or [top]:
            if len(item.get("name", "").encode()) > 40:
                return f"name too long: {item.get('name')}"
            if item.get("type") == "click" and not 0 < len(item.get("key", "").encode()) <= 128:
                return f"click without a key: {item.get('name')}"
    return ""
