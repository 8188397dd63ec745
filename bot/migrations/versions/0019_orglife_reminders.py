"""orglife_reminder_plans: which branches were reminded of their 三会一课 items due by a
period's end (unique per branch, period and rule set); orglife_summary_optins: staff who asked
for the monthly summary

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "orglife_reminder_plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("township", sa.String(64), nullable=False),
        sa.Column("village", sa.String(64), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("rule_set", sa.String(16), nullable=False),
        sa.Column("due", sa.Text, nullable=False),
        sa.Column("planned_at", AwareDateTime(), nullable=False),
        sa.UniqueConstraint(
            "township", "village", "period", "rule_set", name="uq_orglife_reminder_plans_key"
        ),
    )
    op.create_table(
        "orglife_summary_optins",
        sa.Column("user_id", sa.Integer, primary_key=True),
        sa.Column("since", AwareDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("orglife_summary_optins")
    op.drop_table("orglife_reminder_plans")
