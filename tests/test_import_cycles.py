"""No import cycles inside citypartner_desktop.

Every import counts: at the top of a module, inside a function (a lazy import only hides a
cycle until someone moves it up) and under ``if TYPE_CHECKING:`` (the two modules still know
each other). The imports are read with ``ast``, not by importing, so the check sees all of them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "citypartner_desktop"
UI = f"{PACKAGE}.ui"

Graph = dict[str, set[str]]


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every .py under ``root / package``."""
    found = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = path.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


def _known(dotted: str, modules: Iterable[str]) -> str | None:
    """The module ``dotted`` names, or the closest package or module holding it."""
    known = set(modules)
    while dotted and dotted not in known:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ``modules`` that the module ``name`` imports, wherever the import is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = _known(alias.name, modules)
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # relative: from the module's package (a package's own name for __init__)
                anchor = name.split(".")
                if path.name != "__init__.py":
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                base = node.module or ""
            for alias in node.names:
                # "from a.b import c" imports the module a.b.c when there is one, else a.b
                target = _known(f"{base}.{alias.name}", modules) if base else None
                if target != f"{base}.{alias.name}":
                    target = _known(base, modules)
                if target:
                    found.add(target)
    found.discard(name)  # "from . import x" inside the package x itself
    return found


def import_graph(root: Path, package: str) -> Graph:
    modules = module_files(root, package)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def import_cycles(graph: Graph) -> list[list[str]]:
    """One cycle (a -> b -> ... -> a) for each group of modules that import each other."""
    return sorted(_one_cycle(graph, group) for group in import_groups(graph))


def import_groups(graph: Graph) -> list[set[str]]:
    """The groups of modules that import each other (directly or around a longer loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(start: str) -> None:  # Tarjan's strongly connected components, without recursion
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                if len(group) > 1:
                    groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def _one_cycle(graph: Graph, group: set[str]) -> list[str]:
    """The shortest way from the group's first module back to itself, within the group."""
    first = min(group)
    paths = {first: [first]}
    queue = [first]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & group):
            if child == first:
                return [*paths[node], first]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(f"{sorted(group)} holds no cycle")  # pragma: no cover


def _shown(graph: Graph, groups: list[set[str]]) -> str:
    return "\n".join(f"{' -> '.join(_one_cycle(graph, group))}  (the modules that import "
                     f"each other: {', '.join(sorted(group))})" for group in groups)


def _in_ui(module: str) -> bool:
    return module == UI or module.startswith(f"{UI}.")


def test_no_import_cycles_outside_the_ui() -> None:
    graph = import_graph(ROOT, PACKAGE)
    groups = [g for g in import_groups(graph) if not all(_in_ui(m) for m in g)]
    assert not groups, f"import cycles:\n{_shown(graph, groups)}"


def test_no_import_cycles_in_the_ui() -> None:
    graph = import_graph(ROOT, PACKAGE)
    groups = [g for g in import_groups(graph) if all(_in_ui(m) for m in g)]
    assert not groups, f"import cycles:\n{_shown(graph, groups)}"


def test_the_walk_finds_a_cycle_hidden_in_a_function(tmp_path: Path) -> None:
    """The checker itself: a lazy import inside a function, a relative import, and a
    "from package import module" all count, and a cycle through them is reported."""
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("from . import reader\n")
    (package / "sub" / "reader.py").write_text(
        "from pkg.sub.types import Row\n\n\ndef read():\n    from pkg import cards\n")
    (package / "sub" / "types.py").write_text("import os\nRow = tuple\n")
    (package / "cards.py").write_text("from .sub import reader\n")
    graph = import_graph(tmp_path, "pkg")
    assert graph == {
        "pkg": set(),
        "pkg.cards": {"pkg.sub.reader"},
        "pkg.sub": {"pkg.sub.reader"},
        "pkg.sub.reader": {"pkg.sub.types", "pkg.cards"},
        "pkg.sub.types": set(),
    }
    assert import_cycles(graph) == [["pkg.cards", "pkg.sub.reader", "pkg.cards"]]
    (package / "cards.py").write_text("from .sub.types import Row\n")
    assert import_cycles(import_graph(tmp_path, "pkg")) == []
