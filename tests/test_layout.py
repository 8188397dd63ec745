"""The layout's promises, read from the source with `ast`: `ingest/` is the bottom layer (it
imports nothing from `bot/`), and no two modules of `bot/` or `ingest/` import each other, even
through others. Every import counts: at the top, inside a function, or only for type checking."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "ingest")


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:  # Alembic loads these by path, never by import
                continue
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _import_graph() -> dict[str, set[str]]:
    """Each module and the modules of ours it imports (`from a import b` counts as a.b when b is
    a module, else as a)."""
    modules = _modules()

    def ours(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets: set[str | None] = set()
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(ours(alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    base = f"{anchor}.{base}".rstrip(".")
                targets.update(ours(f"{base}.{alias.name}") for alias in node.names)
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


def _a_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(module: str) -> list[str] | None:
        path.append(module)
        on_path.add(module)
        for target in sorted(graph[module]):
            if target in on_path:
                return [*path[path.index(target) :], target]
            if target not in done and (cycle := visit(target)) is not None:
                return cycle
        path.pop()
        on_path.discard(module)
        done.add(module)
        return None

    for module in sorted(graph):
        if module not in done and (cycle := visit(module)) is not None:
            return cycle
    return None


def test_ingest_is_the_bottom_layer() -> None:
    graph = _import_graph()
    upward = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module.startswith("ingest")
        for target in targets
        if target.split(".")[0] == "bot"
    )
    assert upward == []


def test_no_module_imports_itself_through_others() -> None:
    cycle = _a_cycle(_import_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_check_sees_imports_in_functions_and_for_type_checking() -> None:
    graph = _import_graph()
    assert "bot.cli.doctor" in graph["bot.cli.start"]  # imported inside cmd_doctor
    assert "bot.services" in graph["bot.cli.context"]  # TYPE_CHECKING, and inside methods
    assert "ingest.numerals" in graph["bot.months"]
    assert _a_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
