"""Laying answers out for a phone, within Telegram's limits."""

from __future__ import annotations

MESSAGE_LIMIT = 4096


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split at blank lines (between quoted passages), then at lines; hard cuts last."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for block in _pieces(text, limit):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate) <= limit:
            current = candidate
        else:
            if current:
                parts.append(current)
            current = block
    if current:
        parts.append(current)
    return parts


def _pieces(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for block in text.split("\n\n"):
        if len(block) <= limit:
            pieces.append(block)
            continue
        line_group = ""
        for line in block.split("\n"):
            while len(line) > limit:  # a single enormous line: hard cut is the only option
                pieces.append(line[:limit])
                line = line[limit:]
            candidate = f"{line_group}\n{line}" if line_group else line
            if len(candidate) <= limit:
                line_group = candidate
            else:
                pieces.append(line_group)
                line_group = line
        if line_group:
            pieces.append(line_group)
    return pieces
