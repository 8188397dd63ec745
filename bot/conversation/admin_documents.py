"""The admin's documents, for every channel: a file sent to the assistant goes into the knowledge
base (a calendar file — .yaml, .yml, .xlsx — into the Party-day calendar), /docs lists what is
there, /deldoc takes one out. The core checks the role first; the library does the work."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot import messages
from bot.conversation.admin import AdminCommand
from bot.conversation.turns import Document, Reply, Who
from bot.partyday.calendar_file import CalendarFileError
from bot.partyday.service import CalendarService
from bot.people.accounts import Member
from bot.qa.library import LibraryService, upload_text

MB = 1024 * 1024
CALENDAR_SUFFIXES = (".yaml", ".yml", ".xlsx")


class DocumentTurns:
    def __init__(
        self,
        *,
        library: LibraryService | None,
        calendar: CalendarService | None,
        max_upload_bytes: int,
    ) -> None:
        self._library = library
        self._calendar = calendar
        self.max_upload_bytes = max_upload_bytes

    def commands(self) -> dict[str, AdminCommand]:
        return {"docs": self.docs, "deldoc": self.deldoc}

    def upload(self, document: Document) -> list[Reply]:
        """What Telegram's upload did: the type and the size checked before anything is kept,
        the receipt, then what became of the file."""
        if self._library is None:
            return [Reply(messages.ADMIN_FEATURE_OFF)]
        name = self._library.safe_name(document.name or "upload")
        is_calendar = Path(name).suffix.lower() in CALENDAR_SUFFIXES
        if not self._library.supported(name) and not (is_calendar and self._calendar):
            return [Reply(messages.UPLOAD_TYPE)]
        size = max(document.size, len(document.data or b""))
        if document.data is None and size == 0:
            return [Reply(messages.UPLOAD_NOT_RECEIVED.format(name=name))]
        if document.data is None or size > self.max_upload_bytes:  # the channel's limit, or ours
            limit = f"{self.max_upload_bytes / MB:g}"  # "20"; a test's 64 KB is "0.0625"
            return [Reply(messages.UPLOAD_SIZE.format(size=size / MB, limit=limit))]
        if is_calendar:
            return [self._import_calendar(name, document.data)]
        received = Reply(messages.UPLOAD_RECEIVED.format(name=name))
        result = self._library.add_upload(name, document.data)
        return [received, Reply(upload_text(name, result))]

    def _import_calendar(self, name: str, data: bytes) -> Reply:
        """Every problem of a bad file in one answer; nothing written then."""
        assert self._calendar is not None
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"calendar{Path(name).suffix.lower()}"
            path.write_bytes(data)
            try:
                summary = self._calendar.import_file(path)
            except CalendarFileError as exc:
                problems = "\n".join(exc.problems)
                return Reply(messages.CLI_CALENDAR_INVALID.format(problems=problems))
        return Reply(messages.CLI_CALENDAR_IMPORTED.format(**vars(summary)))

    def docs(self, who: Who, admin: Member, args: str) -> list[Reply]:
        if self._library is None:
            return [Reply(messages.ADMIN_FEATURE_OFF)]
        documents = self._library.documents()
        if not documents:
            return [Reply(messages.DOCS_EMPTY)]
        lines = [
            messages.DOCS_LINE.format(
                n=n,
                title=d.title,
                issued=d.issued.isoformat() if d.issued else "日期不详",
                source=d.source,
            )
            for n, d in enumerate(documents, start=1)
        ]
        return [Reply("\n".join(lines))]

    def deldoc(self, who: Who, admin: Member, args: str) -> list[Reply]:
        if self._library is None:
            return [Reply(messages.ADMIN_FEATURE_OFF)]
        source = " ".join(args.split()).strip()
        if not source:
            return [Reply(messages.DELDOC_USAGE)]
        removed = self._library.delete(source)
        text = messages.DELDOC_DONE if removed else messages.DELDOC_MISSING
        return [Reply(text.format(source=source))]
