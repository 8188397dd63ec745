"""The media folder: photos kept by their content, whichever channel brought them.

A photo's file name is the SHA-256 of its bytes, so the same photo sent twice is kept once and a
path never depends on a channel's ids. Only JPEG and PNG are kept; anything else is not a photo.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

_KINDS = ((b"\xff\xd8\xff", ".jpg"), (b"\x89PNG\r\n\x1a\n", ".png"))
# a user's photos of the last day on no report (waiting for their sentence, on the open card, on
# a card cancelled or expired): above either limit the next photo is refused, so one account
# cannot fill the disk (three uploads of nine photos left 514 MB before)
MAX_UNATTACHED_PHOTOS = 40
MAX_UNATTACHED_BYTES = 200 * 1024 * 1024


def over_quota(kept_paths: Iterable[str], incoming: bytes | None) -> bool:
    """Whether keeping `incoming` would take the user over the unattached-photo quota."""
    paths = set(kept_paths)
    if len(paths) >= MAX_UNATTACHED_PHOTOS:
        return True
    total = len(incoming or b"")
    for path in paths:
        try:
            total += os.stat(path).st_size
        except OSError:
            continue
    return total > MAX_UNATTACHED_BYTES


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
        try:
            # kept again now: the sweep of orphans (by age) must not take it before its row exists
            os.utime(path)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            # a name of its own per write: the parts of one album may be the same photo, kept
            # by two threads at once
            with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as f:
                f.write(data)
            os.replace(f.name, path)  # atomic: a crash never leaves half a photo under its name
        return str(path)
