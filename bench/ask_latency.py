"""`ask` latency inside one process, at about 1k, 10k and 100k chunks, and peak memory.

    .venv/bin/python -m bench.ask_latency [--scales 1000 10000 100000] [--embedder …]

The corpus is scaled up synthetically: articles assembled from the sentences of the real
regulations (fixed seed), on top of the eval corpus. Each scale runs in its own process so
its peak memory is its own. Every question is embedded for real, once (no cache). Up to
--real-up-to chunks every chunk is embedded for real too; above it (e5 would need about two
hours for 100k) a synthetic chunk's vector is the normalised mean of its sentences' real
vectors: the search then works on as many vectors of the same kind, which is what it costs.
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
    QA_DEV2,
    copy_eval_corpus,
    load_questions,
    open_knowledge_base,
    peak_rss_mib,
    percentile,
)
from bot.index.embeddings import NamedEmbeddings

ARTICLES_PER_FILE = 50
_ARTICLE_HEAD = re.compile(r"^.*?第[0-9零〇一二三四五六七八九十百千]+条[\s　]*", re.DOTALL)
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
            picked = rng.sample(sentences, rng.randint(2, 4))
            while len(picked) > 1 and sum(map(len, picked)) > 380:
                picked.pop()  # whole sentences only: each one's vector is embedded once
            text = "".join(picked)
            lines += [f"第{article}条　{text}", ""]
        (folder / f"synthetic_{number:05d}.md").write_text("\n".join(lines), encoding="utf-8")


class SentenceMeanEmbeddings(NamedEmbeddings):
    """Passages as the normalised mean of their sentences' real vectors (cached); queries and
    the eval corpus itself embedded for real. Keeps the real embedder's name."""

    def __init__(self, real: NamedEmbeddings) -> None:
        self.real = real
        self.name = real.name
        self._cache: dict[str, list[float]] = {}

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        import numpy as np

        if not any("实施细则（第" in t for t in texts):
            return self.real.embed_documents(texts)
        # the article label (and any heading before it) would make every first sentence unique
        bodies = [_ARTICLE_HEAD.sub("", t.rsplit("\n", 1)[-1], count=1) for t in texts]
        pieces = [[s for s in re.split(r"(?<=。)", b) if len(s) > 4] or [b] for b in bodies]
        missing = sorted({s for p in pieces for s in p if s not in self._cache})
        for start in range(0, len(missing), 64):
            batch = missing[start : start + 64]
            self._cache.update(zip(batch, self.real.embed_documents(batch), strict=True))
        out = []
        for sentences in pieces:
            vector = np.mean([self._cache[s] for s in sentences], axis=0)
            out.append((vector / np.linalg.norm(vector)).tolist())
        return out


def build(folder: Path, data: Path, target_chunks: int, embedder: str, real_up_to: int) -> None:
    """Phase 1, its own process: the knowledge folder and its index, on every core."""
    import os

    from bot.db import knowledge as kb
    from bot.index.embeddings import make_embeddings

    copy_eval_corpus(folder)
    write_synthetic(folder, max(0, target_chunks - EVAL_CORPUS_CHUNKS))
    embeddings = make_embeddings(embedder, threads=os.cpu_count() or 1)
    if target_chunks > real_up_to:
        embeddings = SentenceMeanEmbeddings(embeddings)
    kbase = open_knowledge_base(folder, data, embeddings)
    started = time.perf_counter()
    kbase.ingestor.ingest()
    ingest_s = time.perf_counter() - started
    with kbase.sessions() as session:
        total = kb.count_chunks(session=session)
    print(
        f"{total:>7} chunks | ingest {ingest_s:7.1f} s ({total / ingest_s:5.0f}/s, all cores) | "
        f"peak RSS {peak_rss_mib():.0f} MiB",
        end=" | ",
        flush=True,
    )


def measure(folder: Path, data: Path, embedder: str, rounds: int, threads: int) -> None:
    """Phase 2, a fresh process (as after a restart), the encoder on `threads` threads."""
    from bot.index.embeddings import make_embeddings
    from bot.qa.service import QAService

    questions = [r["question"] for r in load_questions(QA_DEV) + load_questions(EXTRA_QA)]
    questions += [r["question"] for r in load_questions(QA_DEV2)]
    service = QAService(
        open_knowledge_base(folder, data, make_embeddings(embedder, threads=threads)).retriever
    )
    started = time.perf_counter()
    service.ask(questions[0])  # index files loaded on the first question
    first_s = time.perf_counter() - started
    timings = []
    for round_number in range(rounds):
        for question in questions:
            started = time.perf_counter()
            service.ask(f"{question}{'？' * round_number}")  # never the same text twice
            timings.append((time.perf_counter() - started) * 1000)
    print(
        f"first ask {first_s * 1000:6.0f} ms | p50 {percentile(timings, 50):6.1f} ms | "
        f"p95 {percentile(timings, 95):6.1f} ms | n={len(timings)} | "
        f"peak RSS {peak_rss_mib():.0f} MiB",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1, help="encoder threads")
    parser.add_argument("--real-up-to", type=int, default=20000)
    parser.add_argument("--build", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--ask", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build is not None:
        build(args.dir / "knowledge", args.dir / "data", args.build, args.embedder, args.real_up_to)
        return
    if args.ask:
        measure(args.dir / "knowledge", args.dir / "data", args.embedder, args.rounds, args.threads)
        return
    print(
        f"embedder: {args.embedder}, {args.threads} thread(s); questions: dev + extra sets x "
        f"{args.rounds} rounds; chunks embedded for real up to {args.real_up_to}"
    )
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            common = ["--embedder", args.embedder, "--dir", tmp]
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.ask_latency",
                    "--build",
                    str(scale),
                    "--real-up-to",
                    str(args.real_up_to),
                    *common,
                ],
                check=True,
            )
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "bench.ask_latency",
                    "--ask",
                    "--rounds",
                    str(args.rounds),
                    "--threads",
                    str(args.threads),
                    *common,
                ],
                check=True,
            )


if __name__ == "__main__":
    main()
