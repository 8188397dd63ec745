"""The admin's turns, for every channel: invites (with their preview), the user list, roles,
revoking and restoring, broadcasts (preview, then 确认), and the Party-day calendar's themes and
days. The core checks the role before any of these run; the services do the work."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot import messages
from bot.conversation.turns import Button, Reply, Who, button_number
from bot.months import year_month
from bot.outbox.broadcasting import Audience, BroadcastService
from bot.partyday.calendar_file import parse_day, split_tasks
from bot.partyday.rules import month_key
from bot.partyday.service import CalendarService
from bot.people.accounts import ROLE_NAMES, AccountService, Member, Role, place
from bot.people.invite_words import InviteWordsError, invite_scope, read_invite_words

# how a channel's button hands back its action: at most 64 bytes (Telegram's limit)
MAX_ACTION_BYTES = 64
CANCEL_WORDS = {"取消", "cancel", "-"}

# an admin command: who asked, the admin, the rest of the line
AdminCommand = Callable[[Who, Member, str], list[Reply]]


class AdminTurns:
    def __init__(
        self,
        *,
        accounts: AccountService,
        broadcasts: BroadcastService | None,
        calendar: CalendarService | None,
        today: Callable[[], date],
        wake_outbox: Callable[[], None],
    ) -> None:
        self._accounts = accounts
        self._broadcasts = broadcasts
        self._calendar = calendar
        self._today = today
        # told after a broadcast is confirmed: whatever delivers it may start now
        self._wake_outbox = wake_outbox

    def commands(self) -> dict[str, AdminCommand]:
        return {
            "invite": self.invite,
            "users": self.users,
            "setrole": self.setrole,
            "revoke": self.revoke,
            "restore": self.restore,
            "broadcast": self.broadcast,
            "settheme": self.settheme,
            "setday": self.setday,
        }

    def press(self, who: Who, admin: Member, action: str) -> list[Reply]:
        if action.startswith("iv:"):
            return self._invite_press(admin, action)
        return self._broadcast_press(admin, action)

    # -- users ------------------------------------------------------------------------------------

    def invite(self, who: Who, admin: Member, args: str) -> list[Reply]:
        """Read the admin's words, show what the code would bind; the code is made on 生成."""
        try:
            request = read_invite_words(args.split())
        except InviteWordsError as exc:
            problem = messages.INVITE_WORD_ERRORS[exc.reason].format(word=exc.word)
            return [Reply(problem + "\n\n" + messages.INVITE_USAGE)]
        action = ":".join(("iv", "ok", request.role, request.township or "", request.village or ""))
        if len(action.encode()) > MAX_ACTION_BYTES:
            return [Reply(messages.INVITE_NAMES_TOO_LONG)]
        buttons = (
            Button(messages.INVITE_BUTTON_CREATE, action),
            Button(messages.INVITE_BUTTON_CANCEL, "iv:no"),
        )
        text = messages.INVITE_PREVIEW.format(
            role=ROLE_NAMES[request.role], scope=invite_scope(request)
        )
        return [Reply(text, buttons=(buttons,))]

    def _invite_press(self, admin: Member, action: str) -> list[Reply]:
        parts = action.split(":")
        if parts[1] not in ("ok", "no"):
            return [Reply(messages.BUTTON_STALE, notice=True)]
        if parts[1] == "no" or len(parts) != 5:
            return [Reply(messages.INVITE_CANCELLED, replace=True)]
        try:
            request = read_invite_words([p for p in parts[2:] if p])
        except InviteWordsError:
            return [Reply(messages.BUTTON_STALE, replace=True)]
        invite = self._accounts.invites.create_invite(
            request.role, village=request.village, township=request.township, created_by=admin.id
        )
        expires = invite.expires_at.astimezone(self._accounts.timezone)
        text = messages.INVITE_CREATED.format(
            code=invite.code,
            role=ROLE_NAMES[request.role],
            place="（" + invite_scope(request) + "）",
            expires=f"{expires:%Y-%m-%d %H:%M}",
        )
        return [Reply(text, replace=True)]

    def users(self, who: Who, admin: Member, args: str) -> list[Reply]:
        township = args.split()[0] if args.split() else None
        members = self._accounts.members(township=township)
        if not members:
            return [Reply(messages.USERS_EMPTY)]
        lines = [
            messages.USERS_LINE.format(
                user_id=_address(who, m),
                name=m.name or "-",
                role=ROLE_NAMES[m.role],
                place=place(m.village, m.township),
                unreachable="" if m.reachable else "（无法送达）",
            )
            for m in members
        ]
        return [Reply("\n".join(lines))]

    def setrole(self, who: Who, admin: Member, args: str) -> list[Reply]:
        words = args.split()
        try:
            named, role = words[0], Role(words[1])
        except (IndexError, ValueError):
            return [Reply(messages.SETROLE_USAGE)]
        user_id = self._user_named(who, named)
        changed = (
            self._accounts.set_role(user_id, role, by=admin.id) if user_id is not None else None
        )
        if changed is None:
            return [Reply(messages.USER_NOT_FOUND)]
        return [Reply(messages.ROLE_CHANGED.format(user_id=named, role=ROLE_NAMES[role]))]

    def revoke(self, who: Who, admin: Member, args: str) -> list[Reply]:
        if not args.split():
            return [Reply(messages.REVOKE_USAGE)]
        named = args.split()[0]
        user_id = self._user_named(who, named)
        revoked = user_id is not None and self._accounts.revoke(user_id, by=admin.id)
        text = messages.REVOKED if revoked else messages.USER_NOT_FOUND
        return [Reply(text.format(user_id=named))]

    def restore(self, who: Who, admin: Member, args: str) -> list[Reply]:
        if not args.split():
            return [Reply(messages.RESTORE_USAGE)]
        named = args.split()[0]
        user_id = self._user_named(who, named)
        restored = self._accounts.restore(user_id, by=admin.id) if user_id is not None else None
        if restored is None:
            return [Reply(messages.NOT_REVOKED.format(user_id=named))]
        role, where = ROLE_NAMES[restored.role], place(restored.village, restored.township)
        return [Reply(messages.RESTORED.format(user_id=named, role=role, place=where))]

    def _user_named(self, who: Who, named: str) -> int | None:
        """A user as /users names them: their id on the admin's channel, or channel:id."""
        found = self._accounts.user_id_at(who.channel, named)
        channel, colon, external_id = named.partition(":")
        if found is None and colon and external_id:
            found = self._accounts.user_id_at(channel, external_id)
        return found

    # -- broadcasts -------------------------------------------------------------------------------

    def broadcast(self, who: Who, admin: Member, args: str) -> list[Reply]:
        if self._broadcasts is None:
            return [Reply(messages.ADMIN_FEATURE_OFF)]
        words = args.split()
        try:
            audience = Audience.parse(words[0])
            text = " ".join(words[1:])
            if not text:
                raise ValueError("no text")
        except (IndexError, ValueError):
            return [Reply(messages.BROADCAST_USAGE)]
        broadcast_id, count = self._broadcasts.draft(admin.id, text, audience)
        preview = messages.BROADCAST_PREVIEW.format(count=count, audience=audience.label, text=text)
        buttons = (
            Button(messages.BROADCAST_CONFIRM, f"bc:ok:{broadcast_id}"),
            Button(messages.BROADCAST_CANCEL, f"bc:no:{broadcast_id}"),
        )
        return [Reply(preview, buttons=(buttons,))]

    def _broadcast_press(self, admin: Member, action: str) -> list[Reply]:
        parts = action.split(":")
        stale = [Reply(messages.BUTTON_STALE, notice=True)]
        if self._broadcasts is None or len(parts) != 3 or parts[1] not in ("ok", "no"):
            return stale
        broadcast_id = button_number(parts[2])
        # only the admin who drafted it confirms or cancels it
        if broadcast_id is None or self._broadcasts.sender_of(broadcast_id) != admin.id:
            return stale
        if parts[1] == "no":
            cancelled = self._broadcasts.cancel(broadcast_id)
            text = messages.BROADCAST_CANCELLED if cancelled else messages.BROADCAST_ALREADY
            return [Reply(text, replace=True)]
        if not self._broadcasts.confirm(broadcast_id):
            return [Reply(messages.BROADCAST_ALREADY, replace=True)]
        self._wake_outbox()
        return [Reply(messages.BROADCAST_STARTED, replace=True)]

    # -- the Party-day calendar -------------------------------------------------------------------

    def settheme(self, who: Who, admin: Member, args: str) -> list[Reply]:
        if self._calendar is None:
            return [Reply(messages.CALENDAR_OFF)]
        words = args.split()
        try:
            month = month_key(*year_month(words[0], today=self._today()))
            theme, _, tasks = " ".join(words[1:]).partition("|")
            if not theme.strip():
                raise ValueError("no theme")
        except (IndexError, ValueError):
            return [Reply(messages.SETTHEME_USAGE)]
        task_list = split_tasks(tasks)
        self._calendar.set_theme(month, theme.strip(), task_list)
        done = messages.SETTHEME_DONE.format(month=month, theme=theme.strip(), tasks=len(task_list))
        return [Reply(done)]

    def setday(self, who: Who, admin: Member, args: str) -> list[Reply]:
        if self._calendar is None:
            return [Reply(messages.CALENDAR_OFF)]
        words = args.split()
        try:
            year, month = year_month(words[0], today=self._today())
            raw_day = words[1]
            township = words[2] if len(words) > 2 else ""
            village = words[3] if len(words) > 3 else ""
            day = None if raw_day in CANCEL_WORDS else parse_day(raw_day)
        except (IndexError, ValueError):
            return [Reply(messages.SETDAY_USAGE)]
        key = month_key(year, month)
        scope = (township + village) or messages.SCOPE_COUNTY
        if day is not None and (day.year, day.month) != (year, month):
            return [Reply(messages.SETDAY_WRONG_MONTH.format(date=day, month=key))]
        if day is None:
            if not self._calendar.clear_override(key, township=township, village=village):
                return [Reply(messages.SETDAY_NOTHING.format(scope=scope, month=key))]
            now_day = self._calendar.load().party_day(
                year, month, village=village, township=township
            )
            text = messages.SETDAY_CLEARED.format(
                scope=scope, month=key, date=now_day.day if now_day else "未设置规则"
            )
            return [Reply(text)]
        note = f"管理员调整（{admin.name or admin.id}）"
        self._calendar.set_override(key, day, township=township, village=village, note=note)
        weekday = messages.WEEKDAY_NAMES[day.weekday()]
        done = messages.SETDAY_DONE.format(scope=scope, month=key, date=day, weekday=weekday)
        return [Reply(done)]


def _address(who: Who, member: Member) -> str:
    """How /users names a member: the id alone on the admin's own channel, else channel:id."""
    if member.external_id is None:
        return "-"
    if member.channel == who.channel:
        return member.external_id
    return f"{member.channel}:{member.external_id}"
