"""The one way an HTTP channel is served (the web console, the WeCom callback): uvicorn behind
a reverse proxy on this machine, in front or on a thread beside another channel."""

from __future__ import annotations

import errno
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import uvicorn


class PortInUse(Exception):
    def __init__(self, host: str, port: int) -> None:
        super().__init__(f"{host}:{port} is in use")
        self.host = host
        self.port = port


def check_port_free(host: str, port: int) -> None:
    """Bind the address as uvicorn will (SO_REUSEADDR), so a port another program holds is a
    PortInUse here, not uvicorn's English [Errno 98] and an exit later."""
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                raise PortInUse(host, port) from exc
            raise


def proxied_server(
    app: Any, host: str, port: int, root_path: str = "", *, trusted_proxies: str = ""
) -> uvicorn.Server:
    """X-Forwarded-For is believed only from the proxies named (TRUSTED_PROXIES): from anyone
    else, one client could pose as many addresses and slip past every per-address limit."""
    import uvicorn

    check_port_free(host, port)
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
