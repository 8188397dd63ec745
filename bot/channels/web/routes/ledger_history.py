"""A record's history on the web 台账: every confirmed change (a 更正 message, a 修改 button, a
deletion) with who made it and when. Seen by whoever may see the record (bot.people.scope); a record
outside the viewer's scope is answered as one that does not exist."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from bot import messages
from bot.channels.web.auth import require_user
from bot.channels.web.context import web
from bot.channels.web.pages import render
from bot.people.logins import WebUser
from bot.reports.amending import Revision
from bot.reports.rows import ReportRow
from bot.reports.service import FIELD_NAMES

router = APIRouter(tags=["台账"])


class RevisionOut(BaseModel):
    field: str
    field_name: str
    old: str | None
    new: str | None
    changed_by: str
    source: str
    changed_at: datetime


def _visible(request: Request, user: WebUser, report_id: int) -> ReportRow:
    found = web(request).services.reports.rows_by_ids(user.member, [report_id])
    if not found:  # not there, or not theirs to see: the same answer
        raise HTTPException(status_code=404)
    return found[0]


def _history(request: Request, report_id: int) -> list[RevisionOut]:
    services = web(request).services
    names = services.accounts.names()
    return [
        _out(r, names.get(r.user_id, "")) for r in services.reports.amendments.history(report_id)
    ]


def _out(revision: Revision, who: str) -> RevisionOut:
    deleted = revision.field == "deleted"
    return RevisionOut(
        field=revision.field,
        field_name=messages.HISTORY_DELETED
        if deleted
        else FIELD_NAMES.get(revision.field, revision.field),
        old=revision.old,
        new=None if deleted else revision.new,
        changed_by=who,
        source=revision.source,
        changed_at=revision.changed_at,
    )


@router.get("/api/reports/{report_id:int}/history", response_model=list[RevisionOut])
def report_history(
    request: Request, report_id: int, user: WebUser = Depends(require_user)
) -> list[RevisionOut]:
    """一条记录的修改历史（谁、何时、由什么改成什么），最早的在前；看不到的记录返回 404。"""
    _visible(request, user, report_id)
    return _history(request, report_id)


@router.get("/ledger/{report_id:int}/history", name="report_history_page", include_in_schema=False)
def report_history_page(
    request: Request, report_id: int, user: WebUser = Depends(require_user)
) -> HTMLResponse:
    row = _visible(request, user, report_id)
    context = {
        "report": row,
        "title": messages.HISTORY_TITLE.format(id=row.id),
        "revisions": _history(request, report_id),
        "empty": messages.HISTORY_EMPTY,
    }
    return render(request, "history.html", context)
