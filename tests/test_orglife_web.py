"""The 三会一课 section of the web 台账 page: a secretary's own items with the records that
count, a township's table, the county's count per township (the table when one is chosen)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.db.models import Report
from tests.support.web_harness import make_web_world
from tests.test_web import logged_in


def test_the_ledger_page_shows_done_and_due_by_scope(
    make_kb, knowledge_dir: Path, tmp_path: Path
) -> None:
    world = make_web_world(make_kb, knowledge_dir, tmp_path)
    today = world.services.reports.today()
    now = datetime.now(UTC)
    with world.sessions() as session, session.begin():
        session.add(
            Report(
                draft_id=1,
                reporter_id=1,
                village="张家村",
                township="城关镇",
                activity_date=today.replace(day=1),
                type="主题党日",
                summary="主题党日",
                created_at=now,
                updated_at=now,
            )
        )
    month = f"{today:%Y-%m}"
    c, _ = logged_in(world, "sec")
    mine = c.get(f"/ledger?month={month}").text
    assert "三会一课" in mine and "主题党日 <a" in mine and "支部委员会（每月1次" in mine
    assert "李家村" not in mine
    c, _ = logged_in(world, "staff")
    township = c.get(f"/ledger?month={month}").text
    assert "城关镇 张家村" in township and "河口镇 李家村" not in township
    c, _ = logged_in(world, "admin")
    county = c.get(f"/ledger?month={month}").text
    assert "还有待开展事项的支部" in county and "township=%E5%9F%8E%E5%85%B3%E9%95%87" in county
    chosen = c.get(f"/ledger?month={month}&township=河口镇").text
    assert "河口镇 李家村" in chosen and "城关镇 张家村" not in chosen
