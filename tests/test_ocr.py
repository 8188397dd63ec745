"""Scanned PDFs (no text layer) are read by OCR, offline, page by page."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.conftest import CORPUS
from tests.support.documents import cjk_font_file, wrap, write_scan_pdf

pytestmark = pytest.mark.ocr


@pytest.fixture(autouse=True)
def _needs_ocr() -> None:
    from ingest.ocr import ocr_available

    if not ocr_available():
        pytest.skip("the [ocr] extra is not installed")
    if cjk_font_file() is None:
        pytest.skip("no CJK font to render a scan with")


def _articles() -> str:
    text = (CORPUS / "dangzhang_2022.md").read_text(encoding="utf-8")
    start = text.index("第三十一条")
    return text[start : text.index("第三十五条")]


def test_a_scan_with_a_seal_is_read_and_indexed_by_article(make_kb, knowledge_dir: Path) -> None:
    body = _articles()
    lines = ["中国共产党章程（摘录）", *wrap(body)]
    write_scan_pdf(knowledge_dir / "扫描的党章摘录.pdf", [lines[:36], [], lines[36:]])
    kbase = make_kb()
    pages: list[tuple[int, int]] = []
    report = kbase.ingestor.ingest(on_page=lambda source, page, total: pages.append((page, total)))
    (outcome,) = report.outcomes
    assert outcome.status == "added", outcome
    assert outcome.ocr_pages == 3 and outcome.unreadable_pages == (2,)  # the blank page, by number
    assert pages == [(1, 3), (2, 3), (3, 3)]
    assert outcome.articles >= 3  # 第三十一条 … 第三十四条 were found in the text read

    from bot.db import knowledge as kb

    with kbase.sessions() as session:
        read = "".join(t for _, _, t in kb.iter_chunk_texts(session=session))
    expected = "".join(body.split())
    matcher = difflib.SequenceMatcher(None, expected, "".join(read.split()), autojunk=False)
    accuracy = sum(block.size for block in matcher.get_matching_blocks()) / len(expected)
    assert accuracy >= 0.97
