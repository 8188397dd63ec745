"""台账: the reports the person may see (bot.people.scope, through ReportService.query),
filtered and paged, one report with its photos, the workbook and the chart, and the branches
with no report this month."""

from __future__ import annotations

import mimetypes
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from pydantic import BaseModel

from bot import messages as chat_messages
from bot.channels.web import messages
from bot.channels.web.auth import check_in_scope, require_staff, require_user
from bot.channels.web.context import web
from bot.channels.web.pages import render
from bot.conversation.ledger import ledger_chart, ledger_workbook
from bot.months import BadMonth, parse_month
from bot.orglife.views import orglife_section
from bot.people.accounts import Member, Role
from bot.people.logins import WebUser
from bot.reports.export import ledger_title
from bot.reports.minutes_doc import write_minutes
from bot.reports.parsing.kinds import TYPE_NAMES
from bot.reports.rows import ReportRow

router = APIRouter(tags=["台账"])
PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ReportOut(BaseModel):
    id: int
    township: str | None
    village: str
    activity_date: date
    type: str
    tags: list[str]
    theme: str | None
    expected: int | None
    attended: int | None
    place: str | None
    host: str | None
    summary: str
    photos: int
    created_at: datetime | None


class ReportPage(BaseModel):
    total: int
    page: int
    pages: int
    reports: list[ReportOut]


class Branch(BaseModel):
    township: str | None
    village: str


def report_out(row: ReportRow) -> ReportOut:
    return ReportOut(
        id=row.id,
        township=row.township,
        village=row.village,
        activity_date=row.activity_date,
        type=row.type,
        tags=row.tags,
        theme=row.theme,
        expected=row.expected,
        attended=row.attended,
        place=row.place,
        host=row.host,
        summary=row.summary,
        photos=len(row.photos),
        created_at=row.created_at,
    )


def _month(request: Request, text: str | None) -> str | None:
    if not text or not text.strip():
        return None
    try:
        return parse_month(text, today=web(request).services.reports.today())
    except BadMonth:
        raise HTTPException(status_code=422, detail=messages.BAD_MONTH) from None


def _page(
    request: Request,
    member: Member,
    month: str | None,
    township: str | None,
    village: str | None,
    type: str | None,
    page: int,
) -> ReportPage:
    check_in_scope(member, township, village)
    found = web(request).services.reports.page(
        member,
        number=page,
        size=PAGE_SIZE,
        month=_month(request, month),
        township=township or None,
        village=village or None,
        type=type or None,
    )
    return ReportPage(
        total=found.total,
        page=found.number,
        pages=found.pages,
        reports=[report_out(r) for r in found.rows],
    )


def _missing(request: Request, member: Member, month: str) -> list[Branch]:
    """Branches of the person's scope with no report in the month (a fact, not a ranking)."""
    services = web(request).services
    if member.role == Role.SECRETARY:
        branches = [(member.township, member.village or "")]
    else:
        branches = services.accounts.branches(township=member.township)
    reported = services.reports.reported_branches(member, month)
    return [Branch(township=t, village=v) for t, v in branches if ((t or ""), v) not in reported]


def _one(request: Request, member: Member, report_id: int) -> ReportRow:
    found = web(request).services.reports.rows_by_ids(member, [report_id])
    if not found:  # not there, or not theirs to see: the same answer
        raise HTTPException(status_code=404)
    return found[0]


def download(data: bytes, name: str, media_type: str) -> Response:
    """A file with its Chinese name kept (RFC 6266), and an ASCII fallback for old browsers."""
    fallback = name.encode("ascii", "ignore").decode() or "download"
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})


def _scope_name(member: Member) -> str:
    if member.role == Role.SECRETARY:
        return f"{member.township or ''}{member.village or ''}"
    return member.township or "全县"


# -- pages ----------------------------------------------------------------------------------------


@router.get("/ledger", name="ledger_page", include_in_schema=False)
def ledger_page(
    request: Request,
    month: str | None = None,
    township: str | None = None,
    village: str | None = None,
    type: str | None = None,
    page: int = 1,
    user: WebUser = Depends(require_user),
) -> HTMLResponse:
    member = user.member
    this_month = f"{web(request).services.reports.today():%Y-%m}"
    month = month if month is not None else this_month
    try:
        result, error = _page(request, member, month, township, village, type, page), None
    except HTTPException as exc:
        result, error = ReportPage(total=0, page=1, pages=1, reports=[]), str(exc.detail)
    shown_month = _month(request, month) if month and error is None else None
    context = {
        "filters": {
            "month": month,
            "township": township or "",
            "village": village or "",
            "type": type or "",
        },
        "types": TYPE_NAMES,
        "result": result,
        "missing": _missing(request, member, shown_month) if shown_month else [],
        "month": shown_month,
        "staff": member.role in (Role.STAFF, Role.ADMIN),
        "secretary": member.role == Role.SECRETARY,
        "scope": _scope_name(member),
        "error": error,
        "orglife": orglife_section(
            web(request).services.orglife, member, shown_month, township if error is None else None
        ),
    }
    return render(request, "ledger.html", context)


@router.get("/ledger/{report_id:int}", name="report_page", include_in_schema=False)
def report_page(
    request: Request, report_id: int, user: WebUser = Depends(require_user)
) -> HTMLResponse:
    row = _one(request, user.member, report_id)
    names = web(request).services.accounts.names()
    context = {"report": report_out(row), "reporter": names.get(row.reporter_id, "")}
    return render(request, "report.html", context)


@router.get("/ledger/{report_id:int}/photos/{number:int}", name="report_photo")
def report_photo(
    request: Request, report_id: int, number: int, user: WebUser = Depends(require_user)
) -> FileResponse:
    """一条记录的第 number 张照片（从 1 数起）。"""
    row = _one(request, user.member, report_id)
    if not 1 <= number <= len(row.photos):
        raise HTTPException(status_code=404)
    media = (web(request).settings.data_dir / "media").resolve()
    path = Path(row.photos[number - 1]).resolve()
    if not path.is_relative_to(media) or not path.is_file():
        raise HTTPException(status_code=404)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return FileResponse(path, media_type=media_type)


# -- API and files --------------------------------------------------------------------------------


@router.get("/api/reports", response_model=ReportPage)
def list_reports(
    request: Request,
    month: str | None = Query(None, description="月份，如 2026-07；不填为全部"),
    township: str | None = None,
    village: str | None = None,
    type: str | None = Query(None, description="活动类型，如 主题党日"),
    page: int = Query(1, ge=1, le=100000),
    user: WebUser = Depends(require_user),
) -> ReportPage:
    """台账记录（按乡镇、村、日期排序，每页 50 条），只含本人权限范围内的。"""
    return _page(request, user.member, month, township, village, type, page)


@router.get("/api/reports/missing", response_model=list[Branch])
def missing_reports(
    request: Request,
    month: str = Query(..., description="月份，如 2026-07"),
    user: WebUser = Depends(require_user),
) -> list[Branch]:
    """本月（或所给月份）还没有任何活动记录的支部。"""
    parsed = _month(request, month)
    if parsed is None:  # an empty month (schemathesis found the 500 this was)
        raise HTTPException(status_code=422, detail=messages.BAD_MONTH)
    return _missing(request, user.member, parsed)


@router.get("/api/reports/{report_id:int}", response_model=ReportOut)
def get_report(
    request: Request, report_id: int, user: WebUser = Depends(require_user)
) -> ReportOut:
    """一条记录；不在本人权限范围内的与不存在的一样，返回 404。"""
    return report_out(_one(request, user.member, report_id))


@router.get("/ledger/{report_id:int}/minutes.docx", name="report_minutes")
def report_minutes(
    request: Request, report_id: int, user: WebUser = Depends(require_user)
) -> Response:
    """一条记录的会议记录（Word，A4 一页）；没写的栏目留空，打印后手写。不在权限范围内的 404。"""
    page = write_minutes(_one(request, user.member, report_id))
    return download(page.data, page.name, DOCX)


@router.get("/ledger.xlsx", name="ledger_export")
def export_ledger(
    request: Request,
    month: str | None = None,
    township: str | None = None,
    village: str | None = None,
    type: str | None = None,
    user: WebUser = Depends(require_staff),
) -> Response:
    """按筛选条件导出台账（Excel，含汇总表），文件名保留中文。"""
    member = user.member
    check_in_scope(member, township, village)
    rows = web(request).services.reports.query(
        member,
        month=_month(request, month),
        township=township or None,
        village=village or None,
        type=type or None,
    )
    parsed = _month(request, month) or "全部"
    scope = "".join(p for p in (township or member.township or "全县", village or "") if p)
    title = ledger_title(scope, parsed)
    workbook = ledger_workbook(
        rows,
        name=f"台账-{scope}-{parsed}.xlsx",
        title=title,
        accounts=web(request).services.accounts,
        township=township or member.township,
    )
    return download(workbook.data, workbook.name, XLSX)


@router.get("/ledger/chart.png", name="ledger_chart", include_in_schema=True)
def chart(
    request: Request,
    month: str = Query(..., description="月份，如 2026-07"),
    user: WebUser = Depends(require_staff),
) -> Response:
    """某月各支部活动次数图（固定按乡镇、村排序，不排名）。"""
    member = user.member
    parsed = _month(request, month)
    if parsed is None:
        raise HTTPException(status_code=422, detail=messages.BAD_MONTH)
    rows = web(request).services.reports.query(member, month=parsed)
    title = chat_messages.CHART_TITLE.format(scope=member.township or "全县", month=parsed)
    data = ledger_chart(
        rows, title=title, accounts=web(request).services.accounts, township=member.township
    )
    if data is None:
        raise HTTPException(status_code=503, detail=chat_messages.NO_CJK_FONT)
    return Response(data, media_type="image/png")
