"""The media folder: photos kept by their content, whichever channel brought them.

A photo's file name is the SHA-256 of its bytes, so the same photo sent twice is kept once and a
path never depends on a channel's ids. Only JPEG and PNG are kept; anything else is not a photo.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

_KINDS = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"))


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def keep_photo(self, data: bytes | None) -> str | None:
        """The path of the kept copy, or None when `data` is not a JPEG or PNG."""
        suffix = next((ext for magic, ext in _KINDS if data and data.startswith(magic)), None)
        if data is None or suffix is None:
            return None
        digest = hashlib.sha256(data).hexdigest()
        path = self.root / "photos" / digest[:2] / f"{digest}{suffix}"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(data)
            partial.replace(path)  # atomic: a crash never leaves half a photo under its name
        return str(path)
