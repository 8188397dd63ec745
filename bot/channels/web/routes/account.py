"""Logging in and out, registering with an invite code, and the one-time password link."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from bot.channels.web import messages
from bot.channels.web.auth import SESSION_KEY, client_address
from bot.channels.web.context import web
from bot.channels.web.pages import flash, render
from bot.people.logins import LoginError, WebUser

router = APIRouter(include_in_schema=False)


def _start_session(request: Request, user: WebUser) -> None:
    context = web(request)
    lasts = timedelta(hours=context.settings.web_session_hours)
    token = context.services.logins.start_session(user, lasts=lasts)
    csrf = request.session.get("csrf")
    _end_session(request)  # a new session on login: nothing carried over from before
    request.session.update({SESSION_KEY: token, "csrf": csrf})


def _end_session(request: Request) -> None:
    """Ended on the server too: a copy of the cookie taken before is refused from now on."""
    token = request.session.get(SESSION_KEY)
    if isinstance(token, str):
        web(request).services.logins.end_session(token)
    request.session.clear()


def _safe_next(request: Request, target: str | None) -> str:
    base = request.scope.get("root_path", "")
    if target and target.startswith("/") and not target.startswith("//"):
        return base + target if base and not target.startswith(base + "/") else target
    return str(request.url_for("ask_page"))


@router.get("/login", name="login_page")
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return render(request, "login.html", {"next": next or "", "login": ""})


@router.post("/login")
def login(
    request: Request,
    login: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "",
) -> Response:
    try:
        user = web(request).services.logins.authenticate(
            login.strip(), password, address=client_address(request)
        )
    except LoginError as exc:
        context = {"next": next, "login": login, "error": messages.LOGIN_ERRORS[exc.reason]}
        return render(request, "login.html", context, status_code=400)
    _start_session(request, user)
    return RedirectResponse(_safe_next(request, next), status_code=303)


@router.post("/logout", name="logout")
def logout(request: Request) -> RedirectResponse:
    _end_session(request)
    flash(request, messages.LOGGED_OUT)
    return RedirectResponse(request.url_for("login_page"), status_code=303)


@router.get("/register", name="register_page")
def register_page(request: Request) -> HTMLResponse:
    return render(request, "register.html", {"form": {}})


@router.post("/register")
def register(
    request: Request,
    code: Annotated[str, Form()],
    login: Annotated[str, Form()],
    password: Annotated[str, Form()],
    password2: Annotated[str, Form()],
    name: Annotated[str, Form()] = "",
) -> Response:
    form = {"code": code, "login": login, "name": name}
    if password != password2:
        error = messages.LOGIN_ERRORS["mismatch"]
        return render(request, "register.html", {"form": form, "error": error}, status_code=400)
    try:
        user = web(request).services.logins.register(
            login.strip(), password, code, name=name.strip(), address=client_address(request)
        )
    except LoginError as exc:
        error = messages.LOGIN_ERRORS.get(exc.reason, exc.reason)
        return render(request, "register.html", {"form": form, "error": error}, status_code=400)
    _start_session(request, user)
    return RedirectResponse(request.url_for("ask_page"), status_code=303)


@router.get("/password/{token}", name="password_page")
def password_page(request: Request, token: str) -> HTMLResponse:
    try:
        member, login = web(request).services.logins.link_login(token)
    except LoginError as exc:
        error = {"message": messages.LOGIN_ERRORS[exc.reason]}
        return render(request, "error.html", error, status_code=400)
    context: dict[str, object] = {"token": token, "existing": login, "name": member.name}
    return render(request, "password.html", context)


@router.post("/password/{token}")
def set_password(
    request: Request,
    token: str,
    password: Annotated[str, Form()],
    password2: Annotated[str, Form()],
    login: Annotated[str, Form()] = "",
) -> Response:
    logins = web(request).services.logins
    try:
        member, existing = logins.link_login(token)
        if password != password2:
            raise LoginError("mismatch")
        user = logins.use_link(token, login.strip(), password)
    except LoginError as exc:
        if exc.reason in ("link", "used", "expired", "revoked"):
            error = {"message": messages.LOGIN_ERRORS[exc.reason]}
            return render(request, "error.html", error, status_code=400)
        context: dict[str, object] = {
            "token": token,
            "existing": existing,
            "name": member.name,
            "login": login,
            "error": messages.LOGIN_ERRORS[exc.reason],
        }
        return render(request, "password.html", context, status_code=400)
    _start_session(request, user)
    flash(request, messages.PASSWORD_SET.format(login=user.login))
    return RedirectResponse(request.url_for("ask_page"), status_code=303)
