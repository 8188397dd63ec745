"""A mistyped, missing, unmounted or unreadable knowledge folder never empties the index; an
ingest that would remove more than half of the documents (or all) stops unless --prune, and
every removal names what it removes (issue 25, item 1)."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from bot.cli.ingest import run_ingest
from bot.db import knowledge as kb
from ingest.guard import KnowledgeFolderMissing, TooManyRemovals, too_many

RULE = "# 村务管理办法{n}\n\n第一条　村务公开每季度一次。\n\n第二条　村民会议每年召开两次。\n"


def _fill(folder: Path, count: int) -> list[Path]:
    paths = []
    for n in range(count):
        path = folder / f"办法{n}.md"
        path.write_text(RULE.format(n=n), encoding="utf-8")
        paths.append(path)
    return paths


def _sources(kbase) -> set[str]:
    with kbase.sessions() as session:
        return {d.source for d in kb.list_documents(session=session)}


def _run(kbase, path: Path | None = None, *, prune: bool = False) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_ingest(kbase.ingestor, path, prune=prune, out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("how", ["missing", "not_folder", "renamed", "unmounted"])
def test_a_wrong_knowledge_folder_deletes_nothing(
    make_kb, knowledge_dir: Path, tmp_path: Path, how: str
) -> None:
    _fill(knowledge_dir, 4)
    kbase = make_kb()
    kbase.ingestor.ingest()
    vectors = kbase.vectors.all_ids()
    moved = tmp_path / "elsewhere"
    if how == "unmounted":  # the mount point is there, empty
        shutil.move(knowledge_dir, moved)
        knowledge_dir.mkdir()
    elif how == "not_folder":
        shutil.move(knowledge_dir, moved)
        knowledge_dir.write_text("not a folder")
    else:
        shutil.move(knowledge_dir, moved)
    code, out, err = _run(kbase)
    assert code == 2 and out == ""
    assert "什么也没有删除" in err and str(knowledge_dir) in err
    if how == "unmounted":
        assert "--prune" in err and "办法0.md《村务管理办法0》" in err
    else:
        assert "PARTYBOT_KNOWLEDGE_DIR" in err
    assert _sources(kbase) == {f"办法{n}.md" for n in range(4)}
    assert kbase.vectors.all_ids() == vectors
    assert kbase.retriever.search("村民会议每年召开几次？").passages


def test_an_unreadable_folder_deletes_nothing(make_kb, knowledge_dir: Path, monkeypatch) -> None:
    sub = knowledge_dir / "法规"
    sub.mkdir()
    _fill(sub, 2)
    _fill(knowledge_dir, 1)
    kbase = make_kb()
    kbase.ingestor.ingest()
    refused: set[Path] = set()
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) in refused:  # what chmod 000 does to anyone but root
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    refused.add(sub)
    code, out, _ = _run(kbase)  # the subfolder is reported, its documents kept
    assert code == 0 and "[跳过] 法规" in out and "删除 0" in out
    refused.add(knowledge_dir)
    code, _, err = _run(kbase)
    assert code == 2 and "无法读取（Permission denied）" in err and "什么也没有删除" in err
    assert _sources(kbase) == {"法规/办法0.md", "法规/办法1.md", "办法0.md"}


def test_removing_more_than_half_needs_prune(make_kb, knowledge_dir: Path) -> None:
    paths = _fill(knowledge_dir, 5)
    kbase = make_kb()
    kbase.ingestor.ingest()
    for path in paths[:2]:  # two of five: an ordinary deletion
        path.unlink()
    code, out, _ = _run(kbase)
    assert code == 0
    assert "[已删除] 办法0.md：《村务管理办法0》" in out and "[已删除] 办法1.md" in out
    paths[2].unlink()
    paths[3].unlink()  # two of the three left: stops
    (knowledge_dir / "新办法.md").write_text(RULE.format(n=9), encoding="utf-8")
    code, out, err = _run(kbase)
    assert code == 2 and "删除 2 个文档（已索引 3 个）" in err
    assert "- 办法2.md《村务管理办法2》" in err and "- 办法3.md《村务管理办法3》" in err
    assert _sources(kbase) == {"办法2.md", "办法3.md", "办法4.md"}  # nothing added either
    code, out, _ = _run(kbase, prune=True)
    assert code == 0 and "[已删除] 办法2.md：《村务管理办法2》" in out
    assert _sources(kbase) == {"办法4.md", "新办法.md"}


def test_the_last_document_goes_only_with_prune(make_kb, knowledge_dir: Path) -> None:
    (path,) = _fill(knowledge_dir, 1)
    kbase = make_kb()
    kbase.ingestor.ingest()
    path.unlink()
    with pytest.raises(TooManyRemovals):
        kbase.ingestor.ingest()
    named = kbase.ingestor.ingest(path)  # a file named by its path: asked for
    assert [(o.source, o.status) for o in named.outcomes] == [("办法0.md", "deleted")]


def test_a_missing_folder_given_by_path_is_refused(make_kb, knowledge_dir: Path) -> None:
    sub = knowledge_dir / "法规"
    sub.mkdir()
    _fill(sub, 2)
    kbase = make_kb()
    kbase.ingestor.ingest()
    with pytest.raises(KnowledgeFolderMissing):
        kbase.ingestor.ingest(knowledge_dir / "法规错")
    assert len(_sources(kbase)) == 2


def test_the_rule() -> None:
    assert not too_many(0, 0) and not too_many(0, 5)
    assert too_many(1, 1) and too_many(2, 3) and not too_many(1, 3) and not too_many(2, 4)


def test_without_a_terminal_progress_lines_come_every_few_files(
    make_kb, knowledge_dir: Path
) -> None:
    _fill(knowledge_dir, 12)
    code, _, err = _run(make_kb())
    assert code == 0
    lines = [line for line in err.splitlines() if line.startswith("索引中")]
    assert lines == [f"索引中：已处理 {n}/12 个文件" for n in (5, 10, 12)]


def test_a_docx_that_is_a_pdf_is_indexed_and_the_line_says_so(
    make_kb, knowledge_dir: Path, tmp_path: Path
) -> None:
    from tests.support.documents import write_pdf

    pdf = write_pdf(
        tmp_path / "x.pdf", ["第一条　党员应当按期交纳党费。", "第二条　党费按月收缴。"]
    )
    (knowledge_dir / "党费规定.docx").write_bytes(pdf.read_bytes())
    code, out, _ = _run(make_kb())
    assert code == 0
    assert "[新增] 党费规定.docx" in out and "（文件实际是 PDF，已按 PDF 读取）" in out


def test_reindex_from_a_chat_or_the_web_stops_the_same_way(
    make_kb, knowledge_dir: Path, tmp_path: Path
) -> None:
    from datetime import UTC, datetime

    from bot.qa.library import LibraryService, stop_text
    from ingest.guard import KnowledgeFolderError

    _fill(knowledge_dir, 3)
    kbase = make_kb()
    library = LibraryService(
        ingestor=kbase.ingestor,
        session_factory=kbase.sessions,
        knowledge_dir=knowledge_dir,
        uploads_dir=tmp_path / "uploads",
        clock=lambda: datetime.now(UTC),
    )
    assert library.reindex() == {"added": 3}
    shutil.rmtree(knowledge_dir)
    with pytest.raises(KnowledgeFolderError) as stopped:
        library.reindex()
    assert "什么也没有删除" in stop_text(stopped.value, knowledge_dir)
    assert len(library.documents()) == 3


def test_partybot_ingest_encodes_on_every_core_and_other_commands_on_one(
    env_settings: Path, knowledge_dir: Path, monkeypatch, capsys
) -> None:
    """Nothing else runs during `partybot ingest`; a serving process keeps cores for answers."""
    import bot.index.embeddings
    from bot.cli import main

    monkeypatch.delenv("PARTYBOT_EMBED_THREADS", raising=False)
    built: list[int] = []
    make_embeddings = bot.index.embeddings.make_embeddings

    def spied(model: str, *, threads: int = 1):  # the real encoder, its thread count noted
        built.append(threads)
        return make_embeddings(model, threads=threads)

    monkeypatch.setattr(bot.index.embeddings, "make_embeddings", spied)
    _fill(knowledge_dir, 1)
    assert main(["ingest"]) == 0
    assert main(["report", "reindex"]) == 0
    assert built == [max(1, os.cpu_count() or 1), 1]
