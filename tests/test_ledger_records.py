"""Duplicates, corrections and retried submissions, through Conversation.handle (so every
channel has them), and a record's history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot import messages
from bot.conversation.turns import Photo, Press, Text, Who
from bot.reports.corrections import is_correction, read_correction
from tests.test_conversation_core import (
    JPEG,
    NOW,
    OTHER_SECRETARY,
    REGULATION,
    SECRETARY,
    STAFF,
    World,
    action,
    only,
)

REPORT = "11月20日开展主题党日，学习党章，应到32人实到28人"
TODAY = date(2026, 11, 24)


@pytest.fixture
def world(make_kb, knowledge_dir: Path, tmp_path: Path) -> World:
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    return World(kbase, tmp_path)


def _store(world: World, who: Who, text: str) -> int:
    core = world.core()
    card = only(core.handle(who, Text(text)))
    saved = only(core.handle(who, Press(action(card, ":ok:"))))
    assert "已记入台账" in saved.text, saved.text
    return int(saved.text.split("第 ")[1].split(" 号")[0])


def _sec_id(world: World) -> int:
    return world.accounts.user_id_at("test", "sec") or 0


def test_a_second_report_of_the_same_branch_day_and_kind_is_flagged(world: World) -> None:
    first = _store(world, SECRETARY, REPORT)
    card = only(world.core().handle(SECRETARY, Text("20号搞了主题党日，实到29人，应到32人")))
    assert messages.REPORT_DUPLICATE.format(id=first) in card.text
    labels = [b.label for row in card.buttons for b in row]
    assert labels == ["仍然登记", "修改", "取消"]
    # 取消 stores nothing; 仍然登记 stores it (a second activity of the day is possible)
    assert "已记入台账" in only(world.core().handle(SECRETARY, Press(action(card, ":ok:")))).text
    assert len(world.reports.recent(_sec_id(world))) == 2
    # the same text again, even on another day, is flagged too
    again = only(world.core().handle(SECRETARY, Text(REPORT)))
    assert "可能重复" in again.text


def test_a_report_with_a_photo_already_in_the_ledger_is_flagged(world: World) -> None:
    core = world.core()
    card = only(core.handle(SECRETARY, Photo("test:photo-1", JPEG, caption=REPORT)))
    saved = only(core.handle(SECRETARY, Press(action(card, ":ok:"))))
    assert "已记入台账" in saved.text
    other = "11月22日召开支部委员会，研究冬季防火，应到5人实到5人"
    again = only(world.core().handle(SECRETARY, Photo("test:photo-1", JPEG, caption=other)))
    assert "可能重复" in again.text
    fresh = only(world.core().handle(SECRETARY, Photo("test:photo-2", JPEG, caption=other)))
    assert "可能重复" not in fresh.text


def test_the_same_village_name_in_another_township_is_no_duplicate(world: World) -> None:
    _store(world, SECRETARY, REPORT)  # 城关镇张家村
    card = only(world.core().handle(OTHER_SECRETARY, Text(REPORT)))  # 河口镇张家村
    assert "可能重复" not in card.text and card.buttons[0][0].label == "确认"


def test_a_web_form_posted_twice_stores_once(world: World) -> None:
    core = world.core()
    first = only(core.handle(SECRETARY, Text(REPORT, submission="form-1")))
    again = only(world.core().handle(SECRETARY, Text(REPORT, submission="form-1")))
    assert again.text == first.text and again.buttons == first.buttons  # the same card
    only(core.handle(SECRETARY, Press(action(first, ":ok:"))))
    third = only(world.core().handle(SECRETARY, Text(REPORT, submission="form-1")))
    assert "不会重复保存" in third.text
    assert len(world.reports.recent(_sec_id(world))) == 1


def test_a_correction_is_offered_as_a_card_and_kept_in_the_history(world: World) -> None:
    report_id = _store(world, SECRETARY, REPORT)
    card = only(
        world.core().handle(
            SECRETARY, Text("更正：上午报的张家村主题党日人数有误，应到34人，实到31人")
        )
    )
    assert f"第 {report_id} 号" in card.text
    assert "应到人数：32 → 34" in card.text and "实到人数：28 → 31" in card.text
    assert (row := world.reports.recent(_sec_id(world))[0]).attended == 28  # nothing changed yet
    applied = only(world.core().handle(SECRETARY, Press(action(card, ":am:"))))
    assert applied.replace and "已更正" in applied.text
    twice = only(world.core().handle(SECRETARY, Press(action(card, ":am:"))))
    assert twice.notice and twice.text == messages.CORRECTION_ALREADY_APPLIED
    row = world.reports.recent(_sec_id(world))[0]
    assert (row.expected, row.attended) == (34, 31)
    history = world.reports.amendments.history(report_id)
    assert [(h.field, h.old, h.new, h.user_id) for h in history] == [
        ("expected", "32", "34", _sec_id(world)),
        ("attended", "28", "31", _sec_id(world)),
    ]
    assert all(h.changed_at == NOW for h in history)


def test_a_correction_of_the_kind_or_the_date_finds_the_latest_record(world: World) -> None:
    _store(world, SECRETARY, "11月18日召开支部委员会，应到7人实到7人")
    lesson = _store(world, SECRETARY, "11月21日上党课，应到30人实到26人")
    card = only(
        world.core().handle(SECRETARY, Text("上一条发错了，不是党课，是集中学习，其他都不变"))
    )
    assert f"第 {lesson} 号" in card.text and "活动类型：党课 → 集中学习" in card.text
    dropped = only(world.core().handle(SECRETARY, Press(action(card, ":an:"))))
    assert dropped.text == messages.CORRECTION_DROPPED
    assert world.reports.amendments.history(lesson) == []
    dated = only(
        world.core().handle(SECRETARY, Text("刚才的日期错了，党课是11月22号上的，不是21号"))
    )
    assert "日期：2026-11-21 → 2026-11-22" in dated.text


def test_a_correction_that_fits_two_records_asks_which(world: World) -> None:
    first = _store(world, SECRETARY, "11月18日开展主题党日，应到30人实到26人")
    second = _store(world, SECRETARY, "11月21日开展主题党日，应到30人实到27人")
    asked = only(world.core().handle(SECRETARY, Text("更正：主题党日实到人数有误，应为29人")))
    assert asked.text == messages.CORRECTION_WHICH
    labels = [b.label for row in asked.buttons for b in row]
    assert labels == [f"第{second}号 11月21日 主题党日", f"第{first}号 11月18日 主题党日"]
    card = only(world.core().handle(SECRETARY, Press(action(asked, f":pk:{first}"))))
    assert f"第 {first} 号" in card.text and "实到人数：26 → 29" in card.text
    only(world.core().handle(SECRETARY, Press(action(card, ":am:"))))
    assert [h.new for h in world.reports.amendments.history(first)] == ["29"]
    assert world.reports.amendments.history(second) == []


def test_a_correction_never_touches_another_persons_record(world: World) -> None:
    _store(world, OTHER_SECRETARY, REPORT)
    reply = only(world.core().handle(SECRETARY, Text("更正：11月20日主题党日实到应为30人")))
    assert reply.text == messages.CORRECTION_PROBLEMS["none_found"]


def test_an_impossible_correction_is_refused_with_the_reason(world: World) -> None:
    _store(world, SECRETARY, REPORT)
    reply = only(world.core().handle(SECRETARY, Text("更正：11月20日主题党日实到应为40人")))
    assert reply.text == messages.REPORT_FIELD_ERRORS["more_than_expected"]


def test_staff_and_reports_are_not_read_as_corrections(world: World) -> None:
    assert "可能重复" not in only(world.core().handle(SECRETARY, Text(REPORT))).text
    asked = only(world.core().handle(SECRETARY, Text("记录报错了怎么更正？")))
    assert "要更正第" not in asked.text
    assert "要更正第" not in only(world.core().handle(STAFF, Text("更正：实到应为30人"))).text


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("纠正一下：11月1日那个党小组会，应到是12人，实到11人", {"expected": 12, "attended": 11}),
        ("更正：昨天报的支委会实到人数应为6人，不是9人，手机打错了", {"attended": 6}),
        ("主持人写错了，应该是王建国主持的", {"host": "王建国"}),
        ("上午报的主题党日主题写错了，应为“学党史 办实事”", {"theme": "学党史 办实事"}),
        ("更正：11月20日主题党日应到应为33人", {"expected": 33, "theme": None}),
        ("前面发的主题党日地点有误，改为村党群服务中心", {"place": "村党群服务中心"}),
        ("11月20日志愿服务参加党员为18名（原报28名有误），群众30余人不变", {"attended": 18}),
    ],
)
def test_corrections_in_other_wordings(text: str, values: dict[str, object]) -> None:
    assert is_correction(text, today=TODAY)
    read = read_correction(text, today=TODAY).values
    assert {k: read.get(k) for k in values} == values


@pytest.mark.parametrize(
    "text",
    [
        "11月20日开展主题党日，应到32人实到28人",
        "村两委换届后支委会改为每月召开一次吗",
        "支部书记有误工补贴吗？",
        "今天下午组织党员学习更正后的党章修正案，实到20人",
    ],
)
def test_not_corrections(text: str) -> None:
    assert not is_correction(text, today=TODAY)
