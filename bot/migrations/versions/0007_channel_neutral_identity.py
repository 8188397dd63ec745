"""channel-neutral identity: users get internal ids only; Telegram ids move to `identities`

Every column that held a Telegram user id now holds users.id; outboxes (broadcast deliveries,
reminders) also keep the channel and address each message goes to; processed updates are keyed
by (channel, id). Values move through new columns, never updated in place: a Telegram id may
equal some user's internal id. Runs in the one transaction every upgrade runs in.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from bot.db.types import AwareDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# (table, column holding a Telegram id, key column)
REFERENCES = (
    ("invites", "created_by", "code"),
    ("invites", "used_by", "code"),
    ("feedback", "telegram_id", "id"),
    ("broadcasts", "sender_id", "id"),
    ("broadcast_deliveries", "telegram_id", "id"),
    ("report_drafts", "telegram_id", "id"),
    ("reports", "reporter_id", "id"),
    ("reminder_outbox", "telegram_id", "id"),
    ("reminder_mutes", "telegram_id", "telegram_id"),
)
# feedback may come from people who never registered (public Q&A): they stay unnamed
UNREGISTERED_ALLOWED = {("feedback", "telegram_id")}


def upgrade() -> None:
    connection = op.get_bind()
    mapping = _users_by_telegram_id(connection)

    op.create_table(
        "identities",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("last_seen", AwareDateTime(), nullable=True),
        sa.UniqueConstraint("channel", "external_id", name="uq_identities_channel_external_id"),
    )
    op.create_index("ix_identities_user_id", "identities", ["user_id"])
    identities = sa.table(
        "identities",
        sa.column("user_id", sa.Integer()),
        sa.column("channel", sa.String()),
        sa.column("external_id", sa.String()),
    )
    registered = dict(mapping)  # before any placeholder user below
    if registered:
        connection.execute(
            identities.insert(),
            [
                {"user_id": uid, "channel": "telegram", "external_id": str(tid)}
                for tid, uid in registered.items()
            ],
        )

    # outboxes keep where each message goes, as it was when written
    for table in ("broadcast_deliveries", "reminder_outbox"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("channel", sa.String(16), nullable=False, server_default="telegram")
            )
            batch.add_column(
                sa.Column("external_id", sa.String(128), nullable=False, server_default="")
            )
        connection.execute(
            sa.text(f"UPDATE {table} SET external_id = CAST(telegram_id AS VARCHAR(128))")
        )
    outbox = connection.execute(sa.text("SELECT id, key, telegram_id FROM reminder_outbox")).all()

    for table, column, key in REFERENCES:
        _copy_as_user_ids(connection, mapping, table, column, key)

    # the new columns replace the old ones
    with op.batch_alter_table("users") as batch:
        batch.drop_column("telegram_id")
    with op.batch_alter_table("invites") as batch:
        batch.drop_column("created_by")
        batch.drop_column("used_by")
        batch.alter_column("created_by_user", new_column_name="created_by")
        batch.alter_column("used_by_user", new_column_name="used_by")
    with op.batch_alter_table("feedback") as batch:
        batch.drop_column("telegram_id")
        batch.alter_column("telegram_id_user", new_column_name="user_id")
    with op.batch_alter_table("broadcasts") as batch:
        batch.drop_column("sender_id")
        batch.alter_column("sender_id_user", new_column_name="sender_id", nullable=False)
    with op.batch_alter_table("report_drafts") as batch:
        batch.drop_index("ix_report_drafts_telegram_id")
        batch.drop_column("telegram_id")
        batch.alter_column("telegram_id_user", new_column_name="user_id", nullable=False)
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_reporter_id")
        batch.drop_column("reporter_id")
        batch.alter_column("reporter_id_user", new_column_name="reporter_id", nullable=False)
    with op.batch_alter_table("reminder_outbox") as batch:
        batch.drop_index("ix_reminder_outbox_telegram_id")
        batch.drop_column("telegram_id")
        batch.alter_column("telegram_id_user", new_column_name="user_id", nullable=False)
    op.create_index("ix_feedback_user_id", "feedback", ["user_id"])
    op.create_index("ix_report_drafts_user_id", "report_drafts", ["user_id"])
    op.create_index("ix_reports_reporter_id", "reports", ["reporter_id"])
    op.create_index("ix_reminder_outbox_user_id", "reminder_outbox", ["user_id"])
    _rekey_outbox(connection, mapping, outbox)
    _recreate_deliveries(connection)
    _recreate_mutes(connection)
    _recreate_processed_updates(connection)


def downgrade() -> None:
    raise NotImplementedError("0007 moves identities; restore a backup to go back")


# -- helpers ------------------------------------------------------------------------------------


def _users_by_telegram_id(connection: sa.Connection) -> dict[int, int]:
    rows = connection.execute(sa.text("SELECT id, telegram_id FROM users")).all()
    return {int(telegram_id): int(user_id) for user_id, telegram_id in rows}


def _placeholder(connection: sa.Connection, mapping: dict[int, int], telegram_id: int) -> int:
    """A row referring to a Telegram id that is no user (should not happen): an inactive user
    with no identity keeps the row's meaning without granting anyone anything."""
    users = sa.table(
        "users",
        sa.column("id", sa.Integer()),
        sa.column("telegram_id", sa.BigInteger()),
        sa.column("name", sa.String()),
        sa.column("role", sa.String()),
        sa.column("active", sa.Boolean()),
        sa.column("reachable", sa.Boolean()),
        sa.column("created_at", AwareDateTime()),
    )
    # a negative, never-real Telegram id keeps users.telegram_id unique until it is dropped
    connection.execute(
        users.insert().values(
            telegram_id=-telegram_id - 1,
            name="（迁移时补建）",
            role="secretary",
            active=False,
            reachable=False,
            created_at=datetime.now(UTC),
        )
    )
    user_id = connection.execute(
        sa.select(users.c.id).where(users.c.telegram_id == -telegram_id - 1)
    ).scalar_one()
    mapping[telegram_id] = int(user_id)
    return int(user_id)


def _copy_as_user_ids(
    connection: sa.Connection, mapping: dict[int, int], table: str, column: str, key: str
) -> None:
    new = f"{column}_user"
    with op.batch_alter_table(table) as batch:
        batch.add_column(sa.Column(new, sa.Integer(), nullable=True))
    rows = connection.execute(sa.text(f"SELECT {key}, {column} FROM {table}")).all()
    for row_key, telegram_id in rows:
        if telegram_id is None:
            continue
        user_id = mapping.get(int(telegram_id))
        if user_id is None:
            if (table, column) in UNREGISTERED_ALLOWED:
                continue
            user_id = _placeholder(connection, mapping, int(telegram_id))
        connection.execute(
            sa.text(f"UPDATE {table} SET {new} = :user_id WHERE {key} = :key"),
            {"user_id": user_id, "key": row_key},
        )


def _rekey_outbox(
    connection: sa.Connection, mapping: dict[int, int], outbox: Sequence[Any]
) -> None:
    """Message keys end in the recipient: now their user id, so a slot is still planned once."""
    for row_id, key, telegram_id in outbox:
        user_id = mapping[int(telegram_id)]
        connection.execute(
            sa.text("UPDATE reminder_outbox SET key = :key WHERE id = :id"),
            {"key": f"{key.rsplit('/', 1)[0]}/{user_id}", "id": row_id},
        )


def _recreate_deliveries(connection: sa.Connection) -> None:
    """The unique (broadcast, recipient) pair moves to the user id: rebuilt, not altered."""
    op.create_table(
        "broadcast_deliveries_new",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "broadcast_id",
            sa.Integer(),
            sa.ForeignKey("broadcasts.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("external_id", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", AwareDateTime(), nullable=True),
        sa.UniqueConstraint(
            "broadcast_id", "user_id", name="uq_broadcast_deliveries_broadcast_id_user_id"
        ),
    )
    connection.execute(
        sa.text(
            "INSERT INTO broadcast_deliveries_new (id, broadcast_id, user_id, channel, "
            "external_id, status, attempts, sent_at) SELECT id, broadcast_id, telegram_id_user, "
            "channel, external_id, status, attempts, sent_at FROM broadcast_deliveries"
        )
    )
    op.drop_table("broadcast_deliveries")
    op.rename_table("broadcast_deliveries_new", "broadcast_deliveries")
    op.create_index("ix_broadcast_deliveries_user_id", "broadcast_deliveries", ["user_id"])
    _fix_sequence(connection, "broadcast_deliveries")


def _recreate_mutes(connection: sa.Connection) -> None:
    rows = connection.execute(sa.text("SELECT telegram_id_user, kind FROM reminder_mutes")).all()
    op.drop_table("reminder_mutes")
    op.create_table(
        "reminder_mutes",
        sa.Column("user_id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(16), primary_key=True),
    )
    if rows:
        connection.execute(
            sa.text("INSERT INTO reminder_mutes (user_id, kind) VALUES (:user_id, :kind)"),
            [{"user_id": user_id, "kind": kind} for user_id, kind in rows],
        )


def _recreate_processed_updates(connection: sa.Connection) -> None:
    rows = connection.execute(sa.text("SELECT update_id, processed_at FROM processed_updates"))
    kept = [{"update_id": str(update_id), "at": at} for update_id, at in rows]
    op.drop_table("processed_updates")
    op.create_table(
        "processed_updates",
        sa.Column("channel", sa.String(16), primary_key=True),
        sa.Column("update_id", sa.String(128), primary_key=True),
        sa.Column("processed_at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_processed_updates_processed_at", "processed_updates", ["processed_at"])
    if kept:
        connection.execute(
            sa.text(
                "INSERT INTO processed_updates (channel, update_id, processed_at) "
                "VALUES ('telegram', :update_id, :at)"
            ),
            kept,
        )


def _fix_sequence(connection: sa.Connection, table: str) -> None:
    """PostgreSQL: a rebuilt table's id sequence continues after the copied rows."""
    if connection.dialect.name == "postgresql":
        connection.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )
