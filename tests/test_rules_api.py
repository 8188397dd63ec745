"""The rules through the console's API (Basic auth, as scripts call it): everyone reads the
rules in force; an admin replaces them, a bad line is a 422 naming it with nothing changed, and
anyone else is refused."""

from __future__ import annotations

from pathlib import Path

from bot.orglife.rules import RULES_FILE_NAME
from tests.support.web_harness import make_web_world
from tests.test_web import basic, client

GOOD = "规则:\n  - 活动: 主题党日\n    要求: 每月1次\n  - 活动: 党课\n    要求: 每季度至少2次\n"


def test_rules_read_by_all_replaced_by_an_admin_refused_by_line(
    make_kb, knowledge_dir: Path, tmp_path: Path
) -> None:
    world = make_web_world(make_kb, knowledge_dir, tmp_path)
    c = client(world)
    shown = c.get("/api/rules/orglife", headers=basic("sec")).json()
    assert [r["kind"] for r in shown["rules"]][:2] == ["主题党日", "支部委员会"]
    assert shown["file_problems"] == [] and "活动: 党课" in shown["text"]

    saved = c.put("/api/rules/orglife", json={"text": GOOD}, headers=basic("admin"))
    assert saved.status_code == 200 and "2条" in saved.json()["message"]
    path = world.settings.knowledge_dir / RULES_FILE_NAME
    assert path.read_text(encoding="utf-8") == GOOD
    bad = GOOD + "  - 活动: 读书会\n    要求: 每周1次\n"
    refused = c.put("/api/rules/orglife", json={"text": bad}, headers=basic("admin"))
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        "三会一课规则文件第6行：不认识的活动类型“读书会”。",
        "三会一课规则文件第7行：看不懂要求“每周1次”，请写成 每月1次、每季度至少1次、每年至少1次。",
    ]
    assert path.read_text(encoding="utf-8") == GOOD
    for login in ("sec", "staff"):
        answer = c.put("/api/rules/orglife", json={"text": GOOD}, headers=basic(login))
        assert answer.status_code == 403

    # a file broken by hand: shown with its problems, the rules in force kept
    path.write_text(bad, encoding="utf-8")
    broken = c.get("/api/rules/orglife", headers=basic("staff")).json()
    assert broken["text"] == bad and len(broken["file_problems"]) == 2
    assert [r["kind"] for r in broken["rules"]] == ["主题党日", "党课"]

    calendar = "规则:\n  - 规则: 每月10日\n  - 乡镇: 河口镇\n    规则: 每月第一个星期五\n"
    saved = c.put("/api/rules/calendar", json={"text": calendar}, headers=basic("admin"))
    assert saved.status_code == 200, saved.text
    shown = c.get("/api/rules/calendar", headers=basic("sec")).json()
    assert [(r["township"], r["rule"]) for r in shown["rules"]] == [
        ("", "每月10日"),
        ("河口镇", "每月第一个星期五"),
    ]
    themes = calendar + "主题:\n  - 月份: 2026-12\n    主题: 学习\n"
    refused = c.put("/api/rules/calendar", json={"text": themes}, headers=basic("admin"))
    assert refused.status_code == 422 and "只编辑“规则”" in refused.json()["detail"][0]
    wrong = calendar.replace("每月10日", "每月三十五日")
    refused = c.put("/api/rules/calendar", json={"text": wrong}, headers=basic("admin"))
    assert refused.status_code == 422
    assert refused.json()["detail"][0].startswith("第2行（规则 第1项）：")
    assert (
        c.put("/api/rules/calendar", json={"text": calendar}, headers=basic("sec")).status_code
        == 403
    )


def test_a_refused_calendar_file_lists_its_problems_in_the_api(
    make_kb, knowledge_dir: Path, tmp_path: Path
) -> None:
    """The list in a 422's detail reaches the caller (it used to become “服务器出错了”)."""
    world = make_web_world(make_kb, knowledge_dir, tmp_path)
    bad = "规则:\n  - 规则: 每月三十五日\n".encode()
    answer = client(world).post(
        "/api/calendar/import",
        files={"file": ("日历.yaml", bad, "application/x-yaml")},
        headers=basic("admin"),
    )
    assert answer.status_code == 422
    (problem,) = answer.json()["detail"]
    assert problem.startswith("规则 第1项：")
