"""The web console and phone page: a FastAPI app over the same services as the chat channels.

Pages are rendered on the server (Jinja2); the few scripts and the stylesheet are shipped in
bot/channels/web/static, so it runs on an offline intranet. Every page and JSON endpoint reads the
person from the session cookie (or HTTP Basic, for a county's own systems) and goes through the
services, which apply the one scope rule.
"""
