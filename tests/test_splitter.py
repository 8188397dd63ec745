from __future__ import annotations

import re
from pathlib import Path

import pytest

from ingest.loaders import load_file
from ingest.metadata import ARTICLE_LINE, detect_issued, short_names, title_key
from ingest.splitter import MAX_CHUNK_CHARS, parse_document
from tests.conftest import SEED, corpus_files


def _parsed(path: Path):
    return parse_document(load_file(path).text, fallback_title=path.stem)


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_article_in_exactly_one_labelled_run_and_nothing_lost(path: Path) -> None:
    text = load_file(path).text
    parsed = _parsed(path)
    source_articles = [
        m.group(0) for line in text.splitlines() if (m := ARTICLE_LINE.match(line.strip()))
    ]
    assert parsed.kind == "regulation"
    # each article starts exactly one chunk, and its continuation pieces follow under its label
    starts = [c.article for c in parsed.chunks if c.article and c.text.startswith(c.article)]
    assert starts == source_articles
    labels_in_order = [c.article for c in parsed.chunks if c.article]
    collapsed = [a for i, a in enumerate(labels_in_order) if i == 0 or a != labels_in_order[i - 1]]
    assert collapsed == source_articles
    for chunk in parsed.chunks:
        assert len(chunk.text) <= MAX_CHUNK_CHARS
        if chunk.article:
            assert chunk.heading.endswith(chunk.article)
            assert chunk.article_no is not None
        # no chunk swallows the start of a neighbouring article
        inner = [ARTICLE_LINE.match(line) for line in chunk.text.splitlines()[1:]]
        assert not any(inner)
    body = "".join("".join(c.text.split()) for c in parsed.chunks)
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            assert "".join(line.split()) in body


def test_long_article_is_split_between_items_with_label_repeated() -> None:
    items = "\n".join(f"（{n}）" + "违反规定" * 30 + "的；" for n in "一二三四五六七八")
    text = f"# 某条例\n\n第一条　总则。\n\n第二条　有下列行为之一的，给予处分：\n{items}\n\n第三条　附则。"
    parsed = parse_document(text, fallback_title="x")
    pieces = [c for c in parsed.chunks if c.article == "第二条"]
    assert len(pieces) > 1
    assert [p.part for p in pieces] == list(range(1, len(pieces) + 1))
    assert all(p.heading == "某条例 > 第二条" for p in pieces)
    assert all(len(p.text) <= MAX_CHUNK_CHARS for p in pieces)
    assert all(re.match(r"^（[一二三四五六七八]）", p.text) for p in pieces[1:])


def test_report_sections_and_redactions_kept() -> None:
    parsed = _parsed(SEED)
    assert parsed.kind == "report"
    assert "工作思路汇报" in parsed.title
    headings = {c.heading for c in parsed.chunks}
    assert any(
        h.endswith("二、下半年工作思路 > （三）以党校达标验收为契机，提升干部教育培训质效")
        for h in headings
    )
    assert any("**县" in c.text for c in parsed.chunks)
    assert any("*个" in c.text for c in parsed.chunks)
    assert all(len(c.text) <= MAX_CHUNK_CHARS for c in parsed.chunks)


def test_report_numbered_headings() -> None:
    text = "关于主题党日活动的总结\n一、基本情况\n1.学习情况\n全体党员集中学习党章。\n2.志愿服务\n清理村道垃圾。"
    parsed = parse_document(text, fallback_title="x")
    assert parsed.title == "关于主题党日活动的总结"
    assert [c.heading for c in parsed.chunks] == [
        "关于主题党日活动的总结 > 一、基本情况 > 1.学习情况",
        "关于主题党日活动的总结 > 一、基本情况 > 2.志愿服务",
    ]


def test_dates_titles_and_short_names() -> None:
    assert str(detect_issued("（2018年修订，自2018年10月1日起施行）")) == "2018-10-01"
    header = "2014年5月28日中共中央办公厅发布　2026年4月2日中共中央政治局常委会会议修订"
    assert str(detect_issued(header)) == "2026-04-02"
    assert detect_issued("没有日期的文件") is None
    assert title_key("《中国共产党纪律处分条例》（2023年修订）") == "中国共产党纪律处分条例"
    assert "党章" in short_names("中国共产党章程")
    assert "村民委员会组织法" in short_names("中华人民共和国村民委员会组织法")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # two articles of a rule are still cited by article: 下一条 and 第十条 work on them
        (
            "# 中国共产党支部工作条例（试行）\n第九条　每月开展主题党日。\n第十条　每年召开组织生活会。",
            "regulation",
        ),
        ("# 村务公开办法\n第一条　村务公开每季度一次。", "regulation"),
        (
            "第一条　村务公开每季度一次。\n第二条　村民会议每年两次。\n第三条　本办法自公布之日起施行。",
            "regulation",
        ),
        # a notice quoting one article is no regulation of its own
        ("# 关于开展主题党日的通知\n第九条　每月开展主题党日。", "other"),
    ],
)
def test_a_short_rule_is_a_regulation(text: str, kind: str) -> None:
    parsed = parse_document(text, fallback_title="x")
    assert parsed.kind == kind
    if kind == "regulation":
        assert all(c.article for c in parsed.chunks)
