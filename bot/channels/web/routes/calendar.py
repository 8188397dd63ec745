"""日历: a year of Party days and themes for the person's branch or township; admins set a
month's theme and tasks, move a day (county, township or village), and import a calendar file
with every problem in it listed."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import BaseModel, Field

from bot.channels.web import messages
from bot.channels.web.auth import check_in_scope, require_admin, require_user
from bot.channels.web.context import web
from bot.channels.web.pages import back, flash, render
from bot.partyday.calendar_file import CalendarFileError, parse_day, split_tasks
from bot.partyday.rules import month_key
from bot.partyday.service import CalendarService
from bot.people.accounts import Member, Role
from bot.people.logins import WebUser

router = APIRouter(tags=["日历"])
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
CALENDAR_SUFFIXES = (".yaml", ".yml", ".xlsx")


class MonthOut(BaseModel):
    month: str
    party_day: date | None
    basis: str | None
    moved_from: date | None
    holiday: str | None
    theme: str | None
    tasks: list[str]


class ThemeIn(BaseModel):
    theme: str = Field(min_length=1, max_length=200)
    tasks: list[str] = Field(default_factory=list, max_length=30)


class OverrideIn(BaseModel):
    day: date | None = Field(None, description="新的日期；不填则取消调整，恢复按规则计算")
    township: str = Field("", max_length=64)
    village: str = Field("", max_length=64)
    note: str = Field("", max_length=200)


class ImportOut(BaseModel):
    rules: int
    overrides: int
    days: int
    themes: int


def _service(request: Request) -> CalendarService:
    service = web(request).services.calendar
    if service is None:
        raise HTTPException(status_code=404, detail=messages.CALENDAR_OFF)
    return service


def year_of(
    request: Request, member: Member, year: int, township: str = "", village: str = ""
) -> list[MonthOut]:
    calendar = _service(request).load()
    if member.role == Role.SECRETARY or not (township or village):
        township, village = member.township or "", member.village or ""
    months = []
    for month in range(1, 13):
        day = calendar.party_day(year, month, village=village, township=township)
        theme = calendar.theme(year, month)
        months.append(
            MonthOut(
                month=month_key(year, month),
                party_day=day.day if day else None,
                basis=day.basis if day else None,
                moved_from=day.moved_from if day else None,
                holiday=day.holiday if day else None,
                theme=theme.theme if theme else None,
                tasks=theme.tasks if theme else [],
            )
        )
    return months


def _set_override(request: Request, month: str, body: OverrideIn) -> str:
    service = _service(request)
    scope = body.township + body.village
    if body.day is None:
        cleared = service.clear_override(month, township=body.township, village=body.village)
        text = messages.DAY_CLEARED if cleared else messages.DAY_NOTHING
        return text.format(scope=scope, month=month)
    if f"{body.day:%Y-%m}" != month:
        raise HTTPException(
            status_code=422, detail=messages.DAY_WRONG_MONTH.format(day=body.day, month=month)
        )
    service.set_override(
        month, body.day, township=body.township, village=body.village, note=body.note
    )
    return messages.DAY_SAVED.format(scope=scope, month=month, day=body.day)


def _import(request: Request, upload: UploadFile) -> ImportOut:
    """Every problem of a bad file in one answer (422, the list in `detail`); nothing written."""
    name = upload.filename or "calendar.yaml"
    suffix = Path(name).suffix.lower()
    if suffix not in CALENDAR_SUFFIXES:
        raise HTTPException(status_code=422, detail=[messages.CALENDAR_IMPORT_TYPE])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"calendar{suffix}"
        limit = web(request).settings.max_upload_mb * 1024 * 1024
        path.write_bytes(upload.file.read(limit))
        try:
            summary = _service(request).import_file(path)
        except CalendarFileError as exc:
            raise HTTPException(status_code=422, detail=exc.problems) from None
    return ImportOut(**vars(summary))


# -- page -----------------------------------------------------------------------------------------


@router.get("/calendar", name="calendar_page", include_in_schema=False)
def calendar_page(
    request: Request, year: int | None = None, user: WebUser = Depends(require_user)
) -> HTMLResponse:
    if web(request).services.calendar is None:
        return render(request, "error.html", {"message": messages.CALENDAR_OFF})
    this_year = web(request).services.reports.today().year
    year = year if year is not None and 2000 <= year <= 2100 else this_year
    context = {
        "year": year,
        "months": year_of(request, user.member, year),
        "admin": user.member.role == Role.ADMIN,
        "problems": request.session.pop("calendar_problems", []),
    }
    return render(request, "calendar.html", context)


@router.post("/calendar/theme", include_in_schema=False)
def theme_form(
    request: Request,
    month: Annotated[str, Form(pattern=MONTH)],
    theme: Annotated[str, Form(max_length=200)],
    tasks: Annotated[str, Form(max_length=4000)] = "",
    user: WebUser = Depends(require_admin),
) -> RedirectResponse:
    if not theme.strip():
        flash(request, messages.THEME_EMPTY, "error")
    else:
        _service(request).set_theme(month, theme.strip(), split_tasks(tasks))
        flash(request, messages.THEME_SAVED.format(month=month))
    return back(request, "calendar_page", year=month[:4])


@router.post("/calendar/day", include_in_schema=False)
def day_form(
    request: Request,
    month: Annotated[str, Form(pattern=MONTH)],
    day: Annotated[str, Form(max_length=20)] = "",
    township: Annotated[str, Form(max_length=64)] = "",
    village: Annotated[str, Form(max_length=64)] = "",
    note: Annotated[str, Form(max_length=200)] = "",
    user: WebUser = Depends(require_admin),
) -> RedirectResponse:
    try:
        parsed = parse_day(day) if day.strip() else None
        body = OverrideIn(day=parsed, township=township.strip(), village=village.strip(), note=note)
        flash(request, _set_override(request, month, body))
    except ValueError:
        flash(request, messages.BAD_DAY, "error")
    except HTTPException as exc:
        flash(request, str(exc.detail), "error")
    return back(request, "calendar_page", year=month[:4])


@router.post("/calendar/import", include_in_schema=False)
def import_form(
    request: Request,
    file: Annotated[UploadFile, File()],
    user: WebUser = Depends(require_admin),
) -> RedirectResponse:
    try:
        summary = _import(request, file)
    except HTTPException as exc:
        request.session["calendar_problems"] = list(exc.detail)
        flash(request, messages.CALENDAR_IMPORT_FAILED, "error")
        return back(request, "calendar_page")
    flash(request, messages.CALENDAR_IMPORTED.format(**summary.model_dump()))
    return back(request, "calendar_page")


# -- API ------------------------------------------------------------------------------------------


@router.get("/api/calendar", response_model=list[MonthOut])
def get_calendar(
    request: Request,
    year: int = Query(..., ge=2000, le=2100),
    township: str = "",
    village: str = "",
    user: WebUser = Depends(require_user),
) -> list[MonthOut]:
    """一年的主题党日日期与主题。书记看本村；工作人员可指定本人范围内的乡镇、村。"""
    check_in_scope(user.member, township or None, village or None)
    return year_of(request, user.member, year, township, village)


@router.put("/api/calendar/themes/{month}")
def put_theme(
    request: Request,
    body: ThemeIn,
    month: Annotated[str, PathParam(pattern=MONTH)],
    user: WebUser = Depends(require_admin),
) -> dict[str, str]:
    """设定某月（YYYY-MM）的主题和重点任务。"""
    _service(request).set_theme(month, body.theme.strip(), [t.strip() for t in body.tasks])
    return {"message": messages.THEME_SAVED.format(month=month)}


@router.put("/api/calendar/days/{month}")
def put_day(
    request: Request,
    body: OverrideIn,
    month: Annotated[str, PathParam(pattern=MONTH)],
    user: WebUser = Depends(require_admin),
) -> dict[str, str]:
    """调整某月的主题党日（全县，或某乡镇、某村）；day 不填则取消调整。"""
    return {"message": _set_override(request, month, body)}


@router.post("/api/calendar/import", response_model=ImportOut)
def import_calendar(
    request: Request,
    file: Annotated[UploadFile, File(description="日历文件（YAML 或 xlsx）")],
    user: WebUser = Depends(require_admin),
) -> ImportOut:
    """导入日历文件；有错时一条也不写入，返回 422 和所有问题的清单。"""
    return _import(request, file)
