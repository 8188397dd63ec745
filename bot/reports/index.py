"""Confirmed reports in the vector index, as their own collection, with their facts as metadata.

Questions that name a month, village or type filter the ledger table directly; this index
answers the free-text rest (“哪些村搞过人居环境整治？”) within the asker's scope.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.index.embeddings import NamedEmbeddings
from bot.index.vectors import VectorStore
from bot.people.accounts import Member
from bot.people.scope import scope_of, vector_where
from bot.reports.rows import ReportRow

log = logging.getLogger(__name__)

COLLECTION = "partybot_reports"
# Below this cosine similarity a report is not about the question, nor below this share of the
# best hit's (measured with the bundled USE encoder: relevant 0.28-0.30, unrelated 0.11).
MIN_SIMILARITY = 0.2
RELATIVE_CUTOFF = 0.6


def report_text(row: ReportRow) -> str:
    theme = f"“{row.theme}”" if row.theme else ""
    return f"{row.village} {row.activity_date:%Y年%m月%d日} {row.type}{theme}：{row.summary}"


class ReportIndex:
    def __init__(self, *, vectors: VectorStore, embeddings: NamedEmbeddings) -> None:
        self._vectors = vectors
        self._embeddings = embeddings

    def add(self, row: ReportRow) -> None:
        self.add_many([row])

    def add_many(self, rows: list[ReportRow]) -> None:
        """Embed the reports in one batch and upsert them."""
        if not rows:
            return
        metadatas: list[dict[str, Any]] = [
            {
                "report_id": row.id,
                "village": row.village,
                "township": row.township or "",
                "type": row.type,
                "month": f"{row.activity_date:%Y-%m}",
            }
            for row in rows
        ]
        vectors = self._embeddings.embed_documents([report_text(row) for row in rows])
        self._vectors.add([f"report-{row.id}" for row in rows], vectors, metadatas)

    def clear(self) -> None:
        self._vectors.reset()

    def remove(self, report_id: int) -> None:
        self._vectors.delete([f"report-{report_id}"])

    def search(self, question: str, viewer: Member, k: int = 10) -> list[int]:
        """Ids of the reports closest to the question that the viewer may see."""
        where = vector_where(scope_of(viewer))
        hits = self._vectors.query(self._embeddings.embed_query(question), k, where=where)
        if not hits:
            return []
        floor = max(MIN_SIMILARITY, RELATIVE_CUTOFF * hits[0].similarity)
        return [int(h.id.removeprefix("report-")) for h in hits if h.similarity >= floor]
