"""`ask` latency inside one process, at about 1k, 10k and 100k chunks, and peak memory.

    .venv/bin/python -m bench.ask_latency [--scales 1000 10000 100000] [--embedder …]

The corpus is scaled up synthetically: articles assembled from the sentences of the real
regulations (fixed seed), on top of the eval corpus. Each scale runs in its own process so
its peak memory is its own.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import (
    CORPUS,
    EXTRA_QA,
    QA_DEV,
    copy_eval_corpus,
    load_questions,
    open_knowledge_base,
    peak_rss_mib,
    percentile,
)

ARTICLES_PER_FILE = 50
EVAL_CORPUS_CHUNKS = 506


def write_synthetic(folder: Path, chunks: int, seed: int = 7) -> None:
    sentences: list[str] = []
    for path in sorted(CORPUS.glob("*.md")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("#", "<!--")):
                continue
            body = re.sub(r"^第[零〇一二三四五六七八九十百千]+条[\s　]*", "", line.strip())
            sentences.extend(s + "。" for s in body.split("。") if len(s) > 8)
    rng = random.Random(seed)
    files = max(1, round(chunks / (ARTICLES_PER_FILE + 1)))
    for number in range(files):
        lines = [f"# 某县基层党建工作实施细则（第{number + 1}号）", "", "## 第一章　总则", ""]
        for article in range(1, ARTICLES_PER_FILE + 1):
            text = "".join(rng.sample(sentences, rng.randint(2, 4)))[:380]
            lines += [f"第{article}条　{text}", ""]
        (folder / f"synthetic_{number:05d}.md").write_text("\n".join(lines), encoding="utf-8")


def measure(target_chunks: int, embedder: str, rounds: int) -> None:
    from bot.db import knowledge as kb
    from bot.embeddings import make_embeddings
    from bot.qa.service import QAService

    questions = [r["question"] for r in load_questions(QA_DEV) + load_questions(EXTRA_QA)]
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_eval_corpus(Path(tmp) / "knowledge")
        write_synthetic(folder, max(0, target_chunks - EVAL_CORPUS_CHUNKS))
        data = Path(tmp) / "data"
        kbase = open_knowledge_base(folder, data, make_embeddings(embedder))
        started = time.perf_counter()
        kbase.ingestor.ingest()
        ingest_s = time.perf_counter() - started
        with kbase.sessions() as session:
            total = kb.count_chunks(session=session)
        rss_after_ingest = peak_rss_mib()

        # a fresh service, as after a restart: index files loaded on the first question
        service = QAService(open_knowledge_base(folder, data, kbase.embeddings).retriever)
        started = time.perf_counter()
        service.ask(questions[0])
        first_s = time.perf_counter() - started
        timings = []
        for _ in range(rounds):
            for question in questions:
                started = time.perf_counter()
                service.ask(question)
                timings.append((time.perf_counter() - started) * 1000)
    print(
        f"{total:>7} chunks | ingest {ingest_s:7.1f} s ({total / ingest_s:5.0f}/s) | "
        f"first ask {first_s * 1000:6.0f} ms | p50 {percentile(timings, 50):6.1f} ms | "
        f"p95 {percentile(timings, 95):6.1f} ms | n={len(timings)} | "
        f"peak RSS {max(rss_after_ingest, peak_rss_mib()):.0f} MiB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--embedder", default="use-multilingual")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        measure(args.one, args.embedder, args.rounds)
        return
    print(f"embedder: {args.embedder}; questions: dev + extra sets x {args.rounds} rounds")
    for scale in args.scales:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.ask_latency",
                "--one",
                str(scale),
                "--embedder",
                args.embedder,
                "--rounds",
                str(args.rounds),
            ],
            check=True,
        )


if __name__ == "__main__":
    main()
