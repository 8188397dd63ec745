"""The knowledge page's upload queue: a slow file never holds up the uploads behind it."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.channels.web.uploads import UploadJobs
from bot.qa.library import LibraryService, UploadResult


def test_a_slow_upload_does_not_hold_up_the_next(make_kb, knowledge_dir: Path) -> None:
    kbase = make_kb()

    library = LibraryService(
        ingestor=kbase.ingestor,
        session_factory=kbase.sessions,
        knowledge_dir=knowledge_dir,
        uploads_dir=knowledge_dir / "uploads",
        clock=lambda: datetime.now(UTC),
    )
    release = threading.Event()
    real_add = library.add_upload

    def add_upload(name: str, data: bytes) -> UploadResult:
        if name.startswith("slow"):
            assert release.wait(30), "the slow upload was never released"
        return real_add(name, data)

    library.add_upload = add_upload  # type: ignore[method-assign]
    jobs = UploadJobs(library)
    try:
        slow = jobs.submit([("slow.md", "# 慢\n\n第一条　慢。\n".encode())])
        quick = jobs.submit([("quick.md", "# 快\n\n第一条　党员应当按期交纳党费。\n".encode())])
        for _ in range(300):
            if quick.finished:
                break
            time.sleep(0.1)
        assert quick.finished and quick.files[0].status == "done", quick
        assert not slow.finished
        release.set()
        jobs.run_now(lambda: None)  # waits for every upload accepted so far
        assert slow.finished and slow.files[0].status == "done", slow
    finally:
        release.set()
        jobs.close()
