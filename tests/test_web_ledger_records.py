"""The web side of the ledger's records: a form posted twice stores once, a record's history,
and no formula from user text in the downloaded workbook."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.support.web_harness import WebWorld, make_web_world
from tests.test_web import csrf_of, logged_in

REPORT = "今天上午张家村开展主题党日，学习党章，应到32人实到28人"


@pytest.fixture
def world(make_kb, knowledge_dir: Path, tmp_path: Path) -> WebWorld:
    return make_web_world(make_kb, knowledge_dir, tmp_path)


def _press(c: TestClient, csrf: str, action: str) -> list[dict]:
    response = c.post(
        "/api/conversation/presses", json={"action": action}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 200, response.text
    return response.json()


def _say(c: TestClient, csrf: str, text: str, submission: str | None = None) -> list[dict]:
    body = {"text": text} | ({"submission": submission} if submission else {})
    response = c.post("/api/conversation/messages", json=body, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 200, response.text
    return response.json()


def _button(reply: dict, fragment: str) -> str:
    return next(b["action"] for row in reply["buttons"] for b in row if fragment in b["action"])


def test_the_ask_form_posted_twice_stores_once(world: WebWorld) -> None:
    c, csrf = logged_in(world, "sec")
    page = c.get("/ask").text
    token = re.search(r'name="submission" value="([0-9a-f]{32})"', page)
    assert token, "the form carries an idempotency token"
    form = {"text": REPORT, "csrf": csrf, "submission": token.group(1)}
    first = c.post("/ask", data=form)
    second = c.post("/ask", data=form)  # the browser's retry, or a reload that posts again
    assert first.status_code == second.status_code == 200
    confirm = re.search(r'name="action" value="(rp:ok:\d+)"', first.text)
    assert confirm and confirm.group(1) in second.text  # the same draft, not a second one
    assert "已记入台账" in c.post("/ask", data={"action": confirm.group(1), "csrf": csrf}).text
    third = c.post("/ask", data=form)
    assert "不会重复保存" in third.text
    assert c.get("/api/reports").json()["total"] == 1
    # the script's way: the same token twice gives the same card
    one = _say(c, csrf, "11月2日召开支部委员会，应到5人实到5人", submission="a" * 32)
    two = _say(c, csrf, "11月2日召开支部委员会，应到5人实到5人", submission="a" * 32)
    assert one == two
    _press(c, csrf, _button(one[0], ":ok:"))
    retried = _say(c, csrf, "11月2日召开支部委员会，应到5人实到5人", submission="a" * 32)
    assert "不会重复保存" in retried[0]["text"]
    assert c.get("/api/reports").json()["total"] == 2


def test_a_correction_shows_in_the_records_history_within_scope(world: WebWorld) -> None:
    c, csrf = logged_in(world, "sec")
    _press(c, csrf, _button(_say(c, csrf, REPORT)[0], ":ok:"))
    report_id = c.get("/api/reports").json()["reports"][0]["id"]
    card = _say(c, csrf, "更正：上午报的主题党日实到人数有误，应为30人")[0]
    assert "实到人数：28 → 30" in card["text"]
    _press(c, csrf, _button(card, ":am:"))
    history = c.get(f"/api/reports/{report_id}/history").json()
    assert [(h["field"], h["old"], h["new"], h["changed_by"]) for h in history] == [
        ("attended", "28", "30", "张书记")
    ]
    staff, _ = logged_in(world, "staff")  # 城关镇 staff see it
    page = staff.get(f"/ledger/{report_id}/history")
    assert page.status_code == 200 and "张书记" in page.text and "实到人数" in page.text
    assert "修改历史" in staff.get(f"/ledger/{report_id}").text
    far, _ = logged_in(world, "sec2")  # 河口镇's secretary: as if it did not exist
    assert far.get(f"/api/reports/{report_id}/history").status_code == 404
    assert far.get(f"/ledger/{report_id}/history").status_code == 404


def test_the_downloaded_workbook_has_no_formula_from_user_text(world: WebWorld) -> None:
    c, csrf = logged_in(world, "sec")
    card = _say(c, csrf, REPORT)[0]
    draft = _button(card, ":ok:").split(":")[2]
    for field, value in (("place", "=1+1"), ("host", "=cmd|' /C calc'!A0"), ("theme", "@SUM(A1)")):
        _press(c, csrf, f"rp:f:{draft}:{field}")
        card = _say(c, csrf, value)[0]
    _press(c, csrf, _button(card, ":ok:"))
    staff, _ = logged_in(world, "admin")
    month = world.services.reports.today().strftime("%Y-%m")
    response = staff.get("/ledger.xlsx", params={"month": month})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert {"=1+1", "=cmd|' /C calc'!A0", "@SUM(A1)"} <= {cell.value for cell in cells}
    assert csrf_of(staff.get("/ask").text)
