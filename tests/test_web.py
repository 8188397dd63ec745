"""The web console through its HTTP interface (Starlette's TestClient over the real app and
services): login, CSRF, throttling, scope on every route, the API with HTTP Basic, and each
page's work. The browser tests (test_web_browser.py) drive the same pages in Chromium."""

from __future__ import annotations

import base64
import re
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from bot.channels.web import messages
from bot.people.accounts import Role
from tests.support.web_harness import JPEG, PASSWORD, WebWorld, make_web_world


@pytest.fixture
def world(make_kb, knowledge_dir: Path, tmp_path: Path) -> WebWorld:
    return make_web_world(make_kb, knowledge_dir, tmp_path)


def client(world: WebWorld) -> TestClient:
    return TestClient(world.app, raise_server_exceptions=False)


def csrf_of(page_html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page_html)
    assert found, "no CSRF field on the page"
    return found.group(1)


def logged_in(world: WebWorld, login: str) -> tuple[TestClient, str]:
    c = client(world)
    csrf = csrf_of(c.get("/login").text)
    response = c.post("/login", data={"login": login, "password": PASSWORD, "csrf": csrf})
    assert response.status_code == 200 and response.url.path == "/ask", response.text
    return c, csrf


def basic(login: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{login}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def say(c: TestClient, csrf: str, text: str) -> list[dict]:
    response = c.post(
        "/api/conversation/messages", json={"text": text}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_pages_need_a_login_and_the_api_answers_401(world: WebWorld) -> None:
    c = client(world)
    for page in ("/ask", "/ledger", "/calendar", "/knowledge", "/users", "/broadcast"):
        response = c.get(page, follow_redirects=False)
        assert response.status_code == 303 and "/login" in response.headers["location"]
    response = c.get("/api/reports")
    assert response.status_code == 401 and response.json()["detail"] == messages.LOGIN_NEEDED


def test_login_wrong_password_is_throttled_and_logout_ends_the_session(world: WebWorld) -> None:
    c = client(world)
    csrf = csrf_of(c.get("/login").text)
    for _ in range(5):
        response = c.post("/login", data={"login": "sec", "password": "wrong-one", "csrf": csrf})
        assert response.status_code == 400 and messages.LOGIN_ERRORS["wrong"] in response.text
    response = c.post("/login", data={"login": "sec", "password": PASSWORD, "csrf": csrf})
    assert messages.LOGIN_ERRORS["throttled"] in response.text  # even the right password, now
    c2, csrf2 = logged_in(world, "staff")
    c2.post("/logout", data={"csrf": csrf2})
    assert c2.get("/ask", follow_redirects=False).status_code == 303


def test_forms_and_api_calls_without_the_csrf_token_are_refused(world: WebWorld) -> None:
    c, csrf = logged_in(world, "admin")
    response = c.post("/api/conversation/messages", json={"text": "你好"})
    assert response.status_code == 403 and response.json()["detail"] == messages.CSRF_FAILED
    response = c.post("/users/invite", data={"role": "staff", "csrf": "forged"})
    assert response.status_code == 403 and messages.CSRF_FAILED in response.text
    response = c.post("/users/invite", data={"role": "staff", "township": "城关镇", "csrf": csrf})
    assert "邀请码：" in response.text


def test_a_changed_password_ends_other_sessions_and_a_revoked_user_is_out(world: WebWorld) -> None:
    c, _ = logged_in(world, "sec")
    world.services.logins.set_password("sec", "another-password-9")
    assert c.get("/ask", follow_redirects=False).status_code == 303
    c, _ = logged_in(world, "staff")
    staff = world.services.accounts.member_at("web", "staff")
    assert staff is not None
    world.services.accounts.revoke(staff.id)
    assert c.get("/ledger", follow_redirects=False).status_code == 303


def test_ask_quotes_the_article_and_the_buttons_work(world: WebWorld) -> None:
    c, csrf = logged_in(world, "staff")
    replies = say(c, csrf, "主题党日多久搞一次")
    assert "《中国共产党支部工作条例（试行）》第九条" in replies[0]["text"]
    labels = [b["label"] for row in replies[0]["buttons"] for b in row]
    assert labels == ["查看原文", "有用", "没用"]
    source = replies[0]["buttons"][0][0]["action"]
    shown = c.post(
        "/api/conversation/presses", json={"action": source}, headers={"X-CSRF-Token": csrf}
    )
    assert "每月相对固定1天" in shown.json()[0]["text"]
    follow_up = say(c, csrf, "那第十条呢")
    assert "组织生活会" in follow_up[0]["text"]
    refused = say(c, csrf, "《村民委员会组织法》第三条怎么说")
    assert "第九条" not in refused[0]["text"]


def test_a_secretary_logs_a_report_with_photos_and_confirms_it(world: WebWorld) -> None:
    c, csrf = logged_in(world, "sec")
    response = c.post(
        "/api/conversation/photos",
        files=[
            ("files", ("1.jpg", JPEG, "image/jpeg")),
            ("files", ("2.jpg", JPEG + b"2", "image/jpeg")),
        ],
        data={"caption": "11月20日张家村开展主题党日，应到30人实到28人"},
        headers={"X-CSRF-Token": csrf},
    )
    card = response.json()[0]
    assert "照片：2 张" in card["text"]
    confirm = next(b["action"] for row in card["buttons"] for b in row if b["label"] == "确认")
    done = c.post(
        "/api/conversation/presses", json={"action": confirm}, headers={"X-CSRF-Token": csrf}
    )
    assert done.json()[0]["replace"]
    rows = c.get("/api/reports").json()
    assert rows["total"] == 1 and rows["reports"][0]["photos"] == 2
    report_id = rows["reports"][0]["id"]
    photo = c.get(f"/ledger/{report_id}/photos/1")
    assert photo.status_code == 200 and photo.content == JPEG
    # the same confirm again (a double tap) logs nothing more
    c.post("/api/conversation/presses", json={"action": confirm}, headers={"X-CSRF-Token": csrf})
    assert c.get("/api/reports").json()["total"] == 1
    bad = c.post(
        "/api/conversation/photos",
        files=[("files", ("x.jpg", b"not a picture", "image/jpeg"))],
        headers={"X-CSRF-Token": csrf},
    )
    assert "照片没有收到" in bad.json()[0]["text"]


def _report(world: WebWorld, login: str, text: str) -> int:
    c, csrf = logged_in(world, login)
    card = say(c, csrf, text)[0]
    confirm = next(b["action"] for row in card["buttons"] for b in row if b["label"] == "确认")
    c.post("/api/conversation/presses", json={"action": confirm}, headers={"X-CSRF-Token": csrf})
    return c.get("/api/reports").json()["reports"][0]["id"]


def test_scope_holds_on_every_ledger_route(world: WebWorld) -> None:
    own = _report(world, "sec", "11月20日张家村开展主题党日，应到30人实到28人")
    other = _report(world, "sec2", "11月21日李家村开展志愿服务，参加15人")
    c, _ = logged_in(world, "sec")
    for path in (f"/ledger/{other}", f"/api/reports/{other}", f"/ledger/{other}/photos/1"):
        assert c.get(path).status_code == 404, path
    assert c.get(f"/api/reports/{own}").status_code == 200
    # another township by parameter: refused, saying so (it was an empty page, issue 25)
    outside = c.get("/api/reports", params={"township": "河口镇"})
    assert outside.status_code == 403 and outside.json()["detail"] == messages.FORBIDDEN
    assert c.get("/ledger.xlsx").status_code == 403  # exports are for staff
    staff, _ = logged_in(world, "staff")  # 城关镇 only
    assert staff.get(f"/api/reports/{other}").status_code == 404
    assert staff.get("/api/reports").json()["total"] == 1
    county = client(world)
    assert county.get("/api/reports", headers=basic("admin")).json()["total"] == 2
    assert county.get("/api/reports", headers=basic("admin", "wrong")).status_code == 401


def test_ledger_export_keeps_the_chinese_file_name_and_lists_missing_branches(
    world: WebWorld,
) -> None:
    _report(world, "sec", "11月20日张家村开展主题党日，应到30人实到28人")
    c, _ = logged_in(world, "admin")
    response = c.get("/ledger.xlsx", params={"month": "2026-11"})
    assert response.status_code == 200
    assert "filename*=UTF-8''%E5%8F%B0%E8%B4%A6" in response.headers["content-disposition"]  # 台账
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert any("张家村" in str(cell.value) for row in sheet.iter_rows() for cell in row)
    missing = c.get("/api/reports/missing", params={"month": "2026-11"}).json()
    assert {"township": "河口镇", "village": "李家村"} in missing
    assert {"township": "城关镇", "village": "张家村"} not in missing
    assert c.get("/api/reports/missing", params={"month": ""}).status_code == 422
    page = c.get("/ledger", params={"month": "2026-11"})
    assert "还没有活动记录的支部（1 个）" in page.text
    bad = c.get("/ledger", params={"month": "2026-13"})
    assert bad.status_code == 200 and messages.BAD_MONTH in bad.text


def test_knowledge_upload_progress_hit_test_and_delete(world: WebWorld) -> None:
    from tests.support.documents import docx_bytes

    c, csrf = logged_in(world, "admin")
    docx = docx_bytes(
        "中国共产党党员教育管理工作条例",
        ["第十二条　党员应当每年参加集中学习培训，时间一般不少于32学时。"],
    )
    response = c.post(
        "/api/documents",
        files=[
            ("files", ("党员教育管理工作条例.docx", docx, "application/octet-stream")),
            ("files", ("病毒.exe", b"MZ", "application/octet-stream")),
        ],
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 202
    job = response.json()
    assert any("不支持这种文件" in p for p in job["problems"])
    world.app.state.web.uploads.run_now(lambda: None)  # the indexing thread has caught up
    progress = c.get(f"/api/documents/jobs/{job['id']}").json()
    assert progress["finished"] and progress["files"][0]["status"] == "done", progress
    titles = [d["title"] for d in c.get("/api/documents").json()]
    assert "中国共产党党员教育管理工作条例" in titles
    hits = c.post(
        "/api/hits", json={"question": "党员每年学习培训多少学时"}, headers={"X-CSRF-Token": csrf}
    ).json()
    assert "党员教育管理工作条例" in hits["hits"][0]["citation"]
    assert hits["hits"][0]["fused"] is not None and "decision" in hits
    # the list is in the re-ranker's order, so its chance is what descends
    chances = [h["chance"] for h in hits["hits"]]
    assert None not in chances and chances == sorted(chances, reverse=True)
    page = c.get("/knowledge", params={"q": "党员每年学习培训多少学时"})
    assert "命中测试" in page.text and "融合" in page.text
    source = next(d["source"] for d in c.get("/api/documents").json() if "教育" in d["title"])
    assert c.delete(f"/api/documents/{source}", headers={"X-CSRF-Token": csrf}).status_code == 204
    secretary, _ = logged_in(world, "sec")
    assert secretary.get("/api/documents").status_code == 403


def test_calendar_theme_day_and_a_bad_file_with_every_problem(world: WebWorld) -> None:
    c, csrf = logged_in(world, "admin")
    c.post(
        "/calendar/theme",
        data={
            "month": "2026-12",
            "theme": "学习贯彻全会精神",
            "tasks": "集中学习\n志愿服务",
            "csrf": csrf,
        },
    )
    months = c.get("/api/calendar", params={"year": 2026}).json()
    december = next(m for m in months if m["month"] == "2026-12")
    assert december["theme"] == "学习贯彻全会精神" and december["tasks"] == ["集中学习", "志愿服务"]
    response = c.put(
        "/api/calendar/days/2026-12",
        json={"day": "2026-12-08", "note": "避开会议"},
        headers={"X-CSRF-Token": csrf},
    )
    assert response.status_code == 200
    wrong = c.put(
        "/api/calendar/days/2026-12", json={"day": "2027-01-08"}, headers={"X-CSRF-Token": csrf}
    )
    assert wrong.status_code == 422
    bad = b"themes:\n  - month: 2026-13\n    theme: x\n  - month: 2027-02\n"
    response = c.post(
        "/calendar/import", files={"file": ("日历.yaml", bad, "text/yaml")}, data={"csrf": csrf}
    )
    assert messages.CALENDAR_IMPORT_FAILED in response.text
    assert response.text.count("<li>") >= 2  # every problem listed
    secretary, csrf2 = logged_in(world, "sec")
    forbidden = secretary.post(
        "/calendar/theme", data={"month": "2026-12", "theme": "x", "csrf": csrf2}
    )
    assert forbidden.status_code == 403


def test_broadcast_preview_confirm_and_progress(world: WebWorld) -> None:
    world.services.accounts.add(
        "777",
        Role.SECRETARY,
        channel="telegram",
        village="王家村",
        township="城关镇",
        name="王书记",
    )
    c, csrf = logged_in(world, "admin")
    page = c.post(
        "/broadcast",
        data={"text": "请于周五前报送材料", "audience": "role:secretary", "csrf": csrf},
    )
    assert "王书记" in page.text and "张书记" not in page.text  # web-only users get no push
    draft_id = int(re.search(r"/broadcast/(\d+)/confirm", page.text).group(1))
    c.post(f"/broadcast/{draft_id}/confirm", data={"csrf": csrf})
    progress = c.get(f"/api/broadcasts/{draft_id}").json()
    assert progress["total"] == 1 and progress["pending"] == 1
    again = c.post(f"/api/broadcasts/{draft_id}/confirm", headers={"X-CSRF-Token": csrf})
    assert again.status_code == 409


def test_users_invite_registers_a_web_user_and_the_chat_link_sets_a_password(
    world: WebWorld,
) -> None:
    c, csrf = logged_in(world, "admin")
    invite = c.post(
        "/api/invites",
        json={"role": "secretary", "township": "城关镇", "village": "赵家村"},
        headers={"X-CSRF-Token": csrf},
    ).json()
    newcomer = client(world)
    form_csrf = csrf_of(newcomer.get("/register").text)
    response = newcomer.post(
        "/register",
        data={
            "code": invite["code"],
            "login": "zhao",
            "name": "赵书记",
            "password": "zhaojia-2026",
            "password2": "zhaojia-2026",
            "csrf": form_csrf,
        },
    )
    assert response.url.path == "/ask"
    member = world.services.accounts.member_at("web", "zhao")
    assert member is not None and member.village == "赵家村" and member.role == Role.SECRETARY
    # a Telegram secretary asks for a web login in the chat
    from bot.conversation.turns import Command, Who

    world.services.accounts.add(
        "555", Role.SECRETARY, channel="telegram", village="钱家村", township="城关镇"
    )
    reply = world.services.conversation.handle(Who("telegram", "555", "555"), Command("web"))[0]
    link = re.search(r"http://testserver(/password/\S+)", reply.text).group(1)
    guest = client(world)
    form = guest.get(link)
    response = guest.post(
        link,
        data={
            "login": "qian",
            "password": "qianjia-2026",
            "password2": "qianjia-2026",
            "csrf": csrf_of(form.text),
        },
    )
    assert response.url.path == "/ask"
    assert (
        guest.post(
            link,
            data={
                "login": "qian2",
                "password": "qianjia-2026",
                "password2": "qianjia-2026",
                "csrf": csrf_of(form.text),
            },
        ).status_code
        == 400
    )
    telegram_user = world.services.accounts.member_at("telegram", "555")
    assert telegram_user is not None and telegram_user.channel == "telegram"  # still reached there
    staff, csrf2 = logged_in(world, "staff")
    assert staff.get("/users").status_code == 403
    assert (
        staff.post(
            "/api/invites", json={"role": "admin"}, headers={"X-CSRF-Token": csrf2}
        ).status_code
        == 403
    )


def test_an_oversized_body_is_refused_in_chinese(world: WebWorld) -> None:
    c, csrf = logged_in(world, "admin")
    limit = world.settings.max_upload_mb * 10 * 1024 * 1024
    response = c.post(
        "/knowledge/upload",
        content=b"x" * (limit + 2 * 1024 * 1024),
        headers={"Content-Type": "multipart/form-data; boundary=x", "X-CSRF-Token": csrf},
    )
    assert response.status_code == 413 and "太大" in response.text


def test_users_passwd_reads_the_password_from_standard_input(
    world: WebWorld, tmp_path: Path
) -> None:
    import subprocess
    import sys

    env = {"PARTYBOT_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin"}
    # the checkout under test, not whichever one the virtualenv was installed from
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1])
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", "users", "passwd", "sec"],
        input="brand-new-pass\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "已为“sec”设置网页版密码" in run.stdout
    missing = subprocess.run(
        [sys.executable, "-m", "bot.cli", "users", "passwd", "nobody"],
        input="brand-new-pass\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert missing.returncode == 2 and "没有网页版登录名" in missing.stderr


def test_reindex_with_the_knowledge_folder_gone_says_so_and_keeps_every_document(
    world: WebWorld,
) -> None:
    import shutil

    c, csrf = logged_in(world, "admin")
    before = [d["source"] for d in c.get("/api/documents").json()]
    assert before
    shutil.rmtree(world.settings.knowledge_dir)  # unmounted, or a mistyped setting
    response = c.post("/api/documents/reindex", headers={"X-CSRF-Token": csrf})
    assert response.status_code == 409
    assert "不存在" in response.json()["detail"] and "什么也没有删除" in response.json()["detail"]
    page = c.post("/knowledge/reindex", data={"csrf": csrf}, follow_redirects=True)
    assert page.status_code == 200 and "什么也没有删除" in page.text
    assert [d["source"] for d in c.get("/api/documents").json()] == before
