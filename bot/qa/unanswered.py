"""Unanswered questions, the admin's to-do list: every refusal for lack of a rule, every answer
with related passages only, and every 没用, kept with its time, the asker's role and channel —
never who asked. The 知识库 page lists the most frequent ones by topic (the document a refusal
named, or the nearest document found) and exports them as CSV."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from bot import messages
from bot.db import unanswered as db
from bot.db.models import UnansweredQuestion
from bot.qa.answer import Answer

# refusals that mean the knowledge base lacks something (not small talk, not a follow-up)
RECORDED_REFUSALS = frozenset({"not_found", "missing_document", "missing_article"})
LOW = "low"
UNHELPFUL = "unhelpful"
GUEST = "guest"
SHOWN_DAYS = 90
SHANGHAI = ZoneInfo("Asia/Shanghai")
QUESTIONS_PER_TOPIC = 10
_TITLE = re.compile(r"《([^》]+)》")
_NOISE = re.compile(r"[\s，。！？!?,.~～…、；;：:“”\"'（）()]+")


@dataclass(frozen=True)
class Topic:
    name: str
    count: int
    nearest: list[str]
    # (question as first asked, times asked), most asked first
    questions: list[tuple[str, int]]


Names = Callable[[], Iterable[str]]


def without_names(question: str, names: Iterable[str]) -> str:
    """A person's name typed into a question (我是张建国，…) never reaches the list."""
    for name in sorted({n for n in names if len(n) >= 2}, key=len, reverse=True):
        question = question.replace(name, messages.UNANSWERED_NAME)
    return question


def reason_to_record(answer: Answer) -> str | None:
    if answer.refused:
        return answer.reason if answer.reason in RECORDED_REFUSALS else None
    return LOW if answer.confidence == LOW else None


class UnansweredQuestions:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        timezone: ZoneInfo = SHANGHAI,
    ) -> None:
        self._sessions = session_factory
        self._clock = clock
        self._timezone = timezone

    def record_answer(
        self, answer: Answer, *, role: str, channel: str, names: Names = tuple
    ) -> bool:
        """Keeps the question when its answer is a refusal for lack of a rule or low-confidence.
        `names`: the people's names to blank out of the question (read only when kept)."""
        reason = reason_to_record(answer)
        if reason is None:
            return False
        nearest = answer.nearest or [p.title for p in answer.sources]
        question = without_names(answer.question, names())
        self.record(question, reason=reason, role=role, channel=channel, nearest=nearest)
        return True

    def record_unhelpful(
        self, question: str, citations: list[str], *, role: str, channel: str, names: Names = tuple
    ) -> None:
        titles = [m.group(1) for c in citations if (m := _TITLE.search(c))]
        question = without_names(question, names())
        self.record(question, reason=UNHELPFUL, role=role, channel=channel, nearest=titles)

    def record(
        self, question: str, *, reason: str, role: str, channel: str, nearest: list[str]
    ) -> None:
        titles = list(dict.fromkeys(nearest))[:3]
        row = UnansweredQuestion(
            question=question[:500],
            reason=reason,
            role=role,
            channel=channel,
            topic=(titles[0] if titles else messages.UNANSWERED_NO_TOPIC)[:512],
            nearest=json.dumps(titles, ensure_ascii=False),
            created_at=self._clock(),
        )
        with self._sessions() as session, session.begin():
            db.create_unanswered(session=session, question=row)

    def _rows(self, days: int) -> list[UnansweredQuestion]:
        with self._sessions() as session:
            since = self._clock() - timedelta(days=days)
            return list(db.list_unanswered(session=session, since=since))

    def topics(self, *, days: int = SHOWN_DAYS) -> list[Topic]:
        """Topics by how many questions they gathered; in each, the most asked questions."""
        grouped: dict[str, list[UnansweredQuestion]] = {}
        for row in self._rows(days):
            grouped.setdefault(row.topic, []).append(row)
        topics = []
        for name, rows in grouped.items():
            first_wording: dict[str, str] = {}
            counts: Counter[str] = Counter()
            nearest: Counter[str] = Counter()
            for row in rows:
                key = _NOISE.sub("", row.question)
                first_wording.setdefault(key, row.question)
                counts[key] += 1
                nearest.update(json.loads(row.nearest))
            questions = [(first_wording[k], n) for k, n in counts.most_common(QUESTIONS_PER_TOPIC)]
            titles = [title for title, _ in nearest.most_common(3)]
            topics.append(Topic(name, len(rows), titles, questions))
        return sorted(topics, key=lambda t: (-t.count, t.name))

    def csv_text(self, *, days: int = SHOWN_DAYS) -> str:
        """Every unanswered question of the period, one a row, for a spreadsheet (UTF-8 BOM)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(messages.UNANSWERED_CSV_HEADER)
        for row in self._rows(days):
            writer.writerow(
                [
                    row.created_at.astimezone(self._timezone).strftime("%Y-%m-%d %H:%M"),
                    row.question,
                    messages.UNANSWERED_REASONS.get(row.reason, row.reason),
                    messages.UNANSWERED_ROLES.get(row.role, row.role),
                    row.channel,
                    row.topic,
                    "、".join(json.loads(row.nearest)),
                ]
            )
        return "\ufeff" + out.getvalue()
