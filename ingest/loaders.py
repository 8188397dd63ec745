"""Read a file of any supported format into plain text lines.

Headings are normalised to markdown (`#`, `##`) so the splitter sees one structure whatever
the source format was.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".docx", ".pdf", ".html", ".htm"})
# Parsed in-process: decoding text is bounded by the file size. The rest (zip/XML, PDF, HTML
# parsers) run in a worker process with a memory cap and a time budget (ingest/sandbox.py).
PLAIN_SUFFIXES = frozenset({".txt", ".md"})
MIN_PDF_CHARS_PER_PAGE = 20
MB = 1024 * 1024


@dataclass(frozen=True)
class LoadLimits:
    """What one file may cost. A file over any limit fails alone, with its reason."""

    max_file_bytes: int = 30 * MB
    # .docx is a zip, read whole by python-docx: its members' declared sizes (zipfile never
    # inflates past them), the XML ones (a long regulation's is 1-3 MB) and all of them
    max_unzipped_xml_bytes: int = 32 * MB
    max_unzipped_bytes: int = 256 * MB
    # the text a file yields (a 1,000-page collection of regulations is about 1.5 M characters)
    max_text_chars: int = 3_000_000
    max_pdf_pages: int = 1000
    timeout_s: float = 300.0
    # address space of the parsing worker
    memory_bytes: int = 2048 * MB


_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class LoadError(Exception):
    """A file that cannot be indexed; `reason` is a user-facing reason key."""

    def __init__(self, path: Path, reason: str, detail: str = "") -> None:
        super().__init__(f"{path}: {reason} {detail}".strip())
        self.path = path
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class LoadedText:
    text: str
    # The encoding a text file was read with, for reporting; None for binary formats.
    encoding: str | None = None
    ocr_pages: int = 0  # pages read by OCR (a scan)
    unreadable_pages: tuple[int, ...] = ()  # page numbers OCR could not read
    read_as: str = ""  # the format it really is (a .docx that is a PDF: "pdf"), when not its name's


Progress = Callable[[int, int], None]


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
    try:
        if suffix in PLAIN_SUFFIXES:
            loaded = _load_plain(path, data)
        elif suffix == ".docx":
            loaded = _load_docx(path, data, limits)
        elif suffix == ".pdf":
            loaded = _load_pdf(path, data, limits, progress)
        else:
            loaded = _load_html(path, data)
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


def _load_html(path: Path, data: bytes) -> LoadedText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data, "lxml")
    for tag in soup(["script", "style", "nav", "header", "footer", "noscript"]):
        tag.decompose()
    lines: list[str] = []
    body = soup.body or soup
    for element in body.find_all(["h1", "h2", "h3", "h4", "p", "li", "tr", "pre", "div"]):
        if element.name == "div" and element.find(["p", "div", "h1", "h2", "h3", "li", "table"]):
            continue
        if element.find_parent(["p", "li", "tr"]) is not None:
            continue
        if element.name == "tr":
            cells = [" ".join(c.get_text(" ").split()) for c in element.find_all(["td", "th"])]
            text = " | ".join(c for c in cells if c)
        else:
            text = "\n".join(" ".join(s.split()) for s in element.get_text("\n").split("\n"))
            text = "\n".join(s for s in text.split("\n") if s)
        if not text:
            continue
        if element.name in ("h1", "h2", "h3", "h4"):
            text = f"{'#' * int(element.name[1])} {text}"
        lines.append(text)
    if not lines and soup.title and soup.title.string:
        lines.append(soup.title.string.strip())
    title = soup.title.string.strip() if soup.title and soup.title.string else ""
    if title and not any(line.startswith("# ") for line in lines):
        lines.insert(0, f"# {title}")
    return LoadedText(text="\n\n".join(lines))
