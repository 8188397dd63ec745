"""The one way an HTTP channel is served (the web console, the WeCom callback): uvicorn behind
a reverse proxy on this machine, in front or on a thread beside another channel."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import uvicorn


def proxied_server(
    app: Any, host: str, port: int, root_path: str = "", *, trusted_proxies: str = ""
) -> uvicorn.Server:
    """X-Forwarded-For is believed only from the proxies named (TRUSTED_PROXIES): from anyone
    else, one client could pose as many addresses and slip past every per-address limit."""
    import uvicorn

    trusted = [p.strip() for p in trusted_proxies.split(",") if p.strip()]
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        root_path=root_path,
        log_level="warning",
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )
    return uvicorn.Server(config)


def serve_beside(server: uvicorn.Server, name: str) -> threading.Thread:
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    return thread
