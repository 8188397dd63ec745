"""The frames of WeCom's AI-bot long connection (智能机器人长连接), as WeCom's document
(developer.work.weixin.qq.com/document/path/101463) and its official Node SDK
(@wecom/aibot-node-sdk) give them. Every frame is JSON: {"cmd", "headers": {"req_id"}, "body"};
WeCom acknowledges a frame with {"headers": {"req_id"}, "errcode", "errmsg"} and the same req_id.
Pure functions only: the connection and the channel build and read frames here."""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any

DEFAULT_URL = "wss://openws.work.weixin.qq.com"

# developer → WeCom
SUBSCRIBE = "aibot_subscribe"
PING = "ping"
RESPOND = "aibot_respond_msg"  # a reply to a message, on the message's req_id
RESPOND_UPDATE = "aibot_respond_update_msg"  # a pressed card updated, on the event's req_id
SEND = "aibot_send_msg"  # a message pushed to a chat without a message to answer
UPLOAD_INIT = "aibot_upload_media_init"
UPLOAD_CHUNK = "aibot_upload_media_chunk"
UPLOAD_FINISH = "aibot_upload_media_finish"
# WeCom → developer
MESSAGE = "aibot_msg_callback"
EVENT = "aibot_event_callback"

DISPLACED = "disconnected_event"  # a newer connection for the same bot took over
CARD_EVENT = "template_card_event"

# a stream's content is the whole text so far, at most 20,480 bytes (kept under, with margin)
STREAM_LIMIT_BYTES = 20000
# a markdown message pushed with aibot_send_msg (the webhook's markdown limit, 4,096 bytes)
MARKDOWN_LIMIT_BYTES = 4000
UPLOAD_CHUNK_BYTES = 512 * 1024  # before base64; at most 100 chunks
UPLOAD_MAX_CHUNKS = 100


class BadFrame(ValueError):
    """A frame from WeCom this client cannot read: not JSON, not an object, fields missing."""


@dataclass(frozen=True)
class Frame:
    cmd: str
    req_id: str
    body: dict[str, Any]
    errcode: int | None = None
    errmsg: str = ""

    @property
    def is_ack(self) -> bool:
        return not self.cmd and self.errcode is not None


def new_req_id(prefix: str) -> str:
    """As the SDK makes them: the command, the time in ms and a random tail."""
    return f"{prefix}_{int(time.time() * 1000)}_{secrets.token_hex(4)}"


def encode(cmd: str, req_id: str, body: dict[str, Any] | None = None) -> str:
    frame: dict[str, Any] = {"cmd": cmd, "headers": {"req_id": req_id}}
    if body is not None:
        frame["body"] = body
    return json.dumps(frame, ensure_ascii=False)


def decode(raw: str | bytes) -> Frame:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadFrame("not JSON") from exc
    if not isinstance(data, dict):
        raise BadFrame("not an object")
    headers = data.get("headers")
    req_id = headers.get("req_id") if isinstance(headers, dict) else None
    if not isinstance(req_id, str) or not req_id:
        raise BadFrame("no headers.req_id")
    cmd = data.get("cmd") or ""
    body = data.get("body") or {}
    if not isinstance(cmd, str) or not isinstance(body, dict):
        raise BadFrame("cmd or body of the wrong kind")
    errcode = data.get("errcode")
    if errcode is not None and not isinstance(errcode, int):
        raise BadFrame("errcode not a number")
    return Frame(cmd, req_id, body, errcode, str(data.get("errmsg") or ""))


def subscribe_body(bot_id: str, secret: str) -> dict[str, Any]:
    return {"bot_id": bot_id, "secret": secret}


def stream_body(stream_id: str, content: str, *, finish: bool) -> dict[str, Any]:
    """A stream reply: WeCom shows one message whose text is replaced by each frame's content
    until a frame says finish."""
    return {"msgtype": "stream", "stream": {"id": stream_id, "finish": finish, "content": content}}


def stream_with_card_body(stream_id: str, content: str, card: dict[str, Any]) -> dict[str, Any]:
    """The stream's last frame together with a template card (once per message)."""
    return {
        "msgtype": "stream_with_template_card",
        "stream": {"id": stream_id, "finish": True, "content": content},
        "template_card": card,
    }


def markdown_body(chat_id: str, content: str) -> dict[str, Any]:
    return {"chatid": chat_id, "msgtype": "markdown", "markdown": {"content": content}}


def card_body(chat_id: str, card: dict[str, Any]) -> dict[str, Any]:
    return {"chatid": chat_id, "msgtype": "template_card", "template_card": card}


def media_body(chat_id: str, kind: str, media_id: str) -> dict[str, Any]:
    return {"chatid": chat_id, "msgtype": kind, kind: {"media_id": media_id}}


def update_card_body(card: dict[str, Any], user_id: str) -> dict[str, Any]:
    """A pressed card replaced for the member who pressed it (its task_id unchanged)."""
    return {"response_type": "update_template_card", "template_card": card, "userids": [user_id]}


def decrypt_media(data: bytes, aes_key: str) -> bytes:
    """An image or file of an AI-bot message: AES-256-CBC, the key the message's base64
    `aeskey`, the IV its first 16 bytes, PKCS#7 padding to 32-byte blocks."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = base64.b64decode(aes_key + "=" * (-len(aes_key) % 4))
    if len(key) != 32:
        raise ValueError("the aeskey is not 32 bytes")
    if not data or len(data) % 16:
        raise ValueError("the ciphertext is not whole AES blocks")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= 32 or plain[-pad:] != bytes([pad]) * pad:
        raise ValueError("bad padding: not this message's key")
    return plain[:-pad]


def encrypt_media(data: bytes, aes_key: str) -> bytes:
    """What WeCom does before a member's picture is downloadable (for the fake server)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = base64.b64decode(aes_key + "=" * (-len(aes_key) % 4))
    pad = 32 - len(data) % 32
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()
