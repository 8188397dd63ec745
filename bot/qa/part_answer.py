"""A chapter asked for whole (党章第三章, 细则附则): its articles in order, each by its first
sentence, and how to read one whole; a part without articles (党章总纲) quoted as it stands."""

from __future__ import annotations

import cn2an

from bot import messages
from bot.qa.answer import (
    ARTICLE_CHARS,
    Answer,
    article_opening,
    by_article,
    sentences_of,
    trimmed,
)
from bot.qa.passages import Retrieval

# the articles listed; a longer chapter is listed up to here
MAX_LISTED = 12


def part_answer(question: str, retrieval: Retrieval) -> Answer:
    passages = retrieval.passages
    first = passages[0]
    part = retrieval.part or ""
    articles = [group for group in by_article(passages) if group[0].article_no is not None]
    if not articles:  # 总纲: quoted as it stands
        body = trimmed(sentences_of("\n".join(p.text for p in passages)), ARTICLE_CHARS)
        header = messages.ANSWER_ARTICLE_HEADER.format(citation=f"《{first.title}》{part}")
        text = f"{header}\n{body}"
        return Answer(question, text, refused=False, sources=passages, shown=len(passages))
    numbers = [group[0].article_no or 0 for group in articles]
    lines = [
        messages.PART_HEADER.format(
            title=first.title,
            part=part,
            count=_cn(len(articles)),
            first=_cn(numbers[0]),
            last=_cn(numbers[-1]),
        )
    ]
    for group in articles[:MAX_LISTED]:
        lines.append(f"{group[0].article}：{article_opening(group[0].text)}")
    if len(articles) > MAX_LISTED:
        lines.append(messages.PART_MORE.format(count=_cn(len(articles) - MAX_LISTED)))
    lines.append(messages.PART_ASK_ARTICLE.format(number=_cn(numbers[0])))
    text = "\n".join(lines)
    return Answer(question, text, refused=False, sources=passages, shown=len(passages))


def _cn(number: int) -> str:
    return str(cn2an.an2cn(number))
