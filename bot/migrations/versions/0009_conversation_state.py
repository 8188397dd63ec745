"""conversation_state: what a user's next message answers (a report being corrected), kept in
the database so a restart loses nothing

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_state",
        sa.Column("user_id", sa.Integer(), primary_key=True),
        sa.Column("pending", sa.String(32), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("updated_at", AwareDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("conversation_state")
