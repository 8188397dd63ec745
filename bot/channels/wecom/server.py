"""Running the WeCom channel: the callback server (uvicorn) over the conversation core."""

from __future__ import annotations

import threading
from functools import partial

from bot.channels.serving import proxied_server, serve_beside
from bot.channels.wecom import CHANNEL
from bot.channels.wecom.api import WeComAPI
from bot.channels.wecom.callback import WeComChannel
from bot.channels.wecom.outlet import wecom_outlet
from bot.runtime.leases import sender_lease
from bot.runtime.redact import install_redaction
from bot.services import CoreServices, KnowledgeBase
from bot.settings import Settings


def make_wecom_api(settings: Settings, *, timeout_s: float = 10.0) -> WeComAPI:
    """The app's API client; from here on the app's secrets and access tokens are kept out of
    every log line, whichever command built it (the channel, doctor, wecom bind/menu)."""
    assert settings.wecom_corp_id and settings.wecom_secret and settings.wecom_agent_id is not None
    assert settings.wecom_aes_key and settings.wecom_token
    install_redaction(
        settings.wecom_secret.get_secret_value(),
        settings.wecom_aes_key.get_secret_value(),
        settings.wecom_token.get_secret_value(),
        patterns=(r"(access_token=)[^&\s]+",),
    )
    return WeComAPI(
        base_url=settings.wecom_api_base_url,
        corp_id=settings.wecom_corp_id,
        secret=settings.wecom_secret.get_secret_value(),
        agent_id=settings.wecom_agent_id,
        timeout_s=timeout_s,
    )


def make_wecom_channel(
    settings: Settings,
    core: CoreServices,
    *,
    api: WeComAPI | None = None,
    run_outbox: bool = True,
) -> WeComChannel:
    """`run_outbox`: this channel's loop runs the process's outbox (False beside Telegram, whose
    loop runs it); its outlet is added either way."""
    from wechatpy.enterprise.crypto import WeChatCrypto

    assert settings.wecom_configured
    assert settings.wecom_token and settings.wecom_aes_key and settings.wecom_secret
    assert settings.wecom_corp_id and settings.wecom_agent_id is not None
    api = api or make_wecom_api(settings)
    leases = core.leases
    app_name = f"{settings.wecom_corp_id}-{settings.wecom_agent_id}"
    core.outbox.add_outlet(wecom_outlet(api, partial(leases.hold, sender_lease(CHANNEL, app_name))))
    return WeComChannel(
        conversation=core.conversation,
        accounts=core.accounts,
        api=api,
        outbox=core.outbox if run_outbox else None,
        outbox_every_s=settings.reminder_tick_seconds,
        crypto=WeChatCrypto(
            settings.wecom_token.get_secret_value(),
            settings.wecom_aes_key.get_secret_value(),
            settings.wecom_corp_id,
        ),
    )


def run_wecom(
    settings: Settings, knowledge_base: KnowledgeBase, core: CoreServices, *, host: str, port: int
) -> None:
    channel = make_wecom_channel(settings, core)
    try:
        proxied_server(channel.app(), host, port, trusted_proxies=settings.trusted_proxies).run()
    finally:
        channel.conversation.close()
        channel.api.close()


def start_wecom_beside(
    settings: Settings, knowledge_base: KnowledgeBase, core: CoreServices
) -> threading.Thread:
    """The callback server on a thread of another channel's process, over the services the
    other channels use; the outbox runs here unless Telegram runs it."""
    channel = make_wecom_channel(settings, core, run_outbox=settings.telegram_bot_token is None)
    server = proxied_server(
        channel.app(),
        settings.wecom_host,
        settings.wecom_port,
        trusted_proxies=settings.trusted_proxies,
    )
    return serve_beside(server, "wecom")
