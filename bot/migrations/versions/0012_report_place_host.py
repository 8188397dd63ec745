"""reports.place and reports.host: 活动地点 and 主持人, said in the sentence or added on the
card, and printed in the 台账

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("place", sa.String(128), nullable=True))
        batch.add_column(sa.Column("host", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("host")
        batch.drop_column("place")
