"""规则: the 三会一课 rules and the Party-day calendar's rules, read by everyone and edited by
admins. What an admin types is checked whole before anything changes: a bad line is refused by
its number, the rules in force stay, and the page keeps what they typed.

Where they live: the 三会一课 rules in their file (knowledge/三会一课规则.yaml), written in
place atomically — the file is what the county edits by hand, what `partybot doctor` checks and
what every process re-reads when it changes; the Party-day rules in the database, where the
calendar (imported from a file until now) has always kept them."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from bot.accounts import Role
from bot.logins import WebUser
from bot.orglife.rules import (
    RULES_FILE_NAME,
    RulesFileError,
    load_rules,
    parse_rules,
    rules_yaml,
)
from bot.partyday.calendar_file import CalendarFileError, read_calendar_text
from bot.partyday.calendar_file import rules_yaml as calendar_rules_yaml
from bot.web import messages
from bot.web.auth import require_admin, require_user
from bot.web.context import web
from bot.web.pages import back, flash, render

router = APIRouter(tags=["规则"])
MAX_TEXT = 20_000


def _orglife_path(request: Request) -> Path:
    return web(request).settings.knowledge_dir / RULES_FILE_NAME


def _page(
    request: Request,
    user: WebUser,
    *,
    orglife_text: str | None = None,
    orglife_problems: list[str] | None = None,
    calendar_text: str | None = None,
    calendar_problems: list[str] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    services = web(request).services
    path = _orglife_path(request)
    file_problems: list[str] = []
    if orglife_text is None:
        try:
            orglife_text = path.read_text(encoding="utf-8") if path.is_file() else None
            load_rules(path)
        except (OSError, UnicodeDecodeError):
            orglife_text = None
        except RulesFileError as exc:
            file_problems = exc.problems
    in_force = services.orglife.rules() if services.orglife is not None else None
    if orglife_text is None and in_force is not None:
        orglife_text = rules_yaml(in_force)
    calendar = services.calendar.load() if services.calendar is not None else None
    if calendar_text is None and calendar is not None:
        calendar_text = calendar_rules_yaml(calendar.rules)
    context = {
        "admin": user.member.role == Role.ADMIN,
        "orglife": in_force,
        "orglife_text": orglife_text or "",
        "orglife_problems": orglife_problems or [],
        "file_problems": file_problems,
        "calendar_rules": sorted(calendar.rules.items()) if calendar is not None else None,
        "calendar_text": calendar_text or "",
        "calendar_problems": calendar_problems or [],
    }
    return render(request, "rules.html", context, status_code=status_code)


@router.get("/rules", name="rules_page", include_in_schema=False)
def rules_page(request: Request, user: WebUser = Depends(require_user)) -> HTMLResponse:
    return _page(request, user)


@router.post("/rules/orglife", include_in_schema=False)
def save_orglife_rules(
    request: Request,
    text: Annotated[str, Form(max_length=MAX_TEXT)],
    user: WebUser = Depends(require_admin),
) -> Response:
    try:
        rules = parse_rules(text)
    except RulesFileError as exc:
        return _page(
            request, user, orglife_text=text, orglife_problems=exc.problems, status_code=422
        )
    path = _orglife_path(request)
    try:
        _write_atomically(path, text)
    except OSError:
        flash(request, messages.ORGLIFE_RULES_UNWRITABLE.format(path=path), "error")
        return _page(request, user, orglife_text=text, status_code=500)
    flash(request, messages.ORGLIFE_RULES_SAVED.format(count=len(rules.rules)))
    return back(request, "rules_page")


@router.post("/rules/calendar", include_in_schema=False)
def save_calendar_rules(
    request: Request,
    text: Annotated[str, Form(max_length=MAX_TEXT)],
    user: WebUser = Depends(require_admin),
) -> Response:
    service = web(request).services.calendar
    if service is None:
        return render(request, "error.html", {"message": messages.CALENDAR_OFF}, status_code=404)
    try:
        parsed = read_calendar_text(text)
        problems = []
        if parsed.overrides or parsed.days or parsed.themes:
            problems = [messages.PARTYDAY_RULES_ONLY]
        elif not parsed.rules:
            problems = [messages.PARTYDAY_RULES_EMPTY]
    except CalendarFileError as exc:
        problems = exc.problems
    if problems:
        return _page(request, user, calendar_text=text, calendar_problems=problems, status_code=422)
    summary = service.apply(parsed)
    flash(request, messages.PARTYDAY_RULES_SAVED.format(count=summary.rules))
    return back(request, "rules_page")


def _write_atomically(path: Path, text: str) -> None:
    """Readers see the old file or the new one, never half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".rules-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
