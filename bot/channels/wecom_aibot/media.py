"""Files over the AI bot: a member's picture downloaded from the URL its message carries
(counted as it arrives), and a file of ours uploaded over the connection in 512 KB chunks
(aibot_upload_media_init → chunk × N → finish) for a media_id to send."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Awaitable, Callable

import httpx

from bot.channels.wecom_aibot import protocol
from bot.channels.wecom_aibot.connection import AibotConnection

MAX_PICTURE_BYTES = 10 * 1024 * 1024


def picture_fetcher(
    *, timeout_s: float = 15.0, limit: int = MAX_PICTURE_BYTES
) -> Callable[[str], Awaitable[bytes]]:
    async def fetch(url: str) -> bytes:
        if not url.startswith(("https://", "http://")):
            raise ValueError("not a web address")
        received = bytearray()
        async with (
            httpx.AsyncClient(timeout=timeout_s) as client,
            client.stream("GET", url) as response,
        ):
            response.raise_for_status()
            async for block in response.aiter_bytes():
                received += block
                if len(received) > limit:
                    raise ValueError(f"a picture over {limit} bytes")
        return bytes(received)

    return fetch


async def upload(connection: AibotConnection, kind: str, name: str, data: bytes) -> str:
    """The media_id of `data` uploaded as a temporary file of `kind` (image/file)."""
    chunks = [
        data[start : start + protocol.UPLOAD_CHUNK_BYTES]
        for start in range(0, len(data), protocol.UPLOAD_CHUNK_BYTES)
    ] or [b""]
    if len(chunks) > protocol.UPLOAD_MAX_CHUNKS:
        raise ValueError("a file over WeCom's 100 chunks")
    init = await connection.request(
        protocol.UPLOAD_INIT,
        {
            "type": kind,
            "filename": name,
            "total_size": len(data),
            "total_chunks": len(chunks),
            "md5": hashlib.md5(data, usedforsecurity=False).hexdigest(),
        },
    )
    upload_id = init.body.get("upload_id")
    if not isinstance(upload_id, str) or not upload_id:
        raise ValueError("no upload_id")
    for index, chunk in enumerate(chunks):
        await connection.request(
            protocol.UPLOAD_CHUNK,
            {
                "upload_id": upload_id,
                "chunk_index": index,
                "base64_data": base64.b64encode(chunk).decode("ascii"),
            },
        )
    done = await connection.request(protocol.UPLOAD_FINISH, {"upload_id": upload_id})
    media_id = done.body.get("media_id")
    if not isinstance(media_id, str) or not media_id:
        raise ValueError("no media_id")
    return media_id
