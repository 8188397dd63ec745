"""The Stream-mode connection: open (an HTTP call for an endpoint and a one-time ticket),
connect (a WebSocket this server opens, so nothing inbound is needed), answer DingTalk's frames,
and reconnect with a growing pause when anything breaks.

Frames are JSON: {"specVersion", "type", "headers": {"messageId", "topic", …}, "data": "<json>"}.
SYSTEM "ping" is answered with its own data (the pong), SYSTEM "disconnect" means DingTalk is
about to close this connection (a new one is opened at once); a CALLBACK on the robot's topic is
a member's message, acknowledged first and handled after (a redelivery, should the ack be lost,
is caught by the channel's claim on msgId); an EVENT is acknowledged and dropped."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote_plus

import websockets
from websockets.asyncio.client import ClientConnection

from bot.channels.dingtalk.api import TOPIC_BOT_MESSAGE, DingTalkAPI, DingTalkError, StreamTicket

log = logging.getLogger(__name__)

# pauses before reconnecting after a failure, the last repeated; reset by a working connection
BACKOFF_S = (1.0, 2.0, 5.0, 10.0, 30.0, 60.0)
MAX_FRAME_BYTES = 1024 * 1024  # a member's message is a few KB
ACK_OK, ACK_BAD_REQUEST = 200, 400

MessageHandler = Callable[[dict[str, Any]], Coroutine[Any, Any, None]]


@dataclass
class StreamConnection:
    api: DingTalkAPI
    on_message: MessageHandler
    backoff_s: tuple[float, ...] = BACKOFF_S
    # how many times a stream has been opened (tests and the benchmark read it)
    connections: int = 0
    _handling: set[asyncio.Task[None]] = field(default_factory=set, init=False)

    async def run(self, stopping: asyncio.Event) -> None:
        """Connected until `stopping` is set; the messages being handled are waited for."""
        failures = 0
        while not stopping.is_set():
            try:
                ticket = await asyncio.to_thread(self.api.open_stream)
                worked = await self._connected(ticket, stopping)
            except (DingTalkError, OSError, websockets.WebSocketException) as exc:
                log.warning("DingTalk stream: %s", _reason(exc))
                worked = False
            except Exception:  # httpx's errors and anything unforeseen: never the loop's end
                log.exception("DingTalk stream failed")
                worked = False
            if stopping.is_set():
                break
            failures = 0 if worked else failures + 1
            if failures:
                pause = self.backoff_s[min(failures, len(self.backoff_s)) - 1]
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=pause)
        if self._handling:
            await asyncio.gather(*self._handling, return_exceptions=True)

    async def _connected(self, ticket: StreamTicket, stopping: asyncio.Event) -> bool:
        """One connection, until DingTalk closes it or we stop; True if it carried frames."""
        uri = f"{ticket.endpoint}?ticket={quote_plus(ticket.ticket)}"
        carried = False
        async with websockets.connect(uri, max_size=MAX_FRAME_BYTES, open_timeout=10) as ws:
            self.connections += 1
            log.info("DingTalk stream connected")
            stop = asyncio.create_task(stopping.wait())
            try:
                while True:
                    receive = asyncio.create_task(ws.recv())
                    await asyncio.wait({receive, stop}, return_when=asyncio.FIRST_COMPLETED)
                    if not receive.done():
                        receive.cancel()
                        return carried
                    try:
                        raw = receive.result()
                    except websockets.ConnectionClosed:
                        log.info("DingTalk closed the stream; reconnecting")
                        return carried
                    carried = True
                    try:
                        if not await self._frame(ws, raw):
                            return True
                    except websockets.ConnectionClosed:  # closed while we answered
                        log.info("DingTalk closed the stream; reconnecting")
                        return True
            finally:
                stop.cancel()

    async def _frame(self, ws: ClientConnection, raw: str | bytes) -> bool:
        """Answer one frame; False when DingTalk asked us to reconnect."""
        try:
            frame = json.loads(raw)
            headers = frame["headers"]
            kind, topic = frame["type"], headers.get("topic", "")
            message_id = str(headers["messageId"])
            data = json.loads(frame.get("data") or "{}")
            if not isinstance(data, dict):
                raise ValueError("data is not an object")
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("DingTalk stream: a frame that is not DingTalk's shape, ignored")
            return True
        if kind == "SYSTEM":
            if topic == "disconnect":
                log.info("DingTalk asked for a new connection")
                return False
            if topic == "ping":
                await _ack(ws, message_id, ACK_OK, data)
            else:
                log.info("DingTalk stream: system topic %r ignored", topic[:40])
            return True
        if kind == "CALLBACK" and topic == TOPIC_BOT_MESSAGE:
            await _ack(ws, message_id, ACK_OK, {"response": None})
            task = asyncio.create_task(self.on_message(data))
            self._handling.add(task)
            task.add_done_callback(self._handling.discard)
            return True
        if kind == "EVENT":  # acknowledged as processed, so DingTalk does not push it again
            await _ack(ws, message_id, ACK_OK, {"status": "SUCCESS", "message": "success"})
            return True
        if kind == "CALLBACK":
            await _ack(ws, message_id, ACK_OK, {"response": None})
            return True
        log.warning("DingTalk stream: a frame of type %r ignored", str(kind)[:40])
        return True


async def _ack(ws: ClientConnection, message_id: str, code: int, data: dict[str, Any]) -> None:
    await ws.send(
        json.dumps(
            {
                "code": code,
                "headers": {"messageId": message_id, "contentType": "application/json"},
                "message": "OK" if code == ACK_OK else "bad request",
                "data": json.dumps(data, ensure_ascii=False),
            },
            ensure_ascii=False,
        )
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, DingTalkError):
        return f"DingTalk refused to open the stream ({exc.status} {exc.code})"
    return f"{type(exc).__name__}: {str(exc)[:120]}"
