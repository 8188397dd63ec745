"""What the retriever keeps of each document: its versions (an older issue is superseded by a
newer one of the same title) and its last article number (an article past it is refused)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.db import knowledge as kb


@dataclass(frozen=True)
class DocInfo:
    id: int
    title: str
    title_key: str
    source: str
    kind: str
    issued: date | None
    superseded: bool
    has_versions: bool
    last_article: int | None


def load_docs(session: Session) -> dict[int, DocInfo]:
    documents = kb.list_documents(session=session)
    last_articles = kb.last_article_numbers(session=session)
    newest: dict[str, date] = {}
    counts: dict[str, int] = {}
    for doc in documents:
        counts[doc.title_key] = counts.get(doc.title_key, 0) + 1
        if doc.issued and (doc.title_key not in newest or doc.issued > newest[doc.title_key]):
            newest[doc.title_key] = doc.issued
    infos = {}
    for doc in documents:
        latest = newest.get(doc.title_key)
        superseded = bool(doc.issued and latest and doc.issued < latest)
        infos[doc.id] = DocInfo(
            id=doc.id,
            title=doc.title,
            title_key=doc.title_key,
            source=doc.source,
            kind=doc.kind,
            issued=doc.issued,
            superseded=superseded,
            has_versions=counts[doc.title_key] > 1,
            last_article=last_articles.get(doc.id),
        )
    return infos
