"""Ordinary mistakes a county IT person makes: each gets a Chinese message saying what to do
and a non-zero exit, never a traceback. One table: (setting or arguments, message, exit)."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from bot.cli import main
from bot.cli.doctor import display_width
from bot.months import BadMonth, parse_month

WECOM_FOUR = {  # four of WeCom's five settings
    "WECOM_CORP_ID": "ww0123456789",
    "WECOM_AGENT_ID": "1000002",
    "WECOM_SECRET": "s3cr3t",
    "WECOM_TOKEN": "t0ken",
}
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

# (environment, command, expected fragment of stderr, exit code); "{busy_port}" is a port
# another socket holds

MISTAKES = [
    ({"PARTYBOT_TIMEZONE": "Mars/Base"}, ["db", "status"], "不认识的时区“Mars/Base”", 2),
    ({"REMINDER_TICK_SECONDS": "0"}, ["db", "status"], "REMINDER_TICK_SECONDS：不能小于 5", 2),
    ({"REMINDER_GRACE_HOURS": "-1"}, ["db", "status"], "REMINDER_GRACE_HOURS：不能小于 0", 2),
    ({"REMINDER_OFFSETS": "-40@09:00"}, ["db", "status"], "0 到 28 天", 2),
    ({"QUIET_HOURS": "25:00-08:00"}, ["db", "status"], "“25:00-08:00”里的时刻不存在", 2),
    ({"FOLLOWUP_AFTER": "30@09:00"}, ["db", "status"], "回访提醒须在主题党日后 1 到 20 天", 2),
    ({"MAX_UPLOAD_MB": "abc"}, ["db", "status"], "MAX_UPLOAD_MB：应为整数", 2),
    ({"INVITE_TTL_DAYS": "0"}, ["db", "status"], "INVITE_TTL_DAYS：不能小于 1", 2),
    ({"REPORTS_EARLIEST_DATE": "2023-13-01"}, ["db", "status"], "应为日期", 2),
    ({"DATABASE_URL": "mysql://u@h/db"}, ["db", "status"], "不支持的数据库“mysql”", 2),
    ({"DATABASE_URL": "localhost/db"}, ["db", "status"], "应为 postgresql://", 2),
    (
        {"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/test"},
        ["db", "status"],
        "连不上数据库 127.0.0.1:1",
        2,
    ),
    ({"CHROMA_SERVER": "127.0.0.1:1"}, ["ask", "主题党日"], "连不上向量库服务器 127.0.0.1:1", 2),
    ({}, ["report", "export", "--month", "2023-13"], "看不懂月份“2023-13”", 2),
    ({}, ["report", "export", "--month", "六月份吧"], "看不懂月份", 2),
    ({}, ["report", "export", "--month", "2023-06", "--output", "nowhere/x.xlsx"], "不存在", 2),
    ({}, ["report", "parse", "--today", "2023-02-30", "开会"], "看不懂日期“2023-02-30”", 2),
    ({}, ["report", "export"], "缺少必填参数：--month", 2),
    ({}, ["users", "invite", "--role"], "后面要跟一个值", 2),
    ({}, ["nosuch"], "无效的选项 'nosuch'", 2),
    # issue 25: a new admin's first day
    ({"DATABASE_URL": "sqlite:///some/dir/x.db"}, ["db", "status"], "some/dir/x.db，但文件夹", 2),
    (
        {"DATABASE_URL": "postgresql://no_such_login@127.0.0.1:5432/postgres"},
        ["db", "status"],
        "没有登录名“no_such_login”",
        2,
    ),
    ({"WEB_PORT": "{busy_port}"}, ["web"], "已被占用：", 2),
    ({"WEB_PORT": "{busy_port}"}, ["web"], "把 WEB_PORT 改成一个空闲的端口", 2),
    (
        {**WECOM_FOUR, "WECOM_PORT": "{busy_port}", "WECOM_AES_KEY": AES_KEY},
        ["run", "--channel", "wecom"],
        "把 WECOM_PORT 改成",
        2,
    ),
    (WECOM_FOUR, ["start"], "企业微信只配置了一部分，还缺：WECOM_AES_KEY", 2),
    (WECOM_FOUR, ["run", "--channel", "wecom"], "还缺：WECOM_AES_KEY", 2),
    ({**WECOM_FOUR, "WECOM_AES_KEY": "abc"}, ["start"], "WECOM_AES_KEY：应为 43 个字母", 2),
    (
        {},
        ["users", "add", "--channel", "web", "--external-id", "zhang", "--role", "书记"],
        "书记要写所在的村：请加上 --village",
        2,
    ),
    ({"PARTYBOT_KNOWLEDGE_DIR": "no/such/knowledge"}, ["ingest"], "什么也没有删除", 2),
    ({"PARTYBOT_KNOWLEDGE_DIR": "no/such/knowledge"}, ["start"], "PARTYBOT_KNOWLEDGE_DIR", 2),
]


@pytest.mark.parametrize(("env", "command", "said", "code"), MISTAKES)
def test_a_mistake_gets_a_chinese_message_and_a_non_zero_exit(
    env_settings: Path, monkeypatch, capsys, env: dict, command: list, said: str, code: int
) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        busy_port = str(holder.getsockname()[1])
        for name, value in env.items():
            monkeypatch.setenv(name, value.replace("{busy_port}", busy_port))
        try:
            exit_code = main(command)
        except SystemExit as stop:  # argparse's own errors
            exit_code = int(stop.code or 0)
    captured = capsys.readouterr()
    if "连不上数据库" in captured.err and "连不上数据库" not in said:
        pytest.skip("no PostgreSQL server here")
    assert exit_code == code
    assert said in captured.err
    assert "Traceback" not in captured.err


def test_the_data_folder_cannot_be_written(env_settings: Path, monkeypatch, capsys) -> None:
    blocker = env_settings.parent / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("PARTYBOT_DATA_DIR", str(blocker / "data"))
    assert main(["db", "status"]) == 2
    assert "无法写入" in capsys.readouterr().err


def test_a_missing_postgres_database_says_create_it(env_settings: Path, monkeypatch, capsys):
    from tests.conftest import POSTGRES_URL

    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL.rsplit("/", 1)[0] + "/partybot_no_such_db")
    code = main(["db", "status"])
    err = capsys.readouterr().err
    if "连不上数据库" in err:
        pytest.skip("no PostgreSQL server here")
    assert code == 2 and "createdb partybot_no_such_db" in err


def test_china_time_and_postgres_urls_are_understood(env_settings: Path, monkeypatch) -> None:
    from bot.settings import Settings

    monkeypatch.setenv("PARTYBOT_TIMEZONE", "Beijing")
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/partybot")
    settings = Settings()
    assert settings.timezone == "Asia/Shanghai"
    assert settings.sqlalchemy_url == "postgresql+psycopg://u:p@db:5432/partybot"


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2023-06", "2023-06"),
        ("2023-6", "2023-06"),
        ("2023/6", "2023-06"),
        ("202306", "2023-06"),
        ("2023年6月", "2023-06"),
        ("2023 年 6 月", "2023-06"),
        ("二〇二三年六月", "2023-06"),
        ("6月", "2026-06"),
        ("十二月", "2026-12"),
        ("本月", "2026-11"),
        ("上个月", "2026-10"),
    ],
)
def test_one_month_reading_everywhere(text: str, month: str) -> None:
    from datetime import date

    assert parse_month(text, today=date(2026, 11, 24)) == month


@pytest.mark.parametrize("text", ["2023-13", "0月", "13月", "2023", "下下月", "六月份吧"])
def test_months_that_are_not(text: str) -> None:
    from datetime import date

    with pytest.raises(BadMonth):
        parse_month(text, today=date(2026, 11, 24))


def test_a_calendar_file_month_needs_its_year() -> None:
    with pytest.raises(BadMonth):
        parse_month("6月", today=None)


def test_doctor_exits_non_zero_and_lines_up_chinese_labels(
    env_settings: Path, monkeypatch, capsys
) -> None:
    assert main(["doctor"]) == 1  # an empty knowledge base and no admin: problems
    out = capsys.readouterr().out
    assert "还没有管理员" in out and "知识库还是空的" in out
    starts = set()
    for line in out.splitlines():
        if line.startswith(("数据目录", "知识库目录", "数据库", "向量模型")):
            label, rest = line.split(" ", 1)
            starts.add(display_width(label) + 1 + len(rest) - len(rest.lstrip(" ")))
    assert starts == {12}  # every value starts at the same screen column


def test_doctor_checks_the_telegram_token(env_settings: Path, monkeypatch, capsys) -> None:
    from tests.support.fake_telegram import TOKEN, FakeBotAPI

    with FakeBotAPI() as fake:
        monkeypatch.setenv("TELEGRAM_BASE_URL", fake.base_url)
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
        main(["doctor"])
        out = capsys.readouterr().out
        assert "令牌有效" in out and TOKEN not in out
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:wrong")
        assert main(["doctor"]) == 1
        assert "Telegram 不认这个令牌" in capsys.readouterr().out
        assert fake.unexpected == ["POST /bot123:wrong/getMe"]  # the one call made with it
        fake.unexpected.clear()


def test_a_sqlite_url_means_one_file_and_its_folder_must_exist(
    env_settings: Path, monkeypatch, capsys
) -> None:
    from bot.settings import Settings

    monkeypatch.setenv("DATABASE_URL", "sqlite:///some/dir/x.db")
    assert main(["db", "status"]) == 2
    assert f"SQLite 数据库文件是 {Path.cwd() / 'some/dir/x.db'}" in capsys.readouterr().err
    assert not (Path.cwd() / "some").exists()  # no empty database made anywhere
    monkeypatch.setenv("DATABASE_URL", "sqlite:///mine.db")  # relative: the folder it runs in
    assert Settings().sqlalchemy_url == f"sqlite:///{Path.cwd() / 'mine.db'}"


def test_the_web_console_says_where_it_is_and_how_to_get_in(env_settings: Path) -> None:
    from bot.cli.checks import web_start_lines
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.settings import Settings

    engine = make_engine(Settings().sqlalchemy_url)
    upgrade_schema(engine)
    sessions = make_session_factory(engine)
    lines = web_start_lines("127.0.0.1", 8080, sessions)
    assert lines[0] == "网页版已启动：http://127.0.0.1:8080/"
    assert "partybot users passwd 登录名" in lines[1]
    main(["users", "add", "--channel", "web", "--external-id", "admin", "--role", "admin"])
    with pytest.MonkeyPatch.context() as patch:
        import io
        import sys

        patch.setattr(sys, "stdin", io.StringIO("a-long-enough-pass-1\n"))
        assert main(["users", "passwd", "admin"]) == 0
    assert web_start_lines("127.0.0.1", 8080, sessions) == lines[:1]


def test_chat_as_finds_a_person_by_any_identity_or_name(env_settings: Path, capsys) -> None:
    from datetime import UTC, datetime

    from bot.cli.checks import find_identity
    from bot.db.engine import make_engine, make_session_factory, upgrade_schema
    from bot.people.accounts import AccountService, Role
    from bot.settings import Settings

    engine = make_engine(Settings().sqlalchemy_url)
    upgrade_schema(engine)
    accounts = AccountService(
        session_factory=make_session_factory(engine), clock=lambda: datetime.now(UTC)
    )
    web_only = accounts.add(
        "li", Role.SECRETARY, channel="web", name="李书记", village="李家村", township="城关镇"
    )
    accounts.add("wang", Role.STAFF, channel="web", name="王干事")
    accounts.add(12345, Role.STAFF, channel="telegram", name="王干事")  # a namesake on Telegram
    for who in ("li", "web:li", "李书记", f"#{web_only.id}", str(web_only.id)):
        found = find_identity(accounts, who)
        assert found is not None, who
        assert (found.member.id, found.channel, found.external_id) == (web_only.id, "web", "li")
    assert find_identity(accounts, "王干事") is None  # two people: say so, pick neither
    assert find_identity(accounts, "telegram:12345") is not None
    assert find_identity(accounts, "nobody") is None


def test_report_outputs_into_a_folder(env_settings: Path, tmp_path: Path, capsys) -> None:
    folder = tmp_path / "导出"
    folder.mkdir()
    command = ["report", "export", "--month", "2026-07", "--output", str(folder), "--photos"]
    assert main(command) == 0
    assert (folder / "台账-2026-07.xlsx").is_file() and (folder / "台账-2026-07-照片.zip").is_file()
    code = main(["report", "chart", "--month", "2026-07", "--output", str(folder)])
    err = capsys.readouterr().err
    if code == 2 and "字体" in err:
        pytest.skip("no CJK font for the chart here")
    assert code == 0 and (folder / "活动-2026-07.png").is_file()
    assert not (tmp_path / "导出.png").exists()


def test_the_documented_options_exist_and_the_example_names_the_real_default() -> None:
    from bot.cli import build_parser

    args = build_parser().parse_args(["report", "export", "--month", "2026-07", "--photos"])
    assert args.photos is True
    example = (Path(__file__).resolve().parents[1] / ".env.example").read_text(encoding="utf-8")
    assert (
        "multilingual-e5-small" in example and "else the bundled\n# multilingual USE" not in example
    )


def test_doctor_names_a_missing_knowledge_folder_and_half_a_wecom(
    env_settings: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("PARTYBOT_KNOWLEDGE_DIR", "no/such/knowledge")
    for name, value in WECOM_FOUR.items():
        monkeypatch.setenv(name, value)
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "no/such/knowledge 不存在" in out
    assert "企业微信只配置了一部分，还缺：WECOM_AES_KEY" in out
