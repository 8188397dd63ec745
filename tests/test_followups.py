"""Follow-ups on the previous answer — 下一条, 上一条, 还有吗, 这条出自哪, 全文 — through the
conversation core, the same in every channel: the core alone (and after a restart), the
terminal, the web console, Telegram, the WeCom app, the WeCom AI bot and DingTalk (their fakes
on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot import messages
from bot.channels.terminal import run_chat
from bot.conversation.turns import Text, Who
from bot.people.accounts import AccountService, Role
from bot.qa.intents import Intent, classify
from bot.reports.service import ReportService
from tests.support.core_harness import conversation_over
from tests.support.dingtalk_harness import SECRETARY, dingtalk_world
from tests.support.fake_telegram import FakeBotAPI
from tests.support.fake_wecom_aibot import FakeAibotServer
from tests.support.telegram_harness import make_services, running_bot, wait_until
from tests.support.web_harness import PASSWORD, make_web_world
from tests.support.wecom_aibot_harness import core_over, running
from tests.support.wecom_harness import callback, text_message, wecom_world

NOW = datetime(2026, 11, 24, 2, tzinfo=UTC)
REGULATION = (
    "# 中国共产党支部工作条例（试行）\n\n## 第三章　组织生活\n\n"
    "第九条　党支部应当每月相对固定1天开展主题党日，组织党员集中学习、过组织生活。\n\n"
    "第十条　党支部每年至少召开1次组织生活会，一般安排在第四季度。\n\n"
    "第十一条　党员应当按期交纳党费。\n"
)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("那下一条呢", Intent.NEXT_ARTICLE),
        ("下一条", Intent.NEXT_ARTICLE),
        ("下一条讲的啥？", Intent.NEXT_ARTICLE),
        ("上一条", Intent.PREVIOUS_ARTICLE),
        ("那上一条是什么", Intent.PREVIOUS_ARTICLE),
        ("还有吗", Intent.MORE),
        ("还有没有", Intent.MORE),
        ("这条出自哪", Intent.WHICH_SOURCE),
        ("这条出自哪里？", Intent.WHICH_SOURCE),
        ("全文", Intent.FULL_TEXT),
        ("看一下全文", Intent.FULL_TEXT),
        # questions that only contain the words
        ("下一届支委什么时候选", Intent.QUESTION),
        ("上一条规定的处分期限是多久", Intent.QUESTION),
        ("还有哪些情况要从重处分", Intent.QUESTION),
    ],
)
def test_follow_ups_are_told_from_questions(text: str, intent: Intent) -> None:
    assert classify(text) == intent


@pytest.fixture
def kbase(make_kb, knowledge_dir: Path):  # type: ignore[no-untyped-def]
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    built = make_kb()
    built.ingestor.ingest()
    return built


def core(kbase):  # type: ignore[no-untyped-def]
    clock = lambda: NOW  # noqa: E731
    accounts = AccountService(session_factory=kbase.sessions, clock=clock)
    if accounts.member_at("test", "sec") is None:
        accounts.add("sec", Role.SECRETARY, channel="test", village="张家村", township="城关镇")
    reports = ReportService(session_factory=kbase.sessions, clock=clock, timezone=UTC)
    return conversation_over(
        kbase, clock=clock, accounts=accounts, reports=reports, media_dir=Path("/nonexistent")
    )


def say(kbase, text: str) -> str:  # type: ignore[no-untyped-def]
    """One line to a fresh core over the same database: every turn is after a restart."""
    (reply,) = core(kbase).handle(Who("test", "sec", chat="sec"), Text(text))
    return reply.text


def test_next_previous_more_source_and_full_text_in_the_core(kbase) -> None:  # type: ignore[no-untyped-def]
    assert say(kbase, "下一条") == messages.SOURCE_NO_PREVIOUS  # nothing to refer to yet
    first = say(kbase, "主题党日多久开展一次")
    assert "第三章 第九条" in first and "「" in first
    after = say(kbase, "那下一条呢")
    assert after.startswith("《中国共产党支部工作条例（试行）》第三章 第十条原文如下")
    assert "组织生活会" in after
    last = say(kbase, "下一条")
    assert "第十一条" in last and "党费" in last
    past = say(kbase, "下一条")
    assert "共十一条，没有第十二条" in past
    back = say(kbase, "上一条")  # from 第十一条: the refusal quoted nothing
    assert back.startswith("《中国共产党支部工作条例（试行）》第三章 第十条原文如下")
    assert (
        say(kbase, "这条出自哪")
        == "上一条回答引自《中国共产党支部工作条例（试行）》第三章 第十条。"
    )
    full = say(kbase, "全文")
    assert full.startswith("《中国共产党支部工作条例（试行）》第三章 第十条")
    assert "第十条　党支部每年至少召开1次组织生活会，一般安排在第四季度。" in full
    say(kbase, "主题党日多久开展一次")
    more = say(kbase, "还有吗")
    assert more == messages.FOLLOW_UP_NO_MORE or more.startswith(messages.FOLLOW_UP_MORE_HEADER)
    if more.startswith(messages.FOLLOW_UP_MORE_HEADER):
        assert "第九条" not in more  # only what was not quoted before


def test_after_a_question_that_found_nothing_follow_ups_say_so(kbase) -> None:  # type: ignore[no-untyped-def]
    say(kbase, "主题党日多久开展一次")
    say(kbase, "你好")  # small talk in between: the answer is still what 下一条 refers to
    assert say(kbase, "下一条").startswith("《中国共产党支部工作条例（试行）》第三章 第十条")
    refused = say(kbase, "村集体经济收益怎么分配")
    assert "根据知识库中的文件" not in refused
    # not the articles of the question before, as if they answered this one
    for follow_up in ("还有吗", "下一条", "全文"):
        assert say(kbase, follow_up) == messages.FOLLOW_UP_AFTER_REFUSAL
    assert "第九条" in say(kbase, "主题党日多久开展一次")  # a new answer is context again
    assert say(kbase, "下一条").startswith("《中国共产党支部工作条例（试行）》第三章 第十条")


def test_the_terminal(kbase) -> None:  # type: ignore[no-untyped-def]
    stdin = io.StringIO("主题党日多久开展一次\n下一条\n上一条\n这条出自哪\n/quit\n")
    stdout = io.StringIO()
    run_chat(core(kbase), stdin=stdin, stdout=stdout, interactive=False)
    out = stdout.getvalue()
    assert "[有用] [没用]" in out and "👍" not in out
    nxt, prev = out.index("第三章 第十条原文如下"), out.index("第三章 第九条原文如下")
    assert nxt < prev
    assert "上一条回答引自《中国共产党支部工作条例（试行）》第三章 第九条" in out


def test_the_web_console(make_kb, knowledge_dir: Path, tmp_path: Path) -> None:
    world = make_web_world(make_kb, knowledge_dir, tmp_path)
    c = TestClient(world.app)
    login = c.get("/login").text
    csrf = login.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    c.post("/login", data={"login": "sec", "password": PASSWORD, "csrf": csrf})

    def say_web(text: str) -> list[dict]:
        response = c.post(
            "/api/conversation/messages", json={"text": text}, headers={"X-CSRF-Token": csrf}
        )
        assert response.status_code == 200, response.text
        return response.json()

    first = say_web("主题党日多久开展一次")[0]
    assert [b["label"] for b in first["buttons"][0]] == ["查看原文", "有用", "没用"]
    assert first["lead"] and f"「{first['lead']}」" in first["text"]
    assert "第十条原文如下" in say_web("下一条")[0]["text"]
    assert "第九条原文如下" in say_web("上一条")[0]["text"]
    assert "第九条" in say_web("这条出自哪")[0]["text"]
    # without the page's script the form posts and the page answers, the sentence in bold
    page = c.post("/ask", data={"text": "主题党日多久开展一次", "csrf": csrf}).text
    assert f"<strong>{first['lead']}</strong>" in page and f"「{first['lead']}」" not in page


def test_telegram(make_kb, knowledge_dir: Path, tmp_path: Path) -> None:
    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    services = make_services(kbase, knowledge_dir, tmp_path / "data")
    services.accounts.add(
        200, Role.SECRETARY, channel="telegram", name="张书记", village="张家村", township="城关镇"
    )

    async def scenario() -> None:
        with FakeBotAPI() as fake:
            async with running_bot(fake, services):
                for number, text in enumerate(("主题党日多久开展一次", "下一条", "上一条"), 1):
                    fake.message(200, text)
                    await wait_until(lambda n=number: len(fake.texts_to(200)) == n)
                first, nxt, prev = fake.texts_to(200)
                assert "第三章 第九条" in first
                labels = [
                    b["text"]
                    for b in fake.messages_to(200)[0]["reply_markup"]["inline_keyboard"][0]
                ]
                assert labels == ["查看原文", "有用", "没用"]
                assert "第三章 第十条原文如下" in nxt and "第三章 第九条原文如下" in prev

    asyncio.run(asyncio.wait_for(scenario(), timeout=60))


def test_wecom(make_kb, knowledge_dir: Path, tmp_path: Path) -> None:
    rules = REGULATION.replace("中国共产党支部工作条例（试行）", "村级组织工作规则")
    (knowledge_dir / "规则.md").write_text(rules, encoding="utf-8")
    with wecom_world(make_kb, knowledge_dir, tmp_path) as world:
        for number, text in enumerate(("村级组织工作规则第九条", "下一条", "上一条", "全文"), 1):
            callback(world.client, text_message("zhangsan", text, 900 + number))
        first, nxt, prev, full = world.fake.texts_to("zhangsan")
        assert first.startswith("《村级组织工作规则》第三章 第九条原文如下")
        assert nxt.startswith("《村级组织工作规则》第三章 第十条原文如下")
        assert prev.startswith("《村级组织工作规则》第三章 第九条原文如下")
        assert "第九条　党支部应当每月相对固定1天开展主题党日" in full
        (card, *_) = world.fake.cards_to("zhangsan")
        assert [b["text"] for b in card["button_list"]] == ["查看原文", "有用", "没用"]


def test_the_wecom_ai_bot(make_kb, knowledge_dir: Path, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with FakeAibotServer() as fake, running(fake, core):
            for number, text in enumerate(("主题党日多久开展一次", "那下一条呢", "上一条"), 1):
                await fake.push_text("zhangsan", text)
                await fake.wait_for(lambda n=number: len(fake.texts_to("zhangsan")) == n)
            first, nxt, prev = fake.texts_to("zhangsan")
            assert "第九条" in first
            assert nxt.startswith("《中国共产党支部工作条例（试行）》第十条原文如下")
            assert prev.startswith("《中国共产党支部工作条例（试行）》第九条原文如下")

    with core_over(make_kb, knowledge_dir, tmp_path) as core:
        asyncio.run(asyncio.wait_for(scenario(), timeout=60))


def test_dingtalk(make_kb, knowledge_dir: Path, tmp_path: Path) -> None:
    with dingtalk_world(make_kb, knowledge_dir, tmp_path) as world:
        fake = world.fake
        replies = []
        for number, text in enumerate(("主题党日多久开展一次", "下一条", "这条出自哪"), 1):
            fake.push(fake.message(SECRETARY, text=text, msg_id=f"f{number}"))
            fake.wait_for_replies(1, where=lambda r, n=number: r[0] == f"s-f{n}")
            replies.append(fake.texts_in(f"f{number}")[0])
        first, nxt, source = replies
        assert "第九条" in first
        assert nxt.startswith("《中国共产党支部工作条例（试行）》第十条原文如下")
        assert "《中国共产党支部工作条例（试行）》" in source and "第十条" in source
