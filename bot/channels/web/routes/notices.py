"""通知 (admin): write a notice, see who it would reach, confirm, and watch it go out. The
process's outbox sends it (each recipient once); this page only drafts and confirms."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from bot.channels.web import messages
from bot.channels.web.auth import require_admin
from bot.channels.web.context import web
from bot.channels.web.pages import back, flash, render
from bot.outbox.broadcasting import Audience
from bot.people.accounts import ROLE_NAMES, Role
from bot.people.logins import WebUser

router = APIRouter(tags=["通知"])


class DraftIn(BaseModel):
    text: str = Field(min_length=1, max_length=3000)
    audience: str = Field("all", description="all、role:secretary|staff|admin、township:乡镇名")


class Recipient(BaseModel):
    name: str
    role: str
    place: str
    channel: str | None


class DraftOut(BaseModel):
    id: int
    recipients: int
    preview: list[Recipient]


class ProgressOut(BaseModel):
    id: int
    total: int
    pending: int
    sent: int
    unreachable: int
    failed: int


def _audience(text: str) -> Audience:
    try:
        return Audience.parse(text)
    except ValueError:
        raise HTTPException(status_code=422, detail=messages.BROADCAST_AUDIENCE) from None


def _draft(request: Request, user: WebUser, body: DraftIn) -> DraftOut:
    services = web(request).services
    audience = _audience(body.audience)
    broadcast_id, count = services.broadcasts.draft(user.member.id, body.text.strip(), audience)
    people = [
        Recipient(
            name=m.name or "（未填姓名）",
            role=ROLE_NAMES[m.role],
            place=" ".join(p for p in (m.township, m.village) if p) or "全县",
            channel=m.channel,
        )
        for m in audience.select(services.accounts)
    ]
    return DraftOut(id=broadcast_id, recipients=count, preview=people)


def _progress(request: Request, broadcast_id: int) -> ProgressOut:
    broadcasts = web(request).services.broadcasts
    if broadcasts.sender_of(broadcast_id) is None:  # no such notice: not one with no deliveries
        raise HTTPException(status_code=404)
    p = broadcasts.progress(broadcast_id)
    return ProgressOut(
        id=broadcast_id,
        total=p.total,
        pending=p.pending,
        sent=p.sent,
        unreachable=p.unreachable,
        failed=p.failed,
    )


def _audiences(request: Request) -> list[tuple[str, str]]:
    townships = sorted({t for t, _ in web(request).services.accounts.branches() if t})
    return [
        ("all", "全体用户"),
        *((f"role:{r.value}", f"全体{ROLE_NAMES[r]}") for r in Role),
        *((f"township:{t}", f"{t}全体") for t in townships),
    ]


@router.get("/broadcast", name="broadcast_page", include_in_schema=False)
def broadcast_page(
    request: Request, sent: int | None = None, user: WebUser = Depends(require_admin)
) -> HTMLResponse:
    context = {
        "audiences": _audiences(request),
        "draft": None,
        "progress": _progress(request, sent) if sent else None,
    }
    return render(request, "broadcast.html", context)


@router.post("/broadcast", include_in_schema=False, response_model=None)
def draft_form(
    request: Request,
    text: Annotated[str, Form(max_length=3000)] = "",
    audience: Annotated[str, Form(max_length=80)] = "all",
    user: WebUser = Depends(require_admin),
) -> HTMLResponse | RedirectResponse:
    if not text.strip():
        flash(request, messages.BROADCAST_EMPTY, "error")
        return back(request, "broadcast_page")
    draft = _draft(request, user, DraftIn(text=text, audience=audience))
    context = {"audiences": _audiences(request), "draft": draft, "text": text, "progress": None}
    return render(request, "broadcast.html", context)


@router.post("/broadcast/{broadcast_id:int}/confirm", include_in_schema=False)
def confirm_form(
    request: Request, broadcast_id: int, user: WebUser = Depends(require_admin)
) -> RedirectResponse:
    if web(request).services.broadcasts.confirm(broadcast_id):
        web(request).services.outbox.wake()  # when this process runs the outbox: send now
        flash(request, messages.BROADCAST_CONFIRMED)
    else:
        flash(request, messages.BROADCAST_GONE, "error")
    return back(request, "broadcast_page", sent=str(broadcast_id))


@router.post("/broadcast/{broadcast_id:int}/cancel", include_in_schema=False)
def cancel_form(
    request: Request, broadcast_id: int, user: WebUser = Depends(require_admin)
) -> RedirectResponse:
    cancelled = web(request).services.broadcasts.cancel(broadcast_id)
    text = messages.BROADCAST_CANCELLED if cancelled else messages.BROADCAST_GONE
    flash(request, text, "ok" if cancelled else "error")
    return back(request, "broadcast_page")


@router.post("/api/broadcasts", response_model=DraftOut, status_code=201)
def create_draft(
    request: Request, body: DraftIn, user: WebUser = Depends(require_admin)
) -> DraftOut:
    """起草一条通知：返回会收到它的人（尚未发送）。"""
    return _draft(request, user, body)


@router.post("/api/broadcasts/{broadcast_id:int}/confirm", response_model=ProgressOut)
def confirm(
    request: Request, broadcast_id: int, user: WebUser = Depends(require_admin)
) -> ProgressOut:
    """确认发送；已确认或已取消的返回 409。"""
    if not web(request).services.broadcasts.confirm(broadcast_id):
        raise HTTPException(status_code=409, detail=messages.BROADCAST_GONE)
    web(request).services.outbox.wake()
    return _progress(request, broadcast_id)


@router.post("/api/broadcasts/{broadcast_id:int}/cancel", status_code=204)
def cancel(request: Request, broadcast_id: int, user: WebUser = Depends(require_admin)) -> None:
    """取消一条尚未确认的通知。"""
    if not web(request).services.broadcasts.cancel(broadcast_id):
        raise HTTPException(status_code=409, detail=messages.BROADCAST_GONE)


@router.get("/api/broadcasts/{broadcast_id:int}", response_model=ProgressOut)
def progress(
    request: Request, broadcast_id: int, user: WebUser = Depends(require_admin)
) -> ProgressOut:
    """发送进度：待发、已发、联系不上、失败。"""
    return _progress(request, broadcast_id)
