"""Extractive answers: the best passages quoted verbatim, each with its citation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import cn2an

from bot import messages
from bot.index.tokenize import tokenize
from bot.qa.evidence import Verdict
from bot.qa.predicate import names_predicate
from bot.qa.retriever import Passage, Retrieval
from ingest.metadata import ARTICLE_LINE, REGULATION
from ingest.splitter import HEADING_SEPARATOR

ARTICLE_CHARS = 600
MAX_QUOTED = 3
# Passages scoring below this share of the best one are not worth a phone screen.
RELATIVE_CUTOFF = 0.6
_SENTENCE_END = re.compile(r"(?<=[。；！？\n])")
_CHAPTER = re.compile(r"^第[零〇一二三四五六七八九十百千\d]+章")


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
    # the answering sentence, shown in 「」 in the text (a web page sets it in bold)
    lead: str | None = None
    # how many of `sources` the text quotes (the first ones); the rest are 还有吗's
    shown: int = 0
    # a procedure or list question's steps: (heading, first article, last article) in order
    outline: list[tuple[str, int | None, int | None]] | None = None
    # a refusal's nearest documents (or the one it named), for the unanswered-questions list
    nearest: list[str] = field(default_factory=list)

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
        if self.outline:
            data["outline"] = [
                {"heading": heading, "first": first, "last": last}
                for heading, first, last in self.outline
            ]
        data["sources"] = [
            {
                "title": p.title,
                "source": p.source,
                "article": p.article,
                "heading": p.heading,
                "text": p.text,
                # what ordered them: the re-ranker's chance, else the search's fused score
                "score": p.chance if p.chance is not None else p.score,
            }
            for p in self.sources[:5]
        ]
        return data


def chapter_of(passage: Passage) -> str | None:
    """第三章 when the passage's heading path has a chapter heading."""
    for part in passage.heading.split(HEADING_SEPARATOR)[1:]:
        found = _CHAPTER.match(part.strip())
        if found:
            return found.group(0)
    return None


def citation(passage: Passage) -> str:
    """《文件》第三章 第X条 for regulations (the chapter where it has chapters); 《文件》 and the
    section path for reports."""
    if passage.kind == REGULATION and passage.article:
        chapter = chapter_of(passage)
        label = f"《{passage.title}》" + (f"{chapter} " if chapter else "") + passage.article
    else:
        sections = passage.heading.split(HEADING_SEPARATOR)[1:]
        label = f"《{passage.title}》" + (" ".join(sections) if sections else "")
    if passage.version_note:
        label += messages.ANSWER_VERSION.format(version=passage.version_note)
    return label


def sentences_of(text: str) -> list[str]:
    """Whole sentences (and 。；-ended clauses), verbatim, the line breaks kept in them."""
    sentences: list[str] = []
    for piece in _SENTENCE_END.split(text.strip()):
        if piece.strip():
            sentences.append(piece)
        elif sentences:  # the line break after an item's ；: each （一） stays on its line
            sentences[-1] += piece
    return sentences


def article_opening(text: str) -> str:
    """An article's first sentence without its label: what the article is about."""
    sentences = sentences_of(text)
    if not sentences:
        return ""
    return ARTICLE_LINE.sub("", sentences[0].strip(), count=1).strip(" 　\n")


def lead_index(sentences: list[str], question: str) -> int:
    """The sentence that answers: the one sharing most of the question's words; an article's
    label alone (第五条) or a bare heading never leads."""
    words = set(tokenize(question))

    def shared(index: int) -> tuple[int, int]:
        body = _without_label(sentences[index])
        return (len(words & set(tokenize(body))), -index) if len(body) >= 4 else (-1, -index)

    return max(range(len(sentences)), key=shared)


def _without_label(sentence: str) -> str:
    return ARTICLE_LINE.sub("", sentence.strip(), count=1).strip(" 　")


def lead_sentence(passage: Passage, question: str) -> str:
    """The answering sentence of a passage, verbatim; without the article label its citation
    already names."""
    sentences = sentences_of(passage.text)
    if not sentences:
        return passage.text.strip()
    return _labelled(passage, sentences[lead_index(sentences, question)])


def _labelled(passage: Passage, sentence: str) -> str:
    return _without_label(sentence) if passage.article else sentence.strip()


def trimmed(sentences: list[str], limit: int) -> str:
    """Whole sentences up to about `limit` characters; never a sentence cut in two."""
    kept: list[str] = []
    size = 0
    for sentence in sentences:
        if kept and size + len(sentence) > limit:
            return "".join(kept).strip() + "……"
        kept.append(sentence)
        size += len(sentence)
    return "".join(kept).strip()


def quoted_article(passage: Passage, question: str, limit: int = ARTICLE_CHARS) -> str:
    """The answering sentence first in 「」, then the rest of the article in order, in whole
    sentences up to about `limit` characters."""
    sentences = sentences_of(passage.text)
    if not sentences:
        return ""
    best = lead_index(sentences, question)
    lead = _labelled(passage, sentences[best])
    rest = sentences[:best] + sentences[best + 1 :]
    if passage.article and rest and ARTICLE_LINE.match(rest[0].strip()):
        # the label the citation already names; a label alone on its line goes altogether
        first = _without_label(rest[0]) + ("\n" if rest[0].endswith("\n") else "")
        rest = [first, *rest[1:]] if first.strip() else rest[1:]
    body = trimmed(rest, max(limit - len(lead), 0)) if rest else ""
    return f"「{lead}」" + (f"\n{body}" if body else "")


def refusal(question: str, retrieval: Retrieval) -> Answer:
    """A refusal that says what is missing: the document by name, the article past its end."""
    reason = retrieval.reason or "not_found"
    if reason == "missing_document":
        text = messages.MISSING_DOCUMENT.format(title=retrieval.document)
        if retrieval.choices:  # 乡村振兴条例: the 乡村振兴促进法 is held
            near = retrieval.choices[0]
            number = _chinese(retrieval.article)
            example = f"，例如：《{near}》第{number}条" if retrieval.article else ""
            text += "\n" + messages.MISSING_DOCUMENT_NEAR.format(title=near, example=example)
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
        text = _which_document(retrieval)
    elif retrieval.verdict.no_rule:
        text = _no_rule(retrieval)
    else:
        text = messages.NO_ANSWER
    if reason == "missing_document" and retrieval.document:
        nearest = [retrieval.document]
    else:
        nearest = list(dict.fromkeys(p.title for p in retrieval.found))[:3]
    return Answer(question, text, refused=True, reason=reason, nearest=nearest)


def _which_document(retrieval: Retrieval) -> str:
    """请说明是哪个文件的第十条, with the documents in the knowledge base that have one."""
    number = _chinese(retrieval.article)
    if retrieval.article is None:  # 第三章 alone
        return messages.WHICH_DOCUMENT_PART.format(part=retrieval.part or "")
    if not retrieval.choices:
        return messages.WHICH_DOCUMENT.format(number=number)
    titles = "、".join(f"《{title}》" for title in retrieval.choices)
    example = f"《{retrieval.choices[0]}》第{number}条"
    return messages.WHICH_DOCUMENT_OF.format(number=number, titles=titles, example=example)


def _no_rule(retrieval: Retrieval) -> str:
    """知识库里没有关于“X”的规定, what it holds nearest, and that the admin can add it."""
    verdict = retrieval.verdict
    lines = [messages.NO_RULE_CONCEPT.format(concept=verdict.concept, fact=verdict.fact or "")]
    if verdict.nearest:
        titles = "、".join(f"《{title}》" for title in verdict.nearest)
        lines.append(messages.NO_RULE_NEAREST.format(titles=titles))
    lines.append(messages.NO_RULE_ADMIN)
    return "\n".join(lines)


def with_missing_named(answer: Answer, verdict: Verdict) -> Answer:
    """A low-confidence answer that also says what the knowledge base never mentions (选调生),
    so a cadre reads the quotes as neighbours of the question, not its answer."""
    if answer.refused:
        return answer
    concept = verdict.unheld  # 党员积分制: the passages name 党员, never 积分
    if concept is None and verdict.tentative and verdict.missing == "concept":
        concept = verdict.concept
    if not concept:
        return answer
    note = messages.ANSWER_LOW_MISSING.format(concept=concept)
    return replace(answer, text=f"{answer.text}\n\n{note}")


# a yes-or-no question is answered confidently only when one of the first passages quoted
# names what it asks whether (evidence.Verdict.predicate); the first alone hedged more right
# answers on the looked-at sets for the same catches
PREDICATE_DEPTH = 3


def tier(retrieval: Retrieval) -> str:
    """The retrieval's confidence, lowered when the passage quoted first does not name the
    question's focal concept (or its regulation word): 党费能不能用微信转给支部书记 is not
    answered by an article on setting up a branch, however close it is in meaning."""
    focus = retrieval.verdict.focus
    if retrieval.confidence != "high" or not retrieval.passages:
        return retrieval.confidence
    if not focus:
        # no word of the question that the knowledge base uses could be checked against the
        # passage (组织关系 in a knowledge base of one work report): nothing says it is the answer
        return "low"
    if retrieval.verdict.unheld:
        # 党员积分制管理: the passages name 党员, the modifier, never 积分, what is asked about
        return "low"
    first = retrieval.passages[0]
    text = first.heading + first.text
    if not any(form in text for form in focus):
        return "low"
    quoted = [p.heading + p.text for p in retrieval.passages[:PREDICATE_DEPTH]]
    if not any(names_predicate(t, retrieval.verdict.predicate) for t in quoted):
        # 村干部不去接人算不算失职: an article on 村民委员会成员 that never says 失职
        return "low"
    return "high"


def _chinese(number: int | None) -> str:
    return cn2an.an2cn(number) if number is not None else ""


def answer_header(confidence: str, lowered_by: str | None = None) -> str:
    """根据知识库中的文件 for a confident answer; for a message that only tells (lowered as
    "told": 村里年轻人都走了) that it reads as a statement, since no rule was asked for; else that
    no direct rule was found."""
    if confidence == "high":
        return messages.ANSWER_HEADER
    if lowered_by == "told":
        return messages.ANSWER_TOLD_HEADER
    return messages.ANSWER_LOW_HEADER


def extractive_answer(
    question: str,
    passages: list[Passage],
    *,
    exact: bool,
    confidence: str = "high",
    lowered_by: str | None = None,
) -> Answer:
    if not passages:
        return Answer(question=question, text=messages.NO_ANSWER, refused=True, reason="not_found")
    if exact:  # the articles asked (党章第三十一条和第三十二条), each under its citation
        blocks = []
        for article in by_article(passages):
            body = trimmed(sentences_of("\n".join(p.text for p in article)), ARTICLE_CHARS)
            header = messages.ANSWER_ARTICLE_HEADER.format(citation=citation(article[0]))
            blocks.append(f"{header}\n{body}")
        text = "\n\n".join(blocks)
        return Answer(question, text, refused=False, sources=passages, shown=len(passages))
    top = passages[0].score
    quoted = [passages[0]] + [p for p in passages[1:] if p.score >= RELATIVE_CUTOFF * top]
    quoted = quoted[:MAX_QUOTED]
    header = answer_header(confidence, lowered_by)
    blocks = [header, quoted_blocks(quoted, question)]
    return Answer(
        question,
        "\n\n".join(blocks),
        refused=False,
        sources=passages,
        confidence=confidence,
        lead=lead_sentence(quoted[0], question),
        shown=len(quoted),
    )


def by_article(passages: list[Passage]) -> list[list[Passage]]:
    """The passages of each article, in order (an article may be cut in two)."""
    groups: list[list[Passage]] = []
    for passage in passages:
        same = groups and (groups[-1][0].document_id, groups[-1][0].article_no) == (
            passage.document_id,
            passage.article_no,
        )
        if same and passage.article_no is not None:
            groups[-1].append(passage)
        else:
            groups.append([passage])
    return groups


def quoted_blocks(quoted: list[Passage], question: str, *, start: int = 1) -> str:
    """The first passage's answering sentence and the rest of its article, then each other
    passage's answering sentence, numbered from `start`, each under its citation."""
    blocks = []
    for number, passage in enumerate(quoted, start=start):
        if number == start:
            body = quoted_article(passage, question)
        else:
            body = f"「{lead_sentence(passage, question)}」"
        blocks.append(f"{number}. {citation(passage)}\n{body}")
    return "\n\n".join(blocks)
