"""Procedure and list answers (issue 26 item 2): the share of procedure questions whose answer
lists the right chapter's steps, on qa_dev3 and qa_dev2 (tuning and held halves) and on
bench/qa_fresh.jsonl per set.

A procedure question is an answerable one that PROCEDURE_QUESTION picks (流程, 程序, 步骤,
几个阶段, 有哪几种, 哪些情形 …): a pattern frozen here, not bot.qa.outline's detector, so the
question set stays the same while the detector changes. Its answer lists the right steps when
either
- it is an outline of an expected document and one of its steps (a chapter's or section's
  article range, or one article) holds an article that contains an expected phrase, or
- the article quoted first contains an expected phrase and is itself the list (它的答句以“：”
  引出（一）（二）… items), which the answer quotes whole.
"Key article right": the article quoted first is an expected one. Every other answerable
question is asked too: an outline given to one of them is counted (a false positive of the
detector), and its first quoted article compared with the answer given without outlines.
Split as bench.common.half: rules are written looking at the tuning halves and the looked-at
fresh sets only, so only their questions are printed one by one; held halves and set z are
reported in aggregate.

    PYTHONPATH=$PWD .venv/bin/python -m bench.answer_shape [--embedder e5-small]
"""

from __future__ import annotations

import argparse
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from bench.common import (
    FRESH_QA,
    FRESH_QA_SETS,
    KEPT_UNSEEN,
    LOOKED_AT_FRESH_QA_SETS,
    QA_DEV2,
    QA_DEV3,
    copy_eval_corpus,
    half,
    hit,
    load_questions,
    open_knowledge_base,
)
from bot.db.models import KnowledgeChunk, KnowledgeDocument
from bot.index.embeddings import make_embeddings
from bot.qa.answer import Answer
from bot.qa.outline import enumerates
from bot.qa.service import QAService

# the procedure and list questions measured (bot.qa.outline's detector as of 2026-12-06)
PROCESS = r"流程|程序|步骤|手续|环节|阶段|哪几步|几步|怎么走|咋走"
KINDS = (
    r"哪几种|有几种|几种|哪几类|几类|分几|哪些情形|几种情形|哪些情况|几种情况|哪几个方面|"
    r"哪些方式|哪些形式|哪些措施|哪些路子|哪些处置"
)
PROCEDURE_QUESTION = re.compile(f"{PROCESS}|{KINDS}")


def expected_articles(chunks: list[tuple[str, int | None, str]], row: dict) -> set[tuple[str, int]]:
    """(file, article number) of every chunk containing an expected phrase."""
    return {
        (Path(source).name, article_no)
        for text, article_no, source in chunks
        if article_no is not None and hit(text, source, row["expect"])
    }


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


def first_right(answer: Answer, row: dict) -> bool:
    first = answer.sources[0] if answer.sources and not answer.refused else None
    return first is not None and hit(first.text, first.source, row["expect"])


@dataclass
class Tally:
    steps: int = 0
    keys: int = 0
    asked: int = 0
    # other answerable questions: answered with an outline; of those, first article right
    # with the outline and without it
    others: int = 0
    outlined: int = 0
    outlined_right: int = 0
    plain_right: int = 0
    lines: list[str] = field(default_factory=list)

    def report(self, name: str) -> str:
        n = self.asked or 1
        return (
            f"{name:>10}: steps {self.steps}/{self.asked} = {self.steps / n:.2f}; "
            f"key article {self.keys}/{self.asked} = {self.keys / n:.2f} | other questions "
            f"{self.others}: outlined {self.outlined} (first right {self.outlined_right}, "
            f"without outline {self.plain_right})"
        )


def parts() -> Iterator[tuple[str, list[dict]]]:
    for name, path in (("dev3", QA_DEV3), ("dev2", QA_DEV2)):
        rows = [r for r in load_questions(path) if r["kind"] != "refuse"]
        for part in ("tune", "held"):
            yield f"{name} {part}", [r for r in rows if half(r["id"]) == part]
    fresh = [r for r in load_questions(FRESH_QA) if r["kind"] != "refuse"]
    for prefix in FRESH_QA_SETS:
        if prefix in KEPT_UNSEEN:  # kept for final figures: never run while working
            continue
        yield f"fresh {prefix}", [r for r in fresh if r["id"][0] == prefix]


def looked_at(part: str) -> bool:
    """Parts whose questions may be printed one by one: tuning halves and looked-at fresh sets."""
    if part.endswith("tune"):
        return True
    return part.startswith("fresh ") and part.split()[-1] in LOOKED_AT_FRESH_QA_SETS


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = copy_eval_corpus(tmp / "knowledge")
        kbase = open_knowledge_base(folder, tmp / "data", make_embeddings(args.embedder))
        kbase.ingestor.ingest()
        service = QAService(kbase.retriever, sessions=kbase.sessions)
        plain = QAService(kbase.retriever)
        with kbase.sessions() as session:
            chunks = [
                (text, article_no, source)
                for text, article_no, source in session.execute(
                    select(
                        KnowledgeChunk.text, KnowledgeChunk.article_no, KnowledgeDocument.source
                    ).join(KnowledgeDocument)
                ).all()
            ]
        tallies: dict[str, Tally] = {}
        for part, rows in parts():
            tally = tallies[part] = Tally()
            for row in rows:
                answer = service.ask(row["question"])
                key = first_right(answer, row)
                if not PROCEDURE_QUESTION.search(row["question"]):
                    tally.others += 1
                    if answer.outline:
                        tally.outlined += 1
                        tally.outlined_right += key
                        tally.plain_right += first_right(plain.ask(row["question"]), row)
                        if looked_at(part):
                            tally.lines.append(f"{row['id']} {part} outlined {row['question']}")
                    continue
                ok = lists_right_steps(answer, expected_articles(chunks, row), row)
                tally.asked += 1
                tally.steps += ok
                tally.keys += key
                if looked_at(part):
                    shape = (
                        "outline" if answer.outline else "refused" if answer.refused else "quote"
                    )
                    marks = ("✓" if ok else "✗") + ("✓" if key else "✗")
                    tally.lines.append(f"{row['id']} {part} {marks} {shape} {row['question']}")
    for tally in tallies.values():
        for line in tally.lines:
            print(line)
    print("marks: lists the right chapter's steps / the article quoted first is an expected one")
    print("procedure questions (answerable, picked by PROCEDURE_QUESTION), per part:")
    for part, tally in tallies.items():
        print(tally.report(part))


if __name__ == "__main__":
    main()
