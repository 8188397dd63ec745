"""`partybot doctor`: what is configured, what is missing, what the index holds."""

from __future__ import annotations

from typing import Any, TextIO

from sqlalchemy.engine import make_url

from bot import messages
from bot.settings import Settings


def run_doctor(settings: Settings, *, out: TextIO) -> int:
    from bot.app import make_knowledge_base
    from bot.db import knowledge as kb
    from bot.embeddings import (
        USE_SPEC,
        EmbeddingModelUnavailable,
        NamedEmbeddings,
        make_embeddings,
        resolve_model_spec,
    )

    problems: list[str] = []

    def line(label: str, value: object) -> None:
        out.write(f"{label:<12}{value}\n")

    out.write(messages.DOCTOR_TITLE + "\n")
    line("数据目录", settings.data_dir.resolve())
    line("知识库目录", settings.knowledge_dir.resolve())
    line("数据库", make_url(settings.sqlalchemy_url).render_as_string(hide_password=True))
    problems += _schema_lines(settings, line)
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
            problems.append(
                "正在使用内置的多语言 USE 模型；下载或放入 bge-small-zh-v1.5 可提高中文检索质量。"
            )

    if embeddings is not None:
        knowledge_base = make_knowledge_base(
            database_url=settings.sqlalchemy_url,
            chroma_dir=settings.chroma_dir,
            keyword_dir=settings.keyword_index_dir,
            knowledge_dir=settings.knowledge_dir,
            embeddings=embeddings,
        )
        with knowledge_base.sessions() as session:
            built_with = kb.get_state(session=session, key=kb.EMBEDDER_KEY)
            documents = kb.list_documents(session=session)
            chunk_count = kb.count_chunks(session=session)
        line("索引模型", built_with or "（尚未建立索引）")
        line("索引规模", f"{len(documents)} 个文件，{chunk_count} 段")
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
        problems += _answer_lines(settings, knowledge_base, built_with, line)
        problems += _calendar_lines(settings, knowledge_base.sessions, line)

    line("大模型", settings.llm_model if settings.llm_configured else "未配置（使用原文摘录回答）")
    line("Telegram", "已设置令牌" if settings.telegram_bot_token else "未设置（使用终端对话）")
    if problems:
        out.write("\n需要注意：\n" + "\n".join(f"- {p}" for p in problems) + "\n")
    else:
        out.write("\n一切正常。\n")
    return 0


def _answer_lines(settings: Settings, knowledge_base: Any, built_with: Any, line: Any) -> list[str]:
    """The vocabulary, the refusal decision stored with the index, OCR for scans."""
    from bot.qa.gate import Gate
    from bot.qa.vocabulary import VocabularyError, load_vocabulary
    from ingest.ocr import ocr_available

    problems = []
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
            problems.append(messages.GATE_UNCALIBRATED.format(embedder=built_with))
    line("扫描件识别", "已安装" if ocr_available() else "未安装（pip install -e .[ocr]）")
    return problems


def _schema_lines(settings: Settings, line: Any) -> list[str]:
    """The schema as found, before anything upgrades (or repairs) it."""
    from bot.db.engine import make_engine
    from bot.db.schema import inspect_schema

    engine = make_engine(settings.sqlalchemy_url)
    try:
        with engine.connect() as connection:
            status = inspect_schema(connection)
    finally:
        engine.dispose()
    line("数据库结构", f"{status.recorded or '（空库）'}（最新 {status.head}）")
    if status.half_applied:
        tables = "、".join(status.leftovers + status.extra_tables)
        return [messages.DB_HALF_APPLIED.format(tables=tables)]
    if status.missing_tables:
        return [messages.DB_MISSING_TABLES.format(tables="、".join(status.missing_tables))]
    return []


def _calendar_lines(settings: Settings, sessions: Any, line: Any) -> list[str]:
    """The Party-day calendar: is there one, and does the holiday data cover the months ahead."""
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
