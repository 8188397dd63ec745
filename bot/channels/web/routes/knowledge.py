"""知识库 (admin): the documents, uploads with their indexing progress, delete, re-index,
命中测试 — what a question finds, with its scores, and whether it would be refused — and the
questions the knowledge base could not answer, by topic, with their CSV export."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from bot.channels.web import messages
from bot.channels.web.auth import require_admin
from bot.channels.web.context import web
from bot.channels.web.pages import back, flash, render
from bot.channels.web.uploads import UploadJob
from bot.people.logins import WebUser
from bot.qa.hits import HitTest
from bot.qa.library import stop_text
from ingest.guard import KnowledgeFolderError

router = APIRouter(tags=["知识库"])
MB = 1024 * 1024
# a file system name holds 255 bytes; the kept copy's name adds a 22-byte time stamp and may add
# a number to stay beside a namesake
MAX_NAME_BYTES = 200
KINDS = {"regulation": "法规制度", "report": "工作报告", "other": "其他"}


class DocumentOut(BaseModel):
    source: str
    title: str
    kind: str
    issued: date | None
    chunks: int
    articles: int
    ingested_at: datetime | None
    version_note: str | None


class FileProgressOut(BaseModel):
    name: str
    status: str
    message: str


class UploadJobOut(BaseModel):
    id: int
    finished: bool
    files: list[FileProgressOut]
    problems: list[str] = []


class HitOut(BaseModel):
    citation: str
    heading: str
    text: str
    dense: float | None
    keyword: float | None
    fused: float
    chance: float | None


class HitTestOut(BaseModel):
    question: str
    decision: str
    refused: bool
    reason: str | None
    exact: bool
    probability: float | None
    refuse_below: float | None
    confident_above: float | None
    signals: dict[str, float]
    hits: list[HitOut]


class Question(BaseModel):
    question: str = Field(min_length=1, max_length=500)


def _job_out(job: UploadJob, problems: list[str] | None = None) -> UploadJobOut:
    files = [FileProgressOut(name=f.name, status=f.status, message=f.message) for f in job.files]
    return UploadJobOut(id=job.id, finished=job.finished, files=files, problems=problems or [])


def _hits_out(test: HitTest) -> HitTestOut:
    return HitTestOut(
        question=test.question,
        decision=test.decision,
        refused=test.refused,
        reason=test.reason,
        exact=test.exact,
        probability=test.probability,
        refuse_below=test.refuse_below,
        confident_above=test.confident_above,
        signals=test.signals,
        hits=[HitOut(**vars(h)) for h in test.hits],
    )


def _documents(request: Request) -> list[DocumentOut]:
    return [DocumentOut(**vars(d)) for d in web(request).services.library.documents()]


def _hit_test(request: Request, question: str) -> HitTestOut:
    from bot.qa.retriever import IndexEmptyError, IndexMismatchError

    try:
        return _hits_out(web(request).services.qa.hit_test(question))
    except (IndexEmptyError, IndexMismatchError) as exc:
        from bot import messages as chat_messages

        text = chat_messages.INDEX_EMPTY if isinstance(exc, IndexEmptyError) else str(exc)
        raise HTTPException(status_code=409, detail=text) from None


def _accept(request: Request, files: list[UploadFile]) -> tuple[UploadJob | None, list[str]]:
    """Files of a supported type within the size limit go to indexing; the rest are named."""
    library = web(request).services.library
    limit_mb = web(request).settings.max_upload_mb
    accepted, problems = [], []
    for upload in files:
        name = library.safe_name(upload.filename or "upload")
        if not upload.filename:
            continue
        length = len(name.encode())
        if length > MAX_NAME_BYTES:
            short = name[:20] + "…" + name[-8:]
            problems.append(
                messages.UPLOAD_NAME_TOO_LONG.format(
                    name=short, length=length, limit=MAX_NAME_BYTES
                )
            )
            continue
        data = upload.file.read(limit_mb * MB + 1)
        if not library.supported(name):
            problems.append(messages.UPLOAD_TYPE.format(name=name))
        elif len(data) > limit_mb * MB:
            size = (upload.size or len(data)) / MB
            problems.append(messages.UPLOAD_SIZE.format(name=name, size=size, limit=limit_mb))
        else:
            accepted.append((name, data))
    job = web(request).uploads.submit(accepted) if accepted else None
    return job, problems


# -- pages ----------------------------------------------------------------------------------------


@router.get("/knowledge", name="knowledge_page", include_in_schema=False)
def knowledge_page(
    request: Request,
    job: int | None = None,
    q: str = "",
    user: WebUser = Depends(require_admin),
) -> HTMLResponse:
    found = web(request).uploads.get(job) if job is not None else None
    hits = _hit_test(request, q[:500]) if q.strip() else None
    context = {
        "documents": _documents(request),
        "kinds": KINDS,
        "job": _job_out(found) if found else None,
        "question": q,
        "hits": hits,
        "unanswered": web(request).services.answers.unanswered.topics(),
    }
    return render(request, "knowledge.html", context)


@router.get("/knowledge/unanswered.csv", name="unanswered_csv", include_in_schema=False)
def unanswered_csv(request: Request, user: WebUser = Depends(require_admin)) -> Response:
    """The unanswered questions of the last 90 days, one a row (no names: role and channel)."""
    return Response(
        web(request).services.answers.unanswered.csv_text(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="unanswered.csv"'},
    )


@router.post("/knowledge/upload", include_in_schema=False)
def upload_form(
    request: Request,
    files: Annotated[list[UploadFile], File()],
    user: WebUser = Depends(require_admin),
) -> RedirectResponse:
    job, problems = _accept(request, files)
    for problem in problems:
        flash(request, problem, "error")
    if job is None:
        if not problems:
            flash(request, messages.UPLOAD_NONE, "error")
        return back(request, "knowledge_page")
    flash(request, messages.UPLOAD_QUEUED.format(count=len(job.files)))
    return back(request, "knowledge_page", job=str(job.id))


@router.post("/knowledge/delete", include_in_schema=False)
def delete_form(
    request: Request, source: Annotated[str, Form()], user: WebUser = Depends(require_admin)
) -> RedirectResponse:
    removed = web(request).services.library.delete(source)
    text = messages.DELETED if removed else messages.DELETE_MISSING
    flash(request, text.format(source=source), "ok" if removed else "error")
    return back(request, "knowledge_page")


@router.post("/knowledge/reindex", include_in_schema=False)
def reindex_form(request: Request, user: WebUser = Depends(require_admin)) -> RedirectResponse:
    try:
        flash(request, _reindex(request))
    except KnowledgeFolderError as exc:
        flash(request, _stopped(request, exc), "error")
    return back(request, "knowledge_page")


def _stopped(request: Request, exc: KnowledgeFolderError) -> str:
    return stop_text(exc, web(request).services.library.knowledge_dir)


def _reindex(request: Request) -> str:
    """The re-index's outcome; KnowledgeFolderError when it stopped having changed nothing."""
    counts = web(request).uploads.run_now(web(request).services.library.reindex)
    assert isinstance(counts, dict)
    summary = "，".join(
        f"{messages.REINDEX_STATUS.get(status, status)} {n} 个" for status, n in counts.items()
    )
    return messages.REINDEXED.format(summary=summary or "没有文件")


# -- API ------------------------------------------------------------------------------------------


@router.get("/api/documents", response_model=list[DocumentOut])
def list_documents(request: Request, user: WebUser = Depends(require_admin)) -> list[DocumentOut]:
    """知识库中的文件：类型、成文日期、段数、条数、版本说明。"""
    return _documents(request)


@router.post("/api/documents", response_model=UploadJobOut, status_code=202)
def upload_documents(
    request: Request,
    files: Annotated[list[UploadFile], File(description=".docx/.pdf/.txt/.md/.html，可多个")],
    user: WebUser = Depends(require_admin),
) -> UploadJobOut:
    """上传文件，逐个编入知识库；用返回的 id 查询进度。"""
    job, problems = _accept(request, files)
    if job is None:
        raise HTTPException(status_code=400, detail="；".join(problems) or messages.UPLOAD_NONE)
    return _job_out(job, problems)


@router.get("/api/documents/jobs/{job_id}", response_model=UploadJobOut)
def upload_progress(
    request: Request, job_id: int, user: WebUser = Depends(require_admin)
) -> UploadJobOut:
    """上传文件的编入进度（waiting / indexing / done / failed）。"""
    job = web(request).uploads.get(job_id)
    if job is None:
        raise HTTPException(status_code=404)
    return _job_out(job)


@router.delete("/api/documents/{source:path}", status_code=204)
def delete_document(request: Request, source: str, user: WebUser = Depends(require_admin)) -> None:
    """从知识库删除一个文件（连同它的索引）。"""
    if not web(request).services.library.delete(source):
        raise HTTPException(status_code=404)


@router.post("/api/documents/reindex")
def reindex(request: Request, user: WebUser = Depends(require_admin)) -> dict[str, str]:
    """重新索引知识库文件夹（手工放入的文件、缺失的向量）；文件夹不见了或会删掉一半以上的文档时
    停下（409），什么也不删。"""
    try:
        return {"message": _reindex(request)}
    except KnowledgeFolderError as exc:
        raise HTTPException(status_code=409, detail=_stopped(request, exc)) from exc


@router.post("/api/hits", response_model=HitTestOut)
def hit_test(
    request: Request, body: Question, user: WebUser = Depends(require_admin)
) -> HitTestOut:
    """命中测试：一个问题找到哪些段落，各自的向量、关键词和融合得分，以及是否会拒答、为什么。"""
    return _hit_test(request, body.question)
