"""Article look-ups typed the way phone users type them (tests/support/article_lookups.py): how
many quote the articles asked, how many are asked back or refused by name as they should be,
and how many quote another article (the failure to avoid).

    PYTHONHASHSEED=0 .venv/bin/python -m bench.article_lookups [--embedder e5-small] [--show]

Over ../shared/corpus through the composition root the other benches use."""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from bench.common import copy_eval_corpus, open_knowledge_base
from bot.index.embeddings import make_embeddings
from bot.qa.answer import Answer
from bot.qa.service import QAService
from tests.support.article_lookups import LOOKUPS, Lookup


def outcome(lookup: Lookup, answer: Answer) -> str:
    """right | wrong (another article quoted, or asked back or refused wrongly) | missed (a
    search answer where an article was asked)."""
    exact = not answer.refused and "原文如下" in answer.text.splitlines()[0]
    if lookup.reason is not None:
        if answer.refused and answer.reason == lookup.reason:
            return "right"
        return "wrong" if exact else "missed"
    if not exact:
        return "wrong" if answer.reason in ("missing_document", "missing_article") else "missed"
    articles = tuple(dict.fromkeys(p.article_no for p in answer.sources))
    assert lookup.document is not None
    right = all(lookup.document in p.title for p in answer.sources) and articles == lookup.articles
    return "right" if right else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--show", action="store_true", help="print each look-up not right")
    args = parser.parse_args()
    embeddings = make_embeddings(args.embedder, threads=2)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        kbase = open_knowledge_base(copy_eval_corpus(tmp / "knowledge"), tmp / "data", embeddings)
        kbase.ingestor.ingest()
        service = QAService(kbase.retriever)
        counts: Counter[tuple[str, str]] = Counter()
        for lookup in LOOKUPS:
            previous = service.ask(lookup.after) if lookup.after else None
            answer = service.ask(lookup.question, previous=previous)
            result = outcome(lookup, answer)
            counts[(lookup.reason or "article", result)] += 1
            if args.show and result != "right":
                print(f"{result:<7} {lookup.question} → {answer.text.splitlines()[0][:60]}")
    kinds = ("article", "which_document", "missing_document", "missing_article")
    for kind in kinds:
        total = sum(n for (k, _), n in counts.items() if k == kind)
        right, wrong = counts[(kind, "right")], counts[(kind, "wrong")]
        print(
            f"{kind:<17} {total:>3}: right {right:>3}  wrong {wrong:>3}  missed {total - right - wrong:>3}"
        )
    right = sum(n for (_, r), n in counts.items() if r == "right")
    wrong = sum(n for (_, r), n in counts.items() if r == "wrong")
    print(f"all               {len(LOOKUPS):>3}: right {right:>3}  wrong {wrong:>3}")


if __name__ == "__main__":
    main()
