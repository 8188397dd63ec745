"""`partybot ingest` (and the ingest `partybot start` begins with): what changed, file by file,
and the stops that keep a mistyped or unmounted knowledge folder from emptying the index."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TextIO

from bot import messages
from bot.index.ingest_report import FileOutcome
from bot.index.ingestor import Ingestor
from bot.qa.library import stop_text
from ingest.guard import KnowledgeFolderError

# without a terminal (a service log, cron) a line at least this often, in files and seconds
PROGRESS_EVERY_FILES = 5
PROGRESS_EVERY_S = 10.0


def run_ingest(
    ingestor: Ingestor,
    path: Path | None,
    *,
    prune: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """0 when every file was indexed, 1 when some failed, 2 when the ingest stopped first."""
    out, err = out or sys.stdout, err or sys.stderr
    interactive = err.isatty()

    def on_page(source: str, page: int, total: int) -> None:
        line = messages.INGEST_OCR_PROGRESS.format(source=source, page=page, total=total)
        print(line, file=err, flush=True)

    if not interactive:
        ingestor.on_file = _ProgressLines(err)
    try:
        report = ingestor.ingest(path, prune=prune, progress=interactive, on_page=on_page)
    except KnowledgeFolderError as exc:
        print(stop_text(exc, path or ingestor.knowledge_dir), file=err)
        return 2
    finally:
        ingestor.on_file = None
    if report.rebuilt_for_embedder:
        print(messages.INGEST_REBUILT.format(name=report.rebuilt_for_embedder), file=out)
    for outcome in report.outcomes:
        if outcome.status != "unchanged":
            print(outcome_line(outcome), file=out)
    counts = {status: len(report.with_status(status)) for status in messages.INGEST_STATUS}
    print(messages.INGEST_SUMMARY.format(**counts), file=out)
    return 1 if counts["failed"] else 0


def outcome_line(outcome: FileOutcome) -> str:
    line = f"[{messages.INGEST_STATUS[outcome.status]}] {outcome.source}"
    if outcome.status in ("failed", "skipped"):
        return line + f"：{messages.ingest_reason(outcome.reason, outcome.detail)}"
    if outcome.status == "deleted":
        return line + (f"：《{outcome.title}》" if outcome.title else "")
    line += f"：《{outcome.title}》{outcome.chunks} 段，{outcome.articles} 条"
    if outcome.ocr_pages:
        unreadable = ""
        if outcome.unreadable_pages:
            pages = "、".join(map(str, outcome.unreadable_pages))
            unreadable = messages.INGEST_OCR_UNREADABLE.format(pages=pages)
        line += messages.INGEST_OCR_NOTE.format(pages=outcome.ocr_pages, unreadable=unreadable)
    line += messages.read_as_note(outcome.read_as)
    return line


class _ProgressLines:
    """A line every few files or seconds, and one at the end."""

    def __init__(self, err: TextIO) -> None:
        self._err = err
        self._files = 0
        self._at = time.monotonic()

    def __call__(self, done: int, total: int, outcome: FileOutcome) -> None:
        now = time.monotonic()
        due = done - self._files >= PROGRESS_EVERY_FILES or now - self._at >= PROGRESS_EVERY_S
        if due or done == total:
            line = messages.INGEST_PROGRESS.format(done=done, total=total)
            print(line, file=self._err, flush=True)
            self._files, self._at = done, now
