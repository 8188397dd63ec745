"""问答: the conversation core in a browser. The page's script posts to the JSON endpoints and
draws the replies; without the script the form posts to the page and it shows the replies."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from bot import messages
from bot.channels.web.auth import require_user
from bot.channels.web.context import web
from bot.channels.web.pages import render
from bot.conversation.turns import AlbumSettled, Attachment, Incoming, Photo, Press, Reply, Who
from bot.conversation.turns import incoming_text as read_line
from bot.people.logins import WEB, WebUser

router = APIRouter()
PHOTOS_PER_MESSAGE = 9
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")  # what the media folder keeps


class ButtonOut(BaseModel):
    label: str
    action: str


class AttachmentOut(BaseModel):
    name: str
    kind: str
    data_url: str


class ReplyOut(BaseModel):
    text: str
    buttons: list[list[ButtonOut]] = []
    attachment: AttachmentOut | None = None
    replace: bool = False
    notice: bool = False
    # the answering sentence, in 「」 in text: the page shows it in bold instead
    lead: str = ""


class Say(BaseModel):
    text: str = Field(min_length=1, max_length=2000)
    # the page's idempotency token for this message: posted again (a retry), it stores once
    submission: str | None = Field(None, min_length=8, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class PressIn(BaseModel):
    action: str = Field(min_length=1, max_length=64)


MIME = {"photo": "image/png", "document": "application/octet-stream"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _mime(attachment: Attachment) -> str:
    if attachment.name.endswith(".xlsx"):
        return XLSX
    if attachment.name.endswith(".docx"):
        return DOCX
    return MIME[attachment.kind]


def reply_out(reply: Reply) -> ReplyOut:
    attachment = None
    if reply.attachment is not None:
        mime = _mime(reply.attachment)
        encoded = base64.b64encode(reply.attachment.data).decode()
        attachment = AttachmentOut(
            name=reply.attachment.name,
            kind=reply.attachment.kind,
            data_url=f"data:{mime};base64,{encoded}",
        )
    return ReplyOut(
        text=reply.text,
        buttons=[[ButtonOut(label=b.label, action=b.action) for b in row] for row in reply.buttons],
        attachment=attachment,
        replace=reply.replace,
        notice=reply.notice,
        lead=reply.lead,
    )


def _who(user: WebUser) -> Who:
    return Who(WEB, user.login, user.login, private=True, name=user.member.name)


def _converse(request: Request, user: WebUser, incoming: Incoming) -> list[ReplyOut]:
    replies = web(request).services.conversation.handle(_who(user), incoming)
    return [reply_out(r) for r in replies]


@router.post("/api/conversation/messages", response_model=list[ReplyOut], tags=["问答"])
def say(request: Request, body: Say, user: WebUser = Depends(require_user)) -> list[ReplyOut]:
    """一句话（问题、活动登记、台账提问）或一个命令（如 /calendar），返回助手的回复。"""
    incoming = read_line(body.text, sent_at=datetime.now(UTC), submission=body.submission)
    return _converse(request, user, incoming)


@router.post("/api/conversation/presses", response_model=list[ReplyOut], tags=["问答"])
def press(request: Request, body: PressIn, user: WebUser = Depends(require_user)) -> list[ReplyOut]:
    """按下回复里的按钮（把按钮的 action 原样交回）。"""
    return _converse(request, user, Press(body.action))


def _is_image(data: bytes) -> bool:
    return data.startswith(IMAGE_MAGIC)


@router.post("/api/conversation/photos", response_model=list[ReplyOut], tags=["问答"])
def photos(
    request: Request,
    files: Annotated[list[UploadFile], File(description="活动照片（JPEG/PNG，最多 9 张）")],
    caption: Annotated[str, Form(max_length=2000)] = "",
    user: WebUser = Depends(require_user),
) -> list[ReplyOut]:
    """书记登记活动时上传照片：带一句话说明即生成核对卡片，不带则先保存、等您补一句话。"""
    limit = web(request).settings.max_upload_mb * 1024 * 1024
    pictures = [f.file.read(limit + 1) for f in files[:PHOTOS_PER_MESSAGE]]
    if not pictures or any(len(p) > limit or not _is_image(p) for p in pictures):
        return [ReplyOut(text=messages.WEB_PHOTO_UNREADABLE)]
    album = uuid.uuid4().hex if len(pictures) > 1 else None
    now = datetime.now(UTC)
    replies: list[ReplyOut] = []
    # the parts before the last wait; the last carries the sentence and makes the card with
    # every photo on it, in the order they were chosen
    for number, data in enumerate(pictures):
        text = caption.strip() if number == len(pictures) - 1 else ""
        photo = Photo(f"web-{uuid.uuid4().hex}", data, caption=text, album=album, sent_at=now)
        replies += _converse(request, user, photo)
    if album is not None and not caption.strip():
        replies += _converse(request, user, AlbumSettled(album))
    return replies


@router.get("/ask", name="ask_page", include_in_schema=False)
def ask_page(request: Request, user: WebUser = Depends(require_user)) -> HTMLResponse:
    return render(request, "ask.html", {"said": None, "replies": [], "submission": _token()})


@router.post("/ask", include_in_schema=False)
def ask_form(
    request: Request,
    text: Annotated[str, Form(max_length=2000)] = "",
    action: Annotated[str, Form(max_length=64)] = "",
    submission: Annotated[str, Form(max_length=64)] = "",
    user: WebUser = Depends(require_user),
) -> HTMLResponse:
    """The same conversation without the page's script: the form posts, the page answers. A
    form posted again (a reload, a retry) carries the same token and stores nothing twice."""
    if action:
        replies = _converse(request, user, Press(action))
    elif text.strip():
        incoming = read_line(
            text.strip(), sent_at=datetime.now(UTC), submission=submission.strip() or None
        )
        replies = _converse(request, user, incoming)
    else:
        replies = []
    context = {"said": text.strip() or None, "replies": replies, "submission": _token()}
    return render(request, "ask.html", context)


def _token() -> str:
    """A new idempotency token for the next message the page sends."""
    return uuid.uuid4().hex
