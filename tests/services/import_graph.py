"""promptterm's import graph, read with ast: every import, also inside functions and
TYPE_CHECKING blocks (a cycle a type checker follows is still a knot for a reader).

Modules are grouped into units: a domain (``promptterm.services.chat``), an area of the UI
(``promptterm.ui.chat``), a top-level package (``promptterm.db``, ``promptterm.cli``), or else
the module itself (``promptterm.app``, ``promptterm.services.errors``). A cycle between units is
an import cycle that crosses a package boundary.

    python tests/services/import_graph.py     # prints the units' graph and any cycles
"""

from __future__ import annotations

import ast
import functools
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "promptterm"
# Folders whose sub-packages are units of their own.
SPLIT = ("services", "ui")


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    imported: str  # dotted module (or module.attribute) name
    line: int


def module_name(path: Path) -> str:
    parts = path.relative_to(SRC).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path) -> Iterator[Import]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield Import(name, f"{base}.{alias.name}", node.lineno)


def resolve(imported: str, known: dict[str, Path]) -> str | None:
    """The promptterm module an import loads (``a.b.Name`` -> ``a.b``), or None."""
    while imported:
        if imported in known:
            return imported
        imported = imported.rpartition(".")[0]
    return None


def unit(module: str) -> str:
    parts = module.split(".")
    if len(parts) >= 3 and parts[1] in SPLIT:
        if (PACKAGE / parts[1] / parts[2]).is_dir():
            return ".".join(parts[:3])
        return module  # a shared module at services/ or ui/ top
    if len(parts) >= 2 and (PACKAGE / parts[1]).is_dir():
        return ".".join(parts[:2])
    return module


# The source does not change while the tests run, and parsing and walking every module is
# most of what the layer checks cost (five of them read the graph): read it once a process.
@functools.cache
def all_imports() -> tuple[Import, ...]:
    known = modules()
    found = []
    for name, path in known.items():
        for imp in imports_of(name, path):
            target = resolve(imp.imported, known)
            if target is not None and target != name:
                found.append(Import(imp.importer, target, imp.line))
    return tuple(found)


def unit_graph(found: Iterable[Import]) -> dict[str, dict[str, list[Import]]]:
    graph: dict[str, dict[str, list[Import]]] = {}
    for imp in found:
        a, b = unit(imp.importer), unit(imp.imported)
        if a != b:
            graph.setdefault(a, {}).setdefault(b, []).append(imp)
    return graph


def cycles(graph: dict[str, dict[str, list[Import]]]) -> list[list[str]]:
    """Strongly connected groups of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(10_000)
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def describe(group: list[str], graph: dict[str, dict[str, list[Import]]]) -> str:
    lines = [" <-> ".join(group)]
    for a in group:
        for b, found in graph.get(a, {}).items():
            if b in group:
                first = found[0]
                lines.append(f"    {a} -> {b}: {first.importer} line {first.line}")
    return "\n".join(lines)


def main() -> int:
    graph = unit_graph(all_imports())
    for a in sorted(graph):
        print(f"{a} -> {', '.join(sorted(graph[a]))}")
    found = cycles(graph)
    print(f"\n{len(found)} import cycles across package boundaries")
    for group in found:
        print(describe(group, graph))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
