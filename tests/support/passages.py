"""Passages as the retriever returns them, for tests of how an answer is judged and shown."""

from __future__ import annotations

from bot.qa.passages import Passage


def regulation_passage(text: str, *, title: str, chunk_id: str = "c1") -> Passage:
    """A passage of a regulation titled `title` whose heading is the title alone."""
    return Passage(
        chunk_id=chunk_id,
        title=title,
        source=f"{title}.md",
        kind="regulation",
        heading=title,
        text=text,
        score=1.0,
    )
