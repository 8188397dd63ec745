"""The conversation every channel shares: `Conversation.handle(who, incoming) -> [Reply]`.

The order a private text is read in is bot.conversation.routing's; the report, ledger and
question paths are below. Commands a secretary or staff member types are here too, so the
terminal, the web page and WeCom get them without copying anything — the admin's as well
(invites, users, documents, broadcasts, the calendar: bot.conversation.admin and
admin_documents), checked for the role here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from bot import messages
from bot.conversation.admin import AdminCommand, AdminTurns
from bot.conversation.admin_documents import DocumentTurns
from bot.conversation.ledger import LedgerTurns
from bot.conversation.linking import LinkTurns
from bot.conversation.partyday import PartyDayTurns
from bot.conversation.reporting import ReportTurns
from bot.conversation.routing import (
    Route,
    command_named_by,
    help_text,
    invite_code_in,
    route_text,
)
from bot.conversation.turns import (
    AlbumSettled,
    Button,
    Command,
    Document,
    Incoming,
    Photo,
    Press,
    Reply,
    Text,
    Unsupported,
    Who,
    button_number,
)
from bot.conversation.typed_buttons import TypedButtons
from bot.ledger_query.reading import is_ledger_question
from bot.orglife.asking import answer_orglife, read_orglife_question
from bot.orglife.reminders import OrgLifeReminders, summary_optin_reply
from bot.orglife.status import OrgLifeService
from bot.outbox.broadcasting import BroadcastService
from bot.partyday.service import CalendarService
from bot.people.accounts import ROLE_NAMES, AccountService, Member, Role, place
from bot.people.invites import RegistrationError
from bot.qa.library import LibraryService
from bot.qa.memory import AnswerMemory
from bot.qa.service import QAService
from bot.reports.service import ReportService

log = logging.getLogger(__name__)

CommandHandler = Callable[[Who, "Member | None", Command], list[Reply]]

# commands that also work in a group chat; the rest are answered in private only
GROUP_COMMANDS = frozenset({"help", "ask"})
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _nothing() -> None:
    return None


class Conversation:
    def __init__(
        self,
        *,
        qa: QAService,
        answers: AnswerMemory,
        accounts: AccountService,
        reports: ReportService,
        report_turns: ReportTurns,
        ledger_turns: LedgerTurns,
        partyday_turns: PartyDayTurns,
        link_turns: LinkTurns,
        typed_buttons: TypedButtons,
        public_qa: bool = False,
        web_link: Callable[[Member], str] | None = None,
        orglife: OrgLifeService | None = None,
        broadcasts: BroadcastService | None = None,
        library: LibraryService | None = None,
        calendar: CalendarService | None = None,
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES,
        wake_outbox: Callable[[], None] = _nothing,
        orglife_reminders: OrgLifeReminders | None = None,
    ) -> None:
        self._qa = qa
        self._answers = answers
        self._accounts = accounts
        self._reports = reports
        self._report_turns = report_turns
        self._ledger = ledger_turns
        self._partyday = partyday_turns
        self._links = link_turns
        self._typed_buttons = typed_buttons
        self._public_qa = public_qa
        self._web_link = web_link
        self._orglife = orglife or OrgLifeService(
            session_factory=reports.session_factory, today=reports.today
        )
        # called after a broadcast is confirmed, so whatever delivers it need not wait to poll;
        # a channel may set it after the core is built
        self.wake_outbox = wake_outbox
        self._admin = AdminTurns(
            accounts=accounts,
            broadcasts=broadcasts,
            calendar=calendar,
            today=reports.today,
            wake_outbox=lambda: self.wake_outbox(),
        )
        self._documents = DocumentTurns(
            library=library, calendar=calendar, max_upload_bytes=max_upload_bytes
        )
        self._commands: dict[str, CommandHandler] = {
            "start": self._start,
            "help": lambda who, member, command: [Reply(help_text(member))],
            "ask": self._ask,
            "report": self._report,
            "myreports": self._secretary_only(lambda m, a: self._report_turns.own_reports(m)),
            "reports": self._registered_only(self._ledger.rows),
            "export": self._registered_only(self._ledger.export),
            "stats": self._registered_only(self._ledger.chart),
            "calendar": self._registered_only(self._partyday.calendar),
            "mute": self._registered_only(lambda m, a: self._partyday.mute_menu(m)),
            "web": self._web,
            "orglife_summary": self._registered_only(
                lambda m, a: [Reply(summary_optin_reply(orglife_reminders, m, a))]
            ),
            "link": self._links.command,
        }
        admin_commands = self._admin.commands() | self._documents.commands()
        for name, run in admin_commands.items():
            self._commands[name] = self._admin_only(run)

    @property
    def max_upload_bytes(self) -> int:
        """The largest file the core takes: a channel need not fetch anything bigger."""
        return self._documents.max_upload_bytes

    def close(self) -> None:
        self._report_turns.close()

    def handle(self, who: Who, incoming: Incoming) -> list[Reply]:
        if isinstance(incoming, Text) and who.private:
            action = self._typed_buttons.action_for(who, incoming.text)
            if action is not None:
                incoming = Press(action)
        replies = self._handle(who, incoming)
        self._typed_buttons.remember(who, replies)
        return replies

    def _handle(self, who: Who, incoming: Incoming) -> list[Reply]:
        member = self._accounts.member_at(who.channel, who.external_id)
        if isinstance(incoming, Text):
            return self._text(who, member, incoming)
        if isinstance(incoming, Command):
            return self._command(who, member, incoming)
        if isinstance(incoming, Press):
            return self._press(who, member, incoming.action)
        if not who.private:
            return []  # photos and media in a group are the group's, not the assistant's
        if isinstance(incoming, Photo):
            if member is None or member.role != Role.SECRETARY:
                return [Reply(messages.REPORT_SECRETARY_ONLY)]
            return self._report_turns.photo(member, incoming)
        if isinstance(incoming, Document):
            if member is None or member.role != Role.ADMIN:
                return [Reply(messages.ADMIN_ONLY)]
            return self._documents.upload(incoming)
        if isinstance(incoming, AlbumSettled):
            if member is None or member.role != Role.SECRETARY:
                return []
            return self._report_turns.album_settled(member, incoming.album)
        assert isinstance(incoming, Unsupported)
        return [Reply(messages.MEDIA_UNSUPPORTED)]

    # -- texts ------------------------------------------------------------------------------------

    def _text(self, who: Who, member: Member | None, incoming: Text) -> list[Reply]:
        text = incoming.text
        if not who.private:  # a group speaks to the assistant only with questions
            return self._question(who, member, text)
        code = invite_code_in(text)
        if code is not None and (member is None or self._links.knows(code)):
            return self._start(who, member, Command("start", code))
        pending = (
            member is not None
            and member.role == Role.SECRETARY
            and self._report_turns.has_pending_field(member)
        )
        route, activities = route_text(
            text,
            member=member,
            pending_field=pending,
            today=self._reports.today(),
            read=self._reports.read_activities,
        )
        if route == Route.HELP:
            return [Reply(help_text(member))]
        if route == Route.COMMAND:
            name = command_named_by(text)
            assert name is not None  # what made the route COMMAND
            return self._command(who, member, Command(name, sent_at=incoming.sent_at))
        if route in (Route.FIELD, Route.PLAN, Route.REPORT, Route.CORRECTION):
            assert member is not None
            return self._report_turns.text(
                member, text, route, activities, incoming.sent_at, submission=incoming.submission
            )
        return self._question(who, member, text, ledger=route == Route.LEDGER)

    def _question(
        self, who: Who, member: Member | None, text: str, *, ledger: bool | None = None
    ) -> list[Reply]:
        """A ledger or a policy question; `ledger` is the routing's verdict when it ran (a
        private text), else the ledger test runs here (a group, /ask)."""
        if member is None and not (self._public_qa or who.trusted):
            return [Reply(messages.NOT_REGISTERED)]
        if member is not None and (orglife := self._orglife_answer(member, text)) is not None:
            if who.private:
                return [Reply(orglife)]
            return [Reply(orglife, private=True), Reply(messages.LEDGER_SENT_PRIVATELY)]
        if ledger is None:
            ledger = member is not None and is_ledger_question(text, today=self._reports.today())
        if ledger:
            assert member is not None
            return self._ledger.question(member, text, private=who.private)
        previous = self._answers.last(who.chat_key)
        answer = self._qa.ask(text, previous)
        key = self._answers.remember(who.chat_key, answer)
        self._answers.unanswered.record_answer(
            answer, role=_role(member), channel=who.channel, names=self._names
        )
        buttons = [
            Button(messages.FEEDBACK_HELPFUL, f"fb:1:{key}"),
            Button(messages.FEEDBACK_UNHELPFUL, f"fb:0:{key}"),
        ]
        if answer.sources:
            buttons.insert(0, Button(messages.VIEW_SOURCE, f"src:{key}"))
        return [Reply(answer.text, buttons=(tuple(buttons),), lead=answer.lead or "")]

    def _orglife_answer(self, member: Member, text: str) -> str | None:
        """「这个月三会一课还差啥」: what the rules still ask, before policy Q&A."""
        question = read_orglife_question(
            text, rules=self._orglife.rules(), today=self._reports.today()
        )
        if question is None:
            return None
        return answer_orglife(self._orglife, member, question, text)

    # -- commands ---------------------------------------------------------------------------------

    def _command(self, who: Who, member: Member | None, command: Command) -> list[Reply]:
        if not who.private and command.name not in GROUP_COMMANDS:
            return []
        handler = self._commands.get(command.name)
        if handler is None:
            unknown = messages.UNKNOWN_COMMAND.format(command="/" + command.name)
            return [Reply(unknown + "\n" + help_text(member))]
        return handler(who, member, command)

    def _start(self, who: Who, member: Member | None, command: Command) -> list[Reply]:
        code = command.args.strip()
        if code and (linked := self._links.redeem(who, code)) is not None:
            return linked
        if code:
            try:
                registered = self._accounts.invites.register(
                    who.external_id, code, channel=who.channel, name=who.name, chat=who.chat_key
                )
            except RegistrationError as exc:
                return [Reply(messages.REGISTRATION_ERRORS[exc.reason])]
            where = place(registered.village, registered.township)
            first_use = messages.REGISTERED.format(role=ROLE_NAMES[registered.role], place=where)
            return [Reply(first_use + "\n\n" + help_text(registered), menu=registered.role)]
        if member is None:
            guest = messages.START_GUEST
            return [Reply(guest + ("\n" + messages.GUEST_PUBLIC if self._public_qa else ""))]
        if not member.reachable:  # they unblocked the bot and came back
            self._accounts.set_reachable(member.id, True)
        text = messages.START_REGISTERED.format(
            name=member.name or who.name,
            role=ROLE_NAMES[member.role],
            place=place(member.village, member.township),
        )
        return [Reply(text, menu=member.role)]

    def _ask(self, who: Who, member: Member | None, command: Command) -> list[Reply]:
        if not command.args.strip():
            return [Reply(messages.ASK_USAGE)]
        return self._question(who, member, command.args)

    def _report(self, who: Who, member: Member | None, command: Command) -> list[Reply]:
        text = command.args.strip()
        if not text:
            return [Reply(messages.REPORT_USAGE)]
        if member is None or member.role != Role.SECRETARY:
            return [Reply(messages.REPORT_SECRETARY_ONLY)]
        activities = self._reports.read_activities(text)
        route = Route.PLAN if activities[0].plan else Route.REPORT
        return self._report_turns.text(member, text, route, activities, command.sent_at)

    def _web(self, who: Who, member: Member | None, command: Command) -> list[Reply]:
        """A one-time link to set a web login and password, to the person alone."""
        if member is None:
            return [Reply(messages.NOT_REGISTERED)]
        if self._web_link is None:
            return [Reply(messages.WEB_NOT_ENABLED)]
        if who.channel == "web":
            return [Reply(messages.WEB_ALREADY_HERE)]
        return [Reply(messages.WEB_LINK.format(url=self._web_link(member)), private=True)]

    def _names(self) -> list[str]:
        return list(self._accounts.names().values())

    @staticmethod
    def _secretary_only(run: Callable[[Member, str], list[Reply]]) -> CommandHandler:
        def checked(who: Who, member: Member | None, command: Command) -> list[Reply]:
            if member is None or member.role != Role.SECRETARY:
                return [Reply(messages.REPORT_SECRETARY_ONLY)]
            return run(member, command.args)

        return checked

    @staticmethod
    def _admin_only(run: AdminCommand) -> CommandHandler:
        def checked(who: Who, member: Member | None, command: Command) -> list[Reply]:
            if member is None or member.role != Role.ADMIN:
                return [Reply(messages.ADMIN_ONLY)]
            return run(who, member, command.args)

        return checked

    @staticmethod
    def _registered_only(run: Callable[[Member, str], list[Reply]]) -> CommandHandler:
        def checked(who: Who, member: Member | None, command: Command) -> list[Reply]:
            if member is None:
                return [Reply(messages.NOT_REGISTERED)]
            return run(member, command.args)

        return checked

    # -- buttons ----------------------------------------------------------------------------------

    def _press(self, who: Who, member: Member | None, action: str) -> list[Reply]:
        kind = action.partition(":")[0]
        if kind in ("src", "fb"):
            return self._answer_press(who, member, action)
        if kind in ("rp", "pl") and member is not None and member.role == Role.SECRETARY:
            return self._report_turns.press(member, action)
        if kind == "mute" and member is not None:
            return self._partyday.mute_press(member, action)
        if kind in ("iv", "bc") and member is not None and member.role == Role.ADMIN:
            return self._admin.press(who, member, action)
        return [Reply(messages.BUTTON_STALE, notice=True)]

    def _answer_press(self, who: Who, member: Member | None, action: str) -> list[Reply]:
        kind, _, rest = action.partition(":")
        if kind == "fb" and rest[:2] not in ("1:", "0:"):
            return [Reply(messages.BUTTON_STALE, notice=True)]
        key = rest if kind == "src" else rest.partition(":")[2]
        number = button_number(key)
        recalled = self._answers.recall(who.chat_key, number) if number is not None else None
        if recalled is None or (kind == "src" and not recalled.sources):
            return [Reply(messages.FEEDBACK_EXPIRED, notice=True)]
        if kind == "src":
            chunk_id, cited = recalled.sources[0]
            section = self._qa.full_text(chunk_id)
            body = "\n".join(p.text for p in section) if section else messages.SOURCE_MISSING
            return [Reply(f"{cited}\n\n{body}")]
        citations = [cited for _, cited in recalled.sources]
        helpful = rest.startswith("1:")
        self._accounts.record_feedback(
            member.id if member is not None else None, recalled.question, citations, helpful=helpful
        )
        if not helpful:
            role, channel = _role(member), who.channel
            self._answers.unanswered.record_unhelpful(
                recalled.question, citations, role=role, channel=channel, names=self._names
            )
        return [Reply(messages.FEEDBACK_THANKS, notice=True)]


def _role(member: Member | None) -> str:
    """What the unanswered-questions list keeps of who asked: the role, never the person."""
    return member.role.value if member is not None else "guest"
