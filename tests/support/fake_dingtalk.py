"""A fake DingTalk on 127.0.0.1, HTTP and WebSocket on one port (aiohttp, on its own thread):
gateway/connections/open, the stream (CALLBACK pushes with their acks, SYSTEM ping and
disconnect, a dropped connection), oauth2/accessToken, messageFiles/download and the file
itself, a message's sessionWebhook, and oToMessages/batchSend. Anything else — a path, a frame
the client sends that acknowledges nothing pushed, a wrong ticket or token — is recorded as
unexpected and fails the test when the fake closes."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from aiohttp import WSMsgType, web
from dingtalk_stream import ChatbotMessage

CLIENT_ID = "dingclientid0001"
CLIENT_SECRET = "dingtalk-secret-for-tests"
ROBOT_CODE = CLIENT_ID
CORP_ID = "dingcorp0001"


class FakeDingTalk:
    def __init__(self) -> None:
        self.unexpected: list[str] = []
        self.replies: list[tuple[str, dict[str, Any]]] = []  # (session, message)
        self.batch_sent: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.invalid_users: set[str] = set()  # not in the org: batchSend names them invalid
        self.refuse_opens = 0  # the next N gateway calls fail with 503
        self.throttle_batch = 0  # the next N batchSend calls are refused with 429
        # DingTalk's per-API limit for an app, enforced when set: over it, 429 and nothing sent
        self.api_per_second: float | None = None
        self.rate_violations = 0
        self.batch_times: list[float] = []
        self.opens = 0
        self.connections = 0
        self.tokens_issued = 0
        self.acks: dict[str, dict[str, Any]] = {}
        self._pushed: set[str] = set()
        # delivered but not acknowledged: pushed again on the next connection, as DingTalk does
        self._unacked: dict[str, str] = {}
        self._redelivered: set[str] = set()
        self.reply_times: list[float] = []  # time.monotonic() of each reply, beside `replies`
        self._tickets: set[str] = set()
        self._token = "token-0"
        self._ids = itertools.count(1)
        self._ws: web.WebSocketResponse | None = None
        self._connected = threading.Condition()
        self._acked = threading.Condition()
        self._replied = threading.Condition()
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # -- the world a test sees --------------------------------------------------------------------

    @property
    def api_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def webhook_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/oapi"

    def __enter__(self) -> FakeDingTalk:
        threading.Thread(target=self._loop.run_forever, name="fake-dingtalk", daemon=True).start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        assert not self.unexpected, f"unexpected DingTalk calls: {self.unexpected}"

    def message(
        self,
        user: str,
        *,
        text: str | None = None,
        msg_id: str | None = None,
        kind: str = "text",
        content: dict[str, Any] | None = None,
        group: str | None = None,
        nick: str = "",
    ) -> dict[str, Any]:
        """A robot message as DingTalk pushes it (the fields the official SDK reads)."""
        msg_id = msg_id or f"msg{next(self._ids)}"
        data: dict[str, Any] = {
            "conversationId": group or f"cid-{user}",
            "chatbotCorpId": CORP_ID,
            "chatbotUserId": "robot-1",
            "msgId": msg_id,
            "senderNick": nick or user,
            "isAdmin": False,
            "senderStaffId": user,
            "sessionWebhookExpiredTime": int((time.time() + 5400) * 1000),
            "createAt": int(time.time() * 1000),
            "senderCorpId": CORP_ID,
            "conversationType": "2" if group else "1",
            "senderId": f"$:LWCP_v1:${user}",
            "sessionWebhook": f"{self.webhook_base_url}/robot/sendBySession?session=s-{msg_id}",
            "robotCode": ROBOT_CODE,
            "msgtype": kind,
        }
        if kind == "text":
            data["text"] = {"content": text or ""}
        else:
            data["content"] = content or {}
        parsed = ChatbotMessage.from_dict(data)  # the SDK reads it as DingTalk's own
        assert parsed.sender_staff_id == user and parsed.message_id == msg_id
        return data

    def push(self, data: dict[str, Any], *, topic: str = "/v1.0/im/bot/messages/get") -> str:
        """A CALLBACK frame with `data`; returns its messageId once the client acknowledged."""
        frame_id = f"frame-{next(self._ids)}"
        self._pushed.add(frame_id)
        self._send(_frame("CALLBACK", topic, frame_id, data))
        self.wait_for_ack(frame_id)
        return frame_id

    def push_event(self, data: dict[str, Any]) -> dict[str, Any]:
        """An EVENT frame (an org event the app is subscribed to); the client's ack data."""
        frame_id = f"event-{next(self._ids)}"
        self._pushed.add(frame_id)
        self._send(_frame("EVENT", "*", frame_id, data))
        return self.wait_for_ack(frame_id)

    def deliver(self, data: dict[str, Any]) -> str:
        """A robot message as DingTalk delivers it: now if a stream is open, else when the next
        one opens; and again on the next connection until it is acknowledged."""
        frame_id = f"frame-{next(self._ids)}"
        self._pushed.add(frame_id)
        raw = _frame("CALLBACK", "/v1.0/im/bot/messages/get", frame_id, data)

        async def send() -> None:
            self._unacked[frame_id] = raw
            if self._ws is not None and not self._ws.closed:
                with contextlib.suppress(ConnectionError):
                    await self._ws.send_str(raw)

        asyncio.run_coroutine_threadsafe(send(), self._loop).result(5)
        return frame_id

    def push_raw(self, raw: str) -> None:
        self._send(raw)

    def ping(self) -> dict[str, Any]:
        frame_id = f"ping-{next(self._ids)}"
        self._pushed.add(frame_id)
        self._send(_frame("SYSTEM", "ping", frame_id, {"opaque": frame_id}))
        return self.wait_for_ack(frame_id)

    def ask_to_reconnect(self) -> None:
        """SYSTEM disconnect: DingTalk closes this connection soon; the client opens another."""
        self._send(_frame("SYSTEM", "disconnect", f"bye-{next(self._ids)}", {"reason": "test"}))

    def drop(self) -> None:
        """The connection cut without a word (a network fault, a gateway restart)."""
        asyncio.run_coroutine_threadsafe(self._close_ws(), self._loop).result(5)

    def wait_connected(self, count: int, timeout_s: float = 10.0) -> None:
        with self._connected:
            assert self._connected.wait_for(
                lambda: self.connections >= count and self._ws is not None, timeout_s
            ), f"{self.connections} connections, wanted {count}"

    def wait_for_ack(self, frame_id: str, timeout_s: float = 10.0) -> dict[str, Any]:
        with self._acked:
            assert self._acked.wait_for(lambda: frame_id in self.acks, timeout_s), frame_id
            return self.acks[frame_id]

    def wait_for_replies(
        self, count: int, timeout_s: float = 30.0, where: Callable[[Any], bool] = lambda _: True
    ) -> list[dict[str, Any]]:
        with self._replied:
            self._replied.wait_for(
                lambda: sum(1 for r in self.replies if where(r)) >= count, timeout_s
            )
            return [m for s, m in self.replies if where((s, m))]

    def texts_in(self, msg_id: str) -> list[str]:
        """What the robot said in answer to one message (text and markdown bodies)."""
        with self._replied:
            found = [m for s, m in self.replies if s == f"s-{msg_id}"]
        return [_body(m) for m in found]

    # -- the server ------------------------------------------------------------------------------

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._http)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def _stop(self) -> None:
        await self._close_ws()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _close_ws(self) -> None:
        if self._ws is not None:
            await self._ws.close()
            self._ws = None

    def _send(self, raw: str) -> None:
        async def send() -> None:
            assert self._ws is not None, "no stream connected"
            await self._ws.send_str(raw)

        asyncio.run_coroutine_threadsafe(send(), self._loop).result(5)

    async def _http(self, request: web.Request) -> web.StreamResponse:
        path, method = request.path, request.method
        if path == "/connect" and method == "GET":
            return await self._stream(request)
        if method == "GET" and path.startswith("/files/"):
            return web.Response(body=self.files[path.removeprefix("/files/")])
        body = await request.json() if request.can_read_body else {}
        if path == "/v1.0/gateway/connections/open":
            return self._open(body)
        if path == "/v1.0/oauth2/accessToken":
            if body != {"appKey": CLIENT_ID, "appSecret": CLIENT_SECRET}:
                return web.json_response({"code": "invalidClientSecret"}, status=400)
            self.tokens_issued += 1
            return web.json_response({"accessToken": self._token, "expireIn": 7200})
        if path.startswith("/oapi/robot/sendBySession"):
            with self._replied:
                self.replies.append((request.query.get("session", ""), body))
                self.reply_times.append(time.monotonic())
                self._replied.notify_all()
            return web.json_response({"errcode": 0, "errmsg": "ok"})
        if request.headers.get("x-acs-dingtalk-access-token") != self._token:
            self.unexpected.append(f"{path} without the access token")
            return web.json_response({"code": "InvalidAuthentication"}, status=401)
        if path == "/v1.0/robot/messageFiles/download":
            if body.get("robotCode") != ROBOT_CODE or body.get("downloadCode") not in self.files:
                self.unexpected.append(f"download {body}")
                return web.json_response({"code": "resource.not.found"}, status=404)
            return web.json_response(
                {"downloadUrl": f"{self.api_base_url}/files/{body['downloadCode']}"}
            )
        if path == "/v1.0/robot/oToMessages/batchSend":
            return self._batch_send(body)
        self.unexpected.append(f"{method} {path}")
        return web.json_response({"code": "notFound"}, status=404)

    def _open(self, body: dict[str, Any]) -> web.Response:
        self.opens += 1
        if self.refuse_opens:
            self.refuse_opens -= 1
            return web.json_response({"code": "ServiceUnavailable"}, status=503)
        if body.get("clientId") != CLIENT_ID or body.get("clientSecret") != CLIENT_SECRET:
            self.unexpected.append("gateway open with the wrong credentials")
            return web.json_response({"code": "Forbidden"}, status=403)
        topics = {(s.get("type"), s.get("topic")) for s in body.get("subscriptions", [])}
        if ("CALLBACK", "/v1.0/im/bot/messages/get") not in topics:
            self.unexpected.append(f"no subscription to the robot's messages: {topics}")
        ticket = f"ticket-{next(self._ids)}"
        self._tickets.add(ticket)
        return web.json_response(
            {"endpoint": f"ws://127.0.0.1:{self.port}/connect", "ticket": ticket}
        )

    def _batch_send(self, body: dict[str, Any]) -> web.Response:
        users = body.get("userIds") or []
        if body.get("robotCode") != ROBOT_CODE or not 1 <= len(users) <= 20:
            self.unexpected.append(f"batchSend {body}")
            return web.json_response({"code": "invalidParameter"}, status=400)
        params = json.loads(body.get("msgParam") or "{}")
        wanted = {"sampleText": {"content"}, "sampleMarkdown": {"title", "text"}}
        if set(params) != wanted.get(body.get("msgKey") or "", set()):
            self.unexpected.append(f"batchSend of {body.get('msgKey')}: {params}")
            return web.json_response({"code": "invalidParameter"}, status=400)
        now = time.monotonic()
        recent = [t for t in self.batch_times[-100:] if now - t < 1.0]
        over = self.api_per_second is not None and len(recent) >= self.api_per_second
        self.rate_violations += over
        if self.throttle_batch or over:
            self.throttle_batch = max(0, self.throttle_batch - 1)
            return web.json_response({"code": "Forbidden.AccessDenied.QpsLimitForApi"}, status=429)
        self.batch_times.append(now)
        invalid = [u for u in users if u in self.invalid_users]
        with self._replied:
            self.batch_sent += [
                {"user": u, "text": params.get("content") or params["text"]}
                for u in users
                if u not in self.invalid_users
            ]
        return web.json_response(
            {"processQueryKey": f"q{next(self._ids)}", "invalidStaffIdList": invalid}
        )

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self._tickets:
            self.unexpected.append(f"a stream opened with an unknown or used ticket {ticket!r}")
            return web.Response(status=403)
        self._tickets.discard(ticket)  # a ticket opens one connection
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        previous, self._ws = self._ws, ws
        if previous is not None:
            await previous.close()
        with self._connected:
            self.connections += 1
            self._connected.notify_all()
        for frame_id, unacked in list(self._unacked.items()):
            self._redelivered.add(frame_id)
            await ws.send_str(unacked)
        async for raw in ws:
            if raw.type != WSMsgType.TEXT:
                self.unexpected.append(f"a {raw.type} frame from the client")
                continue
            self._ack(raw.data)
        if self._ws is ws:
            self._ws = None
        return ws

    def _ack(self, raw: str) -> None:
        try:
            ack = json.loads(raw)
            frame_id = ack["headers"]["messageId"]
            data = json.loads(ack["data"])
        except (ValueError, KeyError, TypeError):
            self.unexpected.append(f"a frame from the client that is no ack: {raw[:200]}")
            return
        again = frame_id in self.acks and frame_id not in self._redelivered
        if ack.get("code") != 200 or again or frame_id not in self._pushed:
            self.unexpected.append(f"ack {ack.get('code')} for {frame_id}")
        self._unacked.pop(frame_id, None)
        with self._acked:
            self.acks[frame_id] = data
            self._acked.notify_all()


def _frame(kind: str, topic: str, frame_id: str, data: dict[str, Any]) -> str:
    return json.dumps(
        {
            "specVersion": "1.0",
            "type": kind,
            "headers": {
                "appId": "app-1",
                "connectionId": "conn-1",
                "contentType": "application/json",
                "messageId": frame_id,
                "time": str(int(time.time() * 1000)),
                "topic": topic,
            },
            "data": json.dumps(data, ensure_ascii=False),
        },
        ensure_ascii=False,
    )


def _body(message: dict[str, Any]) -> str:
    if message.get("msgtype") == "text":
        return str(message["text"]["content"])
    if message.get("msgtype") == "markdown":
        return str(message["markdown"]["text"])
    return json.dumps(message, ensure_ascii=False)
