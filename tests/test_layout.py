"""The layout of the code: one room per job, no import circle, and no stage reaching into
another stage's internals (it may use the other stage's package, its public face)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: The stages' packages; schemas/ belongs to validation.
STAGES = ("extract", "transform", "validate", "load", "versions")
MAX_TOP_LEVEL_MODULES = 8


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(tree: ast.Module, module: str, is_package: bool) -> set[str]:
    """Every module ``module`` imports, at the top or inside a function, but not the
    imports that exist only for type checkers."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = module.split(".") if is_package else module.split(".")[:-1]
                package = package[: len(package) - node.level + 1]
                base = ".".join([*package, base] if base else package)
            found.add(base)
            # `from pipeline.transform import cells` imports the submodule cells
            found.update(f"{base}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _graph() -> dict[str, set[str]]:
    files = [*ROOT.glob("pipeline/**/*.py"), *ROOT.glob("schemas/**/*.py")]
    modules = {_module_name(p): p for p in files}
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = _imports(tree, name, path.name == "__init__.py")
        graph[name] = {m for m in imported if m in modules and m != name}
    return graph


GRAPH = _graph()


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "schemas":
        return "validate"
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_no_module_imports_itself_back_through_others():
    # Tarjan's strongly connected components: a component of two or more is a circle.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in GRAPH[node]:
            if other not in index:
                connect(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            connect(node)
    assert circles == []


def test_no_stage_imports_another_stages_internals():
    reaching = sorted(
        f"{module} imports {other}"
        for module, imported in GRAPH.items()
        for other in imported
        if _stage(module) and _stage(other) and _stage(module) != _stage(other)
        and other != f"pipeline.{_stage(other)}"
    )
    assert reaching == []


def test_pipeline_keeps_few_top_level_modules():
    modules = sorted(p.name for p in (ROOT / "pipeline").glob("*.py") if p.name != "__init__.py")
    assert len(modules) <= MAX_TOP_LEVEL_MODULES, modules


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_every_module_says_what_it_is_for(module):
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT / module.replace(".", "/") / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.relative_to(ROOT)} has no docstring"
