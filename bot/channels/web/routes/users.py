"""用户 (admin): everyone with their channels, invite codes, role and scope, revoke and restore,
and a one-time link to set a web password."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from bot.channels.web import messages
from bot.channels.web.auth import require_admin
from bot.channels.web.context import web
from bot.channels.web.pages import back, flash, render
from bot.people.accounts import ROLE_NAMES, Role, UserEntry
from bot.people.logins import WebUser

router = APIRouter(tags=["用户"])
CHANNEL_NAMES = {"telegram": "Telegram", "wecom": "企业微信", "web": "网页", "terminal": "终端"}


class UserOut(BaseModel):
    id: int
    name: str
    role: Role
    village: str | None
    township: str | None
    active: bool
    reachable: bool
    identities: list[tuple[str, str]]
    created_at: datetime


class InviteIn(BaseModel):
    role: Role
    township: str | None = Field(None, max_length=64)
    village: str | None = Field(None, max_length=64)


class InviteOut(BaseModel):
    code: str
    role: Role
    township: str | None
    village: str | None
    expires_at: datetime


class AccessIn(BaseModel):
    role: Role
    township: str | None = Field(None, max_length=64)
    village: str | None = Field(None, max_length=64)


def user_out(entry: UserEntry) -> UserOut:
    m = entry.member
    return UserOut(
        id=m.id,
        name=m.name,
        role=m.role,
        village=m.village,
        township=m.township,
        active=entry.active,
        reachable=m.reachable,
        identities=list(entry.identities),
        created_at=entry.created_at,
    )


def _invite(request: Request, user: WebUser, body: InviteIn) -> InviteOut:
    try:
        invite = web(request).services.accounts.invites.create_invite(
            body.role,
            village=(body.village or "").strip() or None,
            township=(body.township or "").strip() or None,
            created_by=user.member.id,
        )
    except ValueError:
        raise HTTPException(status_code=422, detail=messages.INVITE_NEEDS_VILLAGE) from None
    return InviteOut(
        code=invite.code,
        role=Role(invite.role),
        township=invite.township,
        village=invite.village,
        expires_at=invite.expires_at,
    )


def _set_access(request: Request, user: WebUser, user_id: int, body: AccessIn) -> str:
    try:
        member = web(request).services.accounts.set_access(
            user_id,
            body.role,
            village=(body.village or "").strip() or None,
            township=(body.township or "").strip() or None,
            by=f"web:{user.login}",
        )
    except ValueError:
        raise HTTPException(status_code=422, detail=messages.INVITE_NEEDS_VILLAGE) from None
    if member is None:
        raise HTTPException(status_code=404, detail=messages.USER_MISSING)
    return messages.ROLE_SET.format(
        name=member.name or f"#{member.id}", role=ROLE_NAMES[member.role]
    )


def _name(request: Request, user_id: int) -> str:
    member = web(request).services.accounts.member(user_id)
    return (member.name if member else "") or f"#{user_id}"


@router.get("/users", name="users_page", include_in_schema=False)
def users_page(request: Request, user: WebUser = Depends(require_admin)) -> HTMLResponse:
    context = {
        "users": [user_out(e) for e in web(request).services.accounts.directory()],
        "roles": ROLE_NAMES,
        "channels": CHANNEL_NAMES,
        "invite": request.session.pop("invite", None),
        "link": request.session.pop("link", None),
    }
    return render(request, "users.html", context)


@router.post("/users/invite", include_in_schema=False)
def invite_form(
    request: Request,
    role: Annotated[Role, Form()],
    township: Annotated[str, Form(max_length=64)] = "",
    village: Annotated[str, Form(max_length=64)] = "",
    user: WebUser = Depends(require_admin),
) -> RedirectResponse:
    try:
        invite = _invite(request, user, InviteIn(role=role, township=township, village=village))
    except HTTPException as exc:
        flash(request, str(exc.detail), "error")
        return back(request, "users_page")
    days = web(request).settings.invite_ttl_days
    request.session["invite"] = messages.INVITE_MADE.format(code=invite.code, days=days)
    return back(request, "users_page")


@router.post("/users/{user_id:int}/access", include_in_schema=False)
def access_form(
    request: Request,
    user_id: int,
    role: Annotated[Role, Form()],
    township: Annotated[str, Form(max_length=64)] = "",
    village: Annotated[str, Form(max_length=64)] = "",
    user: WebUser = Depends(require_admin),
) -> RedirectResponse:
    try:
        body = AccessIn(role=role, township=township, village=village)
        flash(request, _set_access(request, user, user_id, body))
    except HTTPException as exc:
        flash(request, str(exc.detail), "error")
    return back(request, "users_page")


@router.post("/users/{user_id:int}/revoke", include_in_schema=False)
def revoke_form(
    request: Request, user_id: int, user: WebUser = Depends(require_admin)
) -> RedirectResponse:
    name = _name(request, user_id)
    if web(request).services.accounts.revoke(user_id, by=f"web:{user.login}"):
        flash(request, messages.REVOKED.format(name=name))
    else:
        flash(request, messages.USER_MISSING, "error")
    return back(request, "users_page")


@router.post("/users/{user_id:int}/restore", include_in_schema=False)
def restore_form(
    request: Request, user_id: int, user: WebUser = Depends(require_admin)
) -> RedirectResponse:
    member = web(request).services.accounts.restore(user_id, by=f"web:{user.login}")
    if member is None:
        flash(request, messages.USER_MISSING, "error")
    else:
        flash(request, messages.RESTORED.format(name=member.name or f"#{member.id}"))
    return back(request, "users_page")


@router.post("/users/{user_id:int}/link", include_in_schema=False)
def link_form(
    request: Request, user_id: int, user: WebUser = Depends(require_admin)
) -> RedirectResponse:
    if web(request).services.accounts.member(user_id) is None:
        flash(request, messages.USER_MISSING, "error")
        return back(request, "users_page")
    token = web(request).services.logins.make_link(user_id)
    path = str(request.url_for("password_page", token=token))
    request.session["link"] = messages.LINK_MADE.format(name=_name(request, user_id), url=path)
    return back(request, "users_page")


@router.get("/api/users", response_model=list[UserOut])
def list_users(request: Request, user: WebUser = Depends(require_admin)) -> list[UserOut]:
    """全部用户（含已停用的）及其各渠道账号。"""
    return [user_out(e) for e in web(request).services.accounts.directory()]


@router.post("/api/invites", response_model=InviteOut, status_code=201)
def create_invite(
    request: Request, body: InviteIn, user: WebUser = Depends(require_admin)
) -> InviteOut:
    """生成一次性邀请码（书记须写明村）。"""
    return _invite(request, user, body)


@router.put("/api/users/{user_id:int}/access", response_model=dict[str, str])
def set_access(
    request: Request, user_id: int, body: AccessIn, user: WebUser = Depends(require_admin)
) -> dict[str, str]:
    """设定角色和范围（乡镇、村）。"""
    return {"message": _set_access(request, user, user_id, body)}


@router.post("/api/users/{user_id:int}/revoke", status_code=204)
def revoke(request: Request, user_id: int, user: WebUser = Depends(require_admin)) -> None:
    """停用一个用户（随时可恢复）。"""
    if not web(request).services.accounts.revoke(user_id, by=f"web:{user.login}"):
        raise HTTPException(status_code=404, detail=messages.USER_MISSING)
