"""offered_buttons: the buttons offered to a person, so a label typed back presses its button
after a restart too (channels that show buttons as reply words)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offered_buttons",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("address", sa.String(128), primary_key=True),
        sa.Column("label", sa.String(64), primary_key=True),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("turn", sa.Integer(), nullable=False),
        sa.Column("offered_at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_offered_buttons_offered_at", "offered_buttons", ["offered_at"])


def downgrade() -> None:
    op.drop_index("ix_offered_buttons_offered_at", table_name="offered_buttons")
    op.drop_table("offered_buttons")
