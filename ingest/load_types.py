"""What loading a file yields, what it may cost, and how it fails; and what a file really is,
from its first bytes, whatever its name says."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

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


# a file's first bytes → the format they are (a .docx saved from a PDF viewer is a PDF)
_MAGIC = (
    (b"%PDF-", ".pdf"),
    (b"PK\x03\x04", ".docx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".doc"),  # old Word (and Excel) files
    (b"{\\rtf", ".rtf"),
)
_HTML_STARTS = (b"<!doctype html", b"<html")


def sniff(head: bytes) -> str | None:
    """The suffix a file's first bytes say it is, or None when they say nothing (text)."""
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, suffix in _MAGIC:
        if start.startswith(magic):
            return suffix
    if start[:20].lower().startswith(_HTML_STARTS):
        return ".html"
    return None
