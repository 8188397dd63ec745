"""unanswered questions: refusals, low-confidence answers and 没用, for the admin's to-do list
(no user id: only the asker's role and channel)

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "unanswered_questions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("topic", sa.String(512), nullable=False),
        sa.Column("nearest", sa.Text(), nullable=False),
        sa.Column("created_at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_unanswered_questions_created_at", "unanswered_questions", ["created_at"])


def downgrade() -> None:
    op.drop_index("ix_unanswered_questions_created_at", table_name="unanswered_questions")
    op.drop_table("unanswered_questions")
