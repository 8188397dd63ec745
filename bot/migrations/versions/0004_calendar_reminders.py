"""Party-day calendar, monthly themes, reminder outbox and mutes

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("township", sa.String(64), nullable=False),
        sa.Column("village", sa.String(64), nullable=False),
        sa.Column("rule", sa.String(64), nullable=False),
        sa.Column("shift", sa.String(8), nullable=False),
        sa.UniqueConstraint("township", "village"),
    )
    op.create_table(
        "calendar_overrides",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("township", sa.String(64), nullable=False),
        sa.Column("village", sa.String(64), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.UniqueConstraint("township", "village", "month"),
    )
    op.create_table(
        "calendar_days",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("workday", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_table(
        "monthly_themes",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("theme", sa.String(256), nullable=False),
        sa.Column("tasks", sa.Text(), nullable=False),
        sa.Column("updated_at", AwareDateTime(), nullable=False),
    )
    op.create_table(
        "reminder_slots",
        sa.Column("key", sa.String(160), primary_key=True),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("planned_at", AwareDateTime(), nullable=False),
    )
    op.create_table(
        "reminder_outbox",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(160), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("village", sa.String(64), nullable=True),
        sa.Column("township", sa.String(64), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_at", AwareDateTime(), nullable=False),
        sa.Column("expires_at", AwareDateTime(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_at", AwareDateTime(), nullable=True),
        sa.Column("sent_at", AwareDateTime(), nullable=True),
    )
    op.create_index("ix_reminder_outbox_status_due", "reminder_outbox", ["status", "due_at"])
    op.create_index("ix_reminder_outbox_month", "reminder_outbox", ["month"])
    op.create_index("ix_reminder_outbox_telegram_id", "reminder_outbox", ["telegram_id"])
    op.create_table(
        "reminder_mutes",
        sa.Column("telegram_id", sa.BigInteger(), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
    )


def downgrade() -> None:
    for table in (
        "reminder_mutes",
        "reminder_outbox",
        "reminder_slots",
        "monthly_themes",
        "calendar_days",
        "calendar_overrides",
        "calendar_rules",
    ):
        op.drop_table(table)
