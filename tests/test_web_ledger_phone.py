"""The web 台账 on a phone (390 px) for a county user: names on one line, the 乡镇 named (two
张家村 in view), the chart legible. Chromium through Playwright, as tests/test_web_browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.people.accounts import Role
from tests.support.web_harness import WebWorld, make_web_world, serving
from tests.test_web_browser import _login, _page, missing

pytestmark = pytest.mark.skipif(missing is not None, reason=missing or "")
SHOTS = Path(os.environ.get("PARTYBOT_SCREENSHOTS", "test-screenshots"))
REPORTS = {
    "sec": "11月20日开展主题党日，学习党章，应到30人实到28人",
    "sec3": "11月21日召开支部委员会，研究冬季防火，应到5人实到5人",
    "sec4": "11月18日马家庄村开展志愿服务，为五保户打扫卫生，参加党员12人",
}


@pytest.fixture
def served(make_kb, knowledge_dir: Path, tmp_path: Path) -> Iterator[tuple[WebWorld, str]]:
    world = make_web_world(make_kb, knowledge_dir, tmp_path)
    world.user("sec3", Role.SECRETARY, township="河口镇", village="张家村", name="王书记")
    world.user("sec4", Role.SECRETARY, township="城关镇", village="马家庄村", name="马书记")
    for login, text in REPORTS.items():
        member = world.services.accounts.member_at("web", login)
        assert member is not None
        draft = world.services.reports.start_draft(member, text)
        assert world.services.reports.confirm(draft.id, member)[0] is not None
    with serving(world) as base:
        yield world, base


def test_the_ledger_on_a_phone_names_the_township_on_one_line(served, browser) -> None:
    _, base = served
    page = _page(browser, phone=True)
    _login(page, base, "admin")
    page.goto(f"{base}/ledger?month=2026-11")
    page.get_by_role("cell", name="马家庄村").first.wait_for()
    page.wait_for_function(
        "() => { const c = document.querySelector('img.chart');"
        " return c && c.complete && c.naturalWidth > 0; }"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "ledger-phone.png"), full_page=True)
    cells = page.eval_on_selector_all(
        "table.ledger tbody td.branch",
        "cells => cells.map(c => ({text: c.innerText, height: c.getBoundingClientRect().height,"
        " line: parseFloat(getComputedStyle(c).lineHeight) || 24,"
        " visible: c.offsetParent !== null}))",
    )
    assert [c["text"] for c in cells] == ["城关镇 马家庄村", "城关镇 张家村", "河口镇 张家村"]
    for cell in cells:  # one line each: no row grows for a long name
        assert cell["visible"] and cell["height"] < 2 * cell["line"] + 12, cell
    # nothing wider than the screen, the table's columns included
    width = page.evaluate("() => document.documentElement.scrollWidth")
    table = page.eval_on_selector(
        "table.ledger", "t => t.scrollWidth - t.parentElement.clientWidth"
    )
    assert width <= 390 and table <= 0, (width, table)
    # the chart: drawn wide enough that its labels stay 11 px or more on a 390 px screen
    shown, natural = page.eval_on_selector(
        "img.chart", "c => [c.getBoundingClientRect().width, c.naturalWidth]"
    )
    assert shown >= 320 and natural / shown <= 2.8, (shown, natural)
