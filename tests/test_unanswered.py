"""Unanswered questions become the admin's to-do (issue 26 item 5): every refusal for lack of a
rule, every low-confidence answer and every 没用 is kept with time, role and channel — never a
name — and the 知识库 page lists them by topic with the nearest documents and exports CSV;
admins only."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bot.db.models import UnansweredQuestion
from bot.qa.answer import Answer
from bot.qa.unanswered import UnansweredQuestions
from tests.support.fakes import Clock
from tests.support.web_harness import PASSWORD, WebWorld, make_web_world


@pytest.fixture
def world(make_kb, knowledge_dir: Path, tmp_path: Path) -> WebWorld:
    return make_web_world(make_kb, knowledge_dir, tmp_path)


def logged_in(world: WebWorld, login: str) -> tuple[TestClient, str]:
    c = TestClient(world.app, raise_server_exceptions=False)
    csrf = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert csrf
    c.post("/login", data={"login": login, "password": PASSWORD, "csrf": csrf.group(1)})
    return c, csrf.group(1)


def say(c: TestClient, csrf: str, text: str) -> list[dict]:
    response = c.post(
        "/api/conversation/messages", json={"text": text}, headers={"X-CSRF-Token": csrf}
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_refusals_and_no_are_listed_by_topic_for_admins_only(world: WebWorld) -> None:
    sec, sec_csrf = logged_in(world, "sec")
    for _ in range(2):
        refused = say(sec, sec_csrf, "按照中国共产党巡视工作条例巡视组怎么组成")[0]
        assert "知识库中没有" in refused["text"]
    say(sec, sec_csrf, "你好")  # small talk is no gap in the knowledge base
    say(sec, sec_csrf, "主题党日多久开展一次")
    say(sec, sec_csrf, "这条出自哪")  # nor is a follow-up
    answer = say(sec, sec_csrf, "组织生活会一般安排在什么时候")[0]
    no = next(b["action"] for b in answer["buttons"][0] if b["label"] == "没用")
    pressed = sec.post(
        "/api/conversation/presses", json={"action": no}, headers={"X-CSRF-Token": sec_csrf}
    )
    assert pressed.status_code == 200

    with world.services.accounts._sessions() as session:
        rows = session.scalars(select(UnansweredQuestion)).all()
    reasons = sorted(r.reason for r in rows)
    assert reasons == ["missing_document", "missing_document", "unhelpful"]
    assert {r.role for r in rows} == {"secretary"} and {r.channel for r in rows} == {"web"}

    for login in ("sec", "staff"):
        c, _ = logged_in(world, login)
        assert c.get("/knowledge").status_code == 403
        assert c.get("/knowledge/unanswered.csv").status_code == 403
    admin, _ = logged_in(world, "admin")
    page = admin.get("/knowledge").text
    section = page[page.index('id="unanswered"') :].split("</section>")[0]
    assert "中国共产党巡视工作条例" in section and "2 个问题" in section
    assert "（2 次）" in section  # the same question asked twice is one line
    assert "支部工作条例" in section and "组织生活会一般安排在什么时候" in section
    assert "<script" not in section and "onclick" not in section
    for name in ("张书记", "李书记", "组织委员", "管理员老李"):
        assert name not in section

    exported = admin.get("/knowledge/unanswered.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert table[0] == ["时间", "问题", "原因", "提问人角色", "渠道", "主题", "相近文件"]
    assert len(table) == 4
    assert {row[3] for row in table[1:]} == {"村党组织书记"}
    assert "张书记" not in exported.text


def test_low_confidence_answers_are_kept_and_old_ones_drop_off(sessions) -> None:  # type: ignore[no-untyped-def]
    clock = Clock(datetime(2026, 12, 1, 2, tzinfo=UTC))
    log = UnansweredQuestions(session_factory=sessions, clock=clock)
    low = Answer("支委会多久开一次", "…", refused=False, confidence="low", nearest=["党章"])
    assert log.record_answer(low, role="staff", channel="telegram")
    fine = Answer("主题党日多久开展一次", "…", refused=False)
    assert not log.record_answer(fine, role="staff", channel="telegram")
    chat = Answer("你好", "…", refused=True, reason="small_talk")
    assert not log.record_answer(chat, role="guest", channel="terminal")
    (topic,) = log.topics()
    assert topic.name == "党章" and topic.questions == [("支委会多久开一次", 1)]
    named = Answer("我是张建国，支委会谁来召集", "…", refused=False, confidence="low")
    assert log.record_answer(named, role="secretary", channel="wecom", names=lambda: ["张建国"])
    assert "张建国" not in log.csv_text() and "我是某某，支委会谁来召集" in log.csv_text()
    assert "10:00" in log.csv_text().splitlines()[1]  # Asia/Shanghai
    clock.now += timedelta(days=91)
    assert log.csv_text().splitlines()[1:] == []
    assert log.topics() == []
