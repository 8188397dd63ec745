"""The conversation, channel-free: what a message is (routing), what comes in and goes out
(turns), and the core that answers (core.Conversation, built by bot.services)."""

from bot.conversation.routing import Route, help_text, is_help_request, plan_text, route_text

__all__ = ["Route", "help_text", "is_help_request", "plan_text", "route_text"]
