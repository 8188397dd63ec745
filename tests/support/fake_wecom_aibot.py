"""A fake of WeCom's AI-bot long connection on 127.0.0.1: a real WebSocket server speaking the
frames (subscribe, ping, message and event pushes, stream replies, template cards, card
updates, pushes to a chat, media upload) and serving members' pictures encrypted with their
message's aeskey over HTTP. A newer subscription displaces the older connection as WeCom does.
Any frame it does not expect is recorded and fails the test when the server closes."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import secrets
import time
from collections.abc import Callable
from typing import Any

from websockets.asyncio.server import ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosedOK
from websockets.http11 import Request, Response

from bot.channels.wecom_aibot import protocol

BOT_ID = "aibTESTBOT0001"
BOT_SECRET = "aibot-secret-for-tests"
AUTH_REFUSED = 40001
UNKNOWN_REQ = 846605  # a reply on a req_id this server never pushed (or long expired)
STREAM_DONE = 846609  # a frame for a stream already finished
CARD_REFUSED = 40008


class FakeAibotServer:
    def __init__(self, *, bot_id: str = BOT_ID, secret: str = BOT_SECRET) -> None:
        self.bot_id, self.secret = bot_id, secret
        self.unexpected: list[str] = []
        self.template_cards = True  # False: a deployment that refuses cards
        self.answer_pings = True
        self.refuse_push: dict[str, int] = {}  # chat → the errcode a push to it gets
        self.subscriptions = 0
        self.probes = 0
        self.refused_subscriptions = 0
        self.pings = 0
        self.duplicate_finishes = 0
        self.thinking: list[str] = []  # stream frames not yet finished (a "正在查询")
        self.seen: list[tuple[str, str, Any]] = []  # (chat, "text" | "card" | kind, content)
        self.card_updates: list[dict[str, Any]] = []
        self.push_times: list[float] = []  # when each aibot_send_msg was accepted
        self.pushed_at: dict[str, float] = {}  # msgid → when first pushed
        self.answered_at: dict[str, float] = {}  # msgid → when its answer was finished
        self._pushes: dict[str, dict[str, Any]] = {}  # req_id → the body pushed with it
        self._streams: dict[tuple[str, str], bool] = {}  # (req_id, stream id) → finished
        self._queue: list[str] = []  # frames pushed while no connection is up
        self._files: dict[str, bytes] = {}
        self._uploads: dict[str, list[bytes]] = {}
        self._ws: ServerConnection | None = None
        self._ids = itertools.count(1)
        self._changed = asyncio.Condition()

    async def __aenter__(self) -> FakeAibotServer:
        self._server = await serve(
            self._serve, "127.0.0.1", 0, process_request=self._http, ping_interval=None
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._server.close()
        await self._server.wait_closed()
        assert not self.unexpected, f"unexpected AI-bot frames: {self.unexpected}"

    @property
    def port(self) -> int:
        return int(next(iter(self._server.sockets)).getsockname()[1])

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    @property
    def connected(self) -> bool:
        return self._ws is not None

    # what members see
    def texts_to(self, chat: str) -> list[str]:
        return [c for to, kind, c in self.seen if to == chat and kind == "text"]

    def cards_to(self, chat: str) -> list[dict[str, Any]]:
        return [c for to, kind, c in self.seen if to == chat and kind == "card"]

    async def wait_for(self, condition: Callable[[], bool], timeout: float = 20.0) -> None:
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(condition)

    # what WeCom pushes
    async def push_text(
        self, user: str, content: str, *, msgid: str | None = None, chat: str | None = None
    ) -> str:
        body = self._message(user, "text", msgid, chat)
        body["text"] = {"content": content}
        return await self._push(protocol.MESSAGE, body)

    async def push_image(self, user: str, data: bytes, *, aes_key: str | None = None) -> str:
        key = aes_key or base64.b64encode(secrets.token_bytes(32)).decode().rstrip("=")
        name = f"/media/{next(self._ids)}"
        self._files[name] = protocol.encrypt_media(data, key)
        body = self._message(user, "image", None, None)
        body["image"] = {"url": f"http://127.0.0.1:{self.port}{name}", "aeskey": key}
        return await self._push(protocol.MESSAGE, body)

    async def push_card_event(self, user: str, key: str, task_id: str) -> str:
        body = self._message(user, "event", None, None)
        body["event"] = {
            "eventtype": protocol.CARD_EVENT,
            protocol.CARD_EVENT: {
                "card_type": "button_interaction",
                "event_key": key,
                "task_id": task_id,
            },
        }
        return await self._push(protocol.EVENT, body)

    async def push_body(self, cmd: str, body: dict[str, Any]) -> str:
        return await self._push(cmd, body)

    async def redeliver(self, msgid: str) -> None:
        """The same message again under a new req_id (WeCom retries after a network fault)."""
        body = next(b for b in self._pushes.values() if b.get("msgid") == msgid)
        await self._push(protocol.EVENT if body["msgtype"] == "event" else protocol.MESSAGE, body)

    async def push_raw(self, text: str) -> None:
        assert self._ws is not None
        await self._ws.send(text)

    async def drop(self) -> None:
        """The network fails: the connection ends without a close frame."""
        ws, self._ws = self._ws, None
        if ws is not None:
            ws.transport.abort()

    async def displace(self) -> None:
        """Another client subscribed for this bot: WeCom tells the old one and closes it."""
        ws, self._ws = self._ws, None
        assert ws is not None
        body: dict[str, Any] = {"msgid": self._msgid(), "msgtype": "event", "aibotid": self.bot_id}
        body["event"] = {"eventtype": protocol.DISPLACED}
        await ws.send(protocol.encode(protocol.EVENT, protocol.new_req_id("event"), body))
        await ws.close()

    def _message(self, user: str, kind: str, msgid: str | None, chat: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "msgid": msgid or self._msgid(),
            "create_time": int(time.time()),
            "aibotid": self.bot_id,
            "chattype": "group" if chat else "single",
            "from": {"userid": user},
            "msgtype": kind,
        }
        if chat:
            body["chatid"] = chat
        return body

    def _msgid(self) -> str:
        return f"msg{next(self._ids):06d}"

    async def _push(self, cmd: str, body: dict[str, Any]) -> str:
        req_id = protocol.new_req_id(cmd)
        self._pushes[req_id] = body
        self.pushed_at.setdefault(str(body.get("msgid")), time.perf_counter())
        frame = protocol.encode(cmd, req_id, body)
        if self._ws is None:
            self._queue.append(frame)
        else:
            await self._ws.send(frame)
        return req_id

    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path.startswith("/media/"):
            data = self._files.get(request.path)
            if data is None:
                return Response(404, "Not Found", Headers(), b"")
            headers = Headers([("Content-Length", str(len(data)))])
            return Response(200, "OK", headers, data)
        return None

    async def _serve(self, ws: ServerConnection) -> None:
        try:
            first = protocol.decode(await ws.recv())
        except ConnectionClosedOK:  # connected and closed politely: a reachability check
            self.probes += 1
            return
        except Exception as exc:
            self.unexpected.append(f"first frame unreadable: {exc}")
            return
        if first.cmd != protocol.SUBSCRIBE:
            self.unexpected.append(f"first frame {first.cmd!r}, not a subscription")
            return
        if first.body != {"bot_id": self.bot_id, "secret": self.secret}:
            self.refused_subscriptions += 1
            await self._ack(ws, first.req_id, AUTH_REFUSED, "invalid secret")
            return
        if self._ws is not None:  # one connection per bot: the newer wins
            await self.displace()
        self._ws = ws
        self.subscriptions += 1
        await self._ack(ws, first.req_id)
        queued, self._queue = self._queue, []
        for frame in queued:
            await ws.send(frame)
        try:
            async for raw in ws:
                await self._frame(ws, raw)
        except Exception as exc:  # a dropped connection ends here; anything else is loud
            if "ConnectionClosed" not in type(exc).__name__:
                self.unexpected.append(f"server error: {exc!r}")
        finally:
            if self._ws is ws:
                self._ws = None

    async def _frame(self, ws: ServerConnection, raw: str | bytes) -> None:
        try:
            frame = protocol.decode(raw)
        except Exception as exc:
            self.unexpected.append(f"unreadable frame: {exc}")
            return
        handler = {
            protocol.PING: self._ping,
            protocol.RESPOND: self._respond,
            protocol.RESPOND_UPDATE: self._update,
            protocol.SEND: self._send,
            protocol.UPLOAD_INIT: self._upload_init,
            protocol.UPLOAD_CHUNK: self._upload_chunk,
            protocol.UPLOAD_FINISH: self._upload_finish,
        }.get(frame.cmd)
        if handler is None:
            self.unexpected.append(f"cmd {frame.cmd!r}")
            await self._ack(ws, frame.req_id, 40058, "unknown cmd")
            return
        errcode, errmsg, body = handler(frame)
        if frame.cmd == protocol.PING and not self.answer_pings:
            return
        await self._ack(ws, frame.req_id, errcode, errmsg, body)
        async with self._changed:
            self._changed.notify_all()

    def _ping(self, frame: Frame) -> tuple[int, str, None]:
        self.pings += 1
        return 0, "ok", None

    def _respond(self, frame: Frame) -> tuple[int, str, None]:
        pushed = self._pushes.get(frame.req_id)
        if pushed is None or pushed["msgtype"] == "event":
            self.unexpected.append(f"a reply on req_id {frame.req_id!r} never pushed")
            return UNKNOWN_REQ, "invalid req_id", None
        chat = pushed.get("chatid") or pushed["from"]["userid"]
        body = frame.body
        kind = body.get("msgtype")
        if kind not in ("stream", "stream_with_template_card"):
            self.unexpected.append(f"a reply of msgtype {kind!r}")
            return 40008, "invalid msgtype", None
        if kind == "stream_with_template_card" and not self.template_cards:
            return CARD_REFUSED, "invalid message type", None
        stream = body.get("stream") or {}
        key = (frame.req_id, str(stream.get("id")))
        if not stream.get("id") or not isinstance(stream.get("content"), str):
            self.unexpected.append(f"a stream without id or content: {body}")
            return 40058, "bad stream", None
        if self._streams.get(key):
            self.duplicate_finishes += 1
            return STREAM_DONE, "stream already finished", None
        if len(stream["content"].encode()) > 20480:
            self.unexpected.append("a stream over 20480 bytes")
            return 40058, "content too long", None
        if not stream.get("finish"):
            self._streams[key] = False
            self.thinking.append(stream["content"])
            return 0, "ok", None
        self._streams[key] = True
        self.seen.append((chat, "text", stream["content"]))
        if kind == "stream_with_template_card":
            self.seen.append((chat, "card", body["template_card"]))
        self.answered_at.setdefault(pushed["msgid"], time.perf_counter())
        return 0, "ok", None

    def _update(self, frame: Frame) -> tuple[int, str, None]:
        pushed = self._pushes.get(frame.req_id)
        if pushed is None or pushed["msgtype"] != "event":
            self.unexpected.append(f"a card update on req_id {frame.req_id!r}, not a card event")
            return UNKNOWN_REQ, "invalid req_id", None
        event = pushed["event"][protocol.CARD_EVENT]
        card = frame.body.get("template_card") or {}
        if frame.body.get("response_type") != "update_template_card" or card.get(
            "task_id"
        ) != event.get("task_id"):
            self.unexpected.append(f"a card update not for the pressed card: {frame.body}")
            return 40058, "bad update", None
        self.card_updates.append(frame.body)
        return 0, "ok", None

    def _send(self, frame: Frame) -> tuple[int, str, None]:
        body = frame.body
        chat, kind = body.get("chatid"), body.get("msgtype")
        if not isinstance(chat, str) or not chat:
            self.unexpected.append(f"a push without chatid: {body}")
            return 40058, "no chatid", None
        if chat in self.refuse_push:
            return self.refuse_push[chat], "refused", None
        self.push_times.append(time.monotonic())
        if kind == "markdown":
            self.seen.append((chat, "text", body["markdown"]["content"]))
        elif kind == "template_card":
            if not self.template_cards:
                return CARD_REFUSED, "invalid message type", None
            self.seen.append((chat, "card", body["template_card"]))
        elif kind in ("image", "file"):
            self.seen.append((chat, kind, body[kind]["media_id"]))
        else:
            self.unexpected.append(f"a push of msgtype {kind!r}")
            return 40008, "invalid msgtype", None
        return 0, "ok", None

    def _upload_init(self, frame: Frame) -> tuple[int, str, dict[str, Any]]:
        upload_id = f"up{next(self._ids)}"
        self._uploads[upload_id] = []
        return 0, "ok", {"upload_id": upload_id}

    def _upload_chunk(self, frame: Frame) -> tuple[int, str, None]:
        chunks = self._uploads.get(frame.body.get("upload_id", ""))
        if chunks is None:
            self.unexpected.append("a chunk of an upload never started")
            return 40058, "bad upload", None
        chunks.append(base64.b64decode(frame.body["base64_data"]))
        return 0, "ok", None

    def _upload_finish(self, frame: Frame) -> tuple[int, str, dict[str, Any]]:
        chunks = self._uploads.pop(frame.body.get("upload_id", ""), None)
        if chunks is None:
            self.unexpected.append("an upload finished that never started")
            return 40058, "bad upload", {}
        media_id = f"media{next(self._ids)}"
        self._files[media_id] = b"".join(chunks)
        return 0, "ok", {"media_id": media_id, "type": "file"}

    def uploaded(self, media_id: str) -> bytes:
        return self._files[media_id]

    async def _ack(
        self,
        ws: ServerConnection,
        req_id: str,
        errcode: int = 0,
        errmsg: str = "ok",
        body: dict[str, Any] | None = None,
    ) -> None:
        ack: dict[str, Any] = {"headers": {"req_id": req_id}, "errcode": errcode, "errmsg": errmsg}
        if body:
            ack["body"] = body
        await ws.send(json.dumps(ack, ensure_ascii=False))


Frame = protocol.Frame
