"""AsyncBatcher: what is submitted in one pass of the event loop is written in one call; update
ids claimed that way."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from bot.people.accounts import AccountService
from bot.runtime.batching import AsyncBatcher


class Writer:
    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[list[str]] = []
        self.fail_on = fail_on

    def __call__(self, items: Sequence[str]) -> list[str]:
        self.calls.append(list(items))
        if self.fail_on in items:
            raise RuntimeError("the database is down")
        return [item.upper() for item in items]


def test_a_burst_is_one_write_and_each_caller_gets_its_own_result() -> None:
    writer = Writer()
    batcher = AsyncBatcher(writer)

    async def burst() -> list[str]:
        return await asyncio.gather(*(batcher.submit(f"u{n}") for n in range(50)))

    assert asyncio.run(burst()) == [f"U{n}" for n in range(50)]
    assert writer.calls == [[f"u{n}" for n in range(50)]]


def test_a_caller_alone_is_written_at_once_and_later_ones_in_a_new_batch() -> None:
    writer = Writer()
    batcher = AsyncBatcher(writer)

    async def one_by_one() -> list[str]:
        return [await batcher.submit("a"), await batcher.submit("b")]

    assert asyncio.run(one_by_one()) == ["A", "B"]
    assert writer.calls == [["a"], ["b"]]


def test_items_past_the_batch_size_go_in_the_next_write() -> None:
    writer = Writer()
    batcher = AsyncBatcher(writer, max_batch=4)

    async def burst() -> list[str]:
        return await asyncio.gather(*(batcher.submit(str(n)) for n in range(10)))

    assert asyncio.run(burst()) == [str(n) for n in range(10)]
    assert [len(call) for call in writer.calls] == [4, 4, 2]


def test_a_failed_write_reaches_every_caller_of_its_batch_and_the_next_batch_is_written() -> None:
    writer = Writer(fail_on="bad")
    batcher = AsyncBatcher(writer)

    async def scenario() -> tuple[list[object], str]:
        failed = await asyncio.gather(
            batcher.submit("x"), batcher.submit("bad"), return_exceptions=True
        )
        return failed, await batcher.submit("y")

    failed, after = asyncio.run(scenario())
    assert all(isinstance(outcome, RuntimeError) for outcome in failed)
    assert after == "Y"


def test_a_write_with_too_few_results_fails_loudly() -> None:
    batcher = AsyncBatcher(lambda items: [])

    async def scenario() -> str:
        return await batcher.submit("a")

    with pytest.raises(RuntimeError, match="0 results for 1 items"):
        asyncio.run(scenario())


def test_update_ids_claimed_together_are_each_handled_once(sessions) -> None:
    """A redelivery arriving in the same batch as its original, or in a later one, is refused."""
    accounts = AccountService(session_factory=sessions, clock=lambda: datetime.now(UTC))
    assert accounts.claim_updates([1, 2, 1, 3], channel="telegram") == [True, True, False, True]
    assert accounts.claim_updates([3, 4], channel="telegram") == [False, True]
    assert accounts.claim_updates([4], channel="wecom") == [True]  # ids are per channel
    assert accounts.claim_updates([], channel="telegram") == []
