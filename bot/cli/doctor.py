"""`partybot doctor`: what is configured, what is missing, what the index holds — and an exit
code a script can use: 1 when something stops the assistant from working, else 0 (notes, such
as a weaker model, do not fail it)."""

from __future__ import annotations

import importlib.util
import unicodedata
from typing import Any, TextIO

from sqlalchemy.engine import make_url

from bot import messages
from bot.channels.wecom_aibot.checks import aibot_doctor_lines
from bot.settings import Settings

LABEL_WIDTH = 12  # display columns: a Chinese character takes two
HTTP_TIMEOUT_S = 5.0


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def run_doctor(settings: Settings, *, out: TextIO) -> int:
    from bot.db import knowledge as kb
    from bot.index.embeddings import (
        USE_SPEC,
        EmbeddingModelUnavailable,
        NamedEmbeddings,
        make_embeddings,
        resolve_model_spec,
    )
    from bot.index.vectors import VectorStoreUnreachable
    from bot.services import make_knowledge_base_from_settings

    problems: list[str] = []  # what stops the assistant from working: exit 1
    notes: list[str] = []  # what would make it better

    def line(label: str, value: object) -> None:
        padding = " " * max(1, LABEL_WIDTH - display_width(label))
        out.write(f"{label}{padding}{value}\n")

    out.write(messages.DOCTOR_TITLE + "\n")
    line("数据目录", settings.data_dir.resolve())
    line("知识库目录", settings.knowledge_dir.resolve())
    problems += _knowledge_folder_problems(settings)
    line("数据库", make_url(settings.sqlalchemy_url).render_as_string(hide_password=True))
    database_ok, schema_problems = _schema_lines(settings, line)
    problems += schema_problems
    spec = resolve_model_spec(settings.embedding_model, models_dir=settings.models_dir)
    embeddings: NamedEmbeddings | None = None
    try:
        embeddings = make_embeddings(spec)
    except EmbeddingModelUnavailable:
        line("向量模型", f"{spec}（不可用）")
        problems.append(messages.MODEL_UNAVAILABLE.format(model=spec))
    else:
        line("向量模型", f"{embeddings.name}（{spec}）")
        if spec == USE_SPEC:
            notes.append(
                "正在使用内置的多语言 USE 模型；下载或放入 bge-small-zh-v1.5 可提高中文检索质量。"
            )
    if not database_ok:
        embeddings = None  # nothing below can be read without the database

    if embeddings is not None:
        line("向量库", settings.chroma_address or f"{settings.chroma_dir}（本机）")
        try:
            knowledge_base = make_knowledge_base_from_settings(settings, embeddings)
        except VectorStoreUnreachable:
            line("向量库", "连不上")
            problems.append(messages.CHROMA_UNREACHABLE.format(where=settings.chroma_address))
            embeddings = None
    if embeddings is not None:
        with knowledge_base.sessions() as session:
            built_with = kb.get_state(session=session, key=kb.EMBEDDER_KEY)
            documents = kb.list_documents(session=session)
            chunk_count = kb.count_chunks(session=session)
        vector_count = knowledge_base.vectors.count()
        line("索引模型", built_with or "（尚未建立索引）")
        line("索引规模", f"{len(documents)} 个文件，{chunk_count} 段，向量 {vector_count} 条")
        if vector_count < chunk_count:
            problems.append(
                messages.DOCTOR_VECTORS_MISSING.format(missing=chunk_count - vector_count)
            )
        for doc in documents:
            issued = doc.issued.isoformat() if doc.issued else "日期不详"
            out.write(
                f"  - 《{doc.title}》 {doc.source} {doc.kind} {issued} {doc.chunk_count} 段\n"
            )
        if built_with is None:
            problems.append(messages.INDEX_EMPTY)
        elif built_with != embeddings.name:
            problems.append(
                messages.INDEX_MISMATCH.format(built_with=built_with, current=embeddings.name)
            )

    if embeddings is not None:
        answer_problems, answer_notes = _answer_lines(settings, knowledge_base, built_with, line)
        problems += answer_problems
        notes += answer_notes
        notes += _calendar_lines(settings, knowledge_base.sessions, line)
        problems += _admin_lines(knowledge_base.sessions, line)
    problems += _orglife_rules_lines(settings, line)
    problems += _font_lines(line)
    problems += _llm_lines(settings, line)
    problems += _telegram_lines(settings, line)
    problems += _wecom_lines(settings, line)
    problems += _dingtalk_lines(settings, line)
    problems += aibot_doctor_lines(settings, line)
    if problems:
        out.write("\n有问题，需要处理：\n" + "\n".join(f"- {p}" for p in problems) + "\n")
    if notes:
        out.write("\n建议：\n" + "\n".join(f"- {p}" for p in notes) + "\n")
    if not problems and not notes:
        out.write("\n一切正常。\n")
    return 1 if problems else 0


def _admin_lines(sessions: Any, line: Any) -> list[str]:
    from datetime import UTC, datetime

    from bot.people.accounts import AccountService, Role

    accounts = AccountService(session_factory=sessions, clock=lambda: datetime.now(UTC))
    admins = accounts.members(role=Role.ADMIN)
    people = accounts.members()
    line("用户", f"{len(people)} 人，其中管理员 {len(admins)} 人")
    return [] if admins else [messages.DOCTOR_NO_ADMIN]


def _font_lines(line: Any) -> list[str]:
    from bot.reports.chart import NoCJKFont, find_cjk_font

    try:
        line("图表字体", find_cjk_font())
    except NoCJKFont:
        line("图表字体", "没有中文字体")
        return [messages.NO_CJK_FONT]
    return []


def _llm_lines(settings: Settings, line: Any) -> list[str]:
    """The LLM endpoint answers and takes the key (its /models list); never prints the key."""
    import httpx

    if not settings.llm_configured:
        line("大模型", "未配置（使用原文摘录回答）")
        return []
    if importlib.util.find_spec("langchain_openai") is None:
        line("大模型", f"{settings.llm_model}（未安装可选组件 llm）")
        return [messages.LLM_NEEDS_EXTRA]
    assert settings.llm_base_url is not None
    headers = {}
    if settings.llm_api_key is not None:
        headers["Authorization"] = f"Bearer {settings.llm_api_key.get_secret_value()}"
    url = settings.llm_base_url.rstrip("/") + "/models"
    try:
        response = httpx.get(url, headers=headers, timeout=HTTP_TIMEOUT_S)
    except httpx.HTTPError as exc:
        line("大模型", f"{settings.llm_model}（连不上）")
        return [messages.DOCTOR_LLM_UNREACHABLE.format(url=settings.llm_base_url, reason=exc)]
    if response.status_code in (401, 403):
        line("大模型", f"{settings.llm_model}（密钥被拒绝）")
        return [messages.DOCTOR_LLM_KEY_REJECTED]
    line("大模型", f"{settings.llm_model}（{settings.llm_base_url} 可以访问）")
    return []


def _telegram_lines(settings: Settings, line: Any) -> list[str]:
    """getMe with the token: it is valid and Telegram (or the local Bot API server) answers."""
    import httpx

    if settings.telegram_bot_token is None:
        line("Telegram", "未设置（使用终端对话）")
        return []
    token = settings.telegram_bot_token.get_secret_value()
    base = settings.telegram_base_url or "https://api.telegram.org/bot"
    try:
        response = httpx.post(f"{base}{token}/getMe", timeout=HTTP_TIMEOUT_S)
    except httpx.HTTPError:
        line("Telegram", "连不上")
        return [messages.DOCTOR_TELEGRAM_UNREACHABLE]
    if response.status_code == 401:
        line("Telegram", "令牌无效")
        return [messages.DOCTOR_TELEGRAM_BAD_TOKEN]
    try:
        username = response.json()["result"]["username"]
    except (ValueError, KeyError, TypeError):
        line("Telegram", f"回答异常（HTTP {response.status_code}）")
        return [messages.DOCTOR_TELEGRAM_UNREACHABLE]
    line("Telegram", f"令牌有效：@{username}")
    return []


def _answer_lines(
    settings: Settings, knowledge_base: Any, built_with: Any, line: Any
) -> tuple[list[str], list[str]]:
    """The vocabulary, the refusal decision stored with the index, OCR for scans: (problems,
    notes)."""
    from bot.qa.gate import Gate
    from bot.qa.vocabulary import VocabularyError, load_vocabulary
    from ingest.ocr import ocr_available

    problems, notes = [], []
    try:
        vocabulary = load_vocabulary(settings.knowledge_dir)
        line(
            "词表",
            f"同义词 {len(vocabulary.synonyms)} 条，文件简称 {len(vocabulary.aliases)} 个，"
            f"术语 {len(vocabulary.terms)} 个（{'、'.join(vocabulary.sources)}）",
        )
    except VocabularyError as exc:
        line("词表", "有错误")
        problems.append(
            messages.VOCABULARY_INVALID.format(path=exc.path, problems="；".join(exc.problems))
        )
    if built_with:
        with knowledge_base.sessions() as session:
            gate = Gate.for_index(session=session, embedder=built_with)
        if gate.calibrated:
            line("拒答判断", f"已按 {gate.embedder} 校准（{gate.fitted_on}）")
        else:
            line("拒答判断", "未校准（只用关键词证据）")
            notes.append(messages.GATE_UNCALIBRATED.format(embedder=built_with))
    line("扫描件识别", "已安装" if ocr_available() else "未安装（scripts/setup ocr）")
    return problems, notes


def _schema_lines(settings: Settings, line: Any) -> tuple[bool, list[str]]:
    """(the database answers, problems): the schema as found, before anything upgrades it."""
    from sqlalchemy.exc import OperationalError

    from bot.db.engine import make_engine
    from bot.db.problems import describe_database_error
    from bot.db.schema import inspect_schema

    engine = make_engine(settings.sqlalchemy_url)
    try:
        with engine.connect() as connection:
            status = inspect_schema(connection)
    except OperationalError as exc:
        line("数据库结构", "连不上数据库")
        return False, [describe_database_error(settings.sqlalchemy_url, exc)]
    finally:
        engine.dispose()
    line("数据库结构", f"{status.recorded or '（空库）'}（最新 {status.head}）")
    if status.half_applied:
        tables = "、".join(status.leftovers + status.extra_tables)
        return True, [messages.DB_HALF_APPLIED.format(tables=tables)]
    if status.missing_tables:
        return True, [messages.DB_MISSING_TABLES.format(tables="、".join(status.missing_tables))]
    return True, []


def _calendar_lines(settings: Settings, sessions: Any, line: Any) -> list[str]:
    """The Party-day calendar: is there one, and does the holiday data cover the months ahead
    (notes: the assistant works without reminders)."""
    from datetime import UTC, datetime

    from bot.partyday.rules import shift_month
    from bot.partyday.service import CalendarService
    from bot.partyday.workdays import WorkdayCalendar

    calendar = CalendarService(session_factory=sessions, clock=lambda: datetime.now(UTC)).load()
    today = datetime.now(settings.tz).date()
    months = [shift_month(today.year, today.month, d) for d in range(3)]
    if not calendar.has_rules():
        line("主题党日", "未设置日历（不会发送提醒）")
        return [messages.CALENDAR_NO_RULES]
    themed = sum(1 for y, m in months if calendar.theme(y, m))
    reminders = "开启" if settings.reminders_enabled else "关闭"
    line(
        "主题党日", f"规则 {len(calendar.rules)} 条；未来三个月有主题 {themed} 个；提醒{reminders}"
    )
    unknown = sorted({y for y, _ in months if not WorkdayCalendar.knows_year(y)})
    if unknown:
        return [messages.CALENDAR_UNKNOWN_YEAR.format(years="、".join(map(str, unknown)))]
    return []


def _wecom_lines(settings: Settings, line: Any) -> list[str]:
    """gettoken with the corp id and the app's secret (never printed)."""
    from bot.channels.wecom.api import WeComError
    from bot.channels.wecom.server import make_wecom_api

    if settings.wecom_missing:
        line("企业微信", "只配置了一部分")
        return [messages.WECOM_HALF_CONFIGURED.format(missing="、".join(settings.wecom_missing))]
    if not settings.wecom_configured:
        line("企业微信", "未配置")
        return []
    api = make_wecom_api(settings, timeout_s=HTTP_TIMEOUT_S)
    try:
        api.token()
    except WeComError as exc:
        line("企业微信", f"凭证被拒绝（{exc.errcode}）")
        return [messages.DOCTOR_WECOM_REJECTED]
    except Exception:  # httpx's network errors
        line("企业微信", "连不上")
        return [messages.DOCTOR_WECOM_UNREACHABLE.format(url=settings.wecom_api_base_url)]
    finally:
        api.close()
    line("企业微信", f"凭证有效（应用 {settings.wecom_agent_id}）")
    return []


def _dingtalk_lines(settings: Settings, line: Any) -> list[str]:
    """An access token with the app's client id and secret (never printed)."""
    from bot.channels.dingtalk import messages as dingtalk_messages
    from bot.channels.dingtalk.api import DingTalkError
    from bot.channels.dingtalk.server import make_dingtalk_api

    if settings.dingtalk_missing:
        line("钉钉", "只配置了一部分")
        missing = "、".join(settings.dingtalk_missing)
        return [dingtalk_messages.HALF_CONFIGURED.format(missing=missing)]
    if not settings.dingtalk_configured:
        line("钉钉", "未配置")
        return []
    api = make_dingtalk_api(settings, timeout_s=HTTP_TIMEOUT_S)
    try:
        api.token()
    except DingTalkError as exc:
        line("钉钉", f"凭证被拒绝（{exc.status} {exc.code}）")
        return [dingtalk_messages.DOCTOR_REJECTED]
    except Exception:  # httpx's network errors
        line("钉钉", "连不上")
        return [dingtalk_messages.DOCTOR_UNREACHABLE.format(url=settings.dingtalk_api_base_url)]
    finally:
        api.close()
    line("钉钉", dingtalk_messages.DOCTOR_OK.format(client_id=settings.dingtalk_client_id))
    return []


def _knowledge_folder_problems(settings: Settings) -> list[str]:
    """A knowledge folder that is missing or unreadable: ingest would stop (and start too)."""
    from ingest.guard import KnowledgeFolderMissing, check_folder

    try:
        check_folder(settings.knowledge_dir.resolve())
    except KnowledgeFolderMissing as exc:
        template = messages.INGEST_FOLDER_PROBLEMS[exc.reason]
        return [template.format(path=exc.path, detail=exc.detail)]
    return []


def _orglife_rules_lines(settings: Settings, line: Any) -> list[str]:
    """The 三会一课 rules file: each bad line named (the defaults stay in force meanwhile)."""
    from bot.orglife.rules import RULES_FILE_NAME, RulesFileError, load_rules

    path = settings.knowledge_dir / RULES_FILE_NAME
    try:
        rules = load_rules(path)
    except RulesFileError as exc:
        line("三会一课规则", f"{path}（有误，沿用原规则）")
        return exc.problems
    where = str(path) if path.is_file() else "未设置文件，使用默认规则"
    line("三会一课规则", f"{len(rules.rules)} 条（{where}）")
    return []
