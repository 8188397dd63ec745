"""The link turns: `/link` (绑定其他渠道) gives a registered member a one-time code, privately;
the code sent from an unregistered identity on another channel makes it theirs
(bot.people.linking)."""

from __future__ import annotations

from bot import messages
from bot.conversation.routing import help_text
from bot.conversation.turns import Command, Reply, Who
from bot.people.accounts import ROLE_NAMES, Member, place
from bot.people.linking import IdentityLinks, LinkError


class LinkTurns:
    def __init__(self, links: IdentityLinks) -> None:
        self._links = links

    def command(self, who: Who, member: Member | None, command: Command) -> list[Reply]:
        if member is None:
            return [Reply(messages.NOT_REGISTERED)]
        try:
            issued = self._links.issue(member.id)
        except LinkError as exc:
            return [Reply(messages.LINK_ERRORS[exc.reason])]
        minutes = int(self._links.ttl.total_seconds() // 60)
        return [Reply(messages.LINK_CODE.format(code=issued.code, minutes=minutes), private=True)]

    def knows(self, code: str) -> bool:
        return self._links.knows(code)

    def redeem(self, who: Who, code: str) -> list[Reply] | None:
        """The replies to a link code; None when the code is not one (then it is an invite)."""
        try:
            member = self._links.redeem(
                code, channel=who.channel, external_id=who.external_id, chat=who.chat_key
            )
        except LinkError as exc:
            return [Reply(messages.LINK_ERRORS[exc.reason])]
        if member is None:
            return None
        where = place(member.village, member.township)
        linked = messages.LINKED.format(role=ROLE_NAMES[member.role], place=where)
        return [Reply(linked + "\n\n" + help_text(member), menu=member.role)]
