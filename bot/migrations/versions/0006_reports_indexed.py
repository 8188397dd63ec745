"""reports.indexed: reports go into the vector index after the reply, not on the 确认 path

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        # rows that exist were indexed on confirm; `report reindex` repairs any that were not
        batch.add_column(
            sa.Column("indexed", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch.create_index("ix_reports_indexed", ["indexed"])


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_indexed")
        batch.drop_column("indexed")
