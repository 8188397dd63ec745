"""Parsing untrusted files in worker processes with a memory cap and a time budget per file.

A .docx, .pdf or .html goes through third-party parsers (lxml, pypdf, BeautifulSoup) whose
worst cases are not ours to bound: a file that makes one of them loop or balloon must fail
alone, not stop the ingest or take the server's memory. Each file borrows a worker: an idle
one, or a new one when all are busy, so a slow file never makes the uploads after it wait
(up to MAX_WORKERS at once). A worker is kept for the next file, and replaced when a file
runs past its budget or kills it. The budget starts once the worker is ready, its parsers
imported: starting a process on a busy machine is not the file's time. Plain text is decoded
in this process (bounded by the file-size limit) unless its bytes are another format.
"""

from __future__ import annotations

import logging
import multiprocessing
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ingest.load_types import sniff
from ingest.loaders import (
    PLAIN_SUFFIXES,
    LoadedText,
    LoadError,
    LoadLimits,
    Progress,
    load_file,
)

log = logging.getLogger(__name__)

# parsing at once (more wait for one to finish); idle workers kept for the next file
MAX_WORKERS = 4
KEEP_IDLE = 2
# a worker has this long to start and import its parsers
START_TIMEOUT_S = 120.0


def _serve(connection: Connection, memory_bytes: int) -> None:
    """The worker's loop: a path in, a LoadedText or a LoadError's fields out."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    import bs4  # noqa: F401  (the parsers, imported before the first file's time starts)
    import docx  # noqa: F401
    import lxml.etree  # noqa: F401
    import pypdf  # noqa: F401

    connection.send(("ready", None))
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


class _Worker:
    def __init__(self, memory_bytes: int) -> None:
        self.memory_bytes = memory_bytes
        context = multiprocessing.get_context("spawn")
        self._connection, child = context.Pipe()
        self._process: Any = context.Process(
            target=_serve, args=(child, memory_bytes), daemon=True, name="partybot-parser"
        )
        self._process.start()
        child.close()
        self.usable = False

    def wait_ready(self, path: Path) -> None:
        try:
            if self._connection.poll(START_TIMEOUT_S) and self._connection.recv()[0] == "ready":
                self.usable = True
                return
        except (EOFError, OSError):
            pass
        self.stop()
        raise LoadError(path, "parser_died", "start")

    def load(self, path: Path, limits: LoadLimits, progress: Progress | None) -> LoadedText:
        """The time budget runs from the request and from each page OCR reports done."""
        try:
            self._connection.send((str(path), limits))
            while True:
                if not self._connection.poll(limits.timeout_s):
                    log.warning(
                        "%s: nothing for %.0f s; stopping its parser", path, limits.timeout_s
                    )
                    self.stop()
                    raise LoadError(path, "timeout", f"{limits.timeout_s:g}")
                status, payload = self._connection.recv()
                if status != "progress":
                    break
                if progress is not None:
                    progress(*payload)
        except (EOFError, OSError, BrokenPipeError) as exc:
            # the worker died on this file (out of memory, or a crash inside a C parser)
            self.stop()
            raise LoadError(path, "parser_died") from exc
        if status == "error":
            reason, detail = payload
            raise LoadError(path, reason, detail)
        loaded: LoadedText = payload
        return loaded

    def stop(self) -> None:
        self.usable = False
        self._connection.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join(timeout=10)


class SandboxedLoader:
    """`load(path)` like `load_file`, with the parsing done in a worker process."""

    def __init__(self, limits: LoadLimits | None = None) -> None:
        self.limits = limits or LoadLimits()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_WORKERS)
        self._idle: list[_Worker] = []

    def load(
        self, path: Path, limits: LoadLimits | None = None, progress: Progress | None = None
    ) -> LoadedText:
        limits = limits or self.limits
        if path.suffix.lower() in PLAIN_SUFFIXES and not _looks_like_a_format(path):
            return load_file(path, limits)
        with self._slots:
            worker = self._borrow(path, limits.memory_bytes)
            try:
                return worker.load(path, limits, progress)
            finally:
                self._give_back(worker)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def _borrow(self, path: Path, memory_bytes: int) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.usable and worker.memory_bytes == memory_bytes:
                    return worker
                worker.stop()
        worker = _Worker(memory_bytes)
        worker.wait_ready(path)
        return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if worker.usable and len(self._idle) < KEEP_IDLE:
                self._idle.append(worker)
                return
        if worker.usable:
            worker.stop()


def _looks_like_a_format(path: Path) -> bool:
    """A .txt whose bytes are a PDF or a zip goes to a worker like any PDF or zip."""
    try:
        with path.open("rb") as handle:
            return sniff(handle.read(64)) is not None
    except OSError:
        return False  # load_file says why it cannot be read
