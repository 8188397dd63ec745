"""All configuration in one object, read from the environment and `.env`.

Built once in `main()` and passed down; nothing reads the environment elsewhere.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
        # ADMIN_IDS=1,2 is a plain list, not JSON
        enable_decoding=False,
    )

    data_dir: Path = Field(
        default=Path("data"), validation_alias=AliasChoices("PARTYBOT_DATA_DIR", "data_dir")
    )
    knowledge_dir: Path = Field(
        default=Path("knowledge"),
        validation_alias=AliasChoices("PARTYBOT_KNOWLEDGE_DIR", "knowledge_dir"),
    )
    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "database_url")
    )
    # "auto": a local bge-small-zh-v1.5 if present, else the bundled multilingual-e5-small,
    # else the bundled multilingual USE. Also "e5-small", "use-multilingual", a
    # sentence-transformers model name, or a local folder.
    embedding_model: str = Field(
        default="auto",
        validation_alias=AliasChoices("PARTYBOT_EMBEDDING_MODEL", "embedding_model"),
    )
    # threads the encoder computes on: one keeps answers quick under load (see README)
    embed_threads: int = Field(
        default=1,
        ge=1,
        le=64,
        validation_alias=AliasChoices("PARTYBOT_EMBED_THREADS", "embed_threads"),
    )
    hf_endpoint: str | None = Field(
        default=None, validation_alias=AliasChoices("HF_ENDPOINT", "hf_endpoint")
    )
    timezone: str = Field(
        default="Asia/Shanghai", validation_alias=AliasChoices("PARTYBOT_TIMEZONE", "timezone")
    )

    llm_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("LLM_BASE_URL", "llm_base_url")
    )
    llm_model: str | None = Field(
        default=None, validation_alias=AliasChoices("LLM_MODEL", "llm_model")
    )
    llm_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("LLM_API_KEY", "llm_api_key")
    )
    llm_timeout_s: float = Field(
        default=20.0, validation_alias=AliasChoices("LLM_TIMEOUT", "llm_timeout_s")
    )

    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN", "telegram_bot_token")
    )
    telegram_base_url: str | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BASE_URL", "telegram_base_url")
    )
    telegram_base_file_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("TELEGRAM_BASE_FILE_URL", "telegram_base_file_url"),
    )

    admin_ids: list[int] = Field(
        default_factory=list, validation_alias=AliasChoices("ADMIN_IDS", "admin_ids")
    )
    admin_chat_id: int | None = Field(
        default=None, validation_alias=AliasChoices("ADMIN_CHAT_ID", "admin_chat_id")
    )
    public_qa: bool = Field(default=False, validation_alias=AliasChoices("PUBLIC_QA", "public_qa"))
    invite_ttl_days: int = Field(
        default=7, validation_alias=AliasChoices("INVITE_TTL_DAYS", "invite_ttl_days")
    )
    max_upload_mb: int = Field(
        default=20, validation_alias=AliasChoices("MAX_UPLOAD_MB", "max_upload_mb")
    )
    # processed updates, finished reminders and broadcast deliveries are kept this long
    retention_days: int = Field(
        default=90, ge=7, validation_alias=AliasChoices("RETENTION_DAYS", "retention_days")
    )
    # the ledger's first day: a report dated earlier is asked again
    reports_earliest_date: date = Field(
        default=date(2010, 1, 1),
        validation_alias=AliasChoices("REPORTS_EARLIEST_DATE", "reports_earliest_date"),
    )

    reminders_enabled: bool = Field(
        default=True, validation_alias=AliasChoices("REMINDERS_ENABLED", "reminders_enabled")
    )
    # days@HH:MM from the Party day: negative before it, 0 on the day
    reminder_offsets: str = Field(
        default="-3@09:00,0@08:00",
        validation_alias=AliasChoices("REMINDER_OFFSETS", "reminder_offsets"),
    )
    followup_after: str = Field(
        default="3@09:00", validation_alias=AliasChoices("FOLLOWUP_AFTER", "followup_after")
    )
    staff_summary_after: str = Field(
        default="3@09:30",
        validation_alias=AliasChoices("STAFF_SUMMARY_AFTER", "staff_summary_after"),
    )
    quiet_hours: str = Field(
        default="21:00-08:00", validation_alias=AliasChoices("QUIET_HOURS", "quiet_hours")
    )
    reminder_grace_hours: float = Field(
        default=6.0,
        validation_alias=AliasChoices("REMINDER_GRACE_HOURS", "reminder_grace_hours"),
    )
    reminder_tick_seconds: float = Field(
        default=60.0,
        validation_alias=AliasChoices("REMINDER_TICK_SECONDS", "reminder_tick_seconds"),
    )
    # what the reminders search the knowledge base for, to quote the article requiring the day
    party_day_basis_query: str = Field(
        default="党支部应当每月开展1次主题党日",
        validation_alias=AliasChoices("PARTY_DAY_BASIS_QUERY", "party_day_basis_query"),
    )

    @field_validator("reminder_offsets")
    @classmethod
    def _check_offsets(cls, value: str) -> str:
        from bot.partyday.policy import parse_offsets

        parse_offsets(value)
        return value

    @field_validator("followup_after", "staff_summary_after")
    @classmethod
    def _check_offset(cls, value: str) -> str:
        from bot.partyday.policy import Offset

        Offset.parse(value)
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _check_quiet_hours(cls, value: str) -> str:
        from bot.partyday.policy import parse_clock_range

        parse_clock_range(value)
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, int):
            return [value]
        if isinstance(value, str):
            return [int(part) for part in value.replace(";", ",").split(",") if part.strip()]
        return value

    def threads(self, *, ingest_only: bool = False) -> int:
        if self.embed_threads is not None:
            return self.embed_threads
        return max(1, os.cpu_count() or 1) if ingest_only else 1

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'partybot.db').resolve()}"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def keyword_index_dir(self) -> Path:
        return self.data_dir / "bm25"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)
