"""Every user-facing string of the core, by area; `messages.NAME` reads any of them."""

from bot.messages.answers import *  # noqa: F403
from bot.messages.chat import *  # noqa: F403
from bot.messages.cli import *  # noqa: F403
from bot.messages.ledger import *  # noqa: F403
from bot.messages.partyday import *  # noqa: F403
from bot.messages.records import *  # noqa: F403
from bot.messages.reports import *  # noqa: F403
from bot.messages.setup import *  # noqa: F403
