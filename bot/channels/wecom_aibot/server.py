"""Running the AI bot's channel: its connection and message handling on an event loop of
their own, in front or on a thread beside the process's other channels, over the services
they share."""

from __future__ import annotations

import asyncio
import sys
import threading

from bot.channels.wecom_aibot import CHANNEL, messages
from bot.channels.wecom_aibot.channel import AibotChannel
from bot.channels.wecom_aibot.connection import AibotConnection
from bot.channels.wecom_aibot.media import picture_fetcher
from bot.channels.wecom_aibot.outlet import aibot_outlet
from bot.outbox import Outlet
from bot.runtime.leases import sender_lease
from bot.runtime.redact import install_redaction
from bot.services import CoreServices, KnowledgeBase
from bot.settings import Settings


def make_aibot(
    settings: Settings, core: CoreServices
) -> tuple[AibotChannel, AibotConnection, Outlet]:
    """The channel, its connection (not yet running) and the outlet the outbox sends with."""
    assert settings.wecom_aibot_id and settings.wecom_aibot_secret
    secret = settings.wecom_aibot_secret.get_secret_value()
    install_redaction(secret)
    leases = core.leases
    lease = sender_lease(CHANNEL, f"aibot-{settings.wecom_aibot_id}")

    async def may_connect() -> bool:
        return await asyncio.to_thread(leases.hold, lease)

    channel = AibotChannel(
        conversation=core.conversation, accounts=core.accounts, fetch=picture_fetcher()
    )
    connection = AibotConnection(
        url=settings.wecom_aibot_url,
        bot_id=settings.wecom_aibot_id,
        secret=secret,
        on_frame=channel.on_frame,
        may_connect=may_connect,
    )
    channel.connection = connection
    return channel, connection, aibot_outlet(connection, lambda: leases.hold(lease))


def run_wecom_aibot(
    settings: Settings,
    knowledge_base: KnowledgeBase,
    core: CoreServices,
    stopping: threading.Event | None = None,
    *,
    run_outbox: bool = False,
) -> None:
    """Connected until `stopping` is set (or displaced by a newer connection). Its outlet joins
    the process's outbox unless the WeCom callback app's does (the app's message API reaches
    every member of the app); `run_outbox`: this loop also runs the outbox."""
    _, connection, outlet = make_aibot(settings, core)
    if not settings.wecom_configured:
        core.outbox.add_outlet(outlet)

    async def serve() -> None:
        stop = asyncio.Event()
        if stopping is not None:
            loop = asyncio.get_running_loop()
            threading.Thread(
                target=lambda: (stopping.wait(), loop.call_soon_threadsafe(stop.set)),
                daemon=True,
            ).start()
        if not run_outbox:
            await connection.run(stop)
            return

        async def connected() -> None:
            try:
                await connection.run(stop)
            finally:  # displaced, or the secret refused for good: the outbox ends too
                stop.set()

        every_s = settings.reminder_tick_seconds
        await asyncio.gather(connected(), core.outbox.keep_sending(every_s, stop))

    asyncio.run(serve())


def start_wecom_aibot_beside(
    settings: Settings,
    knowledge_base: KnowledgeBase,
    core: CoreServices,
    *,
    alone: bool,
    run_outbox: bool = False,
) -> bool:
    """`partybot start`: the AI bot, when configured, on a thread beside the process's other
    channels — or in front when it is the only one (`alone`; True once it has stopped)."""
    if settings.wecom_aibot_missing:
        missing = "、".join(settings.wecom_aibot_missing)
        print(messages.DOCTOR_HALF_CONFIGURED.format(missing=missing), file=sys.stderr)
    if not settings.wecom_aibot_configured:
        return False
    print(messages.STARTED.format(url=settings.wecom_aibot_url), flush=True)
    if alone:
        run_wecom_aibot(settings, knowledge_base, core, run_outbox=run_outbox)
        return True
    threading.Thread(
        target=run_wecom_aibot,
        args=(settings, knowledge_base, core),
        kwargs={"run_outbox": run_outbox},
        name="wecom-aibot",
        daemon=True,
    ).start()
    return False
