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
