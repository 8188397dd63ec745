"""report_revisions: every confirmed change of a stored report (who, when, old → new), and
report_drafts.submission: the idempotency token of the form that sent a report, so a retried
post stores it once

Revision ID: 0018
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report_revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "report_id",
            sa.Integer,
            sa.ForeignKey("reports.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("field", sa.String(32), nullable=False),
        sa.Column("old_value", sa.Text, nullable=True),
        sa.Column("new_value", sa.Text, nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("changed_at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_report_revisions_report_id", "report_revisions", ["report_id"])
    with op.batch_alter_table("report_drafts") as batch:
        batch.add_column(sa.Column("submission", sa.String(64), nullable=True))
        batch.create_unique_constraint(
            "uq_report_drafts_user_id_submission", ["user_id", "submission"]
        )


def downgrade() -> None:
    with op.batch_alter_table("report_drafts") as batch:
        batch.drop_constraint("uq_report_drafts_user_id_submission", type_="unique")
        batch.drop_column("submission")
    op.drop_index("ix_report_revisions_report_id", table_name="report_revisions")
    op.drop_table("report_revisions")
