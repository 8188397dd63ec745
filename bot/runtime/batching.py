"""Writes batched across callers: under a burst, the items many coroutines submit in the same
pass of the event loop go to the database in one statement instead of one each. A caller alone
is written at once: batching adds no wait."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

# rows per statement: well under SQLite's and PostgreSQL's limits on bound parameters
MAX_BATCH = 200


class AsyncBatcher(Generic[Item, Result]):
    """`await submit(item)` on one event loop; `write(items)` runs on a worker thread, one batch
    at a time, with everything submitted until it starts."""

    def __init__(
        self, write: Callable[[Sequence[Item]], Sequence[Result]], *, max_batch: int = MAX_BATCH
    ) -> None:
        self._write = write
        self._max_batch = max_batch
        self._queue: list[tuple[Item, asyncio.Future[Result]]] = []
        self._worker: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._queue.append((item, future))
        if self._worker is None or self._worker.done():
            self._worker = asyncio.create_task(self._drain())
        return await future

    async def _drain(self) -> None:
        await asyncio.sleep(0)  # the other updates of this pass of the loop join the batch
        while self._queue:
            batch, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
            try:
                results = await asyncio.to_thread(self._write, [item for item, _ in batch])
                if len(results) != len(batch):
                    raise RuntimeError(f"{len(results)} results for {len(batch)} items")
            except asyncio.CancelledError:  # the loop is shutting down: so are the callers
                for _, future in batch:
                    future.cancel()
                raise
            except Exception as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)
