from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import LoadError, load_file
from ingest.splitter import parse_document
from tests.support.documents import write_docx, write_pdf, write_scanned_pdf


def test_docx_keeps_headings_tables_and_articles(tmp_path: Path) -> None:
    loaded = load_file(write_docx(tmp_path / "支部条例.docx"))
    assert "# 中国共产党支部工作条例（试行）" in loaded.text
    assert "## 第二章　组织生活" in loaded.text
    assert "支部委员会 | 每月1次" in loaded.text
    # the table sits between the articles it was placed between
    assert (
        loaded.text.index("第九条")
        < loaded.text.index("支部委员会 |")
        < loaded.text.index("第十条")
    )

    parsed = parse_document(loaded.text, fallback_title="x")
    assert parsed.title == "中国共产党支部工作条例（试行）"
    assert parsed.kind == "regulation"
    ninth = next(c for c in parsed.chunks if c.article == "第九条")
    assert ninth.heading == "中国共产党支部工作条例（试行） > 第二章　组织生活 > 第九条"
    assert "每月1次" in ninth.text


def test_pdf_with_text_layer(tmp_path: Path) -> None:
    lines = ["中国共产党党员教育管理工作条例", "第一条　为了加强党员教育管理工作，制定本条例。"]
    loaded = load_file(write_pdf(tmp_path / "条例.pdf", lines * 3))
    assert "加强党员教育管理工作" in loaded.text


def test_pdf_without_text_layer_needs_ocr(tmp_path: Path, monkeypatch) -> None:
    import ingest.ocr

    monkeypatch.setattr(ingest.ocr, "ocr_available", lambda: False)  # without the [ocr] extra
    with pytest.raises(LoadError) as error:
        load_file(write_scanned_pdf(tmp_path / "扫描件.pdf"))
    assert error.value.reason == "needs_ocr"
    assert error.value.path.name == "扫描件.pdf"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8", "utf-8-sig"])
def test_chinese_text_encodings(tmp_path: Path, encoding: str) -> None:
    text = "# 村规民约\n\n第一条　本村村民应当遵守宪法、法律、法规和国家政策。\n"
    path = tmp_path / "村规民约.txt"
    path.write_bytes(text.encode(encoding))
    assert load_file(path).text.lstrip("\ufeff") == text


def test_markdown_comments_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text(
        "<!-- source: somewhere 2022年1月1日通过 -->\n# 标题\n\n正文。", encoding="utf-8"
    )
    assert "source" not in load_file(path).text


def test_html(tmp_path: Path) -> None:
    path = tmp_path / "notice.html"
    path.write_text(
        "<html><head><title>关于开展主题党日活动的通知</title><script>x=1</script></head>"
        "<body><h2>一、活动主题</h2><p>学习贯彻党的二十大精神。</p>"
        "<table><tr><td>时间</td><td>每月10日</td></tr></table></body></html>",
        encoding="utf-8",
    )
    text = load_file(path).text
    assert text.startswith("# 关于开展主题党日活动的通知")
    assert "## 一、活动主题" in text
    assert "时间 | 每月10日" in text
    assert "x=1" not in text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.docx", b"PK\x03\x04 this is not really a zip", "corrupt"),
        ("broken.pdf", b"%PDF-1.4\n garbage without objects", "corrupt"),
        ("empty.txt", b"", "empty"),
        ("blank.md", b"  \n\n ", "empty"),
        ("slides.pptx", b"whatever", "unsupported"),
        ("binary.txt", b"\x00\x01\x02\x03" * 50, "binary"),  # not an encoding problem
    ],
)
def test_bad_files_raise_a_reason(tmp_path: Path, name: str, content: bytes, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as error:
        load_file(path)
    assert error.value.reason == reason


def test_a_docx_that_is_really_a_pdf_is_read_as_one(tmp_path: Path) -> None:
    pdf = write_pdf(
        tmp_path / "x.pdf",
        ["第一条　党员应当按期交纳党费。", "第二条　党费由党支部按月收缴，并公布收缴情况。"],
    )
    path = tmp_path / "党费规定.docx"
    path.write_bytes(pdf.read_bytes())
    loaded = load_file(path)
    assert "按期交纳党费" in loaded.text and loaded.read_as == ".pdf"
    renamed = tmp_path / "条例.pdf"  # and the other way round
    renamed.write_bytes(write_docx(tmp_path / "条例.docx").read_bytes())
    assert load_file(renamed).read_as == ".docx"
    assert load_file(tmp_path / "条例.docx").read_as == ""


def test_an_old_word_file_renamed_docx_says_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "旧文件.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(LoadError) as error:
        load_file(path)
    assert (error.value.reason, error.value.detail) == ("wrong_format", ".doc")


def test_html_blocks_are_the_same_whatever_the_nesting(tmp_path: Path) -> None:
    path = tmp_path / "通知.html"
    path.write_text(
        "<html><body><div><div><h2>一、要求</h2><div>各支部每月开展一次。</div></div>"
        "<ul><li>第一项<p>里面的段落</p></li></ul><div><p>第二段</p><span>散字</span></div>"
        "<pre>代码</pre></div></body></html>",
        encoding="utf-8",
    )
    assert load_file(path).text.split("\n\n") == [
        "## 一、要求",
        "各支部每月开展一次。",
        "第一项\n里面的段落",
        "第二段",
        "代码",
    ]
