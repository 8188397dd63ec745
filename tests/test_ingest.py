from __future__ import annotations

from pathlib import Path

import pytest

from bot.db import knowledge as kb
from bot.index.ingestor import PIPELINE_KEY, PIPELINE_VERSION
from bot.qa.retriever import IndexMismatchError
from ingest.guard import TooManyRemovals
from ingest.ocr import ocr_available
from tests.support.documents import write_docx, write_scanned_pdf
from tests.support.fakes import HashingEmbeddings

REG_V1 = "# 村务管理办法\n\n第一条　村务公开每季度一次。\n\n第二条　村民会议每年召开两次。\n\n第三条　本办法自公布之日起施行。\n"
REG_V2 = REG_V1.replace("每季度一次", "每月一次")


def _db_state(kbase) -> tuple[int, set[str], set[str]]:
    with kbase.sessions() as session:
        version = kb.get_index_version(session=session)
        ids = kb.all_chunk_ids(session=session)
        sources = {d.source for d in kb.list_documents(session=session)}
    return version, ids, sources


def test_unchanged_rerun_changes_nothing(make_kb, knowledge_dir: Path) -> None:
    (knowledge_dir / "办法.md").write_text(REG_V1, encoding="utf-8")
    write_docx(knowledge_dir / "支部条例.docx")
    kbase = make_kb()
    first = kbase.ingestor.ingest()
    assert sorted(o.status for o in first.outcomes) == ["added", "added"]
    before = _db_state(kbase)
    vectors_before = kbase.vectors.all_ids()
    embedder_calls = kbase.embeddings.calls

    second = kbase.ingestor.ingest()
    assert [o.status for o in second.outcomes] == ["unchanged", "unchanged"]
    assert _db_state(kbase) == before
    assert kbase.vectors.all_ids() == vectors_before == before[1]
    assert kbase.embeddings.calls == embedder_calls


def test_edit_replaces_and_delete_removes(make_kb, knowledge_dir: Path) -> None:
    path = knowledge_dir / "办法.md"
    path.write_text(REG_V1, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    assert "每季度" in kbase.retriever.search("村务管理办法第一条").passages[0].text

    path.write_text(REG_V2, encoding="utf-8")
    report = kbase.ingestor.ingest()
    assert [o.status for o in report.outcomes] == ["updated"]
    passage = kbase.retriever.search("村务管理办法第一条").passages[0]
    assert "每月一次" in passage.text
    _, ids, _ = _db_state(kbase)
    assert kbase.vectors.all_ids() == ids  # the old version's vectors are gone

    path.unlink()
    state = _db_state(kbase)
    with pytest.raises(TooManyRemovals):  # the only document: removed only when asked
        kbase.ingestor.ingest()
    assert _db_state(kbase) == state
    report = kbase.ingestor.ingest(prune=True)
    assert [(o.status, o.title) for o in report.outcomes] == [("deleted", "村务管理办法")]
    assert _db_state(kbase)[1:] == (set(), set())
    assert kbase.vectors.all_ids() == set()


def test_bad_files_are_reported_and_the_rest_indexed(make_kb, knowledge_dir: Path) -> None:
    (knowledge_dir / "办法.md").write_text(REG_V1, encoding="utf-8")
    (knowledge_dir / "坏文件.docx").write_bytes(b"PK\x03\x04 broken")
    write_scanned_pdf(knowledge_dir / "扫描件.pdf")
    (knowledge_dir / "空.txt").write_bytes(b"")
    (knowledge_dir / "~$临时.docx").write_bytes(b"lock file")
    report = make_kb().ingestor.ingest()
    outcomes = {o.source: (o.status, o.reason) for o in report.outcomes}
    assert outcomes == {
        "办法.md": ("added", None),
        "坏文件.docx": ("failed", "corrupt"),
        # drawings only: OCR (when installed) finds no text on any page
        "扫描件.pdf": ("failed", "ocr_failed" if ocr_available() else "needs_ocr"),
        "空.txt": ("failed", "empty"),
        "~$临时.docx": ("skipped", "hidden"),  # reported, not indexed
    }


def test_corrupt_edit_keeps_the_previous_version(make_kb, knowledge_dir: Path) -> None:
    path = knowledge_dir / "支部条例.docx"
    write_docx(path)
    kbase = make_kb()
    kbase.ingestor.ingest()
    path.write_bytes(b"PK\x03\x04 truncated upload")
    report = kbase.ingestor.ingest()
    assert [(o.status, o.reason) for o in report.outcomes] == [("failed", "corrupt")]
    assert kbase.retriever.search("支部工作条例第九条").passages[0].article == "第九条"


def test_crash_mid_ingest_leaves_previous_index_usable(
    make_kb, knowledge_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = knowledge_dir / "办法.md"
    path.write_text(REG_V1, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    path.write_text(REG_V2, encoding="utf-8")

    def crash(**_: object) -> list[str]:
        raise RuntimeError("power cut")

    # the new vectors are written, then the process dies before the database switch
    monkeypatch.setattr(kb, "replace_document", crash)
    with pytest.raises(RuntimeError):
        kbase.ingestor.ingest()
    monkeypatch.undo()

    result = kbase.retriever.search("村务管理办法第一条")
    assert "每季度" in result.passages[0].text
    hybrid = kbase.retriever.search("村务公开多久一次")
    assert all("每月一次" not in p.text for p in hybrid.passages)  # orphans are never served
    _, ids, _ = _db_state(kbase)
    assert kbase.vectors.all_ids() > ids

    report = kbase.ingestor.ingest()
    assert [o.status for o in report.outcomes] == ["updated"]
    _, ids, _ = _db_state(kbase)
    assert kbase.vectors.all_ids() == ids
    assert "每月一次" in kbase.retriever.search("村务管理办法第一条").passages[0].text


def test_changing_the_embedder_requires_and_then_does_a_rebuild(
    make_kb, knowledge_dir: Path
) -> None:
    (knowledge_dir / "办法.md").write_text(REG_V1, encoding="utf-8")
    make_kb(HashingEmbeddings(name="model-a")).ingestor.ingest()
    other = make_kb(HashingEmbeddings(name="model-b"))
    with pytest.raises(IndexMismatchError) as error:
        other.retriever.search("村务公开")
    assert (error.value.built_with, error.value.current) == ("model-a", "model-b")
    report = other.ingestor.ingest()
    assert report.rebuilt_for_embedder == "model-b"
    assert [o.status for o in report.outcomes] == ["added"]
    assert other.retriever.search("村务管理办法第二条").passages[0].article == "第二条"


def test_a_new_pipeline_re_splits_every_file_before_it_is_recorded(
    make_kb, knowledge_dir: Path
) -> None:
    (knowledge_dir / "办法.md").write_text(REG_V1, encoding="utf-8")
    other = write_docx(knowledge_dir / "支部条例.docx")
    kbase = make_kb()
    kbase.ingestor.ingest()
    before = _db_state(kbase)[1:]
    with kbase.sessions() as session, session.begin():  # as an index built by an older release
        kb.set_state(session=session, key=PIPELINE_KEY, value="0")

    # an upload ingested alone is split anew, but the other file is not yet
    alone = kbase.ingestor.ingest(other)
    assert [o.status for o in alone.outcomes] == ["updated"]
    with kbase.sessions() as session:
        assert kb.get_state(session=session, key=PIPELINE_KEY) == "0"

    report = kbase.ingestor.ingest()  # the whole folder, as `scripts/start` does
    assert sorted(o.status for o in report.outcomes) == ["updated", "updated"]
    with kbase.sessions() as session:
        assert kb.get_state(session=session, key=PIPELINE_KEY) == PIPELINE_VERSION
    assert _db_state(kbase)[1:] == before  # no document lost
    again = kbase.ingestor.ingest()
    assert [o.status for o in again.outcomes] == ["unchanged", "unchanged"]


def test_ingest_a_single_file_and_remove(make_kb, knowledge_dir: Path) -> None:
    (knowledge_dir / "办法.md").write_text(REG_V1, encoding="utf-8")
    docx_path = write_docx(knowledge_dir / "支部条例.docx")
    kbase = make_kb()
    report = kbase.ingestor.ingest(docx_path)
    assert [(o.source, o.status, o.articles) for o in report.outcomes] == [
        ("支部条例.docx", "added", 4)
    ]
    assert kbase.ingestor.remove("支部条例.docx") is True
    assert _db_state(kbase)[2] == set()
