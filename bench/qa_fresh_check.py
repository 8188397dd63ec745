"""Checks a new set of bench/qa_fresh.jsonl from the regulations alone, before anything is run on
it: each expected phrase is in exactly one article of the knowledge base (the corpus split at its
第X条 lines, the seed report as one piece), out-of-corpus rows expect nothing, and no question
nearly repeats any other question of any set (character-bigram Jaccard above the limit).

    .venv/bin/python -m bench.qa_fresh_check m k [--rows draft.jsonl] [--limit 0.333]

With --rows the rows are read from a draft file and checked against all of qa_fresh.jsonl; without
it, the rows of the sets named are checked against the rest. Only the checked rows' questions
are printed, the other question of a near pair by its id alone, so a set kept for reporting is
never read this way.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from bench.common import (
    CORPUS,
    EXTRA_QA,
    FRESH_QA,
    QA_DEV,
    QA_DEV2,
    QA_DEV3,
    SEED,
    load_questions,
)
from ingest.metadata import ARTICLE_LINE

KINDS = ("article", "semantic", "refuse")
_NOT_TEXT = re.compile(r"[\s，。？！、；：,.?!;:“”\"'（）()《》【】…—-]+")


def compact(text: str) -> str:
    return "".join(text.split())


def articles() -> list[tuple[str, str, str]]:
    """(source, article heading, compact text) for every article of the corpus, what comes
    before a document's first article as one piece of its own, and the seed report whole."""
    out: list[tuple[str, str, str]] = []
    for path in sorted(CORPUS.glob("*.md")):
        label = "before 第一条"
        lines: list[str] = []
        for line in path.read_text(encoding="utf-8").splitlines():
            found = ARTICLE_LINE.match(line.strip())
            if found:
                out.append((path.name, label, compact("\n".join(lines))))
                label, lines = found.group(0), []
            lines.append(line)
        out.append((path.name, label, compact("\n".join(lines))))
    out.append((SEED.name, "report", compact(SEED.read_text(encoding="utf-8"))))
    return out


def places(phrase: str, pieces: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Where a phrase occurs, ignoring white space, as (source, article)."""
    wanted = compact(phrase)
    return [(source, label) for source, label, text in pieces if wanted in text]


def bigrams(text: str) -> set[str]:
    plain = _NOT_TEXT.sub("", text.lower())
    return {plain[i : i + 2] for i in range(len(plain) - 1)} or {plain}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def row_problems(row: dict, pieces: list[tuple[str, str, str]]) -> list[str]:
    """What is wrong with one row's kind and expected passages."""
    problems = []
    if row.get("kind") not in KINDS:
        problems.append(f"kind {row.get('kind')!r}")
    if row.get("kind") == "refuse":
        if row.get("expect"):
            problems.append("a refuse row expects passages")
        return problems
    if not row.get("expect"):
        problems.append("no expected passage")
    for expected in row.get("expect", []):
        found = places(expected["contains"], pieces)
        if len(found) != 1:
            problems.append(f"{expected['contains']!r} in {len(found)} articles: {found[:3]}")
        elif found[0][0] != expected["source"]:
            problems.append(f"{expected['contains']!r} is in {found[0][0]}")
    return problems


def similarities(rows: list[dict], others: list[dict]) -> list[tuple[str, str, float]]:
    """(checked id, other id, character-bigram Jaccard) for every pair, the checked rows
    compared with each other too."""
    grams = {id(r): bigrams(r["question"]) for r in [*rows, *others]}
    return [
        (row["id"], other["id"], jaccard(grams[id(row)], grams[id(other)]))
        for i, row in enumerate(rows)
        for other in [*rows[i + 1 :], *others]
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sets", nargs="+", help="id letters of the sets to check")
    parser.add_argument("--rows", type=Path, help="a draft file instead of qa_fresh.jsonl's rows")
    parser.add_argument("--limit", type=float, default=0.333)
    args = parser.parse_args()
    fresh = load_questions(FRESH_QA)
    mine = [
        r for r in (load_questions(args.rows) if args.rows else fresh) if r["id"][0] in args.sets
    ]
    others = [r for r in fresh if r not in mine]
    for path in (QA_DEV, QA_DEV2, QA_DEV3, EXTRA_QA):
        others += [{**r, "id": f"{path.stem}:{r['id']}"} for r in load_questions(path)]
    pieces = articles()
    bad = 0
    ids = Counter(r["id"] for r in [*mine, *(r for r in fresh if r not in mine)])
    for name, count in ids.items():
        if count > 1:
            print(f"{name}: id used {count} times")
            bad += 1
    for row in mine:
        for problem in row_problems(row, pieces):
            print(f"{row['id']}: {problem}")
            bad += 1
    pairs = similarities(mine, others)
    for mine_id, other_id, score in pairs:
        if score > args.limit:
            print(f"{mine_id}: similarity {score:.3f} with {other_id}")
            bad += 1
    if pairs:
        print(f"largest similarity {max(score for *_, score in pairs):.3f}")
    for letter in args.sets:
        rows = [r for r in mine if r["id"][0] == letter]
        kinds = Counter(r["kind"] for r in rows)
        sources = Counter(e["source"] for r in rows for e in r["expect"])
        print(f"set {letter}: {len(rows)} rows, " + ", ".join(f"{k} {kinds[k]}" for k in KINDS))
        print(
            "  expected passages per document: "
            + ", ".join(f"{s} {n}" for s, n in sorted(sources.items()))
        )
    print(f"{bad} problems")
    raise SystemExit(1 if bad else 0)


if __name__ == "__main__":
    main()
