"""channel-neutral media: a report photo is (ref, path) — the channel's opaque reference and
the copy kept in the media folder — instead of Telegram's file_id/file_unique_id; photos sent
before their sentence wait in waiting_photos (not in a process's memory), so a restart between
an album and its caption loses nothing

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report_photos") as batch:
        batch.add_column(sa.Column("ref", sa.String(256), nullable=True))
        batch.alter_column("local_path", new_column_name="path")
    # Telegram's stable id for a photo becomes its channel reference
    op.execute("UPDATE report_photos SET ref = 'telegram:' || file_unique_id")
    with op.batch_alter_table("report_photos") as batch:
        batch.alter_column("ref", existing_type=sa.String(256), nullable=False)
        batch.drop_column("file_id")
        batch.drop_column("file_unique_id")
    op.create_table(
        "waiting_photos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("ref", sa.String(256), nullable=False),
        sa.Column("path", sa.String(1024), nullable=True),
        sa.Column("album", sa.String(64), nullable=True),
        sa.Column("asked", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("created_at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_waiting_photos_user_id", "waiting_photos", ["user_id"])


def downgrade() -> None:
    op.drop_table("waiting_photos")
    with op.batch_alter_table("report_photos") as batch:
        batch.add_column(sa.Column("file_id", sa.String(256), nullable=True))
        batch.add_column(sa.Column("file_unique_id", sa.String(128), nullable=True))
        batch.alter_column("path", new_column_name="local_path")
    op.execute(
        "UPDATE report_photos SET file_unique_id = substr(ref, 10), file_id = substr(ref, 10)"
        " WHERE ref LIKE 'telegram:%'"
    )
    op.execute("UPDATE report_photos SET file_unique_id = ref, file_id = ref WHERE file_id IS NULL")
    with op.batch_alter_table("report_photos") as batch:
        batch.alter_column("file_id", existing_type=sa.String(256), nullable=False)
        batch.alter_column("file_unique_id", existing_type=sa.String(128), nullable=False)
        batch.drop_column("ref")
