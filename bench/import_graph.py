"""The import graph of a tree in figures: edges between our modules by direction (down, within
a layer, up), mutual pairs, import cycles and imports made inside functions.

    .venv/bin/python -m bench.import_graph [ROOT]      (ROOT: this checkout by default)

Reads the code only (``tests/contract/test_architecture.py`` enforces the rules; this counts).
An import under ``if TYPE_CHECKING:`` never runs and is not counted.
"""

import ast
import sys
from collections import Counter
from pathlib import Path

from tests.contract.test_architecture import LAYERS, _cycles, _layer


def _modules(root: Path) -> dict[str, Path]:
    found = {}
    for package in LAYERS:
        for path in (root / package).rglob("*.py"):
            if "migrations" not in path.parts:
                name = ".".join(path.relative_to(root).with_suffix("").parts)
                found[name.removesuffix(".__init__")] = path
    return found


def _imports(tree: ast.Module) -> list[tuple[str, bool]]:
    """(module imported, inside a function) for every import that runs."""
    typing_only = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and ast.unparse(branch.test).endswith("TYPE_CHECKING")
        for node in ast.walk(branch)
    }
    in_function = {
        id(node)
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        found += [(name, id(node) in in_function) for name in names]
    return found


def main(root: Path) -> None:
    modules = _modules(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    inside: set[tuple[str, str]] = set()
    for name, path in modules.items():
        for imported, in_function in _imports(ast.parse(path.read_text())):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                graph[name].add(imported)
                if in_function:
                    inside.add((name, imported))
    directions: Counter[str] = Counter()
    for name, targets in graph.items():
        for target in targets:
            step = _layer(target) - _layer(name)
            directions["up" if step > 0 else "down" if step < 0 else "within a layer"] += 1
    mutual = {frozenset((a, b)) for a, targets in graph.items() for b in targets if a in graph[b]}
    cycles = _cycles(graph)
    print(f"modules: {len(modules)}")
    by_direction = ", ".join(f"{k} {v}" for k, v in sorted(directions.items()))
    print(f"edges: {sum(directions.values())} ({by_direction})")
    print(f"mutual pairs: {len(mutual)}")
    print(f"cycles: {len(cycles)} (sizes {sorted(len(c) for c in cycles)})")
    print(f"imports inside functions: {len(inside)}")
    for name, target in sorted(inside):
        print(f"    {name} -> {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
