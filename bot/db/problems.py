"""A database that cannot be reached, said the way a county IT person can act on it."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url

from bot import messages


def describe_database_error(url: str, exc: Exception) -> str:
    shown = make_url(url)
    detail = str(getattr(exc, "orig", exc))
    first_line = detail.splitlines()[0] if detail else type(exc).__name__
    if f'role "{shown.username}" does not exist' in detail:  # before the database's own
        return messages.DB_ROLE_MISSING.format(user=shown.username, where=_where(shown))
    if "does not exist" in detail and shown.database:
        return messages.DB_MISSING.format(name=shown.database)
    if "password authentication failed" in detail or "no password supplied" in detail:
        return messages.DB_LOGIN_FAILED.format(user=shown.username or "")
    if shown.get_backend_name() == "sqlite":
        return messages.DB_SQLITE_FAILED.format(path=shown.database, reason=first_line)
    return messages.DB_UNREACHABLE.format(where=_where(shown), reason=first_line)


def _where(url: URL) -> str:
    return f"{url.host or 'localhost'}:{url.port or 5432}"
