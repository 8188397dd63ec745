"""Procedure and list answers on qa_dev3: the share of its procedure questions whose answer
lists the right chapter's steps (issue 26 item 2).

A procedure question is an answerable one that bot.qa.outline.asks_for_steps picks (流程, 程序,
步骤, 几个阶段, 有哪几种, 哪些情形 …). Its answer lists the right steps when either
- it is an outline of an expected document and one of its steps (a chapter's or section's
  article range, or one article) holds an article that contains an expected phrase, or
- the article quoted first contains an expected phrase and is itself the list (它的答句以“：”
  引出（一）（二）… items), which the answer quotes whole.
Split as bench.common.half: rules were written looking at the tuning half; the held half is
reported apart.

    PYTHONPATH=$PWD .venv/bin/python -m bench.answer_shape [--embedder e5-small]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from sqlalchemy import select

from bench.common import SHARED, copy_eval_corpus, half, hit, load_questions, open_knowledge_base
from bot.db.models import KnowledgeChunk, KnowledgeDocument
from bot.index.embeddings import make_embeddings
from bot.qa.answer import Answer
from bot.qa.outline import asks_for_steps, enumerates
from bot.qa.service import QAService

QA_DEV3 = SHARED / "eval" / "qa_dev3.jsonl"


def expected_articles(kbase, row: dict) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """(file, article number) of every chunk containing an expected phrase."""
    found = set()
    with kbase.sessions() as session:
        chunks = session.execute(
            select(KnowledgeChunk.text, KnowledgeChunk.article_no, KnowledgeDocument.source).join(
                KnowledgeDocument
            )
        ).all()
    for text, article_no, source in chunks:
        if article_no is not None and hit(text, source, row["expect"]):
            found.add((Path(source).name, article_no))
    return found


def lists_right_steps(answer: Answer, expected: set[tuple[str, int]], row: dict) -> bool:
    if answer.refused or not answer.sources:
        return False
    key = answer.sources[0]
    if answer.outline:
        document = Path(key.source).name
        return any(
            name == document and first is not None and last is not None and first <= n <= last
            for _, first, last in answer.outline
            for name, n in expected
        )
    return hit(key.text, key.source, row["expect"]) and enumerates(key, row["question"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    rows = [
        r
        for r in load_questions(QA_DEV3)
        if r["kind"] != "refuse" and asks_for_steps(r["question"])
    ]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = copy_eval_corpus(tmp / "knowledge")
        kbase = open_knowledge_base(folder, tmp / "data", make_embeddings(args.embedder))
        kbase.ingestor.ingest()
        service = QAService(kbase.retriever, sessions=kbase.sessions)
        right: dict[str, list[tuple[bool, bool]]] = {"tune": [], "held": []}
        for row in rows:
            answer = service.ask(row["question"])
            ok = lists_right_steps(answer, expected_articles(kbase, row), row)
            first = answer.sources[0] if answer.sources else None
            key = first is not None and hit(first.text, first.source, row["expect"])
            right[half(row["id"])].append((ok, key))
            shape = "outline" if answer.outline else ("refused" if answer.refused else "quote")
            marks = ("✓" if ok else "✗") + ("✓" if key else "✗")
            print(f"{row['id']} {half(row['id'])} {marks} {shape} {row['question']}")
    every = right["tune"] + right["held"]
    print(f"procedure questions in qa_dev3 (answerable, picked by asks_for_steps): {len(every)}")
    print("marks: lists the right chapter's steps / the article quoted first is an expected one")
    for part, results in (*right.items(), ("all", every)):
        steps = sum(ok for ok, _ in results)
        keys = sum(key for _, key in results)
        count = len(results) or 1
        print(
            f"{part:>5}: lists the right chapter's steps {steps}/{len(results)} = "
            f"{steps / count:.2f}; key article right {keys}/{len(results)} = {keys / count:.2f}"
        )


if __name__ == "__main__":
    main()
