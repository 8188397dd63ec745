"""Building and running the python-telegram-bot Application."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from telegram import BotCommand, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import messages
from bot.channels.telegram import conversation as c
from bot.channels.telegram import handlers as h
from bot.channels.telegram.common import CHANNEL, BotServices
from bot.channels.telegram.http import AiohttpRequest
from bot.channels.telegram.outlet import telegram_outlet
from bot.outbox.handoff import hand_off
from bot.runtime.app_secrets import TELEGRAM_WEBHOOK, get_or_create_secret
from bot.runtime.leases import sender_lease
from bot.runtime.redact import install_redaction
from bot.services import CoreServices, KnowledgeBase
from bot.settings import Settings

log = logging.getLogger(__name__)
REPORT_INDEX_EVERY_S = 60
CONCURRENT_UPDATES = 2048
HOUSEKEEPING_EVERY_S = 24 * 3600


class MessageRateLimiter(AIORateLimiter):
    """AIORateLimiter that spends the 30-per-second budget on messages only.

    Telegram's broadcast ceiling is about messages; the stock limiter also queues chat actions
    and callback answers behind it, which halved answers per second under load (bench/).
    """

    UNLIMITED = frozenset({"sendChatAction", "answerCallbackQuery"})

    async def process_request(
        self,
        callback: Any,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        if endpoint in self.UNLIMITED:
            return await callback(*args, **kwargs)

        async def handed_off(*call_args: Any, **call_kwargs: Any) -> Any:
            await hand_off()  # the outbox learns the request is leaving now, not when queued
            return await callback(*call_args, **call_kwargs)

        return await super().process_request(
            handed_off, args, kwargs, endpoint, data, rate_limit_args
        )


def install_token_redaction(token: str) -> None:
    install_redaction(token)


def build_application(
    *,
    token: str,
    services: BotServices,
    base_url: str | None = None,
    base_file_url: str | None = None,
    max_retries: int = 3,
    messages_per_second: float = 29.0,
) -> Application[Any, Any, Any, Any, Any, Any]:
    # One message per 1/rate seconds with no burst: aiolimiter's default bucket of 30 lets a
    # burst plus the drip exceed 30 in a second, which Telegram answers with 429s.
    limiter = MessageRateLimiter(
        overall_max_rate=1, overall_time_period=1 / messages_per_second, max_retries=max_retries
    )
    builder = (
        ApplicationBuilder()
        .token(token)
        .rate_limiter(limiter)
        .request(AiohttpRequest())
        # Handlers wait on the 29/s send pacing; enough slots that waiting replies never hold
        # back the work (storing a report) of updates behind them: 200 secretaries tapping
        # 确认 twice are 400 updates at once (bench.telegram_load reports).
        .concurrent_updates(CONCURRENT_UPDATES)
        .post_init(_post_init)
        .post_stop(_post_stop)
    )
    if base_url:
        builder = builder.base_url(base_url)
    if base_file_url:
        builder = builder.base_file_url(base_file_url)
    application = builder.build()
    application.bot_data["services"] = services
    add_handlers(application)
    return application


def add_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Everything a person says, sends or presses goes to the conversation core
    (bot/channels/telegram/conversation.py), the admin's commands and files too."""
    private = filters.ChatType.PRIVATE
    groups = filters.ChatType.GROUPS
    application.add_handler(TypeHandler(Update, h.guard), group=-1)
    application.add_handler(MessageHandler(private & filters.Document.ALL, c.on_document))
    application.add_handler(MessageHandler(filters.COMMAND, c.on_command))
    application.add_handler(MessageHandler(private & filters.PHOTO, c.on_photo))
    application.add_handler(
        MessageHandler(private & filters.TEXT & ~filters.COMMAND, c.on_private_text)
    )
    application.add_handler(
        MessageHandler(groups & filters.TEXT & ~filters.COMMAND, c.on_group_text)
    )
    unsupported = (
        filters.VOICE
        | filters.AUDIO
        | filters.Sticker.ALL
        | filters.VIDEO
        | filters.VIDEO_NOTE
        | filters.ANIMATION
        | filters.LOCATION
        | filters.CONTACT
    )
    application.add_handler(MessageHandler(private & unsupported, c.on_unsupported_media))
    application.add_handler(CallbackQueryHandler(c.on_press))
    application.add_error_handler(h.on_error)


async def _post_init(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    await application.bot.set_my_commands(
        [BotCommand(name, text) for name, text in messages.TG_COMMANDS.items()]
    )
    services: BotServices = application.bot_data["services"]
    if services.outbox is not None:  # reminders and broadcasts, through every channel's outlet
        outlet = telegram_outlet(
            application.bot,
            may_send=lambda: services.may_send(),  # read when asked: tests swap the lease in
            exclusive=services.exclusive_sender,
        )
        services.outbox.add_outlet(outlet)
        # a plain task, not application.create_task: Application.stop() would wait for a whole
        # broadcast; `stopping` lets the batch in flight finish, the rest resume after a restart
        services.outbox_task = asyncio.create_task(
            services.outbox.keep_sending(services.outbox_every_s, services.stopping)
        )
    if application.job_queue is not None:  # reports a crash or another process left unindexed
        application.job_queue.run_repeating(
            _index_reports, interval=REPORT_INDEX_EVERY_S, first=5, name="index-reports"
        )
    if services.housekeeping is not None and application.job_queue is not None:
        application.job_queue.run_repeating(
            _housekeeping, interval=HOUSEKEEPING_EVERY_S, first=300, name="housekeeping"
        )


async def _index_reports(context: Any) -> None:
    services: BotServices = context.bot_data["services"]
    await asyncio.to_thread(services.reports.index_pending)


async def _housekeeping(context: Any) -> None:
    services: BotServices = context.bot_data["services"]
    if services.housekeeping is not None:
        result = await asyncio.to_thread(services.housekeeping)
        log.info("pruned old rows: %s", result)


async def _post_stop(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    services: BotServices = application.bot_data["services"]
    services.stopping.set()
    if services.outbox_task is not None:
        await asyncio.gather(services.outbox_task, return_exceptions=True)
    await asyncio.to_thread(services.conversation.close)


def _always() -> bool:
    return True


def make_bot_services(settings: Settings, core: CoreServices) -> BotServices:
    may_send: Callable[[], bool] = _always
    if settings.telegram_bot_token is not None:
        token = settings.telegram_bot_token.get_secret_value()
        may_send = partial(core.leases.hold, sender_lease(CHANNEL, token))
    return BotServices(
        qa=core.qa,
        answers=core.answers,
        accounts=core.accounts,
        broadcasts=core.broadcasts,
        library=core.library,
        reports=core.reports,
        report_index=core.report_index,
        conversation=core.conversation,
        public_qa=settings.public_qa,
        admin_chat_id=settings.admin_chat_id,
        max_upload_bytes=settings.max_upload_mb * 1024 * 1024,
        calendar=core.calendar,
        reminders=core.reminders,
        outbox=core.outbox,
        outbox_every_s=settings.reminder_tick_seconds,
        housekeeping=core.housekeeping,
        may_send=may_send,
        exclusive_sender=settings.telegram_bot_token is not None,
    )


def run_bot(
    settings: Settings,
    knowledge_base: KnowledgeBase,
    core: CoreServices,
    *,
    webhook_url: str | None = None,
    listen: str = "127.0.0.1",
    port: int = 8443,
    secret_token: str | None = None,
) -> None:
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value()
    install_token_redaction(token)
    application = build_application(
        token=token,
        services=make_bot_services(settings, core),
        base_url=settings.telegram_base_url,
        base_file_url=settings.telegram_base_file_url,
    )
    # run_polling / run_webhook stop cleanly on SIGINT, SIGTERM and SIGABRT.
    if webhook_url:
        # Never without a secret: anyone reaching the port could otherwise forge updates.
        secret_token = secret_token or get_or_create_secret(
            TELEGRAM_WEBHOOK,
            session_factory=knowledge_base.sessions,
            clock=lambda: datetime.now(UTC),
        )
        application.run_webhook(
            listen=listen,
            port=port,
            url_path="telegram",
            webhook_url=webhook_url,
            secret_token=secret_token,
            allowed_updates=Update.ALL_TYPES,
        )
    else:
        application.run_polling(allowed_updates=Update.ALL_TYPES)
