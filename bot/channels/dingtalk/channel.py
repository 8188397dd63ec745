"""A DingTalk robot message → the core's incoming → replies into the same conversation. One
handling per msgId however often DingTalk pushes it; nothing is decided here."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.channels.dingtalk import CHANNEL
from bot.channels.dingtalk.api import DingTalkAPI, DingTalkError
from bot.channels.dingtalk.render import messages_for
from bot.conversation.core import Conversation
from bot.conversation.turns import (
    AlbumSettled,
    Incoming,
    Photo,
    Reply,
    Unsupported,
    Who,
    incoming_text,
)
from bot.people.accounts import AccountService

log = logging.getLogger(__name__)

MAX_PHOTO_BYTES = 10 * 1024 * 1024
# messages handled at once; apart from asyncio's default threads, so that a burst of questions
# never keeps the stream from reopening (its HTTP call runs on those)
HANDLING_THREADS = 6
PRIVATE_CHAT = "1"  # conversationType: "1" a member's chat with the robot, "2" a group


@dataclass
class DingTalkChannel:
    conversation: Conversation
    accounts: AccountService
    api: DingTalkAPI
    clock: Callable[[], float] = time.time
    _workers: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(HANDLING_THREADS, "dingtalk-handle"),
        init=False,
    )

    def close(self) -> None:
        self._workers.shutdown(wait=True)

    async def on_message(self, data: dict[str, Any]) -> None:
        """The stream's handler: the synchronous core on a worker thread."""
        try:
            await asyncio.get_running_loop().run_in_executor(self._workers, self.handle, data)
        except Exception:  # the member gets no traceback; the next message is handled as usual
            log.exception("error while handling a DingTalk message")

    def handle(self, data: dict[str, Any]) -> None:
        sender = str(data.get("senderStaffId") or "")
        message_id = str(data.get("msgId") or "")
        if not sender or not message_id:  # an outside user (no staffId) or not a message
            log.info("a DingTalk message without a sender's userId or msgId; ignored")
            return
        if not self.accounts.claim_update(f"msg:{message_id}", channel=CHANNEL):
            return
        private = str(data.get("conversationType")) == PRIVATE_CHAT
        chat = sender if private else str(data.get("conversationId") or sender)
        who = Who(
            CHANNEL, sender, chat=chat, private=private, name=str(data.get("senderNick") or "")
        )
        for incoming in self._incoming(data):
            for reply in self.conversation.handle(who, incoming):
                self.send(sender, data, reply, private=private)

    def _incoming(self, data: dict[str, Any]) -> Iterator[Incoming]:
        kind = data.get("msgtype")
        if kind == "text":
            yield incoming_text(str((data.get("text") or {}).get("content") or "").strip())
        elif kind == "picture":
            code = str((data.get("content") or {}).get("downloadCode") or "")
            yield self._photo(code)
        elif kind == "richText":
            yield from self._rich_text(data)
        else:
            yield Unsupported(str(kind or "unknown"))

    def _rich_text(self, data: dict[str, Any]) -> Iterator[Incoming]:
        """Text and pictures in one message: the pictures are one album, captioned by the text
        (on the last part, so the parts before it are waiting when the draft is made)."""
        parts = (data.get("content") or {}).get("richText") or []
        words = "".join(str(p.get("text") or "") for p in parts if isinstance(p, dict)).strip()
        codes = [
            str(p.get("downloadCode") or p.get("pictureDownloadCode"))
            for p in parts
            if isinstance(p, dict) and (p.get("downloadCode") or p.get("pictureDownloadCode"))
        ]
        if not codes:
            yield incoming_text(words)
            return
        album = f"{CHANNEL}:{data.get('msgId')}" if len(codes) > 1 else None
        for number, code in enumerate(codes, start=1):
            yield self._photo(code, caption=words if number == len(codes) else "", album=album)
        if album is not None and not words:
            yield AlbumSettled(album)

    def _photo(self, code: str, *, caption: str = "", album: str | None = None) -> Photo:
        data: bytes | None = None
        try:
            data = self.api.download(code, MAX_PHOTO_BYTES)
        except (DingTalkError, ValueError, httpx.HTTPError):
            log.warning("could not fetch a DingTalk picture", exc_info=False)
        return Photo(ref=f"{CHANNEL}:{code[:200]}", data=data, caption=caption, album=album)

    def send(self, sender: str, data: dict[str, Any], reply: Reply, *, private: bool) -> None:
        """A reply into the conversation the message came from, through its sessionWebhook; a
        private reply to a group message, or one after the webhook expired, goes to the member's
        chat with the robot instead."""
        found = messages_for(reply)
        webhook = str(data.get("sessionWebhook") or "")
        expires_ms = data.get("sessionWebhookExpiredTime") or 0
        usable = webhook and (not expires_ms or int(expires_ms) / 1000 > self.clock())
        for message in found:
            if usable and (private or not reply.private):
                try:
                    self.api.reply(webhook, message)
                    continue
                except DingTalkError as exc:  # the session ended early, or is refused
                    log.info("a sessionWebhook refused a reply (%s); sent to the member", exc.code)
            self._to_member(sender, message)

    def _to_member(self, sender: str, message: dict[str, Any]) -> None:
        if message["msgtype"] == "markdown":
            outcome = self.api.send_to_users([sender], "sampleMarkdown", message["markdown"])
        else:
            outcome = self.api.send_text([sender], message["text"]["content"])
        if sender in outcome.invalid:
            member = self.accounts.member_at(CHANNEL, sender)
            if member is not None:
                self.accounts.set_reachable(member.id, False)
