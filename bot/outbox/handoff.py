"""Telling an outbox the moment a message leaves for the network.

A reminder row is claimed before it is sent, and may then wait in the bot's rate limiter for
a second or more. If the process dies in that wait the message never left, and sending it
again later is right; if it dies while the request is on the wire, nobody knows, and sending it
again could nag someone twice. So the channel calls the hook set here right before the request
goes out (after the rate limiter's wait), and the outbox records that moment. A hook that
answers False (another process took the row back) stops the request.
"""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable, Iterator
from contextvars import ContextVar

Handoff = Callable[[], Awaitable[bool]]

_current: ContextVar[Handoff | None] = ContextVar("handoff", default=None)


class HandoffRefused(Exception):
    """The outbox no longer wants this message sent by this process."""


@contextlib.contextmanager
def handing_off(hook: Handoff) -> Iterator[None]:
    token = _current.set(hook)
    try:
        yield
    finally:
        _current.reset(token)


async def hand_off() -> None:
    """Called by a channel right before the request leaves; raises HandoffRefused to stop it."""
    hook = _current.get()
    if hook is None:
        return
    _current.set(None)  # once per message, even when the limiter retries the request
    if not await hook():
        raise HandoffRefused
