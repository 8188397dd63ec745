"""Issue 25's web and WeCom attacks, tried against the real app over real services (SQLite,
Chroma, the hashing embedder) through HTTP (Starlette's TestClient) and the ASGI interface:

    .venv/bin/python -m bench.web_attacks        (also run at the end of bench.attacks)

Prints, per category, how many attacks were tried and how many were held.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import re
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

MB = 1024 * 1024
Tally = dict[str, list[bool]]


def _world(tmp: Path) -> Any:
    from bot.services import make_knowledge_base
    from tests.support.fakes import HashingEmbeddings
    from tests.support.web_harness import make_web_world

    knowledge = tmp / "knowledge"
    knowledge.mkdir()

    def build(embeddings: Any = None) -> Any:
        data = tmp / "data"
        return make_knowledge_base(
            database_url=f"sqlite:///{data / 'partybot.db'}",
            chroma_dir=data / "chroma",
            keyword_dir=data / "bm25",
            knowledge_dir=knowledge,
            embeddings=embeddings or HashingEmbeddings(),
        )

    return make_web_world(build, knowledge, tmp)


def _client(world: Any, address: str = "203.0.113.1") -> TestClient:
    return TestClient(world.app, raise_server_exceptions=False, client=(address, 50000))


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    return found.group(1) if found else ""


def _login(world: Any, login: str, address: str = "203.0.113.1") -> tuple[TestClient, str, bool]:
    from tests.support.web_harness import PASSWORD

    c = _client(world, address)
    csrf = _csrf(c.get("/login").text)
    response = c.post("/login", data={"login": login, "password": PASSWORD, "csrf": csrf})
    return c, csrf, response.url.path == "/ask"


def _basic(login: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()}


class _ScriptFinder(HTMLParser):
    """What on a page could run: inline scripts, handlers, scripts from elsewhere."""

    def __init__(self) -> None:
        super().__init__()
        self.runnable: list[str] = []
        self.texts: set[str] = set()
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.runnable += [f"{tag} {k}" for k in values if k.startswith("on")]
        if tag == "script":
            self._in_script = True
            if not (values.get("src") or "").startswith("/static/"):
                self.runnable.append(f"script src={values.get('src')}")
        self.texts.update(v for k, v in attrs if k == "data-confirm" and v)

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.runnable.append("inline script")
        self.texts.add(data.strip())


def xss_and_headers(world: Any, tally: Tally) -> None:
    """Item 2: hostile titles never land in script context; every response has the policy."""
    from bot.channels.web.headers import SECURITY_HEADERS

    payloads = (
        "甲');fetch('/api/users');//",
        "乙'+(localStorage.x=1)+'",
        "丙</script><script>alert(1)</script>",
        '丁<img src=x onerror="alert(1)">',
        '戊" onmouseover="alert(1)" x="',
    )
    for n, title in enumerate(payloads):
        (world.settings.knowledge_dir / f"x{n}.md").write_text(
            f"# {title}\n\n第一条　内容。\n", encoding="utf-8"
        )
    world.services.library.reindex()
    admin, _, _ = _login(world, "admin")
    page = _ScriptFinder()
    page.feed(admin.get("/knowledge").text)
    for title in payloads:  # listed, and nothing on the page can run but the console's own files
        tally["xss"].append(title in page.texts and not page.runnable)
    for path in ("/knowledge", "/login", "/static/page.js", "/api/reports", "/nowhere"):
        headers = admin.get(path).headers
        tally["xss"].append(all(headers.get(k) == v for k, v in SECURITY_HEADERS.items()))


def sessions(world: Any, tally: Tally) -> None:
    """Item 7: a cookie from before 退出, a password change, a revocation; CSRF beside Basic."""
    c, csrf, _ = _login(world, "staff")
    copied = dict(c.cookies)
    c.post("/logout", data={"csrf": csrf})
    thief = _client(world)
    thief.cookies.update(copied)
    tally["sessions"].append(thief.get("/api/reports").status_code == 401)
    c, _, _ = _login(world, "sec2")
    copied = dict(c.cookies)
    world.services.logins.set_password("sec2", "changed-password-1")
    thief = _client(world)
    thief.cookies.update(copied)
    tally["sessions"].append(thief.get("/api/reports").status_code == 401)
    admin, _, _ = _login(world, "admin", "198.51.100.77")  # its failures count for this address
    for n in range(5):
        response = admin.post(
            "/api/invites", json={"role": "staff"}, headers=_basic("admin", f"wrong-{n}")
        )
        tally["sessions"].append(response.status_code == 401)


def logins(world: Any, tally: Tally) -> None:
    """Item 5: a guesser slows only themselves; registration tells nothing before the code."""
    from bot.people.accounts import Role
    from bot.people.invites import RegistrationError

    attacker = _client(world, "198.51.100.66")
    csrf = _csrf(attacker.get("/login").text)
    for n in range(100):
        attacker.post("/login", data={"login": "sec", "password": f"guess-{n:04d}", "csrf": csrf})
        attacker.get("/api/reports", headers=_basic("staff", f"guess-{n:04d}"))
    _, _, got_in = _login(world, "sec", "203.0.113.50")
    tally["logins"].append(got_in)
    from tests.support.web_harness import PASSWORD

    real = _client(world, "203.0.113.51").get("/api/reports", headers=_basic("staff", PASSWORD))
    tally["logins"].append(real.status_code == 200)
    for n in range(120):  # wrong invite codes from many sources
        with contextlib.suppress(RegistrationError):
            world.services.accounts.invites.register(
                f"g{n}", "WRONG234", channel="web", chat=f"web-address:198.51.100.{n % 30}"
            )
    code = world.services.accounts.invites.create_invite(Role.STAFF, township="城关镇").code
    tally["logins"].append(
        world.services.accounts.invites.register("8001", code, channel="telegram").role
        == Role.STAFF
    )
    prober = _client(world, "198.51.100.99")
    csrf = _csrf(prober.get("/register").text)
    texts = []
    for login in ("sec", "admin", "free-1", "free-2", "staff"):
        form = {"code": "WRONG234", "login": login, "password": "p" * 10, "password2": "p" * 10}
        texts.append(prober.post("/register", data={**form, "csrf": csrf}).text)
    tally["logins"].append(len({re.sub(r'value="[^"]*"', "", t) for t in texts}) == 1)


def scope(world: Any, tally: Tally) -> None:
    """Item 6: places outside the viewer's scope asked for by parameter."""
    staff, _, _ = _login(world, "staff")
    sec, _, _ = _login(world, "sec")
    for path in ("/ledger.xlsx", "/ledger", "/api/reports"):
        for params in ({"township": "河口镇"}, {"township": "河口镇", "month": "2026-11"}):
            tally["scope"].append(staff.get(path, params=params).status_code == 403)
    for params in (
        {"village": "李家村"},
        {"township": "河口镇"},
        {"township": "河口镇", "village": "张家村"},
    ):
        tally["scope"].append(sec.get("/api/reports", params=params).status_code == 403)


def hostile_input(world: Any, tally: Tally) -> None:
    """Item 9: button data, ids past 64 bits, a missing broadcast, a 255-byte file name."""
    admin, csrf, _ = _login(world, "admin")
    for path in (
        "/api/broadcasts/999",
        "/api/broadcasts/99999999999999999999",
        "/api/reports/99999999999999999999",
        "/ledger/99999999999999999999",
    ):
        tally["hostile input"].append(admin.get(path).status_code == 404)
    sec, csrf, _ = _login(world, "sec")
    for action in ("src:99999999999999999999", "rp:ok:²", "rp:edit:٣", "fb:1:99999999999999999999"):
        response = sec.post(
            "/api/conversation/presses", json={"action": action}, headers={"X-CSRF-Token": csrf}
        )
        tally["hostile input"].append(response.status_code == 200)
    admin, admin_csrf, _ = _login(world, "admin")
    name = "党" * 83 + ".md"
    response = admin.post(
        "/api/documents",
        files=[("files", (name, "# 标题\n\n第一条　内容。\n".encode(), "text/markdown"))],
        headers={"X-CSRF-Token": admin_csrf},
    )
    tally["hostile input"].append("文件名太长" in response.text)


def disk(world: Any, tally: Tally) -> str:
    """Item 8: a secretary's nine-photo uploads without a report, then the sweep."""
    from bot.reports.media import MAX_UNATTACHED_BYTES
    from bot.runtime.housekeeping import prune
    from tests.support.web_harness import JPEG

    c, csrf, _ = _login(world, "sec")
    photos = world.settings.data_dir / "media" / "photos"
    for request in range(12):  # 108 photos of 1 MB each, none described
        files = [
            ("files", (f"{n}.jpg", JPEG + bytes([request, n]) * (MB // 2), "image/jpeg"))
            for n in range(9)
        ]
        c.post("/api/conversation/photos", files=files, headers={"X-CSRF-Token": csrf})
    kept = sum(p.stat().st_size for p in photos.glob("*/*"))
    tally["disk"].append(kept <= MAX_UNATTACHED_BYTES)
    result = prune(
        session_factory=world.sessions,
        clock=lambda: datetime.now(UTC) + timedelta(days=2),
        retention=timedelta(days=7),
        timezone=UTC,
        media_dir=world.settings.data_dir / "media",
    )
    left = list(photos.glob("*/*"))
    tally["disk"].append(not left)
    return (
        f"12 uploads of 9 × 1 MB kept {kept / MB:.0f} MB; the sweep removed {result.orphan_photos}"
    )


def wecom(tmp: Path, tally: Tally) -> str:
    """Item 4: huge bodies, forged and replayed callbacks, broken inner XML, an entity bomb."""
    from tests.support.wecom_harness import callback, text_message, wecom_world

    class _NoKb:  # the WeCom world builds its knowledge base through this
        def __call__(self, embeddings: Any = None) -> Any:
            from bot.services import make_knowledge_base
            from tests.support.fakes import HashingEmbeddings

            data = tmp / "wecom-data"
            return make_knowledge_base(
                database_url=f"sqlite:///{data / 'p.db'}",
                chroma_dir=data / "chroma",
                keyword_dir=data / "bm25",
                knowledge_dir=tmp / "wecom-knowledge",
                embeddings=embeddings or HashingEmbeddings(),
            )

    (tmp / "wecom-knowledge").mkdir()
    with wecom_world(_NoKb(), tmp / "wecom-knowledge", tmp / "wecom") as world:
        app = world.client.app
        status, read, peak = _post_raw(app, 600 * MB, declare=True)
        tally["wecom"].append(status == 413 and read == 0)
        status, read, peak = _post_raw(app, 600 * MB, declare=False)
        tally["wecom"].append(status == 413 and read <= 128 * 1024)
        forged = callback(world.client, text_message("zhangsan", "问", 1), signature="0" * 40)
        tally["wecom"].append(forged.status_code == 403)
        old = callback(world.client, text_message("zhangsan", "问", 2), sent=time.time() - 3600)
        tally["wecom"].append(old.status_code == 403)
        for inner in ("<xml><a></b></xml>", "not xml"):
            tally["wecom"].append(callback(world.client, inner).status_code == 400)
        bomb = '<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Encrypt>&a;</Encrypt></xml>'
        params = {"msg_signature": "0" * 40, "timestamp": str(int(time.time())), "nonce": "n"}
        answer = world.client.post("/wecom/callback", params=params, content=bomb.encode())
        tally["wecom"].append(answer.status_code == 400)
        tally["wecom"].append(world.fake.sent == [])
    return f"a chunked 600 MB callback: read {read // 1024} KB, peak {peak / MB:.2f} MB allocated"


def _post_raw(app: Any, size: int, *, declare: bool) -> tuple[int, int, int]:
    read = status = 0

    async def receive() -> dict[str, Any]:
        nonlocal read
        part = min(64 * 1024, size - read)
        read += part
        return {"type": "http.request", "body": b"<" * part, "more_body": read < size}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/wecom/callback",
        "raw_path": b"/wecom/callback",
        "query_string": f"msg_signature=0&timestamp={int(time.time())}&nonce=n".encode(),
        "headers": [(b"content-length", str(size).encode())] if declare else [],
        "client": ("203.0.113.9", 4000),
        "server": ("127.0.0.1", 8090),
        "root_path": "",
    }
    tracemalloc.start()
    try:
        asyncio.run(app(scope, receive, send))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return status, read, peak


def run(tmp: Path, say: Callable[[str], None] = print) -> Tally:
    tally: Tally = {
        k: [] for k in ("xss", "wecom", "logins", "scope", "sessions", "disk", "hostile input")
    }
    world = _world(tmp)
    xss_and_headers(world, tally)
    sessions(world, tally)
    logins(world, tally)
    scope(world, tally)
    hostile_input(world, tally)
    notes = [disk(world, tally), wecom(tmp, tally)]
    for category, results in tally.items():
        say(f"web/WeCom {category}: held {sum(results)}/{len(results)}")
    for note in notes:
        say(f"  {note}")
    return tally


def main() -> None:
    import logging

    logging.basicConfig(level=logging.CRITICAL)
    with tempfile.TemporaryDirectory() as name:
        run(Path(name))


if __name__ == "__main__":
    main()
