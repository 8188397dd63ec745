"""Running the DingTalk channel: the stream on its own thread and event loop, over the services
the process's other channels use (one core per process)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from dataclasses import dataclass

from bot.channels.dingtalk import CHANNEL, messages
from bot.channels.dingtalk.api import DingTalkAPI
from bot.channels.dingtalk.channel import DingTalkChannel
from bot.channels.dingtalk.outlet import DingTalkOutlet, dingtalk_outlet
from bot.channels.dingtalk.stream import StreamConnection
from bot.runtime.leases import sender_lease
from bot.runtime.redact import install_redaction
from bot.services import CoreServices
from bot.settings import Settings


def make_dingtalk_api(settings: Settings, *, timeout_s: float = 10.0) -> DingTalkAPI:
    """The app's API client; from here on its secret, access tokens and stream tickets are
    kept out of every log line."""
    assert settings.dingtalk_client_id and settings.dingtalk_client_secret
    secret = settings.dingtalk_client_secret.get_secret_value()
    install_redaction(secret, patterns=(r"(ticket=)[^&\s]+", r"(access-token: ?)\S+"))
    return DingTalkAPI(
        base_url=settings.dingtalk_api_base_url,
        client_id=settings.dingtalk_client_id,
        client_secret=secret,
        robot_code=settings.dingtalk_robot_code or settings.dingtalk_client_id,
        webhook_base_url=settings.dingtalk_webhook_base_url,
        timeout_s=timeout_s,
    )


def make_dingtalk_outlet(settings: Settings) -> DingTalkOutlet:
    """The outlet the one outbox sends reminders and broadcasts to DingTalk members through."""
    return DingTalkOutlet(api=make_dingtalk_api(settings))


def run_dingtalk(
    settings: Settings, core: CoreServices, stopping: threading.Event, *, run_outbox: bool = False
) -> None:
    """Connected to DingTalk until `stopping` is set (blocking: a thread of its own). The app's
    outlet joins the process's outbox; `run_outbox`: this loop also runs the outbox (when no
    other channel of the process does)."""
    api = make_dingtalk_api(settings)
    channel = DingTalkChannel(conversation=core.conversation, accounts=core.accounts, api=api)
    stream = StreamConnection(api=api, on_message=channel.on_message)
    lease = sender_lease(CHANNEL, settings.dingtalk_client_id or "")
    core.outbox.add_outlet(dingtalk_outlet(api, lambda: core.leases.hold(lease)))
    every_s = settings.reminder_tick_seconds if run_outbox else None
    try:
        asyncio.run(_until(stream, stopping, core, every_s))
    finally:
        channel.close()
        api.close()


async def _until(
    stream: StreamConnection, stopping: threading.Event, core: CoreServices, every_s: float | None
) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def watch() -> None:
        stopping.wait()
        with contextlib.suppress(RuntimeError):  # the loop already ended
            loop.call_soon_threadsafe(stop.set)

    threading.Thread(target=watch, name="dingtalk-stop", daemon=True).start()
    if every_s is None:
        await stream.run(stop)
        return
    await asyncio.gather(stream.run(stop), core.outbox.keep_sending(every_s, stop))


@dataclass
class DingTalkRunner:
    """The stream running on its own thread."""

    thread: threading.Thread
    stopping: threading.Event

    def stop(self, timeout_s: float = 10.0) -> None:
        self.stopping.set()
        self.thread.join(timeout_s)

    def hold(self) -> int:
        """The stream as the process's only channel: until Ctrl-C or SIGTERM."""
        previous = signal.signal(signal.SIGTERM, lambda *_: self.stopping.set())
        try:
            while self.thread.is_alive() and not self.stopping.wait(1.0):
                pass
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.stop()
        return 0


def start_dingtalk(
    settings: Settings, core: CoreServices, *, run_outbox: bool = False
) -> DingTalkRunner:
    """The stream on a thread beside the process's other channels (or held as the only one)."""
    stopping = threading.Event()
    thread = threading.Thread(
        target=run_dingtalk,
        args=(settings, core, stopping),
        kwargs={"run_outbox": run_outbox},
        name="dingtalk",
        daemon=True,
    )
    thread.start()
    print(messages.STARTED, flush=True)
    return DingTalkRunner(thread, stopping)
