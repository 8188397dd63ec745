"""The rules page in a real browser (Chromium through Playwright, the app under uvicorn): an admin
edits the 三会一课 rules and the Party-day rules, a bad line is refused by its number with the
rules in force kept and what was typed still in the box, and a secretary reads but cannot edit."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.orglife.rules import RULES_FILE_NAME
from tests.support.web_harness import WebWorld, make_web_world, serving
from tests.test_web_browser import _login, _page, _shot, missing

pytestmark = pytest.mark.skipif(missing is not None, reason=missing or "")


@pytest.fixture
def served(make_kb, knowledge_dir: Path, tmp_path: Path) -> Iterator[tuple[WebWorld, str]]:
    world = make_web_world(make_kb, knowledge_dir, tmp_path)
    with serving(world) as base:
        yield world, base


def _kinds_and_frequencies(page) -> dict[str, str]:  # type: ignore[no-untyped-def]
    rows = page.locator("#orglife-rules tbody tr")
    return {
        rows.nth(i).locator("td").nth(0).inner_text(): rows.nth(i).locator("td").nth(1).inner_text()
        for i in range(rows.count())
    }


def test_admin_edits_the_rules_a_bad_line_is_refused_a_secretary_only_reads(
    served, browser
) -> None:
    world, base = served
    path = world.settings.knowledge_dir / RULES_FILE_NAME
    assert not path.exists()
    page = _page(browser)
    _login(page, base, "admin")
    page.get_by_role("link", name="规则").click()
    page.wait_for_url(f"{base}/rules")
    assert _kinds_and_frequencies(page)["党课"] == "每季度至少1次"

    # a good edit: saved to the file, in force at once
    box = page.get_by_label(re.compile("编辑三会一课规则"))
    box.fill(box.input_value().replace("每季度至少1次", "每季度至少2次", 2))
    page.get_by_role("button", name="保存三会一课规则").click()
    page.get_by_text("三会一课规则已保存（7条）").wait_for()
    assert _kinds_and_frequencies(page)["党课"] == "每季度至少2次"
    assert "每季度至少2次" in path.read_text(encoding="utf-8")
    assert world.services.orglife is not None
    (party_class,) = [r for r in world.services.orglife.rules().rules if r.kind == "党课"]
    assert party_class.times == 2

    # a bad line: refused by its number, nothing written, the typed text kept
    saved = path.read_text(encoding="utf-8")
    typed = saved.replace("活动: 民主评议党员", "活动: 学习会").replace(
        "每年至少1次", "每年看情况", 1
    )
    box = page.get_by_label(re.compile("编辑三会一课规则"))
    box.fill(typed)
    page.get_by_role("button", name="保存三会一课规则").click()
    alert = page.locator("#orglife-rules .flash.error")
    alert.wait_for()
    lines = typed.splitlines()
    kind_line = next(n for n, line in enumerate(lines, 1) if "学习会" in line)
    often_line = next(n for n, line in enumerate(lines, 1) if "每年看情况" in line)
    assert f"第{kind_line}行：不认识的活动类型“学习会”" in alert.inner_text()
    assert f"第{often_line}行：看不懂要求“每年看情况”" in alert.inner_text()
    assert page.get_by_label(re.compile("编辑三会一课规则")).input_value() == typed
    assert path.read_text(encoding="utf-8") == saved
    assert "民主评议党员" in {r.kind for r in world.services.orglife.rules().rules}
    _shot(page, "rules-refused")

    # the Party-day rules, kept in the database: a good edit, then a bad line by its number
    page.goto(f"{base}/rules")
    calendar_box = page.get_by_label(re.compile("编辑主题党日规则"))
    calendar_box.fill("规则:\n  - 规则: 每月10日\n  - 乡镇: 河口镇\n    规则: 每月第一个星期五\n")
    page.get_by_role("button", name="保存主题党日规则").click()
    page.get_by_text("主题党日规则已保存（2条）").wait_for()
    page.locator("#calendar-rules").get_by_role("cell", name="每月第一个星期五").wait_for()
    assert world.services.calendar is not None
    assert _day(world, "河口镇") == 4
    page.get_by_label(re.compile("编辑主题党日规则")).fill(
        "规则:\n  - 规则: 每月10日\n  - 乡镇: 河口镇\n    规则: 每月十号左右\n"
    )
    page.get_by_role("button", name="保存主题党日规则").click()
    refused = page.locator("#calendar-rules .flash.error")
    refused.wait_for()
    assert "第3行（规则 第2项）：看不懂规则“每月十号左右”" in refused.inner_text()
    assert _day(world, "河口镇") == 4

    # a secretary reads the rules, has nothing to edit, and a post of their own is refused
    secretary = _page(browser)
    _login(secretary, base, "sec")
    secretary.goto(f"{base}/rules")
    assert _kinds_and_frequencies(secretary)["党课"] == "每季度至少2次"
    assert secretary.locator("textarea").count() == 0
    assert secretary.get_by_role("button", name=re.compile("保存")).count() == 0
    csrf = secretary.locator("body").get_attribute("data-csrf")
    answer = secretary.request.post(
        f"{base}/rules/orglife", form={"csrf": csrf or "", "text": "规则: []"}
    )
    assert answer.status == 403
    assert "每季度至少2次" in path.read_text(encoding="utf-8")


def _day(world: WebWorld, township: str) -> int:
    """December 2026's Party day in the township, as the calendar in force says."""
    assert world.services.calendar is not None
    found = world.services.calendar.load().party_day(2026, 12, township=township)
    assert found is not None
    return found.day.day
