"""Extractive answers: the best passages quoted verbatim, each with its citation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cn2an

from bot import messages
from bot.index.tokenize import tokenize
from bot.qa.retriever import Passage, Retrieval
from ingest.metadata import REGULATION
from ingest.splitter import HEADING_SEPARATOR

EXCERPT_CHARS = 160
ARTICLE_CHARS = 600
MAX_QUOTED = 3
# Passages scoring below this share of the best one are not worth a phone screen.
RELATIVE_CUTOFF = 0.6
_SENTENCE_END = re.compile(r"(?<=[。；！？\n])")


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    refused: bool
    sources: list[Passage] = field(default_factory=list)
    generated: bool = False
    # "high": quotes that answer it; "low": related passages, no direct answer found
    confidence: str = "high"
    # why nothing was quoted: not_found | missing_document | missing_article | which_document |
    # small_talk | task | empty | too_long
    reason: str | None = None

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "question": self.question,
            "answer": self.text,
            "refused": self.refused,
        }
        if self.refused:
            data["reason"] = self.reason or "not_found"
        else:
            data["confidence"] = self.confidence
        data["sources"] = [
            {
                "title": p.title,
                "source": p.source,
                "article": p.article,
                "heading": p.heading,
                "text": p.text,
                "score": p.score,
            }
            for p in self.sources[:5]
        ]
        return data


def citation(passage: Passage) -> str:
    """《文件》第X条 for regulations; 《文件》 and the section path for reports."""
    if passage.kind == REGULATION and passage.article:
        label = f"《{passage.title}》{passage.article}"
    else:
        sections = passage.heading.split(HEADING_SEPARATOR)[1:]
        label = f"《{passage.title}》" + (" ".join(sections) if sections else "")
    if passage.version_note:
        label += messages.ANSWER_VERSION.format(version=passage.version_note)
    return label


def excerpt(text: str, question: str, limit: int = EXCERPT_CHARS) -> str:
    """A verbatim window of `text` around the sentence that shares most words with the question."""
    flat = text.strip()
    if len(flat) <= limit:
        return flat
    sentences = [s for s in _SENTENCE_END.split(flat) if s]
    words = set(tokenize(question))
    best = max(range(len(sentences)), key=lambda i: len(words & set(tokenize(sentences[i]))))
    start = best
    # Keep the article label or heading sentence when the window starts right after it.
    if best == 1 and len(sentences[0]) < 30:
        start = 0
    window = ""
    end = start
    while end < len(sentences) and len(window) + len(sentences[end]) <= limit:
        window += sentences[end]
        end += 1
    if not window:
        window = sentences[start][:limit]
        end = start + 1
    prefix = "……" if start > 0 else ""
    suffix = "……" if end < len(sentences) or len(window) < len(sentences[start]) else ""
    return prefix + window.strip() + suffix


def refusal(question: str, retrieval: Retrieval) -> Answer:
    """A refusal that says what is missing: the document by name, the article past its end."""
    reason = retrieval.reason or "not_found"
    if reason == "missing_document":
        text = messages.MISSING_DOCUMENT.format(title=retrieval.document)
    elif reason == "missing_article":
        text = messages.MISSING_ARTICLE.format(
            title=retrieval.document,
            number=_chinese(retrieval.article),
            count=_chinese(retrieval.last_article),
        )
        if retrieval.last_article is None:
            text = messages.MISSING_ARTICLE_NO_ARTICLES.format(
                title=retrieval.document, number=_chinese(retrieval.article)
            )
    elif reason == "which_document":
        text = messages.WHICH_DOCUMENT.format(number=_chinese(retrieval.article))
    elif retrieval.verdict.no_rule:
        text = _no_rule(retrieval)
    else:
        text = messages.NO_ANSWER
    return Answer(question, text, refused=True, reason=reason)


def _no_rule(retrieval: Retrieval) -> str:
    """知识库里没有关于“X”的规定, what it holds nearest, and that the admin can add it."""
    verdict = retrieval.verdict
    lines = [messages.NO_RULE_CONCEPT.format(concept=verdict.concept, fact=verdict.fact or "")]
    if verdict.nearest:
        titles = "、".join(f"《{title}》" for title in verdict.nearest)
        lines.append(messages.NO_RULE_NEAREST.format(titles=titles))
    lines.append(messages.NO_RULE_ADMIN)
    return "\n".join(lines)


def _chinese(number: int | None) -> str:
    return cn2an.an2cn(number) if number is not None else ""


def extractive_answer(
    question: str, passages: list[Passage], *, exact: bool, confidence: str = "high"
) -> Answer:
    if not passages:
        return Answer(question=question, text=messages.NO_ANSWER, refused=True, reason="not_found")
    if exact:
        body = "\n".join(p.text for p in passages)
        if len(body) > ARTICLE_CHARS:
            body = body[:ARTICLE_CHARS] + "……"
        header = messages.ANSWER_ARTICLE_HEADER.format(citation=citation(passages[0]))
        return Answer(question, f"{header}\n{body}", refused=False, sources=passages)
    top = passages[0].score
    quoted = [passages[0]] + [p for p in passages[1:] if p.score >= RELATIVE_CUTOFF * top]
    quoted = quoted[:MAX_QUOTED]
    header = messages.ANSWER_HEADER if confidence == "high" else messages.ANSWER_LOW_HEADER
    blocks = [header]
    for number, passage in enumerate(quoted, start=1):
        blocks.append(f"{number}. {citation(passage)}\n「{excerpt(passage.text, question)}」")
    return Answer(
        question, "\n\n".join(blocks), refused=False, sources=passages, confidence=confidence
    )
