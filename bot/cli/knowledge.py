"""`partybot ingest`, `ask` and `download-model`: the knowledge folder indexed, questions asked of
it, and the model that embeds it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot import messages
from bot.cli.context import Cli

if TYPE_CHECKING:
    from bot.qa.service import QAService


def add_ingest_parser(commands: Any) -> None:
    ingest = commands.add_parser("ingest", help="把知识库文件夹（或指定文件）编入索引")
    ingest.add_argument(
        "path", nargs="?", type=Path, metavar="路径", help="文件或文件夹，默认知识库文件夹"
    )
    ingest.add_argument("--prune", action="store_true", help=messages.CLI_PRUNE_HELP)
    ingest.set_defaults(handler=cmd_ingest)


def add_ask_parser(commands: Any) -> None:
    ask = commands.add_parser("ask", help="提问（可一次问多个问题）")
    ask.add_argument("questions", nargs="+", metavar="问题", help="一个或多个问题")
    ask.add_argument("--json", action="store_true", help="每个问题输出一行 JSON")
    ask.set_defaults(handler=cmd_ask)


def add_download_parser(commands: Any) -> None:
    download = commands.add_parser("download-model", help="下载 bge-small-zh-v1.5 向量模型")
    download.add_argument("--endpoint", help="Hugging Face 地址或镜像（默认 HF_ENDPOINT）")
    download.set_defaults(handler=cmd_download)


def cmd_ingest(cli: Cli, args: argparse.Namespace) -> int:
    path: Path | None = args.path
    if path is not None and not path.exists() and not _was_indexed(cli, path):
        print(messages.INGEST_NOT_FOUND.format(path=path), file=sys.stderr)
        return 2
    return ingest(cli, path, prune=args.prune)


def _was_indexed(cli: Cli, path: Path) -> bool:
    """A path that no longer exists may still be ingested: that removes it from the index."""
    from bot.db import knowledge as kb

    knowledge_base = cli.knowledge_base
    source = knowledge_base.ingestor.source_key(path)
    with knowledge_base.sessions() as session:
        return kb.get_document_by_source(session=session, source=source) is not None


def ingest(cli: Cli, path: Path | None, *, prune: bool = False) -> int:
    from bot.cli.ingest import run_ingest

    return run_ingest(cli.knowledge_base.ingestor, path, prune=prune)


def _qa_service(cli: Cli) -> QAService:
    settings = cli.settings
    from bot.qa.llm import make_chat_model_from_settings
    from bot.qa.service import QAService

    kbase = cli.knowledge_base
    return QAService(
        kbase.retriever, make_chat_model_from_settings(settings), sessions=kbase.sessions
    )


def cmd_ask(cli: Cli, args: argparse.Namespace) -> int:
    service = _qa_service(cli)
    for question in args.questions:
        answer = service.ask(question)
        if args.json:
            print(json.dumps(answer.as_json(), ensure_ascii=False), flush=True)
        else:
            print(f"问：{answer.question}\n{answer.text}\n", flush=True)
    return 0


def cmd_download(cli: Cli, args: argparse.Namespace) -> int:
    settings = cli.settings
    from bot.index.embeddings import (
        EmbeddingExtraMissing,
        download_bge,
        sentence_transformers_installed,
    )

    if not sentence_transformers_installed():  # a model it could not load is no use
        raise EmbeddingExtraMissing("bge-small-zh-v1.5")
    endpoint = args.endpoint or settings.hf_endpoint
    try:
        target = download_bge(models_dir=settings.models_dir, endpoint=endpoint)
    except ConnectionError:
        shown = endpoint or "https://huggingface.co"
        print(messages.DOWNLOAD_UNREACHABLE.format(endpoint=shown), file=sys.stderr)
        return 2
    print(messages.DOWNLOAD_DONE.format(path=target))
    return 0
