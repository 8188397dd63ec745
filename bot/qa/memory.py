"""Answers remembered in the database: what 查看原文 shows and what 👍/👎 records, for any
channel, across restarts. The key a button carries is the row id, honoured only in its chat."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.db import answers as db
from bot.db.models import RememberedAnswer
from bot.qa.answer import Answer, citation


@dataclass(frozen=True)
class Recalled:
    question: str
    # (chunk id, citation) of each quoted passage, in the order shown
    sources: list[tuple[str, str]]


class AnswerMemory:
    def __init__(
        self, *, session_factory: sessionmaker[Session], clock: Callable[[], datetime]
    ) -> None:
        self._sessions = session_factory
        self._clock = clock

    def remember(self, chat: str, answer: Answer) -> int:
        sources = [{"chunk_id": p.chunk_id, "citation": citation(p)} for p in answer.sources]
        row = RememberedAnswer(
            chat=chat,
            question=answer.question,
            sources=json.dumps(sources, ensure_ascii=False),
            created_at=self._clock(),
        )
        with self._sessions() as session, session.begin():
            return db.create_answer(session=session, answer=row)

    def recall(self, chat: str, answer_id: int) -> Recalled | None:
        with self._sessions() as session:
            row = db.get_answer(session=session, answer_id=answer_id, chat=chat)
            if row is None:
                return None
            sources = [(str(s["chunk_id"]), str(s["citation"])) for s in json.loads(row.sources)]
            return Recalled(row.question, sources)
