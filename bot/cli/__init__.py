"""The `partybot` command: ingest, ask, chat, doctor, download-model, start, run, users, report,
calendar, remind. Each command group adds its own parser and handler (`bot/cli/*.py`); this
module puts them together and turns the errors any command may meet into Chinese sentences."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from bot import messages
from bot.cli import database, knowledge, orglife, partyday, reports, start, users
from bot.cli.context import Cli
from bot.settings import Settings

log = logging.getLogger("partybot")

# in the order `partybot --help` lists the commands
COMMAND_PARSERS = (
    knowledge.add_ingest_parser,
    knowledge.add_ask_parser,
    start.add_chat_parser,
    start.add_doctor_parser,
    knowledge.add_download_parser,
    start.add_start_parser,
    start.add_run_parser,
    start.add_web_parser,
    users.add_wecom_parser,
    users.add_users_parser,
    reports.add_report_parser,
    partyday.add_calendar_parser,
    database.add_db_parser,
    partyday.add_remind_parser,
    orglife.add_orglife_parser,
)


def build_parser() -> argparse.ArgumentParser:
    _speak_chinese(argparse)
    parser = argparse.ArgumentParser(prog="partybot", description="党建助手")
    parser.add_argument("-v", "--verbose", action="store_true", help="详细日志")
    commands = parser.add_subparsers(dest="command", required=True)
    for add_parser in COMMAND_PARSERS:
        add_parser(commands)
    return parser


def _speak_chinese(module: Any) -> None:
    """argparse asks gettext for its usage and error words; it has no catalogue for Chinese, so
    the lookup it calls is replaced with ours (words it adds later stay English)."""
    module._ = lambda text: messages.ARGPARSE.get(text, text)
    module.ngettext = lambda one, many, n: messages.ARGPARSE.get(one if n == 1 else many, one)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _configure_logging(args.verbose)
    from pydantic import ValidationError

    try:
        settings = Settings()
    except ValidationError as exc:
        problems = "\n".join(
            f"- {Settings.env_name(str(e['loc'][0]))}：{_settings_problem(e)}" for e in exc.errors()
        )
        print(messages.CLI_BAD_SETTINGS.format(problems=problems), file=sys.stderr)
        return 2
    from sqlalchemy.exc import OperationalError

    from bot.channels.serving import PortInUse
    from bot.db.problems import describe_database_error
    from bot.db.schema import SchemaRepairError
    from bot.index.embeddings import EmbeddingExtraMissing, EmbeddingModelUnavailable
    from bot.index.vectors import VectorStoreUnreachable
    from bot.qa.llm import LLMExtraMissing
    from bot.qa.retriever import IndexEmptyError, IndexMismatchError
    from bot.qa.vocabulary import VocabularyError

    try:
        cli = Cli(settings, ingest_only=args.command == "ingest")
        handler: Any = args.handler
        return int(handler(cli, args))
    except VectorStoreUnreachable as exc:
        print(messages.CHROMA_UNREACHABLE.format(where=exc.args[0]), file=sys.stderr)
    except LLMExtraMissing:
        print(messages.LLM_NEEDS_EXTRA, file=sys.stderr)
    except EmbeddingExtraMissing as exc:
        print(messages.MODEL_NEEDS_BGE_EXTRA.format(model=exc.args[0]), file=sys.stderr)
    except EmbeddingModelUnavailable as exc:
        print(messages.MODEL_UNAVAILABLE.format(model=exc.args[0]), file=sys.stderr)
    except IndexEmptyError:
        print(messages.INDEX_EMPTY, file=sys.stderr)
    except IndexMismatchError as exc:
        text = messages.INDEX_MISMATCH.format(built_with=exc.built_with, current=exc.current)
        print(text, file=sys.stderr)
    except VocabularyError as exc:
        problems = "\n".join(f"- {p}" for p in exc.problems)
        print(messages.VOCABULARY_INVALID.format(path=exc.path, problems=problems), file=sys.stderr)
    except SchemaRepairError as exc:
        print(messages.DB_REPAIR_HAS_ROWS.format(tables="、".join(exc.tables)), file=sys.stderr)
    except OperationalError as exc:
        print(describe_database_error(settings.sqlalchemy_url, exc), file=sys.stderr)
    except OSError as exc:  # the data folder (or an output file) cannot be written
        where = exc.filename or settings.data_dir
        print(messages.CLI_CANNOT_WRITE.format(path=where, reason=exc.strerror), file=sys.stderr)
    except PortInUse as exc:
        where = {"host": exc.host, "port": exc.port, "setting": settings.port_setting(exc.port)}
        print(messages.PORT_IN_USE.format(**where), file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return 2


def _settings_problem(error: Any) -> str:
    """One pydantic error in Chinese: our validators already speak it; the built-in ones are
    looked up by type."""
    if error["type"] == "value_error":
        return str(error["ctx"]["error"])
    template = messages.SETTINGS_ERRORS.get(error["type"])
    if template is None:
        return messages.SETTINGS_ERROR_OTHER.format(value=error.get("input"))
    return template.format(**error.get("ctx", {}))


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for noisy in ("chromadb", "httpx", "sentence_transformers", "bm25s"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose else logging.ERROR)
