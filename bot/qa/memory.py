"""Answers remembered in the database: what 查看原文 shows, what 👍/👎 records and what a
follow-up ("那第十一条呢") refers to, for any channel, across restarts. The key a button
carries is the row id, honoured only in its chat."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from bot.db import answers as db
from bot.db.models import RememberedAnswer
from bot.qa.answer import Answer, citation
from bot.qa.intents import Intent, classify
from bot.qa.retriever import Passage
from bot.qa.unanswered import UnansweredQuestions

# how long a follow-up question still refers to the chat's previous answer
FOLLOW_UP_WINDOW = timedelta(minutes=30)


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
        # refusals, low-confidence answers and 没用: the admin's to-do list
        self.unanswered = UnansweredQuestions(session_factory=session_factory, clock=clock)

    def remember(self, chat: str, answer: Answer) -> int:
        sources = [
            {
                "chunk_id": p.chunk_id,
                "citation": citation(p),
                "passage": _passage_json(p),
                "shown": number < answer.shown,
            }
            for number, p in enumerate(answer.sources)
        ]
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

    def last(self, chat: str) -> Answer | None:
        """The chat's previous answer, as context for a follow-up: the newest that quoted
        something, unless a question asked since found nothing — then that refusal (下一条
        after it must not bring back an older question's articles). Small talk is skipped."""
        with self._sessions() as session:
            rows = db.get_recent_answers(
                session=session, chat=chat, since=self._clock() - FOLLOW_UP_WINDOW, limit=10
            )
            for row in rows:
                stored = json.loads(row.sources)
                if not stored:
                    if classify(row.question) in (Intent.QUESTION, Intent.TASK):
                        return Answer(row.question, "", refused=True)
                    continue
                if not all("passage" in s for s in stored):  # remembered by an older release
                    return None
                passages = [_passage(s["passage"]) for s in stored]
                shown = sum(1 for s in stored if s.get("shown", True))
                return Answer(row.question, "", refused=False, sources=passages, shown=shown)
            return None


def _passage_json(passage: Passage) -> dict[str, Any]:
    data = asdict(passage)
    data["text"] = data["text"][:2000]  # enough for a follow-up; the section is re-read
    data["issued"] = passage.issued.isoformat() if passage.issued else None
    return data


def _passage(data: dict[str, Any]) -> Passage:
    issued = data.get("issued")
    return Passage(**{**data, "issued": date.fromisoformat(issued) if issued else None})
