"""Typed SQLAlchemy models, one module per area. Schema changes go through an Alembic migration.

Every model and `Base` are importable from here: `from bot.db.models import User`."""

from bot.db.models.base import Base
from bot.db.models.calendar import CalendarDay, CalendarOverride, CalendarRule, MonthlyTheme
from bot.db.models.knowledge import (
    Feedback,
    IndexState,
    KnowledgeChunk,
    KnowledgeDocument,
    RememberedAnswer,
    UnansweredQuestion,
)
from bot.db.models.notices import (
    Broadcast,
    BroadcastDelivery,
    OrgLifeReminderPlan,
    OrgLifeSummaryOptIn,
    ReminderMessage,
    ReminderMute,
    ReminderSlot,
)
from bot.db.models.people import (
    Identity,
    Invite,
    InviteAttempt,
    LinkCode,
    LoginAttempt,
    PasswordLink,
    RoleChange,
    User,
    WebSession,
)
from bot.db.models.reports import Report, ReportDraft, ReportPhoto, ReportRevision, WaitingPhoto
from bot.db.models.runtime import (
    AppSecret,
    ConversationState,
    Lease,
    OfferedButton,
    ProcessedUpdate,
)

__all__ = [
    "AppSecret",
    "Base",
    "Broadcast",
    "BroadcastDelivery",
    "CalendarDay",
    "CalendarOverride",
    "CalendarRule",
    "ConversationState",
    "Feedback",
    "Identity",
    "IndexState",
    "Invite",
    "InviteAttempt",
    "KnowledgeChunk",
    "KnowledgeDocument",
    "Lease",
    "LinkCode",
    "LoginAttempt",
    "MonthlyTheme",
    "OfferedButton",
    "OrgLifeReminderPlan",
    "OrgLifeSummaryOptIn",
    "PasswordLink",
    "ProcessedUpdate",
    "RememberedAnswer",
    "ReminderMessage",
    "ReminderMute",
    "ReminderSlot",
    "Report",
    "ReportDraft",
    "ReportPhoto",
    "ReportRevision",
    "RoleChange",
    "UnansweredQuestion",
    "User",
    "WaitingPhoto",
    "WebSession",
]
