"""The HTTP client the bot's requests to Telegram go through: python-telegram-bot's request
interface over aiohttp.

python-telegram-bot ships one client, httpx. Its pool (httpcore 1.0) walks every connection,
polling each idle socket, and every queued request whenever a request starts or ends; under a
burst of 400 button presses that walk was half of the event loop's CPU with the stock 256
connections, a third with 32 (bench.telegram_load reports). aiohttp's pool keeps free
connections in a queue and waiting requests in another. (python-telegram-bot's contrib
package has an aiohttp request too, but it is not on the package index.)
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# Connections to Telegram at once. A burst's callback answers go out together (the messages
# are paced at 29 a second elsewhere): over a 200 ms round trip 128 answer 200 double taps within
# 2 s, 32 within 4 s (bench.telegram_load reports --round-trip 0.2). Beyond them requests wait
# for a free connection, unhurried.
REQUEST_SLOTS = 128


class AiohttpRequest(BaseRequest):
    """The timeouts are python-telegram-bot's: connect, read (the answer's bytes may not pause
    longer), and for uploads a whole-request limit of media_write + read, aiohttp having no
    write timeout. Waiting for a free connection has no limit: a burst queues, it does not
    fail. Proxies come from HTTPS_PROXY/HTTP_PROXY/NO_PROXY, as with httpx."""

    def __init__(
        self,
        slots: int = REQUEST_SLOTS,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 5.0,
        media_write_timeout: float = 20.0,
    ) -> None:
        self._slots = slots
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._slots)
            self._session = aiohttp.ClientSession(connector=connector, trust_env=True)

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = (
            self._connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        )
        files = request_data.multipart_data if request_data is not None else {}
        total = None
        if files:
            write = (
                self._media_write_timeout
                if isinstance(write_timeout, DefaultValue)
                else write_timeout
            )
            total = None if write is None or read is None else write + read
        timeout = aiohttp.ClientTimeout(
            total=total, connect=None, sock_connect=connect, sock_read=read
        )
        try:
            async with self._session.request(
                method,
                url,
                data=_body(request_data, files),
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{type(err).__name__}: {err}") from err


def _body(request_data: RequestData | None, files: dict[str, Any]) -> aiohttp.FormData | None:
    """A form, url-encoded or, with files, multipart, as python-telegram-bot's httpx sends it."""
    if request_data is None:
        return None
    form = aiohttp.FormData(request_data.json_parameters)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
