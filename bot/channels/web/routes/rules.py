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

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from bot.channels.web import messages
from bot.channels.web.auth import require_admin, require_user
from bot.channels.web.context import web
from bot.channels.web.pages import back, flash, render
from bot.orglife.rules import (
    RULES_FILE_NAME,
    Rules,
    RulesFileError,
    load_rules,
    parse_rules,
    rules_yaml,
)
from bot.partyday.calendar_file import CalendarFileError, read_calendar_text
from bot.partyday.calendar_file import rules_yaml as calendar_rules_yaml
from bot.people.accounts import Role
from bot.people.logins import WebUser

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
    file_text, in_force, file_problems = _orglife_state(request)
    if orglife_text is None:
        orglife_text = file_text
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


def _orglife_state(request: Request) -> tuple[str, Rules | None, list[str]]:
    """The file's text (the rules in force written out when there is no file), the rules in
    force, and what is wrong with the file if anything."""
    in_force = web(request).services.orglife
    rules = in_force.rules() if in_force is not None else None
    path = _orglife_path(request)
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        load_rules(path)
    except (OSError, UnicodeDecodeError):
        text = None
    except RulesFileError as exc:
        return text or "", rules, exc.problems
    if text is None:
        text = rules_yaml(rules) if rules is not None else ""
    return text, rules, []


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
        count = _save_orglife(request, text)
    except RulesFileError as exc:
        return _page(
            request, user, orglife_text=text, orglife_problems=exc.problems, status_code=422
        )
    except OSError:
        path = _orglife_path(request)
        flash(request, messages.ORGLIFE_RULES_UNWRITABLE.format(path=path), "error")
        return _page(request, user, orglife_text=text, status_code=500)
    flash(request, messages.ORGLIFE_RULES_SAVED.format(count=count))
    return back(request, "rules_page")


@router.post("/rules/calendar", include_in_schema=False)
def save_calendar_rules(
    request: Request,
    text: Annotated[str, Form(max_length=MAX_TEXT)],
    user: WebUser = Depends(require_admin),
) -> Response:
    if web(request).services.calendar is None:
        return render(request, "error.html", {"message": messages.CALENDAR_OFF}, status_code=404)
    try:
        count = _save_calendar(request, text)
    except CalendarFileError as exc:
        return _page(
            request, user, calendar_text=text, calendar_problems=exc.problems, status_code=422
        )
    flash(request, messages.PARTYDAY_RULES_SAVED.format(count=count))
    return back(request, "rules_page")


def _save_orglife(request: Request, text: str) -> int:
    """The rules checked whole, then written: RulesFileError (nothing written) or OSError."""
    rules = parse_rules(text)
    _write_atomically(_orglife_path(request), text)
    service = web(request).services.orglife
    if service is not None:
        service.rules()  # in force here at once; other processes at their next query
    return len(rules.rules)


def _save_calendar(request: Request, text: str) -> int:
    """The Party-day rules checked whole, then they replace the rules in force."""
    service = web(request).services.calendar
    if service is None:
        raise HTTPException(status_code=404, detail=messages.CALENDAR_OFF)
    parsed = read_calendar_text(text)
    if parsed.overrides or parsed.days or parsed.themes:
        raise CalendarFileError([messages.PARTYDAY_RULES_ONLY])
    if not parsed.rules:
        raise CalendarFileError([messages.PARTYDAY_RULES_EMPTY])
    return service.apply(parsed).rules


# -- API ------------------------------------------------------------------------------------------


class RulesText(BaseModel):
    text: str = Field(max_length=MAX_TEXT, description="规则的 YAML 全文")


class OrgLifeRuleOut(BaseModel):
    kind: str
    frequency: str
    counts: list[str]
    exempt: list[str]


class OrgLifeRulesOut(BaseModel):
    text: str
    rules: list[OrgLifeRuleOut]
    file_problems: list[str]


class PartyDayRuleOut(BaseModel):
    township: str
    village: str
    rule: str
    holiday: str


class PartyDayRulesOut(BaseModel):
    text: str
    rules: list[PartyDayRuleOut]


@router.get("/api/rules/orglife", response_model=OrgLifeRulesOut)
def get_orglife_rules(request: Request, user: WebUser = Depends(require_user)) -> OrgLifeRulesOut:
    """正在使用的三会一课规则，及规则文件全文（文件有误时附问题清单，正在使用的仍是原规则）。"""
    text, in_force, problems = _orglife_state(request)
    rules = in_force.rules if in_force is not None else ()
    exempt = in_force.exempt if in_force is not None else {}
    return OrgLifeRulesOut(
        text=text,
        rules=[
            OrgLifeRuleOut(
                kind=r.kind,
                frequency=r.frequency(),
                counts=sorted(r.counts),
                exempt=sorted(f"{t}/{v}" if t else v for t, v in exempt.get(r.kind, ())),
            )
            for r in rules
        ],
        file_problems=problems,
    )


@router.put("/api/rules/orglife")
def put_orglife_rules(
    request: Request, body: RulesText, user: WebUser = Depends(require_admin)
) -> dict[str, str]:
    """保存三会一课规则（整份）；有错时不保存，返回 422 和逐行的问题清单。"""
    try:
        count = _save_orglife(request, body.text)
    except RulesFileError as exc:
        raise HTTPException(status_code=422, detail=exc.problems) from None
    except OSError:
        path = _orglife_path(request)
        detail = messages.ORGLIFE_RULES_UNWRITABLE.format(path=path)
        raise HTTPException(status_code=500, detail=detail) from None
    return {"message": messages.ORGLIFE_RULES_SAVED.format(count=count)}


@router.get("/api/rules/calendar", response_model=PartyDayRulesOut)
def get_calendar_rules(request: Request, user: WebUser = Depends(require_user)) -> PartyDayRulesOut:
    """正在使用的主题党日日期规则（全县、乡镇、村）。"""
    service = web(request).services.calendar
    if service is None:
        raise HTTPException(status_code=404, detail=messages.CALENDAR_OFF)
    rules = service.load().rules
    return PartyDayRulesOut(
        text=calendar_rules_yaml(rules),
        rules=[
            PartyDayRuleOut(township=t, village=v, rule=r.text, holiday=r.shift.value)
            for (t, v), r in sorted(rules.items())
        ],
    )


@router.put("/api/rules/calendar")
def put_calendar_rules(
    request: Request, body: RulesText, user: WebUser = Depends(require_admin)
) -> dict[str, str]:
    """以“规则:”一节替换全部主题党日规则；有错时不保存，返回 422 和逐行的问题清单。"""
    try:
        count = _save_calendar(request, body.text)
    except CalendarFileError as exc:
        raise HTTPException(status_code=422, detail=exc.problems) from None
    return {"message": messages.PARTYDAY_RULES_SAVED.format(count=count)}


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
