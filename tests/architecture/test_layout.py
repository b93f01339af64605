"""The layout holds by check, not by hope (docs/architecture.md).

* No import cycle anywhere in ``mutual``: neither between modules (imports inside
  functions count too) nor between the top-level packages.
* No module outside migrations is longer than 500 lines.

The layers themselves (edges → services and selectors → ledger → models → engine) and the
independence of the feature apps are import-linter contracts in pyproject.toml, run by
``make lint``; this file checks what those contracts cannot say."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "mutual"
MAX_LINES = 500


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("mutual")


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The groups of nodes that reach each other (Tarjan), largest first; a group of
    two or more is a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(groups, key=len, reverse=True)


def test_tarjan_finds_a_cycle_and_nothing_else() -> None:
    edges = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}
    assert strongly_connected(edges)[0] == ["a", "b", "c"]
    assert [len(group) for group in strongly_connected(edges)] == [3, 1]
    assert all(len(group) == 1 for group in strongly_connected({"a": ["b"], "b": []}))


def test_no_module_imports_itself_back(graph: grimp.ImportGraph) -> None:
    edges = {
        module: graph.find_modules_directly_imported_by(module)
        for module in graph.modules
        if module.startswith("mutual")
    }
    cycles = [group for group in strongly_connected(edges) if len(group) > 1]
    assert cycles == []


def test_no_package_imports_itself_back(graph: grimp.ImportGraph) -> None:
    packages = sorted(
        {module.split(".")[1] for module in graph.modules if module.startswith("mutual.")}
    )
    edges = {
        a: [
            b
            for b in packages
            if a != b
            and graph.direct_import_exists(
                importer=f"mutual.{a}", imported=f"mutual.{b}", as_packages=True
            )
        ]
        for a in packages
    }
    cycles = [group for group in strongly_connected(edges) if len(group) > 1]
    assert cycles == []


def test_no_module_outside_migrations_passes_500_lines() -> None:
    long = {
        str(path.relative_to(SRC)): lines
        for path in SRC.rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
