"""WeCom's 智能机器人 (AI bot) over its long connection: a WebSocket this server opens to WeCom,
so no public address is needed. Its senders are the corp's members by UserID, as in the
callback app, so they are the channel "wecom": a member bound once is one user on both."""

from bot.channels.wecom import CHANNEL

__all__ = ["CHANNEL"]
