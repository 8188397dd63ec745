"""Running the web console: `partybot web`, or beside the bot when WEB_ENABLED=true."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI

from bot.channels.serving import proxied_server, serve_beside
from bot.runtime.app_secrets import get_or_create_secret
from bot.services import CoreServices, KnowledgeBase
from bot.settings import Settings

SESSION_SECRET = "web_session"


def make_web(settings: Settings, knowledge_base: KnowledgeBase, services: CoreServices) -> FastAPI:
    from bot.channels.web.app import make_web_app

    secret = get_or_create_secret(
        SESSION_SECRET, session_factory=knowledge_base.sessions, clock=lambda: datetime.now(UTC)
    )
    return make_web_app(
        services,
        settings,
        session_secret=secret,
        max_age=timedelta(hours=settings.web_session_hours),
    )


def run_web(
    settings: Settings,
    knowledge_base: KnowledgeBase,
    services: CoreServices,
    *,
    host: str,
    port: int,
    root_path: str,
) -> None:
    app = make_web(settings, knowledge_base, services)
    try:
        proxied_server(app, host, port, root_path, trusted_proxies=settings.trusted_proxies).run()
    finally:
        app.state.web.uploads.close()
        app.state.web.services.conversation.close()


def start_web_beside(
    settings: Settings, knowledge_base: KnowledgeBase, services: CoreServices
) -> threading.Thread:
    """The console on a thread of the bot's process (scripts/start with WEB_ENABLED=true), over
    the services the other channels use."""
    app = make_web(settings, knowledge_base, services)
    server = proxied_server(
        app,
        settings.web_host,
        settings.web_port,
        settings.web_root_path,
        trusted_proxies=settings.trusted_proxies,
    )
    return serve_beside(server, "web")
