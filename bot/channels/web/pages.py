"""Rendering a page: the template with what every page shows (who is logged in, the menu,
messages left by the last form, the CSRF token)."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from bot.channels.web.auth import csrf_token, current_user
from bot.people.accounts import ROLE_NAMES, Role

# (route name, label, who sees it)
MENU = (
    ("ask_page", "问答", None),
    ("ledger_page", "台账", None),
    ("calendar_page", "日历", None),
    ("rules_page", "规则", None),
    ("knowledge_page", "知识库", Role.ADMIN),
    ("broadcast_page", "通知", Role.ADMIN),
    ("users_page", "用户", Role.ADMIN),
)


def flash(request: Request, text: str, kind: str = "ok") -> None:
    request.session.setdefault("flash", []).append([kind, text])


def back(request: Request, route: str, **params: str) -> RedirectResponse:
    """After a form: back to the page (303, so a reload does not post again)."""
    url = request.url_for(route)
    if params:
        url = url.include_query_params(**params)
    return RedirectResponse(url, status_code=303)


def render(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    state = request.app.state.web
    try:
        user = current_user(request)
    except Exception:  # a broken Basic header on an error page: show it logged out
        user = None
    menu = [
        (request.url_for(name), label, name)
        for name, label, role in MENU
        if user is not None and (role is None or user.member.role == role)
    ]
    page: dict[str, Any] = {
        "user": user,
        "role_name": ROLE_NAMES[user.member.role] if user else "",
        "menu": menu,
        "csrf": csrf_token(request),
        "flashes": request.session.pop("flash", []),
        "base": request.scope.get("root_path", ""),
        **context,
    }
    response: HTMLResponse = state.templates.TemplateResponse(
        request, template, page, status_code=status_code
    )
    return response
