"""The Stream-mode connection against a fake DingTalk speaking the protocol over a real
WebSocket: ping/pong, DingTalk's "disconnect", a dropped connection, a gateway that refuses for
a while, frames that are not DingTalk's, and a clean stop."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

from bot.channels.dingtalk.stream import StreamConnection
from tests.support.dingtalk_harness import SECRETARY, dingtalk_api, dingtalk_world, running
from tests.support.fake_dingtalk import FakeDingTalk


class Recorder:
    def __init__(self) -> None:
        self.seen: list[dict[str, Any]] = []
        self._changed = threading.Condition()

    async def __call__(self, data: dict[str, Any]) -> None:
        with self._changed:
            self.seen.append(data)
            self._changed.notify_all()

    def wait(self, count: int, timeout_s: float = 10.0) -> list[str]:
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.seen) >= count, timeout_s)
            return [d["text"]["content"] for d in self.seen]


def test_ping_is_answered_with_its_own_data_and_events_are_acknowledged() -> None:
    recorder = Recorder()
    with FakeDingTalk() as fake:
        api = dingtalk_api(fake)
        with running(StreamConnection(api=api, on_message=recorder)):
            fake.wait_connected(1)
            pong = fake.ping()
            assert pong == {"opaque": pong["opaque"]} and pong["opaque"].startswith("ping-")
            assert fake.push_event({"eventType": "user_add_org"})["status"] == "SUCCESS"
            fake.push({"cardInstanceId": "c1"}, topic="/v1.0/card/instances/callback")
            fake.push(fake.message(SECRETARY, text="你好"))
            assert recorder.wait(1) == ["你好"]
        api.close()
    assert len(recorder.seen) == 1  # the event and the card callback acknowledged, not handled


def test_bad_frames_are_ignored_and_the_connection_lives_on() -> None:
    recorder = Recorder()
    with FakeDingTalk() as fake:
        api = dingtalk_api(fake)
        stream = StreamConnection(api=api, on_message=recorder)
        with running(stream):
            fake.wait_connected(1)
            for raw in (
                "not json at all",
                "[1, 2, 3]",
                json.dumps({"type": "CALLBACK", "headers": {}}),
                json.dumps({"type": "CALLBACK", "headers": {"messageId": "x"}, "data": "{{"}),
                json.dumps({"type": "CALLBACK", "headers": {"messageId": "y"}, "data": "[]"}),
                json.dumps({"type": "NOVEL", "headers": {"messageId": "z"}, "data": "{}"}),
                json.dumps({"type": "SYSTEM", "headers": {"messageId": "w", "topic": "odd"}}),
            ):
                fake.push_raw(raw)
            fake.push(fake.message(SECRETARY, text="还在吗"))
            assert recorder.wait(1) == ["还在吗"]
            assert stream.connections == 1 and fake.connections == 1
        api.close()


def test_a_refusing_gateway_is_tried_again_with_growing_pauses() -> None:
    recorder = Recorder()
    with FakeDingTalk() as fake:
        fake.refuse_opens = 3
        api = dingtalk_api(fake)
        started = time.monotonic()
        with running(StreamConnection(api=api, on_message=recorder, backoff_s=(0.1, 0.2, 0.4))):
            fake.wait_connected(1)
            waited = time.monotonic() - started
            fake.push(fake.message(SECRETARY, text="连上了"))
            assert recorder.wait(1) == ["连上了"]
        api.close()
    assert fake.opens == 4 and waited >= 0.7  # 0.1 + 0.2 + 0.4


def test_the_stream_stops_cleanly_while_connected_or_while_waiting() -> None:
    with FakeDingTalk() as fake:
        api = dingtalk_api(fake)
        with running(StreamConnection(api=api, on_message=Recorder())):
            fake.wait_connected(1)
        fake.refuse_opens = 100  # stopped during a long pause before a retry
        with running(StreamConnection(api=api, on_message=Recorder(), backoff_s=(60.0,))):
            time.sleep(0.3)
        api.close()


def test_reconnects_after_disconnect_and_a_drop_answer_each_message_once(
    make_kb, knowledge_dir: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with dingtalk_world(make_kb, knowledge_dir, tmp_path) as world:
        fake = world.fake
        fake.ask_to_reconnect()  # DingTalk's notice before it closes the connection
        fake.wait_connected(2)
        fake.push(fake.message(SECRETARY, text="/help", msg_id="after-disconnect"))
        assert len(fake.wait_for_replies(1)) == 1
        pushed = fake.message(SECRETARY, text="主题党日多久开展一次", msg_id="across-drop")
        fake.push(pushed)
        fake.drop()  # cut while the answer is being written
        fake.wait_connected(3)
        fake.push(pushed)  # DingTalk pushes again what it is unsure we had
        fake.wait_for_replies(2, where=lambda r: r[0] == "s-across-drop")
        time.sleep(0.5)  # time enough for a second answer, were there one
        assert len(fake.texts_in("across-drop")) == 2  # the answer and its buttons, once
        assert world.stream.connections == 3


def test_start_with_only_dingtalk_holds_the_process_until_sigterm(
    env_settings: Path, knowledge_dir: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """A county on DingTalk alone: `partybot start` connects and answers, and stops cleanly."""
    import os
    import subprocess
    import sys

    from bot import messages
    from tests.support.dingtalk_harness import REGULATION
    from tests.support.fake_dingtalk import CLIENT_ID, CLIENT_SECRET

    (knowledge_dir / "条例.md").write_text(REGULATION, encoding="utf-8")
    with FakeDingTalk() as fake:
        for name, value in {
            "DINGTALK_CLIENT_ID": CLIENT_ID,
            "DINGTALK_CLIENT_SECRET": CLIENT_SECRET,
            "DINGTALK_API_BASE_URL": fake.api_base_url,
            "DINGTALK_WEBHOOK_BASE_URL": fake.webhook_base_url,
        }.items():
            monkeypatch.setenv(name, value)
        process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "start"],
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            fake.wait_connected(1, timeout_s=120)
            fake.push(fake.message("nobody", text="你好", msg_id="hello"))
            fake.wait_for_replies(1)
            assert fake.texts_in("hello") == [messages.NOT_REGISTERED]
        finally:
            process.terminate()
            output = process.communicate(timeout=30)[0]
        assert process.returncode == 0, output
        assert "钉钉机器人已连接" in output and "Traceback" not in output, output
        assert CLIENT_SECRET not in output
