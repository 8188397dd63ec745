"""Retrieval quality on the dev sets: partybot now, partybot before issue 9, the plain recipe.

    .venv/bin/python -m bench.retrieval_quality [--embedder e5-small] [--no-baseline] [--no-plain]
        [--with-use] [--only dev3,m,k]

Over ../shared/corpus plus the seed report. Systems, side by side in one run:
- partybot: the current pipeline with the default embedder (and with the USE fallback when
  --with-use is given);
- before: the code at BASELINE_COMMIT (the release before issue 26) with the same embedder, run
  from a git worktree of that commit, so "the system before" is measured rather than remembered;
- plain recipe: RecursiveCharacterTextSplitter(1000, 200) into a dense-only Chroma through
  langchain-chroma, with the default embedder.
qa_dev3 and qa_dev2 are reported per half (bench.common.half): the tuning half (where rules and
the gate's calibration were fitted) and the held half (never fitted on), and in all;
bench/qa_fresh.jsonl per set (see bench.common.FRESH_QA). For the questions outside the knowledge base:
refused, "no rule" (refused, or answered with the low-confidence header that says no direct
rule was found) and "confident" (answered as 根据知识库中的文件 — the failure to avoid).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TypedDict

from bench.common import (
    FRESH_QA,
    FRESH_QA_SETS,
    QA_DEV,
    QA_DEV2,
    QA_DEV3,
    ROOT,
    copy_eval_corpus,
    half,
    hit,
    load_questions,
    open_knowledge_base,
)
from bot import messages
from bot.index.embeddings import NamedEmbeddings, make_embeddings
from bot.qa.service import QAService

BASELINE_COMMIT = "cb19ac2"  # the release before issue 26 (evidence that carries what was asked)
NAMES_A_DOCUMENT = re.compile(r"条例|细则|章程|党章|[^说办方想做看合违依非守司执立用没无设]法")
Result = tuple[bool, list[tuple[str, str]], str]  # refused, sources (text, file), answer text
Recall = tuple[int, float, float, float]  # questions, R@1, R@5, MRR


class Figures(TypedDict):
    semantic: Recall
    article: Recall
    answerable: Recall
    refused: tuple[int, int]  # refused, off-topic questions
    by_name: tuple[int, int]  # refused naming the document, questions naming one
    no_rule: int
    confident: int
    answerable_low: int
    false_refusals: int


def run_partybot(
    folder: Path, data: Path, embeddings: NamedEmbeddings, rows: list[dict]
) -> list[Result]:
    kbase = open_knowledge_base(folder, data, embeddings)
    kbase.ingestor.ingest()
    service = QAService(kbase.retriever)
    results = []
    for row in rows:
        answer = service.ask(row["question"])
        results.append((answer.refused, [(p.text, p.source) for p in answer.sources], answer.text))
    return results


def run_plain_recipe(
    folder: Path, data: Path, embeddings: NamedEmbeddings, rows: list[dict]
) -> list[Result]:
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_core.documents import Document
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from ingest.loaders import load_file

    documents = [
        Document(page_content=load_file(path).text, metadata={"source": path.name})
        for path in sorted(folder.glob("*.*"))
    ]
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    client = chromadb.PersistentClient(
        path=str(data / "plain"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    store = Chroma(client=client, collection_name="plain", embedding_function=embeddings)
    store.add_documents(splitter.split_documents(documents))
    return [
        (
            False,
            [
                (d.page_content, d.metadata["source"])
                for d in store.similarity_search(r["question"], k=5)
            ],
            "",
        )
        for r in rows
    ]


_BASELINE_SCRIPT = """
import json, sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
try:  # the baseline's own layout (bot.app, bot.embeddings) before later moves
    from bot.app import make_knowledge_base
    from bot.embeddings import make_embeddings
except ImportError:
    from bot.services import make_knowledge_base
    from bot.index.embeddings import make_embeddings
from bot.qa.service import QAService
folder, data = Path(sys.argv[2]), Path(sys.argv[3])
kbase = make_knowledge_base(database_url=f"sqlite:///{data / 'p.db'}", chroma_dir=data / "chroma",
    keyword_dir=data / "bm25", knowledge_dir=folder, embeddings=make_embeddings(sys.argv[5], threads=2))
kbase.ingestor.ingest()
service = QAService(kbase.retriever)
for question in json.load(open(sys.argv[4], encoding="utf-8")):
    a = service.ask(question)
    print(json.dumps([a.refused, [[p.text, p.source] for p in a.sources], a.text], ensure_ascii=False))
"""


def run_baseline(
    folder: Path, data: Path, rows: list[dict], tmp: Path, embedder: str
) -> list[Result]:
    """The code at BASELINE_COMMIT, unpacked with git archive, in its own process."""
    tree = tmp / "baseline-tree"
    tree.mkdir()
    archive = subprocess.run(
        ["git", "archive", BASELINE_COMMIT], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    questions = tmp / "questions.json"
    questions.write_text(json.dumps([r["question"] for r in rows], ensure_ascii=False), "utf-8")
    data.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            _BASELINE_SCRIPT,
            str(tree),
            str(folder),
            str(data),
            str(questions),
            embedder,
        ],
        cwd=tree,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(tree)},
    ).stdout
    return [tuple(json.loads(line)) for line in out.splitlines() if line.startswith("[")]


def figures(rows: list[dict], results: list[Result]) -> Figures:
    recall: dict[str, Recall] = {}
    for kind in ("semantic", "article", "answerable"):
        chosen = [
            (r, res)
            for r, res in zip(rows, results, strict=True)
            if (r["kind"] != "refuse" if kind == "answerable" else r["kind"] == kind)
        ]
        ranks = []
        for row, (_, sources, _) in chosen:
            rank = next(
                (
                    i
                    for i, (text, source) in enumerate(sources[:5], 1)
                    if hit(text, source, row["expect"])
                ),
                None,
            )
            ranks.append(rank)
        n = len(ranks) or 1
        recall[kind] = (
            len(ranks),
            sum(r == 1 for r in ranks) / n,
            sum(r is not None for r in ranks) / n,
            sum(1 / r for r in ranks if r) / n,
        )
    refuse = [(r, res) for r, res in zip(rows, results, strict=True) if r["kind"] == "refuse"]
    named = [(r, res) for r, res in refuse if NAMES_A_DOCUMENT.search(r["question"])]
    return Figures(
        semantic=recall["semantic"],
        article=recall["article"],
        answerable=recall["answerable"],
        refused=(sum(res[0] for _, res in refuse), len(refuse)),
        by_name=(
            sum(
                (res[0] and ("《" in res[2] or "知识库中没有" in res[2]) and "条" in res[2])
                or (res[0] and "知识库中没有《" in res[2])
                for _, res in named
            ),
            len(named),
        ),
        no_rule=sum(res[0] or res[2].startswith(messages.ANSWER_LOW_HEADERS) for _, res in refuse),
        # answered as if the knowledge base held the rule (the plain recipe answers everything)
        confident=sum(
            not res[0] and not res[2].startswith(messages.ANSWER_LOW_HEADERS) for _, res in refuse
        ),
        # answerable, but answered under the low-confidence header: the cost of a stricter check
        answerable_low=sum(
            not res[0] and res[2].startswith(messages.ANSWER_LOW_HEADERS)
            for r, res in zip(rows, results, strict=True)
            if r["kind"] != "refuse"
        ),
        false_refusals=sum(
            res[0] for r, res in zip(rows, results, strict=True) if r["kind"] != "refuse"
        ),
    )


def report(name: str, system: str, rows: list[dict], results: list[Result]) -> None:
    f = figures(rows, results)
    sem, art, ans = f["semantic"], f["article"], f["answerable"]
    refused, total = f["refused"]
    named, named_total = f["by_name"]
    print(
        f"{name:<12} {system:<20} R@1 {ans[1]:.3f} R@5 {ans[2]:.3f} MRR {ans[3]:.3f} | "
        f"semantic({sem[0]}) R@5 {sem[2]:.3f} MRR {sem[3]:.3f} | article({art[0]}) R@1 {art[1]:.3f} "
        f"R@5 {art[2]:.3f} | refused {refused}/{total} (by name {named}/{named_total}) "
        f"no rule {f['no_rule']} confident {f['confident']} | "
        f"answerable refused {f['false_refusals']} low {f['answerable_low']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--with-use", action="store_true")
    parser.add_argument("--no-plain", action="store_true", help="skip the plain recipe")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated sets to ask, e.g. 'dev3,m,k' (dev3, dev2, dev or fresh letters)",
    )
    args = parser.parse_args()
    only = {name for name in args.only.split(",") if name}
    default = make_embeddings(args.embedder, threads=args.threads)
    sets = {
        "qa_dev3": load_questions(QA_DEV3),
        "qa_dev2": load_questions(QA_DEV2),
        "qa_dev": load_questions(QA_DEV),
        "fresh": load_questions(FRESH_QA),
    }
    if only:
        sets = {
            name: [r for r in rows if name != "fresh" or r["id"][0] in only]
            for name, rows in sets.items()
            if name == "fresh" or name.removeprefix("qa_") in only
        }
    questions = [row for rows in sets.values() for row in rows]
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        folder = copy_eval_corpus(tmp / "knowledge")
        systems: dict[str, list[Result]] = {
            f"partybot {default.name[:8]}": run_partybot(folder, tmp / "p", default, questions),
        }
        if args.with_use and args.embedder != "use-multilingual":
            use = make_embeddings("use-multilingual")
            systems["partybot use"] = run_partybot(folder, tmp / "u", use, questions)
        if not args.no_baseline:
            systems[f"before {default.name[:8]}"] = run_baseline(
                folder, tmp / "b", questions, tmp, args.embedder
            )
        if not args.no_plain:
            systems[f"plain {default.name[:8]}"] = run_plain_recipe(
                folder, tmp / "r", default, questions
            )
    print(", ".join(f"{name} {len(rows)}" for name, rows in sets.items()), default.name)
    for system, results in systems.items():
        start = 0
        for name, rows in sets.items():
            part = results[start : start + len(rows)]
            start += len(rows)
            if name == "fresh":
                for prefix in FRESH_QA_SETS:
                    if only and prefix not in only:
                        continue
                    chosen = [
                        (r, x) for r, x in zip(rows, part, strict=True) if r["id"][0] == prefix
                    ]
                    report(
                        f"fresh {prefix}", system, [r for r, _ in chosen], [x for _, x in chosen]
                    )
                continue
            if name in ("qa_dev3", "qa_dev2"):
                for half_name in ("held", "tune"):
                    chosen = [
                        (r, x)
                        for r, x in zip(rows, part, strict=True)
                        if half(r["id"]) == half_name
                    ]
                    report(
                        f"{name[3:]} {half_name}",
                        system,
                        [r for r, _ in chosen],
                        [x for _, x in chosen],
                    )
            report(f"{name[3:] if name != 'qa_dev' else 'dev'} all", system, rows, part)


if __name__ == "__main__":
    main()
