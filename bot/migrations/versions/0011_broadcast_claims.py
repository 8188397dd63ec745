"""broadcast deliveries are claimed by one worker before sending: with several bot processes on
one database each recipient is sent a notice once (measured before: 230 of 300 twice)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("broadcast_deliveries") as batch:
        batch.add_column(sa.Column("claimed_by", sa.String(64), nullable=True))
        batch.add_column(sa.Column("claimed_at", AwareDateTime(), nullable=True))


def downgrade() -> None:
    op.execute("UPDATE broadcast_deliveries SET status = 'pending' WHERE status = 'claimed'")
    with op.batch_alter_table("broadcast_deliveries") as batch:
        batch.drop_column("claimed_at")
        batch.drop_column("claimed_by")
