"""Structure-aware splitting of Chinese regulations and work reports.

Regulations are cut at 编/章/节 headings and `第X条` articles, one article per chunk where it
fits; a long article is cut between its 款 (paragraphs) and 项 (（一）… items) and every piece
keeps the article label. Reports are cut at `一、` / `（一）` / `1.` headings. Every chunk
carries its heading path, which is embedded with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ingest.metadata import (
    ARTICLE_LINE,
    REGULATION,
    detect_issued,
    detect_kind,
    detect_title,
)
from ingest.numerals import parse_number

# bge-small-zh reads 512 tokens, about one token per Chinese character; the heading path is
# embedded too, so the text itself stays well under that.
MAX_CHUNK_CHARS = 400
HEADING_SEPARATOR = " > "

_STRUCTURE_HEADING = re.compile(r"^第[零〇一二三四五六七八九十百千两\d]+([编章节])[\s　]*\S*")
_REPORT_LEVELS = (
    re.compile(r"^[一二三四五六七八九十]+、"),
    re.compile(r"^[（(][一二三四五六七八九十]+[）)]"),
    re.compile(r"^\d{1,2}[\.、．](?!\d)"),
)
_STRUCTURE_LEVEL = {"编": 2, "章": 3, "节": 4}
_INLINE_HEADING_MAX = 40

_sentence_splitter = RecursiveCharacterTextSplitter(
    chunk_size=MAX_CHUNK_CHARS,
    chunk_overlap=0,
    separators=["\n", "。", "；", "，", ""],
    keep_separator="end",
)


@dataclass(frozen=True)
class Chunk:
    text: str
    heading: str
    article: str | None = None
    article_no: int | None = None
    part: int = 1

    @property
    def embed_text(self) -> str:
        return f"{self.heading}\n{self.text}"


@dataclass(frozen=True)
class ParsedDocument:
    title: str
    kind: str
    issued: date | None
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def article_count(self) -> int:
        return len({c.article for c in self.chunks if c.article})


def parse_document(text: str, *, fallback_title: str) -> ParsedDocument:
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line]
    title = detect_title(lines, fallback_title)
    kind = detect_kind(lines, title)
    chunks = list(_split(lines, title=title, regulation=kind == REGULATION))
    return ParsedDocument(title=title, kind=kind, issued=detect_issued(text), chunks=chunks)


def _heading_of(line: str, *, regulation: bool) -> tuple[int, str, bool] | None:
    """(level, heading text, whether the line is a heading only) or None for body text."""
    if line.startswith("#"):
        level = len(line) - len(line.lstrip("#"))
        return level, line[level:].strip(), True
    if regulation:
        match = _STRUCTURE_HEADING.match(line)
        if match and len(line) <= _INLINE_HEADING_MAX and not ARTICLE_LINE.match(line):
            return _STRUCTURE_LEVEL[match.group(1)], line, True
        return None
    for offset, pattern in enumerate(_REPORT_LEVELS):
        if pattern.match(line):
            if len(line) <= _INLINE_HEADING_MAX and not re.search(r"。.", line):
                return 2 + offset, line.rstrip("。"), True
            first_sentence = re.split(r"[。：:]", line, maxsplit=1)[0]
            if len(first_sentence) <= _INLINE_HEADING_MAX:
                return 2 + offset, first_sentence, False
            return 2 + offset, first_sentence[:_INLINE_HEADING_MAX] + "…", False
    return None


def _split(lines: list[str], *, title: str, regulation: bool) -> Iterator[Chunk]:
    path: dict[int, str] = {}
    article: tuple[str, int | None] | None = None
    body: list[str] = []

    def heading_path(extra: str | None = None) -> str:
        parts = [title] + [path[level] for level in sorted(path) if path[level] != title]
        if extra:
            parts.append(extra)
        return HEADING_SEPARATOR.join(parts)

    def flush() -> Iterator[Chunk]:
        if not body:
            return
        if article is not None:
            label, number = article
            yield from _pack(body, heading_path(label), article=label, article_no=number)
        else:
            yield from _pack(body, heading_path())
        body.clear()

    for line in lines:
        if not path and not body and line.lstrip("#").strip() == title:
            continue  # the title line itself; it heads every chunk's path already
        if regulation:
            match = ARTICLE_LINE.match(line)
            if match:
                yield from flush()
                article = (match.group(0), parse_number(match.group(1)))
                body.append(line)
                continue
        heading = _heading_of(line, regulation=regulation)
        if heading is None:
            body.append(line)
            continue
        level, text, heading_only = heading
        yield from flush()
        article = None
        if level == 1 and text == title:
            path.clear()
            continue
        for deeper in [lv for lv in path if lv >= level]:
            del path[deeper]
        path[level] = text
        if not heading_only:
            body.append(line)
    yield from flush()


def _pack(
    paragraphs: list[str],
    heading: str,
    *,
    article: str | None = None,
    article_no: int | None = None,
) -> Iterator[Chunk]:
    """Greedily pack whole paragraphs into chunks; split a too-long paragraph at sentences."""
    pieces: list[str] = []
    for paragraph in paragraphs:
        if len(paragraph) <= MAX_CHUNK_CHARS:
            pieces.append(paragraph)
        else:
            pieces.extend(_sentence_splitter.split_text(paragraph))
    groups: list[list[str]] = [[]]
    size = 0
    for piece in pieces:
        if groups[-1] and size + len(piece) + 1 > MAX_CHUNK_CHARS:
            groups.append([])
            size = 0
        groups[-1].append(piece)
        size += len(piece) + 1
    for number, group in enumerate(groups, start=1):
        yield Chunk(
            text="\n".join(group),
            heading=heading,
            article=article,
            article_no=article_no,
            part=number,
        )
