"""activity reports: drafts, reports, photos

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_drafts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("telegram_id", sa.BigInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("fields", sa.Text(), nullable=False),
        sa.Column("photos", sa.Text(), nullable=False),
        sa.Column("media_group_id", sa.String(64), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("editing", sa.String(32), nullable=True),
        sa.Column("report_id", sa.Integer(), nullable=True),
        sa.Column("created_at", AwareDateTime(), nullable=False),
        sa.Column("updated_at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_report_drafts_telegram_id", "report_drafts", ["telegram_id"])
    op.create_index("ix_report_drafts_media_group_id", "report_drafts", ["media_group_id"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("draft_id", sa.Integer(), nullable=False, unique=True),
        sa.Column("reporter_id", sa.BigInteger(), nullable=False),
        sa.Column("village", sa.String(64), nullable=False),
        sa.Column("township", sa.String(64), nullable=True),
        sa.Column("activity_date", sa.Date(), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("tags", sa.Text(), nullable=False),
        sa.Column("theme", sa.String(256), nullable=True),
        sa.Column("expected", sa.Integer(), nullable=True),
        sa.Column("attended", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", AwareDateTime(), nullable=False),
        sa.Column("updated_at", AwareDateTime(), nullable=False),
    )
    for column in ("reporter_id", "village", "township", "activity_date", "type"):
        op.create_index(f"ix_reports_{column}", "reports", [column])
    op.create_table(
        "report_photos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer(),
            sa.ForeignKey("reports.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("file_id", sa.String(256), nullable=False),
        sa.Column("file_unique_id", sa.String(128), nullable=False),
        sa.Column("local_path", sa.String(1024), nullable=True),
    )
    op.create_index("ix_report_photos_report_id", "report_photos", ["report_id"])


def downgrade() -> None:
    op.drop_table("report_photos")
    op.drop_table("reports")
    op.drop_table("report_drafts")
