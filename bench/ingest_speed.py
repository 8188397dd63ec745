"""Ingest throughput of the eval corpus with the default embedder, and an unchanged re-ingest.

.venv/bin/python -m bench.ingest_speed [--embedder e5-small|use-multilingual|FOLDER]
                                        [--threads N] [--batch 64]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.common import copy_eval_corpus, open_knowledge_base, peak_rss_mib
from bot.index.embeddings import make_embeddings
from bot.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embedder", default="e5-small")
    parser.add_argument(
        "--threads", type=int, default=None, help="default: as `partybot ingest` (every core)"
    )
    parser.add_argument("--batch", type=int, default=64, help="texts per embedding call")
    args = parser.parse_args()
    import bot.index.ingestor

    bot.index.ingestor.EMBED_BATCH = args.batch
    with tempfile.TemporaryDirectory() as tmp:
        folder = copy_eval_corpus(Path(tmp) / "knowledge")
        data = Path(tmp) / "data"
        started = time.perf_counter()
        threads = args.threads or Settings().threads(ingest_only=True)
        embeddings = make_embeddings(args.embedder, threads=threads)
        kbase = open_knowledge_base(folder, data, embeddings)
        setup = time.perf_counter() - started

        started = time.perf_counter()
        report = kbase.ingestor.ingest()
        first = time.perf_counter() - started
        chunks = sum(o.chunks for o in report.outcomes)

        started = time.perf_counter()
        again = kbase.ingestor.ingest()
        rerun = time.perf_counter() - started
        assert not again.changed

        (folder / "dangzhang_2022.md").write_text(
            (folder / "dangzhang_2022.md").read_text(encoding="utf-8") + "\n补充说明。\n",
            encoding="utf-8",
        )
        started = time.perf_counter()
        kbase.ingestor.ingest()
        one_edit = time.perf_counter() - started

    print(f"embedder: {embeddings.name}, threads {threads}, batch {args.batch}")
    print(f"files: {len(report.outcomes)}, chunks: {chunks}")
    print(f"model + index open: {setup:.2f} s")
    print(f"first ingest: {first:.2f} s = {chunks / first:.0f} chunks/s")
    print(f"re-ingest, nothing changed: {rerun:.3f} s")
    print(f"re-ingest, one file edited: {one_edit:.2f} s")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
