"""Files made to hurt an ingest: zip bombs, encrypted and binary files, deep and looping folders.

Used by the tests and by bench/attacks.py.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

from tests.support.documents import write_docx, write_pdf

_XML_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
_XML_PARAGRAPH = (
    b"<w:p><w:r><w:t>" + "党支部应当每月开展主题党日。".encode() * 8 + b"</w:t></w:r></w:p>"
)


def write_zip_bomb_docx(path: Path, *, expanded_mb: int) -> Path:
    """A real .docx whose document.xml expands to `expanded_mb` MB (a few MB on disk)."""
    template = write_docx(path.with_name("template.docx"))
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bomb,
    ):
        for item in source.infolist():
            if item.filename == "word/document.xml":
                continue
            bomb.writestr(item, source.read(item.filename))
        with bomb.open("word/document.xml", "w", force_zip64=True) as xml:
            xml.write(_XML_HEAD)
            block = _XML_PARAGRAPH * (1024 * 1024 // len(_XML_PARAGRAPH))
            for _ in range(expanded_mb):
                xml.write(block)
            xml.write(b"</w:body></w:document>")
    template.unlink()
    return path


def write_broken_xml_docx(path: Path) -> Path:
    """A .docx whose document.xml is not well-formed XML."""
    template = write_docx(path.with_name("template2.docx"))
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(path, "w") as broken:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                data = data[: len(data) // 2]
            broken.writestr(item, data)
    template.unlink()
    return path


def write_encrypted_pdf(path: Path) -> Path:
    from pypdf import PdfReader, PdfWriter

    plain = write_pdf(path.with_name("plain.pdf"), ["第一条　保密文件。"] * 3)
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt(user_password="secret", owner_password="owner")
    with path.open("wb") as handle:
        writer.write(handle)
    plain.unlink()
    return path


def write_binary_as_text(path: Path) -> Path:
    path.write_bytes(bytes(range(256)) * 64)
    return path


def make_nested_folders(root: Path, depth: int) -> Path:
    """`depth` folders inside each other, a regulation at the bottom; made without recursion."""
    root.mkdir(parents=True, exist_ok=True)
    current = root
    for _ in range(depth):  # os.makedirs recurses, and would hit the recursion limit
        current = current / "d"
        os.mkdir(current)
    (current / "深处的办法.md").write_text(
        "# 深处的办法\n\n第一条　一。\n\n第二条　二。\n\n第三条　三。\n", encoding="utf-8"
    )
    return current


def remove_nested_folders(root: Path) -> None:
    """Remove a tree of any depth bottom-up (shutil.rmtree recurses)."""
    deepest = root
    while (deepest / "d").is_dir():
        deepest = deepest / "d"
    while True:
        for item in deepest.iterdir():
            item.unlink()
        deepest.rmdir()
        if deepest == root:
            return
        deepest = deepest.parent


def make_links(root: Path, outside: Path) -> None:
    """A link to a file outside, to a folder outside, a loop, and a link to nothing."""
    secret = outside / "passwd.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (root / "passwd.txt").symlink_to(secret)
    (root / "外部目录").symlink_to(outside, target_is_directory=True)
    (root / "环").mkdir()
    (root / "环" / "回到上层").symlink_to(root, target_is_directory=True)
    (root / "断链.md").symlink_to(root / "不存在.md")
