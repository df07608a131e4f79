"""The package's import graph has no cycles (arcvdm.search, being reorganised, is left out).

Every import statement counts: at module level, inside functions (the lazy imports that keep startup
fast) and under ``TYPE_CHECKING``. A cycle that only works because one side imports late is still two
modules that cannot be read, tested or moved apart, so it fails here like any other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "arcvdm"
LEFT_OUT = ("arcvdm.search",)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
    return {m: p for m, p in found.items() if not m.startswith(LEFT_OUT)}


def imported_names(path: Path, name: str) -> set[str]:
    """Every dotted name an import statement of the file names, relative imports resolved."""
    names = set()
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}   # `from pkg import module`
    return names


def import_graph() -> dict[str, set[str]]:
    """module -> the package's modules it imports (the longest known prefix of each imported name)."""
    known = modules()
    graph = {}
    for name, path in known.items():
        targets = set()
        for imported in imported_names(path, name):
            while imported and imported not in known:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_finds_a_cycle_and_resolves_names() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    graph = import_graph()
    assert "arcvdm.solve" in graph["arcvdm.jobs"]                      # an import inside a function counts
    assert "arcvdm.plots.grids" in graph["arcvdm.plots"]               # `from package import name` in __init__
    assert not any(m.startswith("arcvdm.search") for m in graph)


def test_no_import_cycles_outside_search() -> None:
    graph = import_graph()
    found = cycles(graph)
    lines = [" <-> ".join(c) + ": " + "; ".join(f"{a} -> {b}" for a in c for b in sorted(graph[a] & set(c)))
             for c in found]
    assert not found, "import cycles:\n" + "\n".join(lines)


# The cycles this package once had, and the one the single rank rule would make if rank.py took Candidate
# from vote.py again: named, so a regression says which one came back.
@pytest.mark.parametrize(("module", "must_not_import", "why"), [
    ("arcvdm.judge", "arcvdm.solve", "the judge is given the backbone, encoder, clip and prepared task"),
    ("arcvdm.plots.task", "arcvdm.plots.run", "a run's results load through arcvdm.results"),
    ("arcvdm.tasks", "arcvdm.splits", "the dev set is named by arcvdm.sources"),
    ("arcvdm.tasks", "arcvdm.vision.tasks", "image folders are dispatched by arcvdm.sources"),
    ("arcvdm.rank", "arcvdm.vote", "the rank rule needs only arcvdm.candidate; vote uses the rule"),
])
def test_a_known_cycle_stays_broken(module: str, must_not_import: str, why: str) -> None:
    assert must_not_import not in import_graph()[module], f"{module} imports {must_not_import} again ({why})"
