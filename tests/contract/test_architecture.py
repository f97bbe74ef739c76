"""The layers of ARCHITECTURE.md, read from the code: imports point down, and no module reaches
itself again through the modules it imports (an import inside a function counts too; one under
``if TYPE_CHECKING:`` does not, since it never runs)."""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Lowest first: a module may import its own layer and those below it.
LAYERS = ("models", "services", "schema", "api")
# Cycles still to be broken, each by its own change; the list only ever shrinks.
KNOWN_CYCLES: set[frozenset[str]] = {}


def _modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in (ROOT / layer).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _runtime_imports(tree: ast.Module) -> Iterator[str]:
    typing_only = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and ast.unparse(branch.test).endswith("TYPE_CHECKING")
        for node in ast.walk(branch)
    }
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for imported in _runtime_imports(ast.parse(path.read_text())):
            while imported and imported not in modules:
                imported = imported.rpartition(".")[0]
            if imported and imported != name:
                targets.add(imported)
        graph[name] = targets
    return graph


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def _cycles(graph: dict[str, set[str]]) -> list[frozenset[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in graph[module]:
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(frozenset(group))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_imports_point_down_the_layers() -> None:
    graph = _graph()

    upward = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if _layer(target) > _layer(module)
    )

    assert upward == []


def test_no_module_imports_itself_through_others() -> None:
    cycles = _cycles(_graph())

    assert [sorted(c) for c in cycles if c not in KNOWN_CYCLES] == []


def test_the_check_sees_a_cycle_and_an_upward_import() -> None:
    graph = {
        "services.a": {"services.b"},
        "services.b": {"services.a", "schema.c"},
        "schema.c": set(),
    }

    assert _cycles(graph) == [frozenset({"services.a", "services.b"})]
    assert _layer("schema.c") > _layer("services.b")
