"""Parsing untrusted files in a worker process with a memory cap and a time budget per file.

A .docx, .pdf or .html goes through third-party parsers (lxml, pypdf, BeautifulSoup) whose
worst cases are not ours to bound: a file that makes one of them loop or balloon must fail
alone, not stop the ingest or take the server's memory. The worker is started once, reused for
every file, and replaced when a file runs past its budget or kills it. Plain text is decoded
in this process (bounded by the file-size limit).
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ingest.loaders import (
    PLAIN_SUFFIXES,
    LoadedText,
    LoadError,
    LoadLimits,
    Progress,
    load_file,
)

log = logging.getLogger(__name__)


def _serve(connection: Connection, memory_bytes: int) -> None:
    """The worker's loop: a path in, a LoadedText or a LoadError's fields out."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    while True:
        try:
            request = connection.recv()
        except EOFError:
            return
        path, limits = request

        def progress(page: int, total: int) -> None:
            connection.send(("progress", (page, total)))

        try:
            connection.send(("ok", load_file(Path(path), limits, progress)))
        except LoadError as exc:
            connection.send(("error", (exc.reason, exc.detail)))
        except MemoryError:
            connection.send(("error", ("parser_died", "memory")))


class SandboxedLoader:
    """`load(path)` like `load_file`, with the parsing done in the worker process."""

    def __init__(self, limits: LoadLimits | None = None) -> None:
        self.limits = limits or LoadLimits()
        self._lock = threading.Lock()
        self._process: Any = None
        self._connection: Connection | None = None
        self._memory = 0

    def load(
        self, path: Path, limits: LoadLimits | None = None, progress: Progress | None = None
    ) -> LoadedText:
        limits = limits or self.limits
        if path.suffix.lower() in PLAIN_SUFFIXES:
            return load_file(path, limits)
        with self._lock:  # one file at a time through the one worker
            return self._load_in_worker(path, limits, progress)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def _load_in_worker(
        self, path: Path, limits: LoadLimits, progress: Progress | None
    ) -> LoadedText:
        """The time budget runs from the request and from each page OCR reports done."""
        connection = self._ensure(limits)
        try:
            connection.send((str(path), limits))
            while True:
                if not connection.poll(limits.timeout_s):
                    log.warning(
                        "%s: nothing for %.0f s; stopping its parser", path, limits.timeout_s
                    )
                    self._stop()
                    raise LoadError(path, "timeout", f"{limits.timeout_s:g}")
                status, payload = connection.recv()
                if status != "progress":
                    break
                if progress is not None:
                    progress(*payload)
        except (EOFError, OSError, BrokenPipeError) as exc:
            # the worker died on this file (out of memory, or a crash inside a C parser)
            self._stop()
            raise LoadError(path, "parser_died") from exc
        if status == "error":
            reason, detail = payload
            raise LoadError(path, reason, detail)
        loaded: LoadedText = payload
        return loaded

    def _ensure(self, limits: LoadLimits) -> Connection:
        alive = self._process is not None and self._process.is_alive()
        if alive and self._connection and self._memory == limits.memory_bytes:
            return self._connection
        self._stop()
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, limits.memory_bytes), daemon=True, name="partybot-parser"
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        self._memory = limits.memory_bytes
        return parent

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join(timeout=10)
            self._process = None
