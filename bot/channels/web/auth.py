"""Who is asking: the session cookie (pages) or HTTP Basic (a county's own systems), and the
checks every route states as a dependency: logged in, staff, admin, and CSRF on every form."""

from __future__ import annotations

import base64
import binascii
import secrets

from fastapi import Depends, HTTPException, Request

from bot.channels.web.context import web
from bot.people.accounts import Member, Role
from bot.people.logins import LoginError, WebUser
from bot.people.scope import scope_of

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"
SESSION_KEY = "sid"


class LoginRequired(Exception):
    """Raised by `require_user`; pages are sent to /login, the API answers 401."""


class Forbidden(Exception):
    """The person may not use this page or endpoint (or see this record)."""


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = secrets.token_urlsafe(24)
        request.session["csrf"] = token
    return str(token)


def _basic_user(request: Request) -> WebUser | None:
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        login, _, password = base64.b64decode(encoded).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise LoginRequired() from None
    try:
        return web(request).services.logins.authenticate(
            login, password, address=client_address(request)
        )
    except LoginError:
        raise LoginRequired() from None


def current_user(request: Request) -> WebUser | None:
    """Read once per request (the route's dependency and the page's header both ask): a
    Basic login costs an argon2 verification."""
    if "web_user" not in request.scope:
        request.scope["web_user"] = _read_user(request)
    user: WebUser | None = request.scope["web_user"]
    return user


def _read_user(request: Request) -> WebUser | None:
    """A Basic header, when sent, is who is asking (a wrong one is a 401, whatever cookie
    comes with it); otherwise the session the cookie names, if it has not ended."""
    if _sends_basic(request):
        return _basic_user(request)
    token = request.session.get(SESSION_KEY)
    if isinstance(token, str):
        found = web(request).services.logins.session_user(token)
        if found is None:
            request.session.pop(SESSION_KEY, None)
        return found
    return None


def _sends_basic(request: Request) -> bool:
    return request.headers.get("authorization", "").lower().startswith("basic ")


def require_user(request: Request) -> WebUser:
    user = current_user(request)
    if user is None:
        raise LoginRequired()
    return user


def require_staff(user: WebUser = Depends(require_user)) -> WebUser:
    if user.member.role not in (Role.STAFF, Role.ADMIN):
        raise Forbidden()
    return user


def require_admin(user: WebUser = Depends(require_user)) -> WebUser:
    if user.member.role != Role.ADMIN:
        raise Forbidden()
    return user


def require_secretary(user: WebUser = Depends(require_user)) -> WebUser:
    if user.member.role != Role.SECRETARY:
        raise Forbidden()
    return user


async def csrf_protect(request: Request) -> None:
    """Every request that changes something carries the session's token, in the form's `csrf`
    field or the X-CSRF-Token header. A Basic-auth caller needs none, but only once its
    password is right: a wrong header beside a session cookie is refused, never let through."""
    if request.method in SAFE_METHODS:
        return
    if _sends_basic(request):
        if current_user(request) is None:
            raise LoginRequired()
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not secrets.compare_digest(str(expected), sent):
        raise HTTPException(status_code=403, detail="csrf")


def check_in_scope(member: Member, township: str | None, village: str | None) -> None:
    """A township or village asked for by parameter must be one the person may see, on every
    route: 城关镇 staff asking for 河口镇 are refused, never shown a workbook titled 河口镇."""
    scope = scope_of(member)
    if scope.county or (not township and not village):
        return
    if scope.township is not None:
        if township and township != scope.township:
            raise Forbidden()
        return
    if not any(
        (not township or township == t) and (not village or village == v) for t, v in scope.branches
    ):
        raise Forbidden()
