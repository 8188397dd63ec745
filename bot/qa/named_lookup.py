"""What a question naming an article or a chapter gets: the article's (or articles') passages
as they stand, the chapter's, or a refusal that says what is missing — 知识库中没有《…》 (with
the held document the name is near), 共五十五条，没有第六十条 — or asks back which document
(with those that have the article). Never another document's article."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from sqlalchemy.orm import Session, sessionmaker

from bot.db import knowledge as kb
from bot.db.models import KnowledgeChunk
from bot.qa.doc_info import DocInfo
from bot.qa.documents import ArticleRequest, Mention, PartRequest
from bot.qa.passages import Context, Passage, Retrieval
from ingest.splitter import HEADING_SEPARATOR

# a heading's own number (第三章, 第一编) before its name
_NUMBERED = re.compile(r"^第[零〇一二三四五六七八九十百千\d]+[章编节]")


class NamedLookup:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        passage: Callable[[KnowledgeChunk, float], Passage],
        search_in: Callable[[str, int, int], Retrieval],
    ) -> None:
        """`passage`: a chunk as a passage; `search_in(text, k, document_id)`: the hybrid
        search within one document (for one without numbered articles)."""
        self._sessions = sessions
        self._passage = passage
        self._search_in = search_in

    def article(
        self,
        request: ArticleRequest,
        context: Context | None,
        docs: Mapping[int, DocInfo],
        k: int,
    ) -> Retrieval:
        found = self._document(request.mention, context, docs, request.number)
        if isinstance(found, Retrieval):
            return found
        doc = docs[found]
        if doc.last_article is None:  # a document without numbered articles: search in it
            return self._search_in(request.text, k, found)
        passages: list[Passage] = []
        with self._sessions() as session:
            for number in request.numbers or (request.number,):
                rows = kb.find_article_chunks(session=session, document_id=found, article_no=number)
                if not rows and not passages:  # the first asked is past the end
                    break
                passages += [self._passage(row, 1.0) for row in rows]
        if not passages:
            return Retrieval(
                [],
                True,
                reason="missing_article",
                document=doc.title,
                article=request.number,
                last_article=doc.last_article,
            )
        return Retrieval(passages[: max(k, len(passages))], False, exact=True)

    def part(
        self, request: PartRequest, context: Context | None, docs: Mapping[int, DocInfo]
    ) -> Retrieval | None:
        """The chunks of 第三章 (总纲, 附则) of the document named; None when it has no such
        part (then the question is searched as any other)."""
        found = self._document(request.mention, context, docs, None, part=request.part)
        if isinstance(found, Retrieval):
            return found
        with self._sessions() as session:
            rows = kb.document_chunks(session=session, document_id=found)
            passages = []
            heading = None
            for row in rows:
                part = _part(row.heading, request.part)
                if part is not None:
                    heading = heading or part
                    passages.append(self._passage(row, 1.0))
        if not passages:
            return None
        return Retrieval(passages, False, exact=True, part=heading)

    def _document(
        self,
        mention: Mention | None,
        context: Context | None,
        docs: Mapping[int, DocInfo],
        number: int | None,
        *,
        part: str | None = None,
    ) -> int | Retrieval:
        """The document asked about, or why none can be: one several names fit (asked back
        unless the conversation's document is one of them), one not held, none named."""
        of_context = context.document_id if context is not None else None
        if mention is not None and mention.ambiguous:  # 条例第十条: one of several documents
            ids = [e.document_id for e in mention.choices if e.document_id is not None]
            if of_context is not None and of_context in ids:
                return of_context
            return which_document(docs, ids, number, part)
        if mention is not None and not mention.indexed:
            return missing_document(mention, number)
        if mention is not None and mention.entry is not None:
            assert mention.entry.document_id is not None
            return mention.entry.document_id
        if of_context is not None and of_context in docs:
            return of_context
        return which_document(docs, list(docs), number, part)


def missing_document(mention: Mention, number: int | None) -> Retrieval:
    """知识库中没有《…》, and the document it holds that the name is near, if one."""
    near = [e.title for e in mention.choices] if mention.entry is None else []
    title = mention.title
    return Retrieval(
        [], True, reason="missing_document", document=title, article=number, choices=near
    )


def which_document(
    docs: Mapping[int, DocInfo], ids: Sequence[int], number: int | None, part: str | None
) -> Retrieval:
    """第十条 of no named document: asked back, with the documents that have a 第十条."""
    titles = [
        d.title
        for d in docs.values()
        if d.id in ids and not d.superseded and number and (d.last_article or 0) >= number
    ]
    return Retrieval([], True, reason="which_document", article=number, choices=titles, part=part)


def _part(path: str, asked: str) -> str | None:
    """The heading in `path` that is the part asked (第三章　党的中央组织 for 第三章, 第十章
    附则 for 附则), tidied; None when the chunk lies elsewhere."""
    for heading in path.split(HEADING_SEPARATOR)[1:]:
        compact = "".join(heading.split())
        if compact.startswith(asked) or _NUMBERED.sub("", compact) == asked:
            spaced = " ".join(heading.replace("\u3000", " ").split())
            return compact if len(compact) <= 3 else spaced  # 总纲, not 总 纲
    return None
