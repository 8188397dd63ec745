"""The 会议记录 on the web: the record page links it, the download is the .docx within scope and
404 outside it, and the chat page's 生成会议记录 button hands back the file."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from tests.support.web_harness import WebWorld, make_web_world
from tests.test_meeting_record import MINUTES, fields_of
from tests.test_web import logged_in
from tests.test_web_ledger_records import _button, _press, _say

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def world(make_kb, knowledge_dir: Path, tmp_path: Path) -> WebWorld:
    return make_web_world(make_kb, knowledge_dir, tmp_path)


def test_the_record_page_links_the_minutes_in_scope_only(world: WebWorld) -> None:
    c, csrf = logged_in(world, "sec")
    saved = _press(c, csrf, _button(_say(c, csrf, MINUTES)[0], ":ok:"))[0]
    page = _press(c, csrf, _button(saved, ":rec:"))[0]  # the chat page's button
    assert page["attachment"]["name"].endswith(".docx")
    assert page["attachment"]["data_url"].startswith(f"data:{DOCX};base64,")
    encoded = page["attachment"]["data_url"].split(",", 1)[1]
    assert fields_of(base64.b64decode(encoded))["记录人"] == "简红"

    report_id = c.get("/api/reports").json()["reports"][0]["id"]
    link = f"/ledger/{report_id}/minutes.docx"
    assert link in c.get(f"/ledger/{report_id}").text
    staff, _ = logged_in(world, "staff")  # 城关镇 staff see 张家村's record
    response = staff.get(link)
    assert response.status_code == 200 and response.headers["content-type"] == DOCX
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    assert fields_of(response.content)["决议"] == "成立巡山小组"
    far, _ = logged_in(world, "sec2")  # 河口镇's secretary: as if it did not exist
    assert far.get(link).status_code == 404
    assert c.get("/ledger/999999/minutes.docx").status_code == 404
