"""The activity ledger: drafts confirmed by their author, stored once, queried within scope.
ReportService is the one object callers hold; what it does lives by what it owns: drafts
(bot/reports/drafts.py), the stored reports (bot/reports/ledger.py), a typed field's value
(bot/reports/field_input.py)."""

from __future__ import annotations

from bot.reports.drafts import CancelOutcome, DraftView, ReportDrafts
from bot.reports.field_input import FIELD_NAMES, FieldError
from bot.reports.fields import EDITABLE
from bot.reports.ledger import LedgerPage, ReportLedger

__all__ = [
    "EDITABLE",
    "FIELD_NAMES",
    "CancelOutcome",
    "DraftView",
    "FieldError",
    "LedgerPage",
    "ReportService",
]


class ReportService(ReportDrafts, ReportLedger):
    """Drafts and the ledger over one database, one clock and one index."""
