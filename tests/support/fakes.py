"""Fakes for the edge of the world only: a tiny deterministic embedder and an LLM API server."""

from __future__ import annotations

import itertools
import json
import threading
import time
import zlib
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import numpy as np

from bot.index.embeddings import NamedEmbeddings


class HashingEmbeddings(NamedEmbeddings):
    """Character uni- and bi-grams hashed into 256 dimensions: deterministic and instant."""

    def __init__(self, name: str = "test-hashing-256", dim: int = 256) -> None:
        self.name = name
        self.dim = dim
        self.calls = 0

    def _vector(self, text: str) -> list[float]:
        vector = np.zeros(self.dim, dtype=np.float32)
        chars = [c for c in text if not c.isspace()]
        for gram in chars + [a + b for a, b in itertools.pairwise(chars)]:
            vector[zlib.crc32(gram.encode()) % self.dim] += 1.0
        norm = float(np.linalg.norm(vector)) or 1.0
        return (vector / norm).tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


class RememberingEmbeddings(NamedEmbeddings):
    """A real embedder that embeds each passage once per test session: the modules that build
    a knowledge base on the same model share the vectors of the documents they both hold."""

    def __init__(self, inner: NamedEmbeddings) -> None:
        self.inner = inner
        self.name = inner.name
        self._passages: dict[str, list[float]] = {}

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = list(dict.fromkeys(t for t in texts if t not in self._passages))
        if missing:
            vectors = self.inner.embed_documents(missing)
            self._passages.update(zip(missing, vectors, strict=True))
        return [self._passages[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_queries(texts)


Reply = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]


class FakeOpenAIServer:
    """An OpenAI-compatible /v1/chat/completions on 127.0.0.1.

    Any other path or method is recorded in `unexpected`, answered 404, and fails the test.
    """

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.requests: list[dict[str, Any]] = []
        self.unexpected: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.rstrip("/") != "/v1/chat/completions":
                    server.unexpected.append(f"POST {self.path}")
                    self._send(404, {"error": "unexpected"})
                    return
                server.requests.append(body)
                status, payload = server.reply(body)
                self._send(status, payload)

            def do_GET(self) -> None:
                server.unexpected.append(f"GET {self.path}")
                self._send(404, {"error": "unexpected"})

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload, ensure_ascii=False).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        assert not self.unexpected, f"unexpected calls to the fake LLM API: {self.unexpected}"


def chat_completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": "fake",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class Clock:
    """A clock the test moves by hand; services take it where they would take datetime.now."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def until(condition: Callable[[], object], timeout_s: float, what: str) -> None:
    """Wait, polling, until `condition()` holds; fail with `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)
