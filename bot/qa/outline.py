"""Procedure and list questions (流程, 程序, 步骤, 几个阶段, 有哪几种, 哪些情形) answered with the
document's own structure: its chapters (or one chapter's sections, or its articles) in order,
each with its article range, then the key article quoted.

Nothing here knows a particular regulation: the structure is read from the heading path every
chunk carries (《…》 > 第二章 … > 第一节 … > 第五条), so it works for any document cut at 章/节.
The level shown: the chapter whose heading alone has a word of the question, when the best
passage lies in it (组织关系 → 党籍和党员组织关系管理); else the one holding most of the near
passages (counted; for kinds or cases, failing that, weighed by rank); else, for a process of
the document's own subject (the title names every thing asked about, or the whole is asked
for: 阶段, 从头到尾, 一共), the document's chapters; else the usual quotes. A best passage that
enumerates the items (…种类：（一）…) where the others lie is quoted whole; without an outline,
a near list article is quoted first. Only the clauses that ask count (项目手续 in 我帮老板跑了个
项目手续 这算违纪吗 is told, not asked); a process asked by its verb (村委会怎么选举, 怎么发展
党员) is outlined only when the verb names a chapter or the title.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import cn2an
from sqlalchemy.orm import Session, sessionmaker

from bot import messages
from bot.db.outlines import list_document_headings
from bot.index.tokenize import tokenize
from bot.qa.answer import (
    Answer,
    answer_header,
    article_opening,
    citation,
    lead_sentence,
    quoted_article,
)
from bot.qa.clauses import (
    ASKS_HOW,
    ASKS_PROCESS,
    ASKS_WHOLE,
    asked_part,
    steps_asked,
)
from bot.qa.outline_asked import about_document, how_names_title, how_verb
from bot.qa.retriever import Passage
from bot.qa.vocabulary import Vocabulary, load_vocabulary, question_words
from ingest.metadata import REGULATION
from ingest.splitter import HEADING_SEPARATOR

# the kind of item a list question asks for, and how an article names a list of them
_ASKED_ITEM = re.compile(
    r"(?:哪些|哪几个|几个)(方面|方式|形式|措施|情形|情况|路子)|(?:哪几|几|分几)(种|类)"
)
# a sentence that introduces the steps of a procedure
_STATES_PROCESS = re.compile(r"(?:程序|手续|步骤|流程)(?:是|为|如下)?[：:]")
_CHAPTER = re.compile(r"^第[零〇一二三四五六七八九十百\d]+章")
_SECTION = re.compile(r"^第[零〇一二三四五六七八九十百\d]+节")
_ITEM = re.compile(r"（[一二三四五六七八九十]+）|(?:^|\n)\s*\d+[.．、]")
# chapters that are never a step: the general provisions and the closing ones
_NOT_STEPS = re.compile(r"(?:总则|附则)$")
# passages of the key document looked at to decide the level shown
NEAR_PASSAGES = 5
MAX_ARTICLE_STEPS = 10


def asks_for_steps(question: str) -> bool:
    asked = asked_part(question)
    return bool(steps_asked(asked) or ASKS_HOW.search(asked))


@dataclass(frozen=True)
class Step:
    heading: str
    first: int | None
    last: int | None


@dataclass(frozen=True)
class Outline:
    title: str
    # the chapter whose sections or articles are listed; None: the document's chapters
    within: str | None
    steps: list[Step]
    # the passage quoted under the steps
    key: Passage


@dataclass
class _Part:
    heading: str
    articles: list[int]
    sections: dict[str, list[int]]
    # article number -> its first sentence, for a chapter listed by its articles
    openings: dict[int, str]


class Outlines:
    def __init__(
        self, session_factory: sessionmaker[Session], vocabulary: Vocabulary | None = None
    ) -> None:
        """`vocabulary`: the knowledge base's (the county's 词表.yaml with the shipped one), by
        which a question's everyday words are read as the titles' (入党 → 发展党员)."""
        self._sessions = session_factory
        self._vocabulary = vocabulary or load_vocabulary(None)

    def outline(self, question: str, passages: Sequence[Passage]) -> Outline | None:
        """The structure of the regulation the best passages come from; None when the best
        passage is itself the list (对党员的纪律处分种类：（一）…) and lies where the others
        do: it is quoted whole."""
        document = key_document(passages)
        if document is None:
            return None
        asked = asked_part(question)
        near = [p for p in passages[:NEAR_PASSAGES] if p.document_id == document]
        with self._sessions() as session:
            rows = list_document_headings(session=session, document_id=document)
        chapters = _chapters(rows)
        if len(chapters) < 2:
            return None
        title = near[0].title
        named = _named_chapter(asked, chapters, near)
        # asked how (怎么发展党员): a process when its verb names a chapter or the document
        process = bool(ASKS_PROCESS.search(asked)) or how_names_title(
            asked, title, self._vocabulary
        )
        if not steps_asked(asked) and named is None and not process:
            return None  # asked how, by words that name no part of the document
        # a process spread over chapters is the whole document's; kinds or cases have no such
        # whole to fall back on, so the chapter of the best passages tells them
        focus = named or _focus(near, by_rank=not process)
        first = passages[0]
        if (
            enumerates(first, question)
            and (focus is None or _part_of(first.heading, _CHAPTER) == focus)
            and (not process or ASKS_PROCESS.search(lead_sentence(first, question)))
        ):
            return None
        if focus is not None and (
            named or not ASKS_WHOLE.search(question) or _names(question, focus, near)
        ):
            chapter = chapters[focus]
            key = _key([p for p in near if _part_of(p.heading, _CHAPTER) == focus], question)
            if len(chapter.sections) >= 2:
                steps = [_step(name, numbers) for name, numbers in chapter.sections.items()]
                return Outline(title, _tidy(chapter.heading), steps, key)
            if 2 <= len(set(chapter.articles)) <= MAX_ARTICLE_STEPS:
                steps = [
                    Step(chapter.openings.get(n, ""), n, n) for n in sorted(set(chapter.articles))
                ]
                return Outline(title, _tidy(chapter.heading), steps, key)
        if not process:
            return None  # kinds or cases spread over a document: the quotes say more
        if not ASKS_WHOLE.search(asked) and not about_document(asked, title, self._vocabulary):
            return None  # a process of something narrower than the document: quoted
        steps = [
            _step(part.heading, part.articles)
            for part in chapters.values()
            if not _NOT_STEPS.search(part.heading)
        ]
        # the key article is one of the steps shown: not from 总则 or 附则 when another is near
        in_steps = [p for p in near if not _NOT_STEPS.search(_heading(p.heading, _CHAPTER))]
        key = _key(in_steps or near, question)
        return Outline(title, None, steps, key) if len(steps) >= 2 else None


def enumerates(passage: Passage, question: str) -> bool:
    """The passage's answering sentence introduces items (…的手续是：（一）…（二）…)."""
    lead = lead_sentence(passage, question).rstrip()
    return lead.endswith(("：", ":")) and len(_ITEM.findall(passage.text)) >= 2


def listing_first(question: str, passages: list[Passage]) -> list[Passage]:
    """For a question without an outline: a near passage of the key document that is itself
    the list asked for (…按照下列程序进行：（一）…) quoted first, when the first passage is not
    one — in a document of enumerated items only, the items are its structure."""
    asked = asked_part(question)
    if not passages or not steps_asked(asked) or enumerates(passages[0], question):
        return passages
    document = key_document(passages)
    asks_process = bool(ASKS_PROCESS.search(asked))
    for passage in passages[:NEAR_PASSAGES]:
        if passage.document_id != document or not enumerates(passage, question):
            continue
        if asks_process and not ASKS_PROCESS.search(lead_sentence(passage, question)):
            continue
        return [passage] + [p for p in passages if p is not passage]
    return passages


def key_document(passages: Sequence[Passage]) -> int | None:
    """The regulation the answer is told from: the first passage's when both rankings put it
    first (its fused score above every other near passage's), else the one most of the near
    passages come from (ties: the better ranked), so one stray passage on top does not
    choose the document."""
    near = [p for p in passages[:NEAR_PASSAGES] if p.kind == REGULATION and p.document_id]
    if not near:
        return None
    if near[0] is passages[0] and all(p.score < near[0].score for p in near[1:]):
        return near[0].document_id
    counts = Counter(p.document_id for p in near)
    return max(near, key=lambda p: (counts[p.document_id], -near.index(p))).document_id


def key_passage(passages: Sequence[Passage], question: str = "") -> Passage | None:
    """The best passage of the key document (see key_document); within it, a passage that
    states a procedure (…的程序是：, …的手续是：) first when a process is asked."""
    document = key_document(passages)
    near = [p for p in passages[:NEAR_PASSAGES] if p.document_id == document]
    return _key(near, question) if near else None


def _key(near: list[Passage], question: str) -> Passage:
    asked = asked_part(question)
    asks_process = bool(ASKS_PROCESS.search(asked))
    item = _ASKED_ITEM.search(asked)
    names = None
    if item is not None:
        noun = item.group(1) or {"种": "种类", "类": "类别"}[item.group(2)]
        names = re.compile(f"(?:等|下列|以下|主要){noun}|{noun}(?:[：:]|包括|主要有|有)")

    def rank(passage: Passage) -> tuple[bool, bool, int]:
        states = asks_process and bool(_STATES_PROCESS.search(passage.text))
        lists = names is not None and bool(names.search(passage.text))
        return (states, lists, -near.index(passage))

    return max(near, key=rank)


def _focus(near: list[Passage], *, by_rank: bool = False) -> str | None:
    """The chapter (第二章) holding most of the near passages of the key document, if any:
    counted (three of five outweigh a better ranked stray one); failing that and `by_rank`,
    weighed by rank (1, 1/2, 1/3 …: the two best outweigh three lower ones spread elsewhere)."""
    if not near:
        return None
    chapter, count = Counter(_part_of(p.heading, _CHAPTER) for p in near).most_common(1)[0]
    if count * 2 > len(near):
        return chapter
    if not by_rank:
        return None
    weights: dict[str | None, float] = {}
    for rank, passage in enumerate(near, start=1):
        part = _part_of(passage.heading, _CHAPTER)
        weights[part] = weights.get(part, 0.0) + 1 / rank
    heaviest = max(weights, key=lambda part: weights[part])
    return heaviest if weights[heaviest] * 2 > sum(weights.values()) else None


def _named_chapter(question: str, chapters: dict[str, _Part], near: list[Passage]) -> str | None:
    """The chapter whose heading has a word of the question that no other chapter heading and
    not the title has (组织关系 → 第五章 党籍和党员组织关系管理), when the best near passage
    lies in it. Asked how (怎么选举), the word must follow the asking word."""
    asked_how = ASKS_HOW.search(question) and not steps_asked(question)
    words = how_verb(question) if asked_how else question_words(question)
    if not words or not near:
        return None
    title = set(question_words(near[0].title))
    owners: dict[str, set[str]] = {}
    for number, part in chapters.items():
        if _NOT_STEPS.search(part.heading):
            continue
        for word in question_words(_CHAPTER.sub("", part.heading)):
            owners.setdefault(word, set()).add(number)
    named = {
        next(iter(owners[word]))
        for word in words
        if word not in title and len(owners.get(word, ())) == 1
    }
    chapter = _part_of(near[0].heading, _CHAPTER)
    return chapter if chapter in named else None


def _names(question: str, chapter: str, near: list[Passage]) -> bool:
    """The question names the chapter's own subject (换届选举 → 第三章 村民委员会的选举), a
    word of its heading that the document's title does not have: asked for the whole of it,
    the chapter is the whole."""
    passage = next(p for p in near if _part_of(p.heading, _CHAPTER) == chapter)
    heading = set(tokenize(_heading(passage.heading, _CHAPTER)))
    return bool(set(tokenize(question)) & (heading - set(tokenize(passage.title))))


def outlined_answer(
    question: str,
    outline: Outline,
    passages: list[Passage],
    *,
    confidence: str,
    lowered_by: str | None = None,
) -> Answer:
    """The steps in order with their article ranges, then the key article quoted."""
    header = answer_header(confidence, lowered_by)
    lines = [header]
    lines.append(messages.OUTLINE_HEADER.format(title=outline.title, within=outline.within or ""))
    for number, step in enumerate(outline.steps, start=1):
        if outline.within is not None and step.first == step.last and step.first is not None:
            label = f"第{_cn(step.first)}条"
            opening = f"：{step.heading}" if step.heading else ""
            lines.append(f"{number}. {label}{opening}")
        else:
            lines.append(f"{number}. {_tidy(step.heading)}{_range(step)}")
    key = outline.key
    passages = [key] + [p for p in passages if p is not key]
    text = "\n".join(lines) + "\n\n" + messages.OUTLINE_KEY + "\n"
    text += f"{citation(key)}\n{quoted_article(key, question)}"
    return Answer(
        question,
        text,
        refused=False,
        sources=passages,
        confidence=confidence,
        lead=lead_sentence(key, question),
        shown=1,
        outline=[(s.heading, s.first, s.last) for s in outline.steps],
    )


def _chapters(rows: list[tuple[str, int | None, str]]) -> dict[str, _Part]:
    chapters: dict[str, _Part] = {}
    for heading, article_no, text in rows:
        chapter = _part_of(heading, _CHAPTER)
        if chapter is None:
            continue
        part = chapters.setdefault(chapter, _Part(_heading(heading, _CHAPTER), [], {}, {}))
        if article_no is None:
            continue
        part.articles.append(article_no)
        section = _heading(heading, _SECTION)
        if section:
            part.sections.setdefault(section, []).append(article_no)
        if article_no not in part.openings:
            part.openings[article_no] = article_opening(text)
    return chapters


def _heading(path: str, pattern: re.Pattern[str]) -> str:
    for part in path.split(HEADING_SEPARATOR)[1:]:
        if pattern.match(part.strip()):
            return part.strip()
    return ""


def _part_of(path: str, pattern: re.Pattern[str]) -> str | None:
    """第二章 (the number alone) when the path has a heading of that kind."""
    found = pattern.match(_heading(path, pattern))
    return found.group(0) if found else None


def _step(heading: str, numbers: list[int]) -> Step:
    return Step(heading, min(numbers, default=None), max(numbers, default=None))


def _range(step: Step) -> str:
    if step.first is None or step.last is None:
        return ""
    if step.first == step.last:
        return messages.OUTLINE_ONE_ARTICLE.format(number=_cn(step.first))
    return messages.OUTLINE_RANGE.format(first=_cn(step.first), last=_cn(step.last))


def _tidy(heading: str) -> str:
    return re.sub(r"[\s　]+", " ", heading).strip()


def _cn(number: int) -> str:
    return str(cn2an.an2cn(number))
