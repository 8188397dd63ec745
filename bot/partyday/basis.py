"""The article that requires a monthly Party day, quoted from the knowledge base — or nothing.

Never written into the code: if the county's knowledge base has no such regulation, reminders
go out without a 依据 line rather than with an invented one.
"""

from __future__ import annotations

import logging
import re

from bot.partyday.planner import Basis
from bot.qa.answer import citation
from bot.qa.retriever import IndexEmptyError, IndexMismatchError, Retriever
from ingest.metadata import REGULATION

log = logging.getLogger(__name__)

KEYWORD = "主题党日"
_SENTENCES = re.compile(r"[^。；\n]*[。；]?")


def find_basis(retriever: Retriever, query: str) -> Basis | None:
    try:
        retrieval = retriever.search(query, k=5)
    except (IndexEmptyError, IndexMismatchError):
        log.warning("knowledge base unavailable; reminders go out without the quoted article")
        return None
    for passage in retrieval.passages:
        if passage.kind != REGULATION or not passage.article or KEYWORD not in passage.text:
            continue
        sentence = next(s for s in _SENTENCES.findall(passage.text) if KEYWORD in s)
        return Basis(citation(passage), sentence.strip())
    return None
