from __future__ import annotations

import io
from pathlib import Path

from bot.chat import run_chat
from bot.qa.service import QAService

REGULATION = "# 村务管理办法\n\n第一条　村务公开每季度一次。\n\n第二条　村民会议每年召开两次。\n\n第三条　本办法自公布之日起施行。\n"


def test_chat_commands(make_kb, knowledge_dir: Path) -> None:
    (knowledge_dir / "办法.md").write_text(REGULATION, encoding="utf-8")
    kbase = make_kb()
    kbase.ingestor.ingest()
    stdin = io.StringIO(
        "/source 1\n/help\n村务管理办法第二条\n/source 1\n/source x\n/quit\n没读到这里\n"
    )
    stdout = io.StringIO()
    run_chat(QAService(kbase.retriever), stdin=stdin, stdout=stdout, interactive=False)
    out = stdout.getvalue()
    assert "上一条回答没有引用出处。" in out  # /source before any answer
    assert "/quit 退出" in out
    assert "《村务管理办法》第二条原文如下" in out
    assert out.count("第二条　村民会议每年召开两次。") == 2  # the answer, then /source 1
    assert "例如 /source 1" in out
    assert "没读到这里" not in out and out.rstrip().endswith("再见。")
