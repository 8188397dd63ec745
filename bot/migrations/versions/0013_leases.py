"""leases: one process at a time sends through a bot token, so several workers on one
database keep to the channel's pace together

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("holder", sa.String(64), nullable=False),
        sa.Column("expires_at", AwareDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("leases")
