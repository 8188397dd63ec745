"""The Telegram adapter: parses updates, calls the services, replies. No business logic here."""
