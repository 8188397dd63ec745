"""Document-level facts read from the text: title, kind and date of issue."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

REGULATION = "regulation"
REPORT = "report"
OTHER = "other"

ARTICLE_LINE = re.compile(
    r"^第([零〇一二三四五六七八九十百千两\d]+)条(?:之[一二三四五六七八九十]+)?(?=[\s　]|$)"
)
REPORT_HEADING = re.compile(r"^[一二三四五六七八九十]+、")
_QUOTED_TITLE = re.compile(r"《([^》]{2,60})》")
_REPORT_INTRO = re.compile(r"现将(.{4,60}?)(汇报|报告)如下")
_DATE_EVENT = re.compile(
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[^。\n]{0,90}?"
    r"(通过|发布|印发|施行|修订|修正|批准|公布)"
)
_TRAILING_VERSION = re.compile(r"[（(][^）)]*\d{4}[^）)]*[）)]$")
_TITLE_PREFIXES = ("中国共产党", "中华人民共和国", "中共")
# a title naming a kind of rule: even one or two articles of it are cited by article
_RULE_TITLE = re.compile(r"(条例|办法|规定|细则|规则|准则|章程|制度|守则|公约)(（[^）]*）)?$")


def detect_title(lines: list[str], fallback: str) -> str:
    for line in lines[:20]:
        if line.startswith("# "):
            return line[2:].strip()
    for line in lines[:5]:
        stripped = line.strip()
        quoted = _QUOTED_TITLE.fullmatch(stripped)
        if quoted:
            return quoted.group(1)
        looks_like_title = 2 <= len(stripped) <= 40 and not re.search(r"[。；，：]$", stripped)
        numbered = ARTICLE_LINE.match(stripped) or REPORT_HEADING.match(stripped)
        if looks_like_title and not numbered:
            return stripped.lstrip("#").strip()
    for line in lines[:5]:
        intro = _REPORT_INTRO.search(line)
        if intro:
            return intro.group(1) + intro.group(2)
    return fallback


def detect_kind(lines: list[str], title: str) -> str:
    articles = sum(1 for line in lines if ARTICLE_LINE.match(line))
    if articles >= 3 or (articles and _RULE_TITLE.search(title)):
        return REGULATION
    if any(REPORT_HEADING.match(line) for line in lines) or re.search(
        r"汇报|报告|总结|工作要点|计划|方案", title
    ):
        return REPORT
    return OTHER


def detect_issued(text: str) -> date | None:
    """The latest date the header (or the closing lines) says the text was issued or amended."""
    zone = text[:1500] + "\n" + text[-300:]
    found: list[date] = []
    for match in _DATE_EVENT.finditer(zone):
        try:
            found.append(date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
        except ValueError:
            continue
    return max(found) if found else None


def title_key(title: str) -> str:
    """Titles of two versions of one regulation share this key."""
    key = re.sub(r"[\s《》]", "", title)
    return _TRAILING_VERSION.sub("", key)


def short_names(title: str) -> list[str]:
    """Names a question may use for a document: the title, and without 中国共产党 etc."""
    key = title_key(title)
    names = [key]
    for prefix in _TITLE_PREFIXES:
        if key.startswith(prefix) and len(key) > len(prefix) + 1:
            names.append(key[len(prefix) :])
    if key == "中国共产党章程":
        names.append("党章")
    return names


def fallback_title(path: Path) -> str:
    return path.stem
