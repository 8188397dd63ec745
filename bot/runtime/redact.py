"""Secrets never reach a log line: httpx logs request URLs, which carry a bot token or a
WeCom corp secret and access token."""

from __future__ import annotations

import logging
import re


class RedactSecrets(logging.Filter):
    def __init__(self, *secrets: str, patterns: tuple[str, ...] = ()) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]
        self._patterns = [re.compile(p) for p in patterns]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = message
        for secret in self._secrets:
            redacted = redacted.replace(secret, "<secret>")
        for pattern in self._patterns:
            redacted = pattern.sub(r"\1<secret>", redacted)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_redaction(*secrets: str, patterns: tuple[str, ...] = ()) -> None:
    redactor = RedactSecrets(*secrets, patterns=patterns)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
