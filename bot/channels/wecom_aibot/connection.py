"""The one WebSocket to WeCom: subscribe with the bot's id and secret, a ping every 30 s (two
unanswered and the connection is taken for dead), reconnect with exponential backoff and jitter,
and step aside for good when WeCom says a newer connection has taken over — two processes
would otherwise displace each other forever. Only the process holding the bot's sending lease
connects. Frames WeCom pushes go to `on_frame`, each in its own task; a frame this client
sends waits for WeCom's acknowledgement of its req_id."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from bot.channels.wecom_aibot import protocol
from bot.channels.wecom_aibot.protocol import BadFrame, Frame

log = logging.getLogger(__name__)

MAX_FRAME_BYTES = 4 * 1024 * 1024  # an upload chunk's ack is small; a pushed message a few KB


class NotConnected(Exception):
    """No connection came up in time to carry a frame."""


class ConnectionLost(Exception):
    """The connection closed before WeCom acknowledged a frame."""


class AckError(Exception):
    def __init__(self, errcode: int, errmsg: str) -> None:
        super().__init__(f"{errcode}: {errmsg}")
        self.errcode = errcode


class _Displaced(Exception):
    pass


class _AuthRefused(Exception):
    pass


@dataclass
class AibotConnection:
    url: str
    bot_id: str
    secret: str = field(repr=False)
    on_frame: Callable[[Frame], Coroutine[Any, Any, None]]
    # the sending lease, taken or renewed; None: this process may always connect
    may_connect: Callable[[], Awaitable[bool]] | None = None
    heartbeat_s: float = 30.0
    ack_timeout_s: float = 10.0
    backoff_base_s: float = 1.0
    backoff_cap_s: float = 30.0
    lease_wait_s: float = 20.0
    max_missed_pongs: int = 2
    max_auth_failures: int = 5
    rng: random.Random = field(default_factory=random.Random)
    connected: asyncio.Event = field(default_factory=asyncio.Event, init=False)
    displaced: bool = field(default=False, init=False)
    connections: int = field(default=0, init=False)  # how many times it has subscribed
    _ws: Any = field(default=None, init=False)
    _pending: dict[str, asyncio.Future[Frame]] = field(default_factory=dict, init=False)
    _req_locks: dict[str, asyncio.Lock] = field(default_factory=dict, init=False)
    _tasks: set[asyncio.Task[None]] = field(default_factory=set, init=False)
    _missed_pongs: int = field(default=0, init=False)
    # the event loop the connection runs on: frames are sent from it alone
    loop: asyncio.AbstractEventLoop | None = field(default=None, init=False)

    def backoff(self, attempt: int) -> float:
        """Full jitter over an exponential ceiling: a county's servers, cut off together, do
        not all come back in the same second."""
        ceiling = min(self.backoff_cap_s, self.backoff_base_s * 2**attempt)
        return ceiling * (0.5 + 0.5 * self.rng.random())

    async def run(self, stopping: asyncio.Event) -> None:
        """Connected until `stopping` is set, displaced, or the secret is refused for good."""
        import websockets

        self.loop = asyncio.get_running_loop()
        attempt = auth_failures = 0
        while not stopping.is_set():
            if not await self._holds_lease():
                await _wait(stopping, self.lease_wait_s)  # another process holds the bot
                continue
            try:
                async with websockets.connect(
                    self.url,
                    open_timeout=self.ack_timeout_s,
                    max_size=MAX_FRAME_BYTES,
                    ping_interval=None,  # WeCom's heartbeat is the ping frame below
                ) as ws:
                    await self._subscribe(ws)
                    attempt = auth_failures = 0
                    await self._serve(ws, stopping)
            except _Displaced:
                log.warning(
                    "WeCom AI bot: a newer connection for this bot took over; this process "
                    "stops connecting (only one process may hold the bot)"
                )
                self.displaced = True
                return
            except _AuthRefused as exc:
                auth_failures += 1
                log.error("WeCom AI bot: subscription refused (%s)", exc)
                if auth_failures >= self.max_auth_failures:
                    log.error("WeCom AI bot: the bot id or secret is refused; giving up")
                    return
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as exc:
                log.warning("WeCom AI bot: connection lost (%s)", type(exc).__name__)
            finally:
                self._closed()
            if stopping.is_set():
                break
            delay = self.backoff(attempt)
            attempt += 1
            log.info("WeCom AI bot: reconnecting in %.1fs", delay)
            await _wait(stopping, delay)
        await self._finish_tasks()

    async def request(
        self, cmd: str, body: dict[str, Any], *, req_id: str | None = None, wait_s: float = 5.0
    ) -> Frame:
        """Send one frame and wait for its acknowledgement. Frames on one req_id go one at a
        time (WeCom acknowledges by req_id). Raises NotConnected, ConnectionLost, TimeoutError
        or AckError."""
        req_id = req_id or protocol.new_req_id(cmd)
        lock = self._req_locks.setdefault(req_id, asyncio.Lock())
        try:
            async with lock:
                return await self._request(cmd, body, req_id, wait_s)
        finally:
            if not lock.locked() and self._req_locks.get(req_id) is lock:
                del self._req_locks[req_id]

    async def _request(self, cmd: str, body: dict[str, Any], req_id: str, wait_s: float) -> Frame:
        try:
            await asyncio.wait_for(self.connected.wait(), wait_s)
        except TimeoutError as exc:
            raise NotConnected from exc
        ws = self._ws
        if ws is None:  # up when woken, down again since
            raise ConnectionLost
        future: asyncio.Future[Frame] = asyncio.get_running_loop().create_future()
        self._pending[req_id] = future
        try:
            try:
                await ws.send(protocol.encode(cmd, req_id, body))
            except Exception as exc:  # closed under us
                raise ConnectionLost from exc
            ack = await asyncio.wait_for(future, self.ack_timeout_s)
        finally:
            self._pending.pop(req_id, None)
        if ack.errcode:
            raise AckError(ack.errcode, ack.errmsg)
        return ack

    async def _subscribe(self, ws: Any) -> None:
        req_id = protocol.new_req_id(protocol.SUBSCRIBE)
        body = protocol.subscribe_body(self.bot_id, self.secret)
        await ws.send(protocol.encode(protocol.SUBSCRIBE, req_id, body))
        async with asyncio.timeout(self.ack_timeout_s):
            while True:  # WeCom answers the subscription before it pushes anything
                try:
                    ack = protocol.decode(await ws.recv())
                except BadFrame as exc:
                    log.warning("WeCom AI bot: unreadable frame before the subscription (%s)", exc)
                    continue
                if ack.req_id == req_id:
                    break
                log.warning("WeCom AI bot: a %r frame before the subscription", ack.cmd)
        if ack.errcode:
            raise _AuthRefused(f"errcode {ack.errcode}")
        self._ws = ws
        self._missed_pongs = 0
        self.connections += 1
        self.connected.set()
        log.info("WeCom AI bot: subscribed")

    async def _serve(self, ws: Any, stopping: asyncio.Event) -> None:
        reading = asyncio.create_task(self._read(ws))
        beating = asyncio.create_task(self._heartbeat(ws))
        stop = asyncio.create_task(stopping.wait())
        try:
            await asyncio.wait({reading, beating, stop}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (beating, stop):
                task.cancel()
            if not reading.done():
                reading.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reading
        if beating.done() and not beating.cancelled() and beating.exception() is not None:
            log.info("WeCom AI bot: the heartbeat failed (%s)", type(beating.exception()).__name__)
        if reading.done() and not reading.cancelled() and reading.exception() is not None:
            raise reading.exception()  # type: ignore[misc]

    async def _read(self, ws: Any) -> None:
        async for raw in ws:
            try:
                frame = protocol.decode(raw)
            except BadFrame as exc:
                log.warning("WeCom AI bot: ignored an unreadable frame (%s)", exc)
                continue
            if frame.is_ack:
                self._acknowledged(frame)
            elif frame.cmd == protocol.EVENT and _event_type(frame) == protocol.DISPLACED:
                raise _Displaced
            elif frame.cmd in (protocol.MESSAGE, protocol.EVENT):
                task = asyncio.create_task(self.on_frame(frame))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            else:
                log.warning("WeCom AI bot: ignored a frame with cmd %r", frame.cmd[:40])

    def _acknowledged(self, ack: Frame) -> None:
        if ack.req_id.startswith(protocol.PING):
            self._missed_pongs = 0
            return
        future = self._pending.get(ack.req_id)
        if future is not None and not future.done():
            future.set_result(ack)
        else:
            log.info("WeCom AI bot: an acknowledgement nobody waits for")

    async def _heartbeat(self, ws: Any) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_s)
            if self._missed_pongs >= self.max_missed_pongs:
                log.warning("WeCom AI bot: %d pings unanswered; reconnecting", self._missed_pongs)
                await ws.close()
                return
            if not await self._holds_lease():
                log.warning("WeCom AI bot: the sending lease is lost; disconnecting")
                await ws.close()
                return
            self._missed_pongs += 1
            await ws.send(protocol.encode(protocol.PING, protocol.new_req_id(protocol.PING)))

    async def _holds_lease(self) -> bool:
        """The lease taken or renewed; a database that cannot say is a no, for now."""
        if self.may_connect is None:
            return True
        try:
            return await self.may_connect()
        except Exception:
            log.warning("WeCom AI bot: could not check the sending lease", exc_info=True)
            return False

    def _closed(self) -> None:
        self.connected.clear()
        self._ws = None
        for future in self._pending.values():
            if not future.done():
                future.set_exception(ConnectionLost())
        self._pending.clear()

    async def _finish_tasks(self) -> None:
        """Messages being answered when the loop stops are finished or given up, not lost
        half-way in a dying event loop."""
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=self.ack_timeout_s)


def _event_type(frame: Frame) -> str:
    event = frame.body.get("event")
    return str(event.get("eventtype") or "") if isinstance(event, dict) else ""


async def _wait(stopping: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)
