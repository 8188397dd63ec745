"""Documents uploaded on the knowledge page are indexed on a few background threads, so one slow
file never holds up the uploads behind it (the ingest itself serialises what must not overlap);
the page shows each file's progress (waiting → indexing → the outcome) as it goes."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field

from bot.channels.web import messages as web_messages
from bot.qa.library import LibraryService, UploadResult, upload_text

log = logging.getLogger(__name__)
# jobs remembered for the progress page (this process only; the documents are in the database)
KEEP_JOBS = 50
# uploads parsed at once: each file's parser is a worker process of its own (ingest/sandbox.py)
UPLOAD_THREADS = 4


@dataclass
class FileProgress:
    name: str
    status: str = "waiting"  # waiting | indexing | done | failed
    message: str = ""


@dataclass
class UploadJob:
    id: int
    files: list[FileProgress] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return all(f.status in ("done", "failed") for f in self.files)


class UploadJobs:
    def __init__(self, library: LibraryService) -> None:
        self._library = library
        self._jobs: dict[int, UploadJob] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._workers = ThreadPoolExecutor(max_workers=UPLOAD_THREADS, thread_name_prefix="upload")
        self._pending: set[Future[None]] = set()

    def submit(self, files: list[tuple[str, bytes]]) -> UploadJob:
        with self._lock:
            job = UploadJob(next(self._ids), [FileProgress(name) for name, _ in files])
            self._jobs[job.id] = job
            for old in sorted(self._jobs)[:-KEEP_JOBS]:
                del self._jobs[old]
        for progress, (name, data) in zip(job.files, files, strict=True):
            future = self._workers.submit(self._index, progress, name, data)
            with self._lock:
                self._pending.add(future)
            future.add_done_callback(self._forget)
        return job

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._pending.discard(future)

    def get(self, job_id: int) -> UploadJob | None:
        with self._lock:
            return self._jobs.get(job_id)

    def _index(self, progress: FileProgress, name: str, data: bytes) -> None:
        progress.status = "indexing"
        try:
            result: UploadResult = self._library.add_upload(name, data)
        except Exception:
            log.exception("indexing an upload failed")
            progress.status, progress.message = "failed", web_messages.UPLOAD_CRASHED
            return
        failed = result.outcome.status == "failed"
        progress.status = "failed" if failed else "done"
        progress.message = upload_text(name, result)

    def run_now(self, fn: Callable[[], object]) -> object:
        """Work that comes after every upload accepted so far (re-indexing everything): wait
        for them, then run it here."""
        with self._lock:
            pending = list(self._pending)
        wait(pending)
        return fn()

    def close(self) -> None:
        self._workers.shutdown(wait=False, cancel_futures=True)
