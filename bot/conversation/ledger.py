"""The ledger in conversation: /reports, /export, /stats and questions about the ledger. Every
path reads through ReportService.query / rows_by_ids, which apply the one scope rule."""

from __future__ import annotations

import tempfile
from pathlib import Path

from bot import messages
from bot.conversation.turns import Attachment, Reply
from bot.ledger_query.answering import answer_ledger_question
from bot.ledger_query.naming import viewer_namer
from bot.months import BadMonth, parse_month
from bot.people.accounts import AccountService, Member, Role
from bot.reports.export import ledger_title
from bot.reports.index import ReportIndex
from bot.reports.rows import ReportRow
from bot.reports.service import ReportService
from bot.reports.views import ledger_rows_text

STAFF_ROLES = (Role.STAFF, Role.ADMIN)
# what a chat channel takes as one file (Telegram: 50 MB), with room to spare
MAX_ZIP_BYTES = 45 * 1024 * 1024


class LedgerTurns:
    def __init__(
        self, *, reports: ReportService, accounts: AccountService, index: ReportIndex | None
    ) -> None:
        self._reports = reports
        self._accounts = accounts
        self._index = index

    def question(self, member: Member, text: str, *, private: bool) -> list[Reply]:
        """The answer goes to the asker alone: asked in a group, the group is told so."""
        answer = answer_ledger_question(self._reports, member, text, self._index)
        if private:
            return [Reply(answer.text)]
        return [Reply(answer.text, private=True), Reply(messages.LEDGER_SENT_PRIVATELY)]

    def rows(self, member: Member, args: str) -> list[Reply]:
        """/reports [月份] [村] [乡镇] [类型]: the matching rows within the asker's scope."""
        from bot.reports.parsing import TYPE_NAMES

        filters: dict[str, str] = {}
        for word in args.split():
            if word in TYPE_NAMES:
                filters["type"] = word
            elif word.endswith("村"):
                filters["village"] = word
            elif word.endswith(("镇", "乡", "街道")):
                filters["township"] = word
            else:
                try:
                    filters["month"] = parse_month(word, today=self._reports.today())
                except BadMonth:
                    return [Reply(messages.REPORTS_USAGE)]
        rows = self._reports.query(
            member,
            month=filters.get("month"),
            village=filters.get("village"),
            township=filters.get("township"),
            type=filters.get("type"),
        )
        if not rows:
            return [Reply(messages.REPORTS_EMPTY)]
        return [Reply(ledger_rows_text(rows, viewer_namer(self._reports, member)))]

    def export(self, member: Member, args: str) -> list[Reply]:
        from bot.reports.export import write_photo_zip

        month_rows = self._month_rows(member, args, messages.EXPORT_USAGE)
        if isinstance(month_rows, Reply):
            return [month_rows]
        month, rows = month_rows
        scope = member.township or "全县"
        title = ledger_title(scope, month)
        name = f"台账-{scope}-{month}.xlsx"
        workbook = ledger_workbook(
            rows, name=name, title=title, accounts=self._accounts, township=member.township
        )
        replies = [
            Reply(messages.EXPORT_CAPTION.format(title=title, count=len(rows)), attachment=workbook)
        ]
        with tempfile.TemporaryDirectory() as tmp:
            if any(row.photos for row in rows):
                photos = Path(tmp) / f"台账照片-{scope}-{month}.zip"
                written, left_out = write_photo_zip(rows, photos, limit_bytes=MAX_ZIP_BYTES)
                if written:
                    caption = messages.EXPORT_PHOTOS_CAPTION.format(count=written)
                    if left_out:
                        caption += messages.EXPORT_PHOTOS_LEFT_OUT.format(count=left_out)
                    attachment = Attachment(photos.name, photos.read_bytes(), "document")
                    replies.append(Reply(caption, attachment=attachment))
        return replies

    def chart(self, member: Member, args: str) -> list[Reply]:
        month_rows = self._month_rows(member, args, messages.STATS_USAGE)
        if isinstance(month_rows, Reply):
            return [month_rows]
        month, rows = month_rows
        title = messages.CHART_TITLE.format(scope=member.township or "全县", month=month)
        data = ledger_chart(rows, title=title, accounts=self._accounts, township=member.township)
        if data is None:
            return [Reply(messages.NO_CJK_FONT)]
        return [Reply(title, attachment=Attachment(f"{title}.png", data, "photo"))]

    def _month_rows(
        self, member: Member, args: str, usage: str
    ) -> tuple[str, list[ReportRow]] | Reply:
        """Staff only; the month named (default this month) and its rows in their scope."""
        if member.role not in STAFF_ROLES:
            return Reply(messages.STAFF_ONLY)
        today = self._reports.today()
        try:
            month = parse_month(args, today=today) if args.strip() else f"{today:%Y-%m}"
        except BadMonth:
            return Reply(usage)
        return month, self._reports.query(member, month=month)


def ledger_workbook(
    rows: list[ReportRow], *, name: str, title: str, accounts: AccountService, township: str | None
) -> Attachment:
    """The 台账 workbook (the rows, and a summary listing every branch of the scope)."""
    from bot.reports.export import write_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ledger.xlsx"
        write_xlsx(
            rows,
            path,
            title=title,
            reporters=accounts.names(),
            branches=accounts.branches(township=township),
        )
        return Attachment(name, path.read_bytes(), "document")


def ledger_chart(
    rows: list[ReportRow], *, title: str, accounts: AccountService, township: str | None
) -> bytes | None:
    """The month's chart as PNG bytes; None when the machine has no Chinese font."""
    from bot.reports.chart import NoCJKFont, draw_monthly_chart

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "chart.png"
        try:
            draw_monthly_chart(
                rows, path, title=title, branches=accounts.branches(township=township)
            )
        except NoCJKFont:
            return None
        return path.read_bytes()
