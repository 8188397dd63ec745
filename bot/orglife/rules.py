"""The county's 三会一课 rules, read from a YAML file it edits (knowledge/三会一课规则.yaml).

A file with any bad line is not applied: each problem is named by its line, in Chinese, and the
rules in force (the defaults, or the last good file) stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.orglife import messages
from bot.reports.parsing import TYPE_NAMES

RULES_FILE_NAME = "三会一课规则.yaml"


class Every(StrEnum):
    MONTH = "月"
    QUARTER = "季度"
    YEAR = "年"


@dataclass(frozen=True)
class Rule:
    kind: str  # what the branch must hold, as the ledger names it
    every: Every
    times: int
    counts: frozenset[str]  # the logged kinds (type or tag) that count for it

    def frequency(self) -> str:
        return f"每{self.every.value}{'' if self.every == Every.MONTH else '至少'}{self.times}次"


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    # kind -> branches exempt: (township, village) or ("", village) for every township's
    exempt: dict[str, frozenset[tuple[str, str]]] = field(default_factory=dict)

    def applies(self, rule: Rule, township: str, village: str) -> bool:
        exempt = self.exempt.get(rule.kind, frozenset())
        return (township, village) not in exempt and ("", village) not in exempt


def _default(kind: str, every: Every) -> Rule:
    return Rule(kind, every, 1, frozenset({kind}))


DEFAULT_RULES = Rules(
    rules=(
        _default("主题党日", Every.MONTH),
        _default("支部委员会", Every.MONTH),
        _default("党小组会", Every.MONTH),
        _default("支部党员大会", Every.QUARTER),
        _default("党课", Every.QUARTER),
        _default("组织生活会", Every.YEAR),
        _default("民主评议党员", Every.YEAR),
    )
)

_NUMBERS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_FREQUENCY = re.compile(
    r"^每(?:个)?(月|季度|季|年|年度)(?:至少|不少于)?([0-9]{1,2}|[一两二三四五六])次$"
)


class RulesFileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def parse_frequency(text: str) -> tuple[Every, int] | None:
    match = _FREQUENCY.match("".join(text.split()))
    if not match:
        return None
    unit, number = match.groups()
    times = int(number) if number.isdigit() else _NUMBERS[number]
    every = {"月": Every.MONTH, "季度": Every.QUARTER, "季": Every.QUARTER}.get(unit, Every.YEAR)
    return (every, times) if times >= 1 else None


def parse_rules(text: str) -> Rules:
    """The rules the file says; RulesFileError naming every bad line."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise RulesFileError([messages.RULES_NOT_YAML.format(line=line)]) from None
    if not isinstance(root, MappingNode):
        raise RulesFileError([messages.RULES_NO_RULES.format(line=1)])
    sections = {_scalar(k): v for k, v in root.value}
    problems: list[str] = []
    listed = sections.get("规则")
    if not isinstance(listed, SequenceNode) or not listed.value:
        raise RulesFileError([messages.RULES_NO_RULES.format(line=_line(listed or root))])
    rules: list[Rule] = []
    for item in listed.value:
        rule = _rule(item, problems)
        if rule is not None and any(r.kind == rule.kind for r in rules):
            problems.append(messages.RULES_TWICE.format(line=_line(item), kind=rule.kind))
        elif rule is not None:
            rules.append(rule)
    exempt = _exempt(sections.get("豁免"), {r.kind for r in rules}, problems)
    if problems:
        raise RulesFileError(problems)
    return Rules(tuple(rules), exempt)


def rules_yaml(rules: Rules) -> str:
    """Rules written as the file says them: the web's box when there is no file yet."""
    lines = ["规则:"]
    for rule in rules.rules:
        lines += [f"  - 活动: {rule.kind}", f"    要求: {rule.frequency()}"]
        if rule.counts != {rule.kind}:
            counted = sorted(rule.counts, key=lambda k: (k != rule.kind, k))
            lines.append(f"    计入: [{', '.join(counted)}]")
    if rules.exempt:
        lines.append("豁免:")
        for kind, branches in rules.exempt.items():
            names = sorted(f"{t}/{v}" if t else v for t, v in branches)
            lines.append(f"  {kind}: [{', '.join(names)}]")
    return "\n".join(lines) + "\n"


def load_rules(path: Path | None) -> Rules:
    """The file's rules; the defaults when there is no file. RulesFileError when it is bad."""
    if path is None or not path.is_file():
        return DEFAULT_RULES
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise RulesFileError([messages.RULES_UNREADABLE.format(path=path)]) from None
    return parse_rules(text)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _scalar(node: Node | None) -> str:
    return str(node.value).strip() if isinstance(node, ScalarNode) else ""


def _rule(item: Node, problems: list[str]) -> Rule | None:
    if not isinstance(item, MappingNode):
        problems.append(messages.RULES_BAD_ITEM.format(line=_line(item)))
        return None
    fields = {_scalar(k): v for k, v in item.value}
    kind_node, every_node = fields.get("活动"), fields.get("要求")
    kind = _scalar(kind_node)
    before = len(problems)
    if kind not in TYPE_NAMES:
        line = _line(kind_node or item)
        problems.append(messages.RULES_UNKNOWN_KIND.format(line=line, kind=kind or "（空）"))
    frequency = parse_frequency(_scalar(every_node))
    if frequency is None:
        line = _line(every_node or item)
        said = _scalar(every_node) or "（空）"
        problems.append(messages.RULES_BAD_FREQUENCY.format(line=line, said=said))
    counts = {kind}
    counts_node = fields.get("计入")
    if counts_node is not None:
        values = counts_node.value if isinstance(counts_node, SequenceNode) else [counts_node]
        counts = {_scalar(v) for v in values}
        for value in values:
            if _scalar(value) not in TYPE_NAMES:
                problems.append(
                    messages.RULES_UNKNOWN_KIND.format(line=_line(value), kind=_scalar(value))
                )
    if len(problems) > before or frequency is None:
        return None
    return Rule(kind, frequency[0], frequency[1], frozenset(counts))


def _exempt(
    node: Node | None, kinds: set[str], problems: list[str]
) -> dict[str, frozenset[tuple[str, str]]]:
    if node is None or (isinstance(node, ScalarNode) and not node.value):
        return {}
    if not isinstance(node, MappingNode):
        problems.append(messages.RULES_BAD_EXEMPT.format(line=_line(node)))
        return {}
    exempt: dict[str, frozenset[tuple[str, str]]] = {}
    for key, value in node.value:
        kind = _scalar(key)
        if kind not in kinds:
            problems.append(messages.RULES_EXEMPT_NO_RULE.format(line=_line(key), kind=kind))
            continue
        branches = value.value if isinstance(value, SequenceNode) else []
        if not isinstance(value, SequenceNode) and _scalar(value):
            problems.append(messages.RULES_BAD_EXEMPT.format(line=_line(value)))
        found: set[tuple[str, str]] = set()
        for branch in branches:
            name = _scalar(branch)
            township, _, village = name.rpartition("/")
            if not village:
                problems.append(messages.RULES_BAD_EXEMPT.format(line=_line(branch)))
                continue
            found.add((township.strip(), village.strip()))
        if found:
            exempt[kind] = frozenset(found)
    return exempt
