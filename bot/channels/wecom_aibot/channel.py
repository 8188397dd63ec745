"""Messages and events of the AI bot's connection → the conversation core → replies. A message
is answered on its own req_id as one stream (a "正在查询" line first when the core takes more
than a moment, then the whole answer), its buttons as a template card on the stream's last
frame — or, where WeCom refuses cards, named in the text so that typing a label presses it, as
the callback app does (bot/channels/wecom/render.py, shared). What does not fit one stream,
answers to a button press, private replies in a group and files are pushed to the chat. Each
message or event is handled once per msgid, however often WeCom delivers it."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot import messages
from bot.channels.wecom.render import card, card_as_text, text_pieces
from bot.channels.wecom_aibot import CHANNEL, protocol
from bot.channels.wecom_aibot import messages as aibot_messages
from bot.channels.wecom_aibot.connection import (
    AckError,
    AibotConnection,
    ConnectionLost,
    NotConnected,
)
from bot.channels.wecom_aibot.media import upload
from bot.channels.wecom_aibot.protocol import Frame
from bot.conversation.core import Conversation
from bot.conversation.turns import Incoming, Photo, Press, Reply, Unsupported, Who, incoming_text
from bot.people.accounts import AccountService

log = logging.getLogger(__name__)

BUTTONS_PER_CARD = 6
# a frame lost with the connection is sent again on the next one (a stream's id makes it
# idempotent on WeCom's side); this many tries
DELIVERY_TRIES = 3
RECONNECT_WAIT_S = 30.0
_MENTION = re.compile(r"^@\S+\s*")  # "@党建助手 …" in a group


@dataclass
class AibotChannel:
    conversation: Conversation
    accounts: AccountService
    # a member's picture or file: its URL (valid for minutes) → its bytes, still encrypted
    fetch: Callable[[str], Awaitable[bytes]]
    connection: AibotConnection | None = None
    thinking_after_s: float = 1.0
    # False once WeCom refuses a template card: buttons are then named in the text
    cards: bool = True

    async def on_frame(self, frame: Frame) -> None:
        try:
            await self._handle(frame)
        except Exception:
            log.exception("error while handling a WeCom AI-bot frame")

    async def _handle(self, frame: Frame) -> None:
        body = frame.body
        sender = body.get("from")
        user = sender.get("userid") if isinstance(sender, dict) else None
        msgid = body.get("msgid")
        if not isinstance(user, str) or not user or not isinstance(msgid, str) or not msgid:
            log.warning("WeCom AI bot: a %s frame without msgid or from.userid; ignored", frame.cmd)
            return
        claimed = await asyncio.to_thread(
            self.accounts.claim_update, f"aibot:{msgid}", channel=CHANNEL
        )
        if not claimed:
            return
        group = body.get("chattype") == "group"
        chat = str(body.get("chatid") or user) if group else user
        who = Who(CHANNEL, user, chat=chat, private=not group)
        if frame.cmd == protocol.EVENT:
            await self._event(frame, who)
            return
        incoming = await self._incoming(body, msgid)
        await self._answer(frame, who, incoming)

    async def _incoming(self, body: dict[str, Any], msgid: str) -> Incoming:
        kind = body.get("msgtype")
        part = body.get(kind) if isinstance(kind, str) else None
        part = part if isinstance(part, dict) else {}
        if kind in ("text", "voice"):  # a voice message arrives as WeCom's transcript
            return incoming_text(_MENTION.sub("", str(part.get("content") or "")).strip())
        if kind == "image":
            return Photo(ref=f"{CHANNEL}:aibot:{msgid}", data=await self._picture(part))
        if kind == "mixed":  # text and pictures in one message: the first picture, captioned
            listed = part.get("msg_item")
            items: list[Any] = listed if isinstance(listed, list) else []
            words = [
                str((i.get("text") or {}).get("content") or "") for i in items if _is(i, "text")
            ]
            pictures = [i.get("image") or {} for i in items if _is(i, "image")]
            caption = _MENTION.sub("", " ".join(w for w in words if w)).strip()
            if not pictures:
                return incoming_text(caption)
            data = await self._picture(pictures[0])
            return Photo(ref=f"{CHANNEL}:aibot:{msgid}", data=data, caption=caption)
        return Unsupported(str(kind or "unknown"))

    async def _picture(self, image: dict[str, Any]) -> bytes | None:
        url, key = image.get("url"), image.get("aeskey")
        if not isinstance(url, str) or not url:
            return None
        try:
            data = await self.fetch(url)
            return protocol.decrypt_media(data, key) if isinstance(key, str) and key else data
        except Exception as exc:  # an expired URL, a network failure, a wrong key
            log.warning("could not fetch a WeCom AI-bot picture (%s)", type(exc).__name__)
            return None

    async def _answer(self, frame: Frame, who: Who, incoming: Incoming) -> None:
        stream_id = protocol.new_req_id("stream")
        work = asyncio.ensure_future(asyncio.to_thread(self.conversation.handle, who, incoming))
        done, _ = await asyncio.wait({work}, timeout=self.thinking_after_s)
        thinking = not done
        if thinking:
            body = protocol.stream_body(stream_id, aibot_messages.THINKING, finish=False)
            thinking = await self._respond(frame.req_id, body) is not None
        try:
            replies = await work
        except Exception:  # said, not shown: the started stream must still finish
            log.exception("error while handling a WeCom AI-bot message")
            replies = [Reply(aibot_messages.FAILED)]
        here = [r for r in replies if not (r.private and not who.private)]
        texts = [r.text for r in here if r.text]
        pieces = text_pieces("\n\n".join(texts), protocol.STREAM_LIMIT_BYTES) if texts else []
        cards = [c for r in here for c in _cards(r)]
        if pieces or cards or thinking:
            first = pieces[0] if pieces else (messages.WECOM_CHOOSE if cards else "")
            content = first or aibot_messages.NOTHING_TO_SAY
            if await self._finish_stream(frame.req_id, stream_id, who, content, cards[:1]):
                cards = cards[1:]
            else:  # the req_id takes no more replies: the answer is pushed, its card below
                await self._push_text(who.chat, content)
        rest = "\n".join(pieces[1:])  # past one stream: pushed, in pieces a push takes
        for piece in text_pieces(rest, protocol.MARKDOWN_LIMIT_BYTES) if rest else []:
            await self._push_text(who.chat, piece)
        for extra in cards:
            await self._push_card(who, extra)
        for reply in here:
            if reply.attachment is not None:
                await self._push_file(who.chat, reply)
        for reply in replies:
            if reply.private and not who.private:
                await self._push(who, reply, chat=who.external_id)

    async def _finish_stream(
        self, req_id: str, stream_id: str, who: Who, content: str, cards: list[dict[str, Any]]
    ) -> bool:
        """The stream's last frame, with the first card where WeCom takes cards; False when the
        message's req_id no longer takes a reply."""
        refused: int | None = None
        if cards and self.cards:
            body = protocol.stream_with_card_body(stream_id, content, cards[0]["template_card"])
            try:
                return await self._respond(req_id, body, quiet=AckError) is not None
            except AckError as exc:
                refused = exc.errcode
        if cards:
            content = f"{content}\n\n{self._as_text(cards[0])}"
        body = protocol.stream_body(stream_id, content, finish=True)
        delivered = await self._respond(req_id, body) is not None
        if delivered and refused is not None:  # the text went where the card did not
            self._no_cards(refused)
        return delivered

    async def _event(self, frame: Frame, who: Who) -> None:
        event = frame.body.get("event")
        event = event if isinstance(event, dict) else {}
        kind = event.get("eventtype")
        if kind != protocol.CARD_EVENT:  # enter_chat, feedback_event: nothing to say
            log.info("WeCom AI bot: event %r", str(kind)[:40])
            return
        detail = event.get(protocol.CARD_EVENT)
        key = detail.get("event_key") if isinstance(detail, dict) else None
        if not isinstance(key, str) or not key:
            log.warning("WeCom AI bot: a card event without event_key; ignored")
            return
        try:
            replies = await asyncio.to_thread(self.conversation.handle, who, Press(key))
        except Exception:
            log.exception("error while handling a WeCom AI-bot card press")
            replies = [Reply(aibot_messages.FAILED)]
        task_id = detail.get("task_id") if isinstance(detail, dict) else None
        if isinstance(task_id, str) and task_id and any(r.replace for r in replies):
            # the pressed card is spent: one button saying so (within WeCom's five seconds)
            spent = card([], messages.WECOM_CARD_DONE)["template_card"]
            spent["task_id"] = task_id
            spent["button_list"] = [{"text": messages.WECOM_CARD_DONE, "style": 2, "key": "spent"}]
            body = protocol.update_card_body(spent, who.external_id)
            await self._respond(frame.req_id, body, cmd=protocol.RESPOND_UPDATE, tries=1)
        for reply in replies:
            await self._push(who, reply, chat=who.external_id if reply.private else who.chat)

    async def _push(self, who: Who, reply: Reply, *, chat: str) -> None:
        if reply.text:
            for piece in text_pieces(reply.text, protocol.MARKDOWN_LIMIT_BYTES):
                await self._push_text(chat, piece)
        for each in _cards(reply):
            await self._push_card(who, each, chat=chat)
        if reply.attachment is not None:
            await self._push_file(chat, reply)

    async def _push_text(self, chat: str, text: str) -> bool:
        return await self._send(protocol.markdown_body(chat, text))

    async def _push_card(self, who: Who, message: dict[str, Any], *, chat: str = "") -> None:
        chat = chat or who.chat
        refused: int | None = None
        if self.cards:
            try:
                await self._send(protocol.card_body(chat, message["template_card"]), quiet=AckError)
                return
            except AckError as exc:
                refused = exc.errcode
        if await self._push_text(chat, self._as_text(message)) and refused:
            self._no_cards(refused)

    def _no_cards(self, errcode: int) -> None:
        log.warning("WeCom refused a template card (%s); buttons go as text from now on", errcode)
        self.cards = False

    async def _push_file(self, chat: str, reply: Reply) -> None:
        assert reply.attachment is not None and self.connection is not None
        kind = "image" if reply.attachment.kind == "photo" else "file"
        try:
            media_id = await upload(
                self.connection, kind, reply.attachment.name, reply.attachment.data
            )
        except (AckError, NotConnected, ConnectionLost, TimeoutError, ValueError) as exc:
            log.warning("could not upload a file to WeCom (%s)", type(exc).__name__)
            await self._push_text(chat, aibot_messages.FILE_NOT_SENT)
            return
        await self._send(protocol.media_body(chat, kind, media_id))

    def _as_text(self, message: dict[str, Any]) -> str:
        return str(card_as_text(message)["text"]["content"])

    async def _respond(
        self,
        req_id: str,
        body: dict[str, Any],
        *,
        cmd: str = protocol.RESPOND,
        tries: int = DELIVERY_TRIES,
        quiet: type[Exception] | None = None,
    ) -> Frame | None:
        """A frame on a message's req_id, sent again on the next connection when this one
        drops before WeCom acknowledges it; None when it could not be delivered."""
        return await self._deliver(cmd, body, req_id=req_id, tries=tries, quiet=quiet)

    async def _send(self, body: dict[str, Any], *, quiet: type[Exception] | None = None) -> bool:
        return (
            await self._deliver(protocol.SEND, body, tries=DELIVERY_TRIES, quiet=quiet) is not None
        )

    async def _deliver(
        self,
        cmd: str,
        body: dict[str, Any],
        *,
        req_id: str | None = None,
        tries: int,
        quiet: type[Exception] | None,
    ) -> Frame | None:
        assert self.connection is not None
        for _ in range(tries):
            try:
                return await self.connection.request(
                    cmd, body, req_id=req_id, wait_s=RECONNECT_WAIT_S
                )
            except (NotConnected, ConnectionLost, TimeoutError) as exc:
                log.info("WeCom AI bot: %s not acknowledged (%s)", cmd, type(exc).__name__)
            except AckError as exc:
                if quiet is not None and isinstance(exc, quiet):
                    raise
                log.warning("WeCom AI bot: %s refused (%s)", cmd, exc.errcode)
                return None
        return None


def _cards(reply: Reply) -> list[dict[str, Any]]:
    buttons = [button for row in reply.buttons for button in row]
    return [
        card(buttons[start : start + BUTTONS_PER_CARD], messages.WECOM_CHOOSE)
        for start in range(0, len(buttons), BUTTONS_PER_CARD)
    ]


def _is(item: Any, kind: str) -> bool:
    return isinstance(item, dict) and item.get("msgtype") == kind
