"""List the import cycles among the modules of a package (default: councilportal).

Two graphs: "module-level" counts only the imports run at import time (module level, including
inside `if`/`try`, but not under `if TYPE_CHECKING:`); "any" also counts the imports inside
functions (deferred imports that hide a cycle rather than remove it).

    python scripts/import_cycles.py [package ...]
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _top_level_imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        elif isinstance(node, ast.If) and not _is_type_checking(node):
            found += _top_level_imports(node.body) + _top_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            found += _top_level_imports(node.body)
            for handler in node.handlers:
                found += _top_level_imports(handler.body)
    return found


def _all_imports(body: list[ast.stmt]) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for node in body:
        if isinstance(node, ast.If) and _is_type_checking(node):
            found += _all_imports(node.orelse)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        else:
            for child in ast.iter_child_nodes(node):
                if isinstance(child, ast.stmt):
                    found += _all_imports([child])
    return found


def imports_of(path: Path, name: str, modules: set[str], *, deferred: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    nodes = _all_imports(tree.body) if deferred else _top_level_imports(tree.body)
    for node in nodes:
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            candidates = [base] + [f"{base}.{alias.name}" for alias in node.names]
        for candidate in candidates:
            # the module itself, or the nearest enclosing module we know
            while candidate and candidate not in modules:
                candidate = candidate.rpartition(".")[0]
            if candidate and candidate != name:
                targets.add(candidate)
    return targets


def graph(packages: list[str], *, deferred: bool) -> dict[str, set[str]]:
    files = {module_name(p): p for pkg in packages for p in (ROOT / pkg).rglob("*.py")}
    files = {n: p for n, p in files.items() if ".migrations" not in n}
    modules = set(files)
    return {
        name: imports_of(path, name, modules, deferred=deferred) for name, path in files.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each listed with
    one concrete cycle through it."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(components)


def shortest_cycles(component: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """For each module of a component, the shortest cycle through it (each cycle listed once)."""
    members = set(component)
    found: dict[tuple[str, ...], list[str]] = {}
    for start in component:
        paths = {start: [start]}
        queue = [start]
        cycle: list[str] | None = None
        while queue and cycle is None:
            node = queue.pop(0)
            for target in sorted(edges[node] & members):
                if target == start:
                    cycle = paths[node]
                    break
                if target not in paths:
                    paths[target] = paths[node] + [target]
                    queue.append(target)
        if cycle:
            turn = cycle.index(min(cycle))
            key = tuple(cycle[turn:] + cycle[:turn])
            found.setdefault(key, list(key))
    return sorted(found.values())


def main(argv: list[str]) -> int:
    packages = argv or ["councilportal"]
    for label, deferred in (("module-level", False), ("any (deferred imports included)", True)):
        edges = graph(packages, deferred=deferred)
        found = cycles(edges)
        print(f"{label}: {len(found)} cycle(s) among {len(edges)} modules of {', '.join(packages)}")
        for component in found:
            print(f"  {len(component)} modules: {', '.join(component)}")
            for cycle in shortest_cycles(component, edges):
                print("      " + " → ".join([*cycle, cycle[0]]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
