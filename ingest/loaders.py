"""Read a file of any supported format into plain text lines.

Headings are normalised to markdown (`#`, `##`) so the splitter sees one structure whatever
the source format was.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from ingest.load_types import MB, LoadedText, LoadError, LoadLimits, Progress, sniff

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".docx", ".pdf", ".html", ".htm"})
# Parsed in-process: decoding text is bounded by the file size. The rest (zip/XML, PDF, HTML
# parsers) run in a worker process with a memory cap and a time budget (ingest/sandbox.py).
PLAIN_SUFFIXES = frozenset({".txt", ".md"})
MIN_PDF_CHARS_PER_PAGE = 20


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode Chinese text: UTF-8 first, then GB18030 (a superset of GBK/GB2312), else detect."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("unknown", data[:1], 0, 1, "no encoding fits")
    return str(best), best.encoding


def load_file(
    path: Path, limits: LoadLimits | None = None, progress: Progress | None = None
) -> LoadedText:
    """Read one file in this process. Any parser error is a LoadError for this file only."""
    limits = limits or LoadLimits()
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoadError(path, "unsupported")
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise LoadError(path, "too_large", f"{size / MB:.1f}")
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, "unreadable", str(exc)) from exc
    if not data.strip():
        raise LoadError(path, "empty")
    real = real_suffix(path, data)
    try:
        if real in PLAIN_SUFFIXES:
            loaded = _load_plain(path, data)
        elif real == ".docx":
            loaded = _load_docx(path, data, limits)
        elif real == ".pdf":
            loaded = _load_pdf(path, data, limits, progress)
        else:
            from ingest.html_text import load_html

            loaded = load_html(path, data)
        if real != suffix and {real, suffix} != {".html", ".htm"}:
            loaded = replace(loaded, read_as=real)
    except LoadError:
        raise
    except MemoryError as exc:
        raise LoadError(path, "parser_died", "memory") from exc
    except RecursionError as exc:
        raise LoadError(path, "corrupt", "nested too deeply") from exc
    except Exception as exc:  # any parser's own error on a damaged file
        raise LoadError(path, "corrupt", repr(exc)[:200]) from exc
    if not loaded.text.strip():
        raise LoadError(path, "empty")
    if len(loaded.text) > limits.max_text_chars:
        raise LoadError(path, "too_long", f"{len(loaded.text) / 10000:.0f}")
    return loaded


def real_suffix(path: Path, data: bytes) -> str:
    """The format to read a file as: what its first bytes are, where they say (a .docx that
    is a PDF is read as a PDF); a format that is not indexed is refused, naming it."""
    suffix = path.suffix.lower()
    found = sniff(data[:64])
    if found is None or found == suffix:
        return suffix
    if found in (".doc", ".rtf"):
        raise LoadError(path, "wrong_format", found)
    if found == ".html" and suffix not in (".docx", ".pdf"):
        return suffix  # a text file may begin with markup; .htm is HTML
    return found


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters: a program or image renamed .txt, not text."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.1


def _load_plain(path: Path, data: bytes) -> LoadedText:
    if looks_binary(data):
        raise LoadError(path, "binary")
    try:
        text, encoding = decode_text(data)
    except UnicodeDecodeError as exc:
        raise LoadError(path, "encoding") from exc
    if path.suffix.lower() == ".md":
        text = _HTML_COMMENT.sub("", text)
    return LoadedText(text=text, encoding=encoding)


def _check_zip(path: Path, data: bytes, limits: LoadLimits) -> None:
    """Refuse a zip whose members would inflate past the limit, before any parser reads it."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise LoadError(path, "corrupt", str(exc)) from exc
    xml = sum(m.file_size for m in members if m.filename.endswith((".xml", ".rels")))
    everything = sum(m.file_size for m in members)
    if xml > limits.max_unzipped_xml_bytes or everything > limits.max_unzipped_bytes:
        raise LoadError(path, "zip_too_large", f"{max(xml, everything) / MB:.0f}")


def _load_docx(path: Path, data: bytes, limits: LoadLimits) -> LoadedText:
    import io
    import zipfile

    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(path, data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise LoadError(path, "corrupt", str(exc)) from exc
    except Exception as exc:  # python-docx raises assorted lxml/opc errors on broken parts
        raise LoadError(path, "corrupt", repr(exc)) from exc

    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = block.text.strip()
            if not text:
                continue
            level = _docx_heading_level(block.style.name if block.style is not None else "")
            lines.append(f"{'#' * level} {text}" if level else text)
        elif isinstance(block, Table):
            lines.extend(_docx_table_lines(block))
    return LoadedText(text="\n\n".join(lines))


def _docx_heading_level(style_name: str) -> int:
    lowered = style_name.lower()
    if lowered == "title":
        return 1
    match = re.match(r"(?:heading|标题)\s*(\d)", lowered)
    return min(int(match.group(1)) + 1, 6) if match else 0


def _docx_table_lines(table: object) -> list[str]:
    """A table as one line per row, cells joined by ' | ', repeated cells (merges) dropped."""
    lines = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        if cells:
            lines.append(" | ".join(cells))
    return lines


def _load_pdf(
    path: Path, data: bytes, limits: LoadLimits, progress: Progress | None = None
) -> LoadedText:
    import io

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError(path, "encrypted")
        if len(reader.pages) > limits.max_pdf_pages:
            raise LoadError(path, "too_many_pages", str(len(reader.pages)))
        pages = [page.extract_text() or "" for page in reader.pages]
    except LoadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise LoadError(path, "corrupt", str(exc)) from exc
    except Exception as exc:  # pypdf surfaces many internal errors on damaged files
        raise LoadError(path, "corrupt", repr(exc)) from exc
    chars = sum(len("".join(p.split())) for p in pages)
    if not pages or chars < MIN_PDF_CHARS_PER_PAGE * len(pages):
        return _load_scan(path, data, limits, progress)
    return LoadedText(text="\n\n".join(pages))


def _load_scan(
    path: Path, data: bytes, limits: LoadLimits, progress: Progress | None
) -> LoadedText:
    from ingest.ocr import ocr_available, ocr_pdf

    if not ocr_available():
        raise LoadError(path, "needs_ocr")
    result = ocr_pdf(data, max_pages=limits.max_pdf_pages, on_page=progress)
    if len(result.unreadable) == result.pages:
        raise LoadError(path, "ocr_failed", str(result.pages))
    return LoadedText(
        text=result.text, ocr_pages=result.pages, unreadable_pages=tuple(result.unreadable)
    )
