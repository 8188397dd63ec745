"""Access that stays revoked: one-time invites, audited role changes, invite guessing limited."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest

from bot.people.accounts import AccountService, Role
from bot.people.invites import RegistrationError
from tests.support.fakes import Clock

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def accounts(sessions, clock) -> AccountService:
    service = AccountService(session_factory=sessions, clock=clock)
    service.add(1, Role.ADMIN, channel="telegram", name="管理员")
    return service


def reason(call) -> str:
    with pytest.raises(RegistrationError) as caught:
        call()
    return caught.value.reason


def test_an_invite_registers_once_even_for_the_same_user(accounts: AccountService) -> None:
    invite = accounts.invites.create_invite(Role.SECRETARY, village="张家村", township="城关镇")
    accounts.invites.register(200, invite.code, channel="telegram")
    assert reason(lambda: accounts.invites.register(200, invite.code, channel="telegram")) == "used"


def test_a_revoked_user_stays_revoked(accounts: AccountService) -> None:
    invite = accounts.invites.create_invite(Role.SECRETARY, village="张家村", township="城关镇")
    user = accounts.invites.register(200, invite.code, channel="telegram")
    assert accounts.revoke(user.id, by=1)
    assert reason(lambda: accounts.invites.register(200, invite.code, channel="telegram")) == "used"
    fresh = accounts.invites.create_invite(Role.SECRETARY, village="张家村", township="城关镇")
    assert (
        reason(lambda: accounts.invites.register(200, fresh.code, channel="telegram")) == "revoked"
    )
    assert accounts.member_at("telegram", 200) is None and accounts.member(user.id) is None
    restored = accounts.restore(user.id, by=1)
    assert restored is not None and restored.role == Role.SECRETARY


def test_a_demoted_admin_cannot_replay_or_use_invites_made_while_admin(
    accounts: AccountService,
) -> None:
    made_by_boss = accounts.invites.create_invite(Role.ADMIN, created_by=1)
    admin = accounts.invites.register(300, made_by_boss.code, channel="telegram")
    stash = accounts.invites.create_invite(Role.ADMIN, created_by=admin.id)
    accounts.set_role(admin.id, Role.STAFF, by=1)
    assert (
        reason(lambda: accounts.invites.register(300, made_by_boss.code, channel="telegram"))
        == "used"
    )
    assert accounts.member_at("telegram", 300).role == Role.STAFF
    # the invites a demoted admin made and nobody used are withdrawn with the role
    assert (
        reason(lambda: accounts.invites.register(301, stash.code, channel="telegram"))
        == "withdrawn"
    )


def test_role_changes_are_audited(accounts: AccountService, clock: Clock) -> None:
    invite = accounts.invites.create_invite(Role.SECRETARY, village="张家村", township="城关镇")
    user = accounts.invites.register(200, invite.code, channel="telegram")
    clock.now += timedelta(hours=1)
    accounts.set_role(user.id, Role.STAFF, by=1)
    accounts.revoke(user.id, by=1)
    accounts.restore(user.id, by=1)
    trail = accounts.role_history(user.id)
    assert [(c.action, c.old_role, c.new_role) for c in trail] == [
        ("register", None, "secretary"),
        ("set_role", "secretary", "staff"),
        ("revoke", "staff", None),
        ("restore", None, "staff"),
    ]
    assert trail[1].actor == "1" and trail[1].at == NOW + timedelta(hours=1)
    assert trail[0].actor == f"invite:{invite.code}"
    assert trail[0].new_scope == "城关镇 张家村"


def test_invite_guessing_is_limited_per_chat_in_the_database_and_blocks_no_one_else(
    sessions, clock: Clock
) -> None:
    accounts = AccountService(session_factory=sessions, clock=clock)
    real = accounts.invites.create_invite(Role.STAFF, township="城关镇")
    for guess in range(5):
        assert (
            reason(lambda g=guess: accounts.invites.register(400, f"WRONG{g}", channel="telegram"))
            == "unknown"
        )
    # a sixth try from the same chat is refused even with the right code …
    assert (
        reason(lambda: accounts.invites.register(400, real.code, channel="telegram")) == "throttled"
    )
    # … and a restart (a new service on the same database) does not reset it
    restarted = AccountService(session_factory=sessions, clock=clock)
    assert (
        reason(lambda: restarted.invites.register(400, real.code, channel="telegram"))
        == "throttled"
    )
    # other chats still register; an hour later the chat may try again
    clock.now += timedelta(minutes=61)
    assert restarted.invites.register(400, real.code, channel="telegram").role == Role.STAFF

    # many chats guessing at once are each held to their own limit, and block no one else
    # (a global limit let fifty wrong codes lock every registration on every channel: issue 25)
    for chat in range(500, 560):
        for _ in range(6):
            with contextlib.suppress(RegistrationError):
                restarted.invites.register(chat, "NOPE0000", channel="telegram")
    assert (
        reason(lambda: restarted.invites.register(500, real.code, channel="telegram"))
        == "throttled"
    )
    other = restarted.invites.create_invite(Role.STAFF, township="城关镇")
    assert restarted.invites.register(999, other.code, channel="telegram").role == Role.STAFF


def test_the_speaker_is_the_same_member_whichever_identity_they_write_from(
    accounts: AccountService, sessions, clock: Clock
) -> None:
    from bot.db.logins import add_web_identity

    user = accounts.add(
        400, Role.SECRETARY, channel="telegram", name="王书记", village="张家村", township="城关镇"
    )
    with sessions() as session, session.begin():
        add_web_identity(session=session, user_id=user.id, login="wang", now=clock() + timedelta(1))
    by_telegram, by_web = accounts.member_at("telegram", "400"), accounts.member_at("web", "wang")
    # the same person, addressed on Telegram: a web login is never where messages go
    assert by_telegram == by_web == accounts.member(user.id)
    assert by_web is not None and (by_web.channel, by_web.external_id) == ("telegram", "400")
    assert (by_web.role, by_web.township, by_web.village) == (Role.SECRETARY, "城关镇", "张家村")
    assert accounts.member_at("telegram", "401") is None
    assert accounts.member_at("wecom", "400") is None


def test_every_account_call_names_its_channel(accounts: AccountService) -> None:
    """No channel is the default: a WeCom or web account is never filed as a Telegram one."""
    invite = accounts.invites.create_invite(Role.STAFF, township="城关镇")
    calls = [
        lambda: accounts.add(2, Role.STAFF),  # type: ignore[call-arg]
        lambda: accounts.invites.register(2, invite.code),  # type: ignore[call-arg]
        lambda: accounts.ensure_admins([2]),  # type: ignore[call-arg]
        lambda: accounts.claim_update(7),  # type: ignore[call-arg]
        lambda: accounts.claim_updates([7]),  # type: ignore[call-arg]
    ]
    for call in calls:
        with pytest.raises(TypeError, match="channel"):
            call()
    assert accounts.member_at("telegram", 2) is None
