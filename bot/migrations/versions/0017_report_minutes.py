"""reports.recorder, absent, absent_reasons, topics, decisions: 记录人, 缺席人数 and 原因, 议题
and 决议 in brief, as a 会议记录 gives them, saved on 确认 and printed in the 台账

Revision ID: 0017
Revises: 0014
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("recorder", sa.String(64), nullable=True))
        batch.add_column(sa.Column("absent", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("absent_reasons", sa.String(128), nullable=True))
        batch.add_column(sa.Column("topics", sa.String(128), nullable=True))
        batch.add_column(sa.Column("decisions", sa.String(128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("reports") as batch:
        batch.drop_column("decisions")
        batch.drop_column("topics")
        batch.drop_column("absent_reasons")
        batch.drop_column("absent")
        batch.drop_column("recorder")
