"""All configuration in one object, read from the environment and `.env`.

Built once in `main()` and passed down; nothing reads the environment elsewhere.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot import messages

# what people write for China's time zone
CHINA_TIME_NAMES = frozenset({"beijing", "北京", "北京时间", "china", "cst", "prc", "asia/beijing"})


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_ignore_empty=True,
        # ADMIN_IDS=1,2 is a plain list, not JSON
        enable_decoding=False,
        # the PARTYBOT_* names below; code and tests may pass the field names
        populate_by_name=True,
    )

    data_dir: Path = Field(default=Path("data"), validation_alias="PARTYBOT_DATA_DIR")
    knowledge_dir: Path = Field(
        default=Path("knowledge"),
        validation_alias="PARTYBOT_KNOWLEDGE_DIR",
    )
    database_url: str | None = None
    # "auto": a local bge-small-zh-v1.5 if present, else the bundled multilingual-e5-small,
    # else the bundled multilingual USE. Also "e5-small", "use-multilingual", a
    # sentence-transformers model name, or a local folder.
    embedding_model: str = Field(
        default="auto",
        validation_alias="PARTYBOT_EMBEDDING_MODEL",
    )
    # threads the encoder computes on; unset: one while serving (answers stay quick under load),
    # every core for `partybot ingest`, where nothing else runs
    embed_threads: int | None = Field(
        default=None,
        ge=1,
        le=64,
        validation_alias="PARTYBOT_EMBED_THREADS",
    )
    # a Chroma server every bot process shares ("127.0.0.1:8000" or a URL); unset: Chroma in
    # the data folder, for one process
    chroma_server: str | None = Field(default=None, validation_alias="CHROMA_SERVER")
    chroma_host: str | None = None  # or CHROMA_HOST and CHROMA_PORT
    chroma_port: int = Field(default=8000, ge=1, le=65535)
    # several counties on one Chroma server: each its own collections
    chroma_prefix: str = Field(default="", pattern=r"^[A-Za-z0-9_-]{0,32}$")
    hf_endpoint: str | None = None
    timezone: str = Field(default="Asia/Shanghai", validation_alias="PARTYBOT_TIMEZONE")

    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    llm_timeout_s: float = Field(default=20.0, validation_alias="LLM_TIMEOUT")

    telegram_bot_token: SecretStr | None = None
    telegram_base_url: str | None = None
    telegram_base_file_url: str | None = Field(
        default=None,
    )

    # WeCom / 政务微信 self-built app (自建应用)
    wecom_corp_id: str | None = None
    wecom_agent_id: int | None = None
    wecom_secret: SecretStr | None = None
    wecom_token: SecretStr | None = None
    wecom_aes_key: SecretStr | None = None
    wecom_api_base_url: str = "https://qyapi.weixin.qq.com/cgi-bin"
    # where the callback server listens (behind the reverse proxy that terminates HTTPS)
    wecom_host: str = "127.0.0.1"
    wecom_port: int = Field(default=8090, ge=1, le=65535)
    # WeCom 智能机器人 (AI bot) in long-connection mode: outbound WebSocket, no public address
    wecom_aibot_id: str | None = None
    wecom_aibot_secret: SecretStr | None = None
    wecom_aibot_url: str = "wss://openws.work.weixin.qq.com"

    # DingTalk (钉钉): an internal app's robot in Stream mode, outbound connections only
    dingtalk_client_id: str | None = None
    dingtalk_client_secret: SecretStr | None = None
    # the robot's code (机器人 RobotCode); empty: the client id, as for an internal app's robot
    dingtalk_robot_code: str | None = None
    dingtalk_api_base_url: str = Field(default="https://api.dingtalk.com", pattern=r"^https?://")
    # where DingTalk's sessionWebhooks live: replies go to no other address
    dingtalk_webhook_base_url: str = Field(
        default="https://oapi.dingtalk.com", pattern=r"^https?://"
    )

    # the web console (partybot web; scripts/start runs it beside the bot when enabled)
    web_enabled: bool = False
    web_host: str = "127.0.0.1"
    web_port: int = Field(default=8080, ge=1, le=65535)
    # the address people open, e.g. https://djzs.xx.gov.cn: the bot's /web links start with it
    web_public_url: str | None = Field(default=None, pattern=r"^https?://")
    # the path prefix a reverse proxy serves the console under, e.g. /partybot
    web_root_path: str = Field(default="", pattern=r"^(/[A-Za-z0-9._~-]+)*$")
    # set true behind HTTPS: the session cookie is then never sent over plain HTTP
    web_cookie_secure: bool = False
    web_session_hours: int = Field(default=12, ge=1, le=24 * 30)
    # the reverse proxies whose X-Forwarded-For is believed (comma-separated addresses, e.g.
    # 127.0.0.1 for nginx on this machine); empty: the connecting address is the client's
    trusted_proxies: str = Field(default="", pattern=r"^[0-9A-Fa-f.:/, ]*$")

    admin_ids: list[int] = Field(default_factory=list)
    admin_chat_id: int | None = None
    public_qa: bool = False
    invite_ttl_days: int = Field(default=7, ge=1, le=365)
    max_upload_mb: int = Field(default=20, ge=1, le=200)
    # processed updates, finished reminders and broadcast deliveries are kept this long
    retention_days: int = Field(default=90, ge=7)
    # the ledger's first day: a report dated earlier is asked again
    reports_earliest_date: date = Field(
        default=date(2010, 1, 1),
    )

    reminders_enabled: bool = True
    # days@HH:MM from the Party day: negative before it, 0 on the day
    reminder_offsets: str = Field(
        default="-3@09:00,0@08:00",
    )
    followup_after: str = "3@09:00"
    staff_summary_after: str = Field(
        default="3@09:30",
    )
    quiet_hours: str = "21:00-08:00"
    reminder_grace_hours: float = Field(default=6.0, ge=0, le=72)
    # 0 would never send a reminder; under 5 s only loads the database
    reminder_tick_seconds: float = Field(default=60.0, ge=5, le=3600)
    # 三会一课: days before a month/quarter/year ends to remind branches with items due; 0 = off
    orglife_remind_days: int = Field(default=5, ge=0, le=20)
    # what the reminders search the knowledge base for, to quote the article requiring the day
    party_day_basis_query: str = Field(
        default="党支部应当每月开展1次主题党日",
    )

    @classmethod
    def env_name(cls, field: str) -> str:
        """The environment variable (and .env line) that sets a field: what to tell people."""
        info = cls.model_fields.get(field)
        alias = info.validation_alias if info is not None else None
        return alias if isinstance(alias, str) else field.upper()

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        """An IANA name; the names people write for China's time are taken as Asia/Shanghai."""
        from zoneinfo import ZoneInfoNotFoundError

        if value.strip().lower() in CHINA_TIME_NAMES:
            return "Asia/Shanghai"
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"不认识的时区“{value}”，请写 IANA 名称，例如 Asia/Shanghai") from None
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str | None) -> str | None:
        """postgres:// and postgresql:// (how hosting panels write it) mean PostgreSQL through
        psycopg 3; SQLite as sqlite:///path; nothing else is supported."""
        if value is None:
            return None
        scheme, sep, rest = value.strip().partition("://")
        if not sep:
            raise ValueError("应为 postgresql://用户@主机:端口/库名 或 sqlite:///文件路径")
        if scheme in ("postgres", "postgresql", "postgresql+psycopg"):
            return f"postgresql+psycopg://{rest}"
        if scheme == "sqlite":
            return _sqlite_url(value.strip())
        raise ValueError(f"不支持的数据库“{scheme}”：只支持 PostgreSQL（postgresql://…）和 SQLite")

    @field_validator("wecom_aes_key")
    @classmethod
    def _check_aes_key(cls, value: SecretStr | None) -> SecretStr | None:
        """WeCom's EncodingAESKey: 43 characters of base64 (a 32-byte key)."""
        import base64
        import binascii

        if value is None:
            return None
        key = value.get_secret_value().strip()
        try:
            decoded = base64.b64decode(key + "=", validate=True)
        except (binascii.Error, ValueError):
            decoded = b""
        if len(key) != 43 or len(decoded) != 32:
            raise ValueError(messages.WECOM_AES_KEY_PROBLEM.format(length=len(key)))
        return SecretStr(key)

    @field_validator("reminder_offsets")
    @classmethod
    def _check_offsets(cls, value: str) -> str:
        from bot.partyday.policy import parse_offsets

        parse_offsets(value)
        return value

    @field_validator("followup_after", "staff_summary_after")
    @classmethod
    def _check_offset(cls, value: str, info: ValidationInfo) -> str:
        from bot.partyday.policy import FOLLOW_UP_RANGE, Offset

        days = Offset.parse(value).days
        lowest = 1 if info.field_name == "followup_after" else 0
        if not lowest <= days <= 20:
            raise ValueError(FOLLOW_UP_RANGE)
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
    def chroma_address(self) -> str | None:
        """The shared Chroma server, if one is set (CHROMA_SERVER, or CHROMA_HOST and _PORT)."""
        if self.chroma_server:
            return self.chroma_server
        return f"{self.chroma_host}:{self.chroma_port}" if self.chroma_host else None

    def collection(self, name: str) -> str:
        return f"{self.chroma_prefix}{name}"

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
    def wecom_configured(self) -> bool:
        return all(
            (
                self.wecom_corp_id,
                self.wecom_agent_id is not None,
                self.wecom_secret,
                self.wecom_token,
                self.wecom_aes_key,
            )
        )

    @property
    def wecom_aibot_configured(self) -> bool:
        return bool(self.wecom_aibot_id and self.wecom_aibot_secret)

    @property
    def wecom_aibot_missing(self) -> list[str]:
        """The AI bot's settings still empty when the other is set."""
        values = {
            "WECOM_AIBOT_ID": self.wecom_aibot_id,
            "WECOM_AIBOT_SECRET": self.wecom_aibot_secret,
        }
        missing = [name for name, value in values.items() if not value]
        return missing if len(missing) < len(values) else []

    @property
    def wecom_missing(self) -> list[str]:
        """The WeCom settings still empty, when some are set: a half-done configuration."""
        values = {
            "WECOM_CORP_ID": self.wecom_corp_id,
            "WECOM_AGENT_ID": self.wecom_agent_id,
            "WECOM_SECRET": self.wecom_secret,
            "WECOM_TOKEN": self.wecom_token,
            "WECOM_AES_KEY": self.wecom_aes_key,
        }
        missing = [name for name, value in values.items() if value is None or value == ""]
        return missing if len(missing) < len(values) else []

    @property
    def dingtalk_configured(self) -> bool:
        return bool(self.dingtalk_client_id and self.dingtalk_client_secret)

    @property
    def dingtalk_missing(self) -> list[str]:
        """The DingTalk settings still empty when the other is set."""
        values = {
            "DINGTALK_CLIENT_ID": self.dingtalk_client_id,
            "DINGTALK_CLIENT_SECRET": self.dingtalk_client_secret,
        }
        missing = [name for name, value in values.items() if not value]
        return missing if len(missing) < len(values) else []

    def port_setting(self, port: int) -> str:
        """The setting (or settings) a port in use came from, to name in the message."""
        names = [
            name
            for name, value in (("WEB_PORT", self.web_port), ("WECOM_PORT", self.wecom_port))
            if value == port
        ]
        return "、".join(names) or "--port"

    @property
    def llm_configured(self) -> bool:
        return bool(self.llm_base_url and self.llm_model)


def _sqlite_url(url: str) -> str:
    """sqlite:///path with the path made absolute (the file it means, whatever the folder the
    command runs in), refused when its folder does not exist: a typo must not quietly create an
    empty database somewhere else."""
    path = url.split("///", 1)[-1] if "///" in url else ""
    if not path or path == ":memory:" or path.startswith("file:"):
        return url
    absolute = Path(path).expanduser().absolute()
    if not absolute.parent.is_dir():
        raise ValueError(
            messages.SQLITE_FOLDER_MISSING.format(path=absolute, folder=absolute.parent)
        )
    return f"sqlite:///{absolute}"
