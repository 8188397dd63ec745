"""OCR of scanned-like PDFs: character accuracy and seconds per page.

    .venv/bin/python -m bench.ocr [--pages 6]

Pages of regulation text rendered with a CJK font, with a red seal over the last lines, a skew
of up to ±1.5°, grain and blur (tests/documents.write_scan_pdf); read by ingest's loader.
"""

from __future__ import annotations

import argparse
import difflib
import tempfile
import time
from pathlib import Path

from bench.common import CORPUS
from tests.support.documents import wrap, write_scan_pdf


def accuracy(expected: str, read: str) -> float:
    a, b = "".join(expected.split()), "".join(read.split())
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(a)


def main() -> None:
    from ingest.loaders import load_file

    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=6)
    args = parser.parse_args()
    lines = wrap((CORPUS / "dangzhang_2022.md").read_text(encoding="utf-8"))[40:]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for number in range(args.pages):
            page_lines = lines[number * 36 : (number + 1) * 36]
            path = write_scan_pdf(Path(tmp) / f"p{number}.pdf", [page_lines], seed=number + 1)
            started = time.perf_counter()
            cpu = time.process_time()
            loaded = load_file(path)
            results.append(
                (
                    accuracy("".join(page_lines), loaded.text),
                    time.perf_counter() - started,
                    time.process_time() - cpu,
                )
            )
    for number, (acc, wall, cpu) in enumerate(results, 1):
        print(f"page {number}: accuracy {acc:.4f}, {wall:.1f} s ({cpu:.1f} CPU-s)")
    later = results[1:] or results
    print(
        f"mean accuracy {sum(r[0] for r in results) / len(results):.4f}; "
        f"first page {results[0][1]:.1f} s (models loading), then "
        f"{sum(r[1] for r in later) / len(later):.1f} s and "
        f"{sum(r[2] for r in later) / len(later):.1f} CPU-s a page"
    )


if __name__ == "__main__":
    main()
