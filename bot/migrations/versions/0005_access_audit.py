"""access hardening: withdrawn invites, role audit, invite attempts, app secrets

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("withdrawn_at", AwareDateTime(), nullable=True))
    op.create_table(
        "role_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("at", AwareDateTime(), nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("old_role", sa.String(16), nullable=True),
        sa.Column("new_role", sa.String(16), nullable=True),
        sa.Column("old_scope", sa.String(160), nullable=True),
        sa.Column("new_scope", sa.String(160), nullable=True),
    )
    op.create_index("ix_role_changes_user_id", "role_changes", ["user_id"])
    op.create_table(
        "invite_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("chat", sa.String(64), nullable=False),
        sa.Column("at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_invite_attempts_chat", "invite_attempts", ["chat"])
    op.create_index("ix_invite_attempts_at", "invite_attempts", ["at"])
    op.create_table(
        "app_secrets",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(256), nullable=False),
        sa.Column("created_at", AwareDateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("app_secrets")
    op.drop_table("invite_attempts")
    op.drop_table("role_changes")
    with op.batch_alter_table("invites") as batch:
        batch.drop_column("withdrawn_at")
