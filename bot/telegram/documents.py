"""Telegram handlers for admins keeping the knowledge base: uploads, /docs, /deldoc."""

from __future__ import annotations

import asyncio
import logging

from telegram import Update
from telegram.ext import ContextTypes

from bot import messages
from bot.accounts import Member, Role
from bot.library import upload_text
from bot.telegram.common import (
    TooLarge,
    download_bounded,
    reply,
    requires,
    services,
)
from bot.telegram.formatting import split_message

log = logging.getLogger(__name__)


# -- knowledge (admin) ----------------------------------------------------------------------------


@requires(Role.ADMIN)
async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member) -> None:
    assert update.message is not None and update.message.document is not None
    document = update.message.document
    s = services(context)
    name = s.library.safe_name(document.file_name or "upload")
    if not s.library.supported(name):
        await reply(update, messages.TG_UPLOAD_TYPE)
        return
    size = document.file_size or 0
    if size > s.max_upload_bytes:
        limit = s.max_upload_bytes // (1024 * 1024)
        await reply(update, messages.TG_UPLOAD_SIZE.format(size=size / 1024 / 1024, limit=limit))
        return
    await reply(update, messages.TG_UPLOAD_RECEIVED.format(name=name))
    limit = s.max_upload_bytes
    try:
        data = await download_bounded(await document.get_file(), limit)
    except TooLarge as exc:
        await reply(
            update,
            messages.TG_UPLOAD_SIZE.format(
                size=exc.size / 1024 / 1024, limit=limit // (1024 * 1024)
            ),
        )
        return
    result = await asyncio.to_thread(s.library.add_upload, name, data)
    await reply(update, upload_text(name, result))


@requires(Role.ADMIN)
async def docs_command(update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member) -> None:
    documents = await asyncio.to_thread(services(context).library.documents)
    if not documents:
        await reply(update, messages.TG_DOCS_EMPTY)
        return
    lines = [
        messages.TG_DOCS_LINE.format(
            n=n,
            title=d.title,
            issued=d.issued.isoformat() if d.issued else "日期不详",
            source=d.source,
        )
        for n, d in enumerate(documents, start=1)
    ]
    for part in split_message("\n".join(lines)):
        await reply(update, part)


@requires(Role.ADMIN)
async def deldoc_command(
    update: Update, context: ContextTypes.DEFAULT_TYPE, member: Member
) -> None:
    source = " ".join(context.args or []).strip()
    if not source:
        await reply(update, messages.TG_DELDOC_USAGE)
        return
    removed = await asyncio.to_thread(services(context).library.delete, source)
    text = messages.TG_DELDOC_DONE if removed else messages.TG_DELDOC_MISSING
    await reply(update, text.format(source=source))
