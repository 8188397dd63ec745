"""0007 moves Telegram ids into `identities` and points every reference at users.id, on SQLite
and PostgreSQL, with ids chosen to collide (Telegram id 2 belongs to user 1, id 1 to user 2)."""

from __future__ import annotations

from sqlalchemy import text

from bot.db.engine import make_engine, upgrade_schema
from tests.test_migration_safety import database_url  # noqa: F401  (the fixture)

AT = "'2026-11-01 00:00:00'"
ROWS_0006 = [
    "INSERT INTO users (id, telegram_id, name, role, village, township, active, reachable, "
    f"created_at) VALUES (1, 2, '张书记', 'secretary', '张家村', '城关镇', true, true, {AT})",
    "INSERT INTO users (id, telegram_id, name, role, village, township, active, reachable, "
    f"created_at) VALUES (2, 1, '王部长', 'admin', NULL, NULL, true, true, {AT})",
    "INSERT INTO invites (code, role, village, township, created_by, expires_at, used_by, "
    f"used_at) VALUES ('ABCDEFGH', 'secretary', '张家村', '城关镇', 1, {AT}, 2, {AT})",
    "INSERT INTO feedback (id, telegram_id, question, sources, helpful, created_at) "
    f"VALUES (1, 2, '问', '[]', true, {AT})",
    "INSERT INTO feedback (id, telegram_id, question, sources, helpful, created_at) "
    f"VALUES (2, 999, '路人问', '[]', false, {AT})",
    f"INSERT INTO processed_updates (update_id, processed_at) VALUES (77, {AT})",
    "INSERT INTO broadcasts (id, sender_id, text, audience, status, created_at) "
    f"VALUES (1, 1, '通知', 'all', 'sending', {AT})",
    "INSERT INTO broadcast_deliveries (id, broadcast_id, telegram_id, status, attempts) "
    "VALUES (1, 1, 2, 'pending', 0)",
    "INSERT INTO report_drafts (id, telegram_id, text, fields, photos, status, created_at, "
    f"updated_at) VALUES (1, 2, '开展主题党日', '{{}}', '[]', 'open', {AT}, {AT})",
    "INSERT INTO reports (id, draft_id, reporter_id, village, township, activity_date, type, "
    "tags, theme, expected, attended, summary, deleted, created_at, updated_at, indexed) VALUES "
    f"(1, 9, 2, '张家村', '城关镇', '2026-10-10', '主题党日', '[]', NULL, 30, 28, '开展', false, {AT}, "
    f"{AT}, true)",
    "INSERT INTO reminder_outbox (id, key, kind, month, telegram_id, village, township, text, "
    "due_at, expires_at, status, attempts) VALUES (1, '2026-11/before-3/2', 'before', '2026-11', "
    f"2, '张家村', '城关镇', '提醒', {AT}, {AT}, 'pending', 0)",
    "INSERT INTO reminder_mutes (telegram_id, kind) VALUES (2, 'followup')",
]


def _one(connection, sql: str):  # type: ignore[no-untyped-def]
    return connection.execute(text(sql)).one()


def test_every_reference_moves_to_the_user_id(database_url: str) -> None:  # noqa: F811
    engine = make_engine(database_url)
    upgrade_schema(engine, target="0006")
    with engine.begin() as connection:
        for sql in ROWS_0006:
            connection.execute(text(sql))
    upgrade_schema(engine)
    with engine.connect() as connection:
        identities = connection.execute(
            text("SELECT user_id, channel, external_id FROM identities ORDER BY user_id")
        ).all()
        assert [tuple(r) for r in identities] == [(1, "telegram", "2"), (2, "telegram", "1")]
        assert tuple(_one(connection, "SELECT created_by, used_by FROM invites")) == (2, 1)
        feedback = connection.execute(text("SELECT user_id FROM feedback ORDER BY id")).all()
        assert [r[0] for r in feedback] == [1, None]  # the passer-by stays unnamed
        assert tuple(_one(connection, "SELECT channel, update_id FROM processed_updates")) == (
            "telegram",
            "77",
        )
        assert _one(connection, "SELECT sender_id FROM broadcasts")[0] == 2
        assert tuple(
            _one(connection, "SELECT user_id, channel, external_id FROM broadcast_deliveries")
        ) == (1, "telegram", "2")
        assert _one(connection, "SELECT user_id FROM report_drafts")[0] == 1
        assert _one(connection, "SELECT reporter_id FROM reports")[0] == 1
        assert tuple(_one(connection, "SELECT user_id, external_id, key FROM reminder_outbox")) == (
            1,
            "2",
            "2026-11/before-3/1",
        )
        assert tuple(_one(connection, "SELECT user_id, kind FROM reminder_mutes")) == (
            1,
            "followup",
        )
    # the rebuilt deliveries table takes new rows after the copied ones
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO broadcast_deliveries (broadcast_id, user_id, channel, external_id, "
                "status, attempts) VALUES (1, 2, 'telegram', '1', 'pending', 0)"
            )
        )
    engine.dispose()


def test_report_photos_become_channel_references(database_url: str) -> None:  # noqa: F811
    """0010: Telegram's photo ids become an opaque reference; the kept copy's path stays."""
    engine = make_engine(database_url)
    upgrade_schema(engine, target="0006")
    with engine.begin() as connection:
        for sql in ROWS_0006:
            connection.execute(text(sql))
        connection.execute(
            text(
                "INSERT INTO report_photos (id, report_id, file_id, file_unique_id, local_path) "
                "VALUES (1, 1, 'AgACAgUAAx', 'AQADu1', '/data/media/reports/1/AQADu1.jpg'), "
                "(2, 1, 'AgACAgUAAy', 'AQADu2', NULL)"
            )
        )
    upgrade_schema(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, ref, path FROM report_photos ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [
            (1, "telegram:AQADu1", "/data/media/reports/1/AQADu1.jpg"),
            (2, "telegram:AQADu2", None),
        ]
        assert connection.execute(text("SELECT count(*) FROM waiting_photos")).scalar() == 0
    engine.dispose()
