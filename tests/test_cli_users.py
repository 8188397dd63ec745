from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main


def test_users_invite_add_and_list(env_settings: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["users", "add", "--telegram-id", "555", "--role", "admin", "--name", "王部长"]) == 0
    )
    assert "已添加用户 555：管理员" in capsys.readouterr().out
    assert (
        main(
            [
                "users",
                "invite",
                "--role",
                "secretary",
                "--village",
                "张家村",
                "--township",
                "城关镇",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert re.search(r"邀请码：[A-Z2-9]{8}", out)
    assert main(["users", "invite", "--role", "secretary"]) == 2
    assert "--village" in capsys.readouterr().err
    assert main(["users", "list"]) == 0
    assert "555\t王部长\t管理员" in capsys.readouterr().out


def test_run_without_a_token_says_so(
    env_settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_users_of_other_channels_and_chinese_roles(
    env_settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["users", "add", "--channel", "web", "--external-id", "wang", "--role", "工作人员"]
    assert main([*args, "--township", "城关镇", "--name", "王干事"]) == 0
    capsys.readouterr()
    assert main(["users", "add", "--telegram-id", "9", "--role", "组长"]) == 2
    assert "不认识的角色“组长”" in capsys.readouterr().err
    assert main(["users", "invite", "--role", "staff", "--township", "城关镇"]) == 0
    assert "邀请码" in capsys.readouterr().out
    assert main(["users", "list"]) == 0
    assert "web:wang\t王干事\t组织部门工作人员\t城关镇" in capsys.readouterr().out


def test_start_without_a_token_indexes_and_opens_the_terminal_chat(
    env_settings: Path,
    knowledge_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """What `scripts/start` runs on a machine with no Telegram token."""
    import io

    (knowledge_dir / "办法.md").write_text(
        "# 村务管理办法\n\n第一条　村务公开每季度一次。\n\n第二条　村民会议每年两次。\n",
        encoding="utf-8",
    )
    monkeypatch.setattr("sys.stdin", io.StringIO("村务管理办法第一条\n/quit\n"))
    assert main(["start"]) == 0
    out = capsys.readouterr().out
    assert "第一条　村务公开每季度一次。" in out and out.rstrip().endswith("再见。")
