"""The 会议记录 page written once from a confirmed report: the .docx read back field by field,
the 生成会议记录 button through the core (asking back what the sentence did not say, never
inventing it), the scope rule, and `partybot report record`."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from PIL import Image

from bot import messages
from bot.conversation.turns import Press, Reply, Text
from bot.reports.minutes_doc import write_minutes
from bot.reports.rows import ReportRow
from tests.test_conversation_core import (
    OTHER_SECRETARY,
    REGULATION,
    SECRETARY,
    World,
    action,
    only,
)

MINUTES = (
    "会议名称：张家村党支部委员会\n时间：2026年11月23日晚上\n地点：村委会二楼会议室\n"
    "主持人：支部书记陶德明\n记录人：简红\n应到：7人　实到：6人\n"
    "缺席人员及原因：柳青（外出务工）\n议题：研究冬季防火和低保评议\n会议决定：成立巡山小组"
)
BARE = "今天上午召开支部党员大会，应到30人实到28人"


def fields_of(data: bytes) -> dict[str, str]:
    """label → value of the page's table (merged cells repeat: each label is read once)."""
    (table,) = Document(io.BytesIO(data)).tables
    found: dict[str, str] = {}
    for row in table.rows:
        cells = [cell.text for cell in row.cells]
        found[cells[0]] = cells[1]
        if cells[2] != cells[1]:
            found[cells[2]] = cells[3]
    return found


def _photo(path: Path) -> str:
    Image.new("RGB", (400, 300), (200, 30, 30)).save(path)
    return str(path)


def test_every_field_in_its_place_with_an_absolute_date(tmp_path: Path) -> None:
    photos = [_photo(tmp_path / "a.png"), _photo(tmp_path / "b.jpg"), str(tmp_path / "gone.png")]
    row = ReportRow(
        id=7,
        reporter_id=1,
        village="柏树村",
        township="青峰乡",
        activity_date=date(2025, 11, 18),
        type="支部委员会",
        tags=[],
        theme=None,
        expected=7,
        attended=6,
        summary="昨天晚上召开支委会，研究冬季防火和低保评议，决定成立巡山小组",
        photos=photos,
        created_at=datetime(2025, 11, 19, 2, tzinfo=UTC),
        place="村委会二楼会议室",
        host="陶德明",
        recorder="简红",
        absent=1,
        absent_reasons="柳青（外出务工）",
        topics="研究冬季防火和低保评议",
        decisions="成立巡山小组",
    )
    page = write_minutes(row)
    assert page.name == "会议记录-柏树村-20251118-支部委员会.docx"
    found = fields_of(page.data)
    assert found["会议类型"] == "支部委员会" and found["时间"] == "2025年11月18日"
    assert (found["地点"], found["主持人"], found["记录人"]) == (
        "村委会二楼会议室",
        "陶德明",
        "简红",
    )
    assert (found["应到人数"], found["实到人数"], found["缺席人数"]) == ("7人", "6人", "1人")
    assert found["缺席人员及原因"] == "柳青（外出务工）"
    assert found["议题"] == "研究冬季防火和低保评议" and found["决议"] == "成立巡山小组"
    assert "11月18日晚上" in found["内容摘要"] and "昨天" not in found["内容摘要"]
    assert "共 3 张，此页附 2 张" in found["照片"]
    document = Document(io.BytesIO(page.data))
    assert len(document.inline_shapes) == 2 == page.photos_shown
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["会议记录", "青峰乡柏树村党支部"]
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7


def test_what_the_report_did_not_say_stays_blank() -> None:
    row = ReportRow(
        1, 1, "张家村", None, date(2026, 3, 5), "主题党日", [], "学习党章", None, 20, "学党章"
    )
    found = fields_of(write_minutes(row).data)
    assert found["记录人"] == found["主持人"] == found["地点"] == found["决议"] == ""
    assert found["应到人数"] == "" and found["实到人数"] == "20人" and found["缺席人数"] == ""
    assert found["议题"] == "学习党章"  # a 主题党日's theme is its subject
    assert found["照片"] == "无"


@pytest.fixture
def world(make_kb, knowledge_dir: Path, tmp_path: Path) -> World:
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    return World(kbase, tmp_path)


def _confirmed(world: World, text: str) -> Reply:
    card = only(world.core().handle(SECRETARY, Text(text)))
    return world.core().handle(SECRETARY, Press(action(card, ":ok:")))[0]


def test_a_full_record_gives_the_page_at_once(world: World) -> None:
    saved = _confirmed(world, MINUTES)
    assert "已记入台账" in saved.text
    button = action(saved, ":rec:")
    assert any(b.label == messages.MINUTES_BUTTON for row in saved.buttons for b in row)
    reply = only(world.core().handle(SECRETARY, Press(button)))
    assert reply.attachment is not None and reply.attachment.kind == "document"
    assert reply.attachment.name.endswith(".docx")
    found = fields_of(reply.attachment.data)
    assert (found["主持人"], found["记录人"], found["时间"]) == ("陶德明", "简红", "2026年11月23日")
    # another branch's secretary: not theirs to see, nothing written
    refused = only(world.core().handle(OTHER_SECRETARY, Press(button)))
    assert refused.attachment is None and "不在您的查看范围" in refused.text


def test_a_record_missing_its_recorder_asks_back_and_never_invents(world: World) -> None:
    button = action(_confirmed(world, BARE), ":rec:")
    core = world.core()
    asked = only(core.handle(SECRETARY, Press(button)))
    assert asked.attachment is None and "主持人" in asked.text
    asked = only(world.core().handle(SECRETARY, Text("陶德明")))  # a restart in between
    assert asked.attachment is None and "记录人" in asked.text and "跳过" in asked.text
    too_long = only(world.core().handle(SECRETARY, Text("简" * 40)))
    assert too_long.attachment is None and "记录人" in too_long.text
    asked = only(world.core().handle(SECRETARY, Text("简红")))
    assert asked.attachment is None and "议题" in asked.text
    page = only(world.core().handle(SECRETARY, Text("跳过")))
    assert page.attachment is not None
    found = fields_of(page.attachment.data)
    assert (found["主持人"], found["记录人"], found["议题"]) == ("陶德明", "简红", "")
    (row,) = world.reports.recent(world.accounts.user_id_at("test", "sec") or 0)
    assert (row.host, row.recorder, row.topics) == ("陶德明", "简红", None)
    history = world.reports.amendments.history(row.id)
    assert {h.field for h in history} >= {"host", "recorder"}
    # the question is answered: the next sentence is a report again, not a 议题
    card = only(world.core().handle(SECRETARY, Text("今天下午开展主题党日，实到20人")))
    assert "主题党日" in card.text and action(card, ":ok:")


def test_cli_record(env_settings: Path, tmp_path: Path, capsys) -> None:
    from bot.cli import main
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.people.accounts import AccountService, Role
    from bot.reports.service import ReportService
    from bot.settings import Settings

    engine = make_engine(Settings().sqlalchemy_url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    now = datetime(2026, 11, 24, 2, tzinfo=UTC)
    accounts = AccountService(session_factory=sessions, clock=lambda: now)
    secretary = accounts.add(
        1, Role.SECRETARY, channel="telegram", village="张家村", township="城关镇"
    )
    reports = ReportService(session_factory=sessions, clock=lambda: now, timezone=Settings().tz)
    row, _ = reports.confirm(reports.start_draft(secretary, MINUTES).id, secretary)
    assert row is not None
    out = tmp_path / "记录.docx"
    assert main(["report", "record", str(row.id), "--output", str(out)]) == 0
    assert "已把第" in capsys.readouterr().out
    assert fields_of(out.read_bytes())["决议"] == "成立巡山小组"
    assert main(["report", "record", "999"]) == 2
    assert "没有第 999 号" in capsys.readouterr().err
    assert main(["report", "record", "十二"]) == 2
    assert "记录编号应是数字" in capsys.readouterr().err


def test_a_long_sign_in_list_runs_on_in_one_paragraph() -> None:
    names = "\n".join(f"{n}. 党员{n}" for n in range(1, 31))
    row = ReportRow(1, 1, "北岭村", None, date(2026, 10, 10), "主题党日", [], None, None, 30, names)
    (table,) = Document(io.BytesIO(write_minutes(row).data)).tables
    content = next(r.cells[1] for r in table.rows if r.cells[0].text == "内容摘要")
    assert len(content.paragraphs) == 1 and "1. 党员1　2. 党员2" in content.text


def test_a_new_report_while_asked_is_a_report_not_the_answer(world: World) -> None:
    button = action(_confirmed(world, BARE), ":rec:")
    assert "主持人" in only(world.core().handle(SECRETARY, Press(button))).text
    card = only(world.core().handle(SECRETARY, Text("今天下午开展主题党日，实到20人")))
    assert "主题党日" in card.text and action(card, ":ok:")
    (row,) = world.reports.recent(world.accounts.user_id_at("test", "sec") or 0)
    assert row.host is None
