"""A fake Telegram Bot API server on 127.0.0.1, spoken to by python-telegram-bot's real HTTP stack.

It implements the methods the bot uses, long-polls updates the test injects, can answer 429
(RetryAfter) or 403 (blocked) on demand, counts messages against Telegram's 30 per second, and
records any method it does not implement so the test fails.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote

TOKEN = "123456:TEST-token-never-logged"
BOT_ID = 123456
BOT_USERNAME = "partybot_test_bot"
SEND_METHODS = {"sendMessage", "sendDocument", "sendPhoto"}
RATE_LIMIT_PER_S = 30


class _Server(ThreadingHTTPServer):
    # A burst opens many connections at once; the default backlog of 5 resets them.
    request_queue_size = 512


class FakeBotAPI:
    def __init__(self, *, enforce_rate_limit: bool = True) -> None:
        self.enforce_rate_limit = enforce_rate_limit
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.call_times: list[float] = []  # monotonic time of each of self.calls
        self.sent: list[dict[str, Any]] = []
        self.unexpected: list[str] = []
        self.rate_violations = 0
        self.blocked: set[int] = set()
        self.retry_after: dict[int, int] = {}  # chat id -> seconds, answered once as 429
        self.files: dict[str, bytes] = {}
        self.delay_s = 0.0
        # the network between the bot and Telegram's servers: every request but getUpdates waits
        # half of it before the server sees it and half before its answer arrives
        self.round_trip_s = 0.0
        self.most_in_flight = 0  # the most requests (but getUpdates) the server held at once
        self._in_flight = 0
        self.message_time: float | None = None  # the `date` of injected messages; now if None
        self.send_times_log: list[float] = []  # monotonic time of each accepted send
        self.reply_times: dict[int, list[float]] = {}
        self._updates: list[dict[str, Any]] = []
        self._polls = 0  # getUpdates calls begun
        self._handed_out_at = 0  # the getUpdates call that last handed updates out
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self._send_times: deque[float] = deque()
        self._cond = threading.Condition()
        self._lock = threading.Lock()
        self._httpd = _Server(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    # -- lifecycle ------------------------------------------------------------------------------

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def __enter__(self) -> FakeBotAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._cond.notify_all()
        self._httpd.shutdown()
        self._httpd.server_close()
        assert not self.unexpected, f"unexpected Bot API calls: {self.unexpected}"

    # -- what the test does as Telegram users -----------------------------------------------------

    def _user(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"用户{user_id}"}

    def _chat(self, chat_id: int, chat_type: str) -> dict[str, Any]:
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "支部群"
        return chat

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        with self._cond:
            update.setdefault("update_id", next(self._update_ids))
            self._updates.append(update)
            self._cond.notify_all()
        return update

    def redeliver(self, update: dict[str, Any]) -> None:
        """The same update again, as Telegram does when the bot died before confirming it."""
        with self._cond:
            self._updates.append(dict(update, _redelivered=True))
            self._cond.notify_all()

    def message(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to_bot: bool = False,
    ) -> dict[str, Any]:
        chat_id = user_id if chat_id is None else chat_id
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": self._now(),
            "chat": self._chat(chat_id, chat_type),
            "from": self._user(user_id),
            "text": text,
        }
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to_bot:
            message["reply_to_message"] = {
                "message_id": 1,
                "date": int(time.time()),
                "chat": self._chat(chat_id, chat_type),
                "from": {
                    "id": BOT_ID,
                    "is_bot": True,
                    "first_name": "党建助手",
                    "username": BOT_USERNAME,
                },
                "text": "之前的回答",
            }
        return self.push({"message": message})

    def document(
        self, user_id: int, file_name: str, content: bytes, *, file_size: int | None = None
    ) -> dict[str, Any]:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = content
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(user_id, "private"),
            "from": self._user(user_id),
            "document": {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": file_name,
                "file_size": len(content) if file_size is None else file_size,
            },
        }
        return self.push({"message": message})

    def _now(self) -> int:
        return int(self.message_time if self.message_time is not None else time.time())

    def photo(
        self,
        user_id: int,
        content: bytes,
        *,
        caption: str | None = None,
        media_group_id: str | None = None,
    ) -> dict[str, Any]:
        file_id = f"photo-{len(self.files) + 1}"
        self.files[file_id] = content
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": self._now(),
            "chat": self._chat(user_id, "private"),
            "from": self._user(user_id),
            "photo": [
                {
                    "file_id": file_id,
                    "file_unique_id": f"u{file_id}",
                    "width": 800,
                    "height": 600,
                    "file_size": len(content),
                }
            ],
        }
        if caption:
            message["caption"] = caption
        if media_group_id:
            message["media_group_id"] = media_group_id
        return self.push({"message": message})

    def click(self, user_id: int, sent_message: dict[str, Any], data: str) -> dict[str, Any]:
        return self.push(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "from": self._user(user_id),
                    "chat_instance": "ci",
                    "data": data,
                    "message": self._as_message(sent_message),
                }
            }
        )

    # -- what the test reads ---------------------------------------------------------------------

    def texts_to(self, chat_id: int) -> list[str]:
        with self._lock:
            return [m["text"] for m in self.sent if m["chat_id"] == chat_id and "text" in m]

    def messages_to(self, chat_id: int) -> list[dict[str, Any]]:
        with self._lock:
            return [m for m in self.sent if m["chat_id"] == chat_id]

    def params_of(self, method: str) -> list[dict[str, Any]]:
        with self._lock:
            return [params for name, params in self.calls if name == method]

    def toast_times(self) -> dict[str, float]:
        """callback query id -> when the bot answered it."""
        with self._lock:
            return {
                str(params.get("callback_query_id")): at
                for (name, params), at in zip(self.calls, self.call_times, strict=True)
                if name == "answerCallbackQuery"
            }

    def all_fetched(self) -> bool:
        """Every update injected so far was handed to the bot, and the bot has asked again since
        the last batch: python-telegram-bot queues a batch before it asks for the next."""
        with self._cond:
            return not self._updates and self._polls > self._handed_out_at

    def methods(self) -> list[str]:
        with self._lock:
            return [name for name, _ in self.calls]

    # -- the server ------------------------------------------------------------------------------

    def _as_message(self, sent: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(sent["chat_id"])
        message = {
            "message_id": sent["message_id"],
            "date": int(time.time()),
            "chat": self._chat(chat_id, "private" if chat_id > 0 else "group"),
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "党建助手",
                "username": BOT_USERNAME,
            },
        }
        if "text" in sent:
            message["text"] = sent["text"]
        if sent.get("reply_markup"):
            message["reply_markup"] = sent["reply_markup"]
        return message

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """Telegram's semantics: an update stays until a later call's offset confirms it."""
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        deadline = time.monotonic() + min(timeout, 2.0)
        with self._cond:
            self._polls += 1
            while True:
                self._updates = [
                    u for u in self._updates if u["update_id"] >= offset or u.get("_redelivered")
                ]
                ready = list(self._updates)
                if ready:
                    # a redelivery is handed out once, whatever the offset says
                    self._updates = [u for u in self._updates if not u.get("_redelivered")]
                    self._handed_out_at = self._polls
                    return [{k: v for k, v in u.items() if not k.startswith("_")} for u in ready]
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return []
                self._cond.wait(remaining)

    def _check_rate(self) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._send_times and now - self._send_times[0] >= 1.0:
                self._send_times.popleft()
            if len(self._send_times) >= RATE_LIMIT_PER_S:
                self.rate_violations += 1
                return False
            self._send_times.append(now)
            return True

    def _call(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.calls.append((method, params))
            self.call_times.append(time.monotonic())
        bot_user = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "党建助手",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        if method == "getMe":
            return 200, {"ok": True, "result": bot_user}
        if method in (
            "deleteWebhook",
            "setWebhook",
            "setMyCommands",
            "answerCallbackQuery",
            "sendChatAction",
            "close",
        ):
            return 200, {"ok": True, "result": True}
        if method == "editMessageReplyMarkup":
            with self._lock:
                self.sent.append(dict(params, method=method))
            return 200, {"ok": True, "result": True}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        if method == "getFile":
            file_id = params["file_id"]
            if file_id not in self.files:
                return 400, {
                    "ok": False,
                    "error_code": 400,
                    "description": "Bad Request: invalid file_id",
                }
            return 200, {
                "ok": True,
                "result": {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "file_size": len(self.files[file_id]),
                    "file_path": f"documents/{file_id}",
                },
            }
        if method in SEND_METHODS or method == "editMessageText":
            chat_id = int(params.get("chat_id", 0))
            if method in SEND_METHODS:
                if chat_id in self.blocked:
                    return 403, {
                        "ok": False,
                        "error_code": 403,
                        "description": "Forbidden: bot was blocked by the user",
                    }
                seconds = self.retry_after.pop(chat_id, None)
                if seconds is not None:
                    return 429, {
                        "ok": False,
                        "error_code": 429,
                        "description": f"Too Many Requests: retry after {seconds}",
                        "parameters": {"retry_after": seconds},
                    }
                if self.enforce_rate_limit and not self._check_rate():
                    return 429, {
                        "ok": False,
                        "error_code": 429,
                        "description": "Too Many Requests: retry after 1",
                        "parameters": {"retry_after": 1},
                    }
                if self.delay_s:
                    time.sleep(self.delay_s)
                record = dict(params, method=method, message_id=next(self._message_ids))
                with self._lock:
                    accepted_at = time.monotonic()
                    self.send_times_log.append(accepted_at)
                    self.reply_times.setdefault(chat_id, []).append(accepted_at)
            else:
                record = dict(params, method=method, message_id=int(params["message_id"]))
                record["at"] = time.monotonic()
            with self._lock:
                self.sent.append(record)
            return 200, {"ok": True, "result": self._as_message(record)}
        with self._lock:
            self.unexpected.append(method)
        return 404, {"ok": False, "error_code": 404, "description": f"Not Found: method {method}"}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                prefix = f"/file/bot{TOKEN}/documents/"
                path = unquote(self.path)
                if path.startswith(prefix) and path[len(prefix) :] in server.files:
                    self._send_bytes(
                        200, server.files[path[len(prefix) :]], "application/octet-stream"
                    )
                    return
                server.unexpected.append(f"GET {self.path}")
                self._send_json(404, {"ok": False, "error_code": 404, "description": "Not Found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                prefix = f"/bot{TOKEN}/"
                if not self.path.startswith(prefix):
                    server.unexpected.append(f"POST {self.path}")
                    self._send_json(
                        401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                    )
                    return
                method = self.path[len(prefix) :]
                if method == "getUpdates":
                    self._send_json(*server._call(method, self._params(body)))
                    return
                with server._lock:
                    server._in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server._in_flight)
                try:
                    time.sleep(server.round_trip_s / 2)
                    status, payload = server._call(method, self._params(body))
                    time.sleep(server.round_trip_s / 2)
                finally:
                    with server._lock:
                        server._in_flight -= 1
                self._send_json(status, payload)

            def _params(self, body: bytes) -> dict[str, Any]:
                content_type = self.headers.get("Content-Type", "")
                raw: dict[str, Any] = {}
                if content_type.startswith("multipart/form-data"):
                    message = BytesParser(policy=HTTP).parsebytes(
                        f"Content-Type: {content_type}\r\n\r\n".encode() + body
                    )
                    for part in message.iter_parts():
                        name = part.get_param("name", header="content-disposition")
                        raw[str(name)] = part.get_payload(decode=True)
                else:
                    raw = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                params: dict[str, Any] = {}
                for key, value in raw.items():
                    if isinstance(value, bytes):
                        try:
                            value = value.decode()
                        except UnicodeDecodeError:
                            params[key] = value
                            continue
                    if key in ("text", "caption"):
                        params[key] = value
                        continue
                    try:
                        params[key] = json.loads(value)
                    except (json.JSONDecodeError, TypeError):
                        params[key] = value
                return params

            def _send_json(self, status: int, payload: dict[str, Any]) -> None:
                self._send_bytes(
                    status, json.dumps(payload, ensure_ascii=False).encode(), "application/json"
                )

            def _send_bytes(self, status: int, data: bytes, content_type: str) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        return Handler
