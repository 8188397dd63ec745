"""Checks the `partybot` command makes before it acts, each turning an ordinary admin mistake
into a Chinese sentence saying what to do (issue 25, a new admin's first day). Each function
stands alone, so the commands can move between modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bot import messages

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from bot.people.accounts import AccountService, Member
    from bot.settings import Settings


def wecom_problem(settings: Settings) -> str | None:
    """Some WeCom settings filled and some not: name the ones missing."""
    missing = settings.wecom_missing
    if not missing:
        return None
    return messages.WECOM_HALF_CONFIGURED.format(missing="、".join(missing))


def wecom_missing(settings: Settings) -> str:
    """Why a WeCom command cannot run: the settings missing, or none of them given."""
    return wecom_problem(settings) or messages.WECOM_SETTINGS_MISSING


def web_start_lines(host: str, port: int, sessions: Callable[[], Session]) -> list[str]:
    """Where the console is, and, while no web login has a password, how to give one."""
    from bot.db.logins import count_web_passwords

    lines = [messages.CLI_WEB_STARTED.format(host=host, port=port)]
    with sessions() as session:
        if count_web_passwords(session=session) == 0:
            lines.append(messages.WEB_NO_PASSWORD_YET)
    return lines


@dataclass(frozen=True)
class ChatIdentity:
    member: Member
    channel: str
    external_id: str


def find_identity(accounts: AccountService, who: str) -> ChatIdentity | None:
    """A user by internal id (#3 or 3), any of their identities (channel:account, or an account
    name only one user has, a web login included), or their name."""
    entries = [e for e in accounts.directory() if e.active]
    channel, colon, account = who.partition(":")
    number = who.removeprefix("#")
    candidates: list[list[tuple[Member, tuple[str, str] | None]]] = []
    if colon:
        candidates.append(
            [(e.member, (channel, account)) for e in entries if (channel, account) in e.identities]
        )
    if number.isdigit():
        candidates.append([(e.member, None) for e in entries if e.member.id == int(number)])
    candidates.append([(e.member, None) for e in entries if e.member.name == who])
    candidates.append(
        [(e.member, i) for e in entries for i in e.identities if i[1] == who and not colon]
    )
    for matches in candidates:
        if len({m.id for m, _ in matches}) == 1:
            member, identity = matches[0]
            if identity is None:
                entry = next(e for e in entries if e.member.id == member.id)
                identity = _chat_identity(member, entry.identities)
            if identity is not None:
                return ChatIdentity(member, identity[0], identity[1])
    return None


def _chat_identity(
    member: Member, identities: tuple[tuple[str, str], ...]
) -> tuple[str, str] | None:
    if member.channel and member.external_id:
        return member.channel, member.external_id
    return identities[0] if identities else None


def output_path(given: Path | None, default_name: str) -> tuple[Path | None, str | None]:
    """The file to write: the default name inside a folder given as --output, else the path
    given; (None, why) when its folder does not exist."""
    if given is None:
        return Path(default_name), None
    if given.is_dir():
        return given / default_name, None
    if not given.parent.is_dir():
        return None, messages.CLI_NO_OUTPUT_FOLDER.format(folder=given.parent)
    return given, None
