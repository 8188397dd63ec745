"""The WeCom callback (`/wecom/callback`): URL verification, signature check and AES
decryption (wechatpy's implementation of WeCom's scheme), one handling per MsgId however often
WeCom retries, and the answer through message/send after the 5-second window has been met with
an empty reply. Nothing is decided here: messages become the core's incoming, replies its
rendering."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot import messages
from bot.channels.wecom import CHANNEL
from bot.channels.wecom.api import RATE_LIMITED, USER_GONE, MediaTooLarge, WeComAPI, WeComError
from bot.channels.wecom.pace import MemberBusy
from bot.channels.wecom.render import card_as_text, messages_for
from bot.conversation.core import Conversation
from bot.conversation.turns import (
    Document,
    Incoming,
    Photo,
    Press,
    Reply,
    Unsupported,
    Who,
    incoming_text,
)
from bot.outbox import Outbox
from bot.people.accounts import AccountService

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# pauses before trying a reply again when WeCom says the app is over a frequency limit
RATE_LIMIT_PAUSES_S = (1.0, 3.0)
CARD_REFUSED = 40008  # 不合法的消息类型: this server knows no template_card
# a callback is a few KB: more is refused before it is read (one 600 MB POST took 2.4 GB)
MAX_CALLBACK_BYTES = 64 * 1024
# a signed callback older or newer than this is a replay, not WeCom's (which retries within 15 s)
REPLAY_WINDOW_S = 300
# the outer envelope's ciphertext, found without an XML parser: the signature covers it, and
# nothing unsigned is parsed
_ENCRYPT = re.compile(
    rb"<Encrypt>\s*(?:<!\[CDATA\[)?([A-Za-z0-9+/=]{1,65536})(?:\]\]>)?\s*</Encrypt>"
)


class Refused(Exception):
    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status
        self.why = why


@dataclass
class WeComChannel:
    conversation: Conversation
    accounts: AccountService
    api: WeComAPI
    crypto: Any  # wechatpy.enterprise.crypto.WeChatCrypto
    # the process's outbox, when this channel's loop runs it (not beside Telegram's)
    outbox: Outbox | None = None
    outbox_every_s: float = 60.0
    # False once WeCom refuses a template card (an older private deployment): buttons are
    # then named in a text, and a member's reply with a label presses it (read by the core)
    cards: bool = True
    clock: Callable[[], float] = time.time

    def app(self) -> Starlette:
        return Starlette(
            routes=[Route("/wecom/callback", self.callback, methods=["GET", "POST"])],
            lifespan=self._lifespan,
        )

    @contextlib.asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        """Reminders and broadcasts go out from a loop beside the callback."""
        stopping = asyncio.Event()
        task = None
        if self.outbox is not None:
            task = asyncio.create_task(self.outbox.keep_sending(self.outbox_every_s, stopping))
        try:
            yield
        finally:
            stopping.set()
            if task is not None:
                await task

    async def callback(self, request: Request) -> Response:
        from wechatpy.exceptions import InvalidSignatureException

        query = request.query_params
        signature = query.get("msg_signature", "")
        timestamp, nonce = query.get("timestamp", ""), query.get("nonce", "")
        try:
            if request.method == "GET":  # the admin console checks the URL once
                echo = self.crypto.check_signature(
                    signature, timestamp, nonce, query.get("echostr", "")
                )
                return PlainTextResponse(str(echo))
            self._check_time(timestamp)
            encrypted = _encrypted_part(await _read_capped(request))
            # wechatpy checks the signature over the ciphertext before decrypting it
            xml = self.crypto.decrypt_message({"Encrypt": encrypted}, signature, timestamp, nonce)
            fields = _fields(xml)
        except Refused as exc:
            log.warning("rejected a WeCom callback: %s", exc.why)
            return PlainTextResponse("", status_code=exc.status)
        except InvalidSignatureException:
            log.warning("rejected a WeCom callback: bad signature")
            return PlainTextResponse("", status_code=403)
        except ElementTree.ParseError:
            log.warning("rejected a WeCom callback: the decrypted message is not XML")
            return PlainTextResponse("", status_code=400)
        except Exception:  # wechatpy raises its own kinds for a body it cannot decrypt
            log.warning("rejected a WeCom callback: cannot decrypt", exc_info=False)
            return PlainTextResponse("", status_code=403)
        # WeCom waits five seconds, then retries: answer now, work after the response is sent
        return PlainTextResponse("", background=BackgroundTask(self._handle, fields))

    def _check_time(self, timestamp: str) -> None:
        if not timestamp.isdigit() or len(timestamp) > 12:
            raise Refused(403, "no timestamp")
        if abs(self.clock() - int(timestamp)) > REPLAY_WINDOW_S:
            raise Refused(403, "timestamp outside the replay window")

    async def _handle(self, fields: dict[str, str]) -> None:
        try:
            await asyncio.to_thread(self.handle, fields)
        except Exception:
            log.exception("error while handling a WeCom message")

    def handle(self, fields: dict[str, str]) -> None:
        """One decrypted message, handled once per MsgId (or event identity)."""
        sender = fields.get("FromUserName", "")
        if not sender or not self.accounts.claim_update(_message_key(fields), channel=CHANNEL):
            return
        incoming = self._incoming(fields)
        if incoming is None:
            return
        who = Who(CHANNEL, sender, chat=sender)
        replies = self.conversation.handle(who, incoming)
        code = fields.get("ResponseCode")
        if isinstance(incoming, Press) and code and any(r.replace for r in replies):
            # the pressed card is spent: its button says so, and cannot be pressed again
            self._spend_card(sender, code)
        for reply in replies:
            self.send(sender, reply)

    def _spend_card(self, user_id: str, response_code: str) -> None:
        try:
            self.api.update_card_button(user_id, response_code, messages.WECOM_CARD_DONE)
        except WeComError as exc:  # an old card (a code lives 72 hours): the reply still goes
            log.info("could not update a WeCom card: %s", exc.errcode)

    def _incoming(self, fields: dict[str, str]) -> Incoming | None:
        kind = fields.get("MsgType")
        if kind == "text":
            return incoming_text(fields.get("Content", "").strip())
        if kind == "image":
            media_id = fields.get("MediaId", "")
            data: bytes | None = None
            try:
                data = self.api.media(media_id, MAX_PHOTO_BYTES)
            except (WeComError, ValueError, OSError):
                log.warning("could not fetch a WeCom image", exc_info=False)
            return Photo(ref=f"{CHANNEL}:{media_id}", data=data)
        if kind == "file":
            return self._document(fields)
        if kind == "event":
            event = fields.get("Event", "")
            if event == "template_card_event":
                return Press(fields.get("EventKey", ""))
            if event == "click":  # a menu item: its key is a command, e.g. "/help"
                return incoming_text(fields.get("EventKey", ""))
            return None  # enter_agent, subscribe …: nothing to say
        return Unsupported(kind or "unknown")

    def _document(self, fields: dict[str, str]) -> Document:
        """A file sent to the app, fetched up to the core's limit (counted as it arrives)."""
        name = fields.get("FileName") or fields.get("Title") or "upload"
        limit = self.conversation.max_upload_bytes
        try:
            return Document(name, self.api.media(fields.get("MediaId", ""), limit))
        except MediaTooLarge as exc:
            return Document(name, None, exc.size)
        except (WeComError, OSError, httpx.HTTPError):
            log.warning("could not fetch a WeCom file", exc_info=False)
            return Document(name, None)

    def send(self, user_id: str, reply: Reply) -> None:
        try:
            for message in self._messages(reply):
                self._send_one(user_id, message)
        except MemberBusy:  # a member written to a thousand times this hour: a runaway, not a user
            log.warning("a reply to a WeCom member was over WeCom's per-member limit; dropped")
        except WeComError as exc:
            if exc.errcode in USER_GONE:
                member = self.accounts.member_at(CHANNEL, user_id)
                if member is not None:
                    self.accounts.set_reachable(member.id, False)
                return
            raise

    def _messages(self, reply: Reply) -> Iterator[dict[str, Any]]:
        if reply.attachment is not None:
            kind = "image" if reply.attachment.kind == "photo" else "file"
            media_id = self.api.upload(kind, reply.attachment.name, reply.attachment.data)
            if reply.text:
                yield {"msgtype": "text", "text": {"content": reply.text}}
            yield {"msgtype": kind, kind: {"media_id": media_id}}
        yield from messages_for(reply)

    def _send_one(self, user_id: str, message: dict[str, Any]) -> None:
        """One message; when WeCom answers with a frequency limit, tried again after a pause."""
        if message["msgtype"] == "template_card":
            if self.cards:
                try:
                    self._send_paced(user_id, message)
                    return
                except WeComError as exc:
                    if exc.errcode != CARD_REFUSED:
                        raise
                    log.warning("WeCom refused a template card; buttons will be sent as text")
                    self.cards = False
            message = card_as_text(message)
        self._send_paced(user_id, message)

    def _send_paced(self, user_id: str, message: dict[str, Any]) -> None:
        for pause in RATE_LIMIT_PAUSES_S:
            try:
                self.api.send(user_id, message)
                return
            except WeComError as exc:
                if exc.errcode not in RATE_LIMITED:
                    raise
                log.info("WeCom frequency limit (%s); trying again in %ss", exc.errcode, pause)
                time.sleep(pause)
        self.api.send(user_id, message)


async def _read_capped(request: Request) -> bytes:
    """The body, or Refused(413) as soon as it is over the limit: never read whole."""
    declared = request.headers.get("content-length", "")
    if declared and (not declared.isdigit() or int(declared) > MAX_CALLBACK_BYTES):
        raise Refused(413, f"a body of {declared[:20]} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_CALLBACK_BYTES:
            raise Refused(413, "a body over the limit")
    return bytes(body)


def _encrypted_part(body: bytes) -> str:
    found = _ENCRYPT.search(body)
    if found is None:
        raise Refused(400, "no Encrypt element")
    return found.group(1).decode("ascii")


def _fields(xml: str) -> dict[str, str]:
    root = ElementTree.fromstring(xml)
    return {child.tag: (child.text or "") for child in root}


def _message_key(fields: dict[str, str]) -> str:
    """What identifies a message across WeCom's retries: its MsgId, or for events the sender,
    time and event key."""
    if fields.get("MsgId"):
        return f"msg:{fields['MsgId']}"
    names = ("FromUserName", "CreateTime", "Event", "EventKey", "TaskId")
    identity = "\0".join(fields.get(name) or "" for name in names)
    return "event:" + hashlib.sha256(identity.encode()).hexdigest()[:40]
