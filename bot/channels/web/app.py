"""The web app: middleware, error pages, routers. `make_web_app` is all a server needs."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels.web import messages
from bot.channels.web.auth import Forbidden, LoginRequired, csrf_protect
from bot.channels.web.context import TEMPLATES, WebContext
from bot.channels.web.headers import SecurityHeaders
from bot.channels.web.pages import render
from bot.channels.web.routes import (
    account,
    ask,
    calendar,
    knowledge,
    ledger,
    ledger_history,
    notices,
    rules,
    users,
)
from bot.channels.web.uploads import UploadJobs
from bot.services import CoreServices
from bot.settings import Settings

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
MB = 1024 * 1024
# the knowledge page takes several files in one form
FILES_PER_FORM = 10


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuses a request body over the limit before the app reads it all."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            response = Response(
                messages.TOO_LARGE.format(limit=self.limit // MB),
                status_code=413,
                media_type="text/plain; charset=utf-8",
            )
            await response(scope, receive, send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLarge()
            return message

        await self.app(scope, counted, send)


def cn_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def cn_datetime(value: datetime | None, tz: Any = None) -> str:
    if value is None:
        return ""
    local = value.astimezone(tz) if tz is not None else value
    return f"{cn_date(local)} {local:%H:%M}"


def make_templates(settings: Settings) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES))
    templates.env.filters["cn_date"] = cn_date
    templates.env.filters["cn_datetime"] = lambda v: cn_datetime(v, settings.tz)
    return templates


def make_web_app(
    services: CoreServices, settings: Settings, *, session_secret: str, max_age: timedelta
) -> FastAPI:
    app = FastAPI(
        title="党建助手 API",
        description=(
            "网页版各页面所用的 JSON 接口，县里自己的系统也可以调用。"
            "认证：浏览器会话（改动类请求带 X-CSRF-Token 头），"
            "或 HTTP Basic（网页版登录名和密码）。"
            "权限与聊天渠道相同：书记只看本村，乡镇工作人员只看本乡镇。"
        ),
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/api/openapi.json",
        root_path=settings.web_root_path,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.web = WebContext(
        services=services,
        settings=settings,
        templates=make_templates(settings),
        uploads=UploadJobs(services.library),
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=session_secret,
        session_cookie="partybot_session",
        max_age=int(max_age.total_seconds()),
        same_site="lax",
        https_only=settings.web_cookie_secure,
    )
    app.add_middleware(BodyLimit, limit=settings.max_upload_mb * MB * FILES_PER_FORM + MB)
    app.add_middleware(SecurityHeaders)  # the outermost: on every response, 413s included
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (
        account,
        ask,
        knowledge,
        ledger,
        ledger_history,
        calendar,
        rules,
        notices,
        users,
    ):
        app.include_router(module.router)
    _add_error_pages(app)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> RedirectResponse:
        return RedirectResponse(request.url_for("ask_page"), status_code=303)

    @app.get("/healthz", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith(f"{request.scope.get('root_path', '')}/api/") or (
        "application/json" in request.headers.get("accept", "")
    )


def _error(request: Request, status: int, text: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": text}, status_code=status)
    return render(request, "error.html", {"message": text}, status_code=status)


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired) -> Response:
        if _wants_json(request):
            return JSONResponse(
                {"detail": messages.LOGIN_NEEDED},
                status_code=401,
                headers={"WWW-Authenticate": 'Basic realm="partybot"'},
            )
        target = request.url_for("login_page").include_query_params(next=request.url.path)
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(Forbidden)
    def forbidden(request: Request, exc: Forbidden) -> Response:
        return _error(request, 403, messages.FORBIDDEN)

    @app.exception_handler(BodyTooLarge)
    def too_large(request: Request, exc: BodyTooLarge) -> Response:
        limit = request.app.state.web.settings.max_upload_mb * FILES_PER_FORM
        return _error(request, 413, messages.TOO_LARGE.format(limit=limit))

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 403 and exc.detail == "csrf":
            return _error(request, 403, messages.CSRF_FAILED)
        if exc.status_code == 404:
            return _error(request, 404, messages.NOT_FOUND)
        if isinstance(exc.detail, list) and all(isinstance(p, str) for p in exc.detail):
            # every problem of a refused file or text, one line each (calendar import, rules)
            if _wants_json(request):
                return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
            return _error(request, exc.status_code, "\n".join(exc.detail))
        text = exc.detail if isinstance(exc.detail, str) else messages.SERVER_ERROR
        return _error(request, exc.status_code, text)

    @app.exception_handler(RequestValidationError)
    def bad_input(request: Request, exc: RequestValidationError) -> Response:
        fields = "、".join(
            str(e.get("loc", ["?"])[-1]) for e in exc.errors() if isinstance(e, dict)
        )
        return _error(request, 422, messages.BAD_INPUT.format(detail=fields or "?"))

    @app.exception_handler(Exception)
    def crashed(request: Request, exc: Exception) -> Response:
        log.exception("web request failed: %s %s", request.method, request.url.path)
        return _error(request, 500, messages.SERVER_ERROR)
