"""Reports go into the vector index on one background thread, after the reply has gone:
embedding never sits on the 确认 path, whichever channel the 确认 came from."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class BackgroundIndexer:
    def __init__(self, index_pending: Callable[[], int]) -> None:
        self._index_pending = index_pending
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False

    def poke(self) -> None:
        """Index what is pending soon; returns at once. Pokes during a run make one more run."""
        with self._lock:
            if self._closed:
                return
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._loop, name="report-indexer", daemon=True
                )
                self._thread.start()
        self._wanted.set()

    def close(self, timeout: float = 30.0) -> None:
        """Finish the run under way (what is left stays pending for the periodic job)."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._wanted.set()
        if thread is not None:
            thread.join(timeout)

    def _loop(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            if self._closed:
                return
            try:
                self._index_pending()
            except Exception:  # the reports stay pending; the periodic job retries them
                log.warning("indexing reports failed", exc_info=True)
