"""The one way an HTTP channel is served (the web console, the WeCom callback): uvicorn behind
a reverse proxy on this machine, in front or on a thread beside another channel."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import uvicorn


def proxied_server(app: Any, host: str, port: int, root_path: str = "") -> uvicorn.Server:
    import uvicorn

    # behind the proxy the client's address comes in X-Forwarded-For (login throttling)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        root_path=root_path,
        log_level="warning",
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )
    return uvicorn.Server(config)


def serve_beside(server: uvicorn.Server, name: str) -> threading.Thread:
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    return thread
