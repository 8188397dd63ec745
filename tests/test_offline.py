"""The default install never reaches for a network: no model hub, no telemetry, nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CORPUS, SEED

pytestmark = pytest.mark.real_model
ROOT = Path(__file__).resolve().parents[1]

_GUARD = """
import socket, sys
LOG = sys.argv[1]
LOCAL = ("127.0.0.1", "::1", "localhost")

def _note(what):
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(what + "\\n")

_connect = socket.socket.connect
def connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and host not in LOCAL:
        _note(f"connect {address!r}")
        raise OSError("network blocked by the test")
    return _connect(self, address)
socket.socket.connect = connect

_getaddrinfo = socket.getaddrinfo
def getaddrinfo(host, *args, **kwargs):
    if host not in LOCAL and host is not None:
        _note(f"lookup {host!r}")
        raise socket.gaierror("network blocked by the test")
    return _getaddrinfo(host, *args, **kwargs)
socket.getaddrinfo = getaddrinfo

from bot.cli import main
sys.exit(main(sys.argv[2:]))
"""


def test_ingest_and_ask_with_the_defaults_touch_no_network(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "dangzhang.md").write_bytes((CORPUS / "dangzhang_2022.md").read_bytes())
    (knowledge / SEED.name).write_bytes(SEED.read_bytes())
    log = tmp_path / "network.log"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PARTYBOT_", "HF_", "TRANSFORMERS_", "DATABASE_URL", "LLM_"))
    }
    env.update(PARTYBOT_DATA_DIR=str(tmp_path / "data"), PARTYBOT_KNOWLEDGE_DIR=str(knowledge))
    for command in (
        ["ingest"],
        ["ask", "--json", "党章第十条", "党员有哪些义务"],
        ["users", "add", "--telegram-id", "1", "--role", "管理员"],
        ["doctor"],
    ):
        done = subprocess.run(
            [sys.executable, "-c", _GUARD, str(log), *command],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
    assert not log.exists(), log.read_text(encoding="utf-8")
    assert "multilingual-e5-small" in done.stdout  # doctor: the default embedder was used
