"""The stages of a build depend on each other one way only, and no modules import each
other in a circle (docs/architecture.md draws the map).

The imports are read from the source with ``ast``: every import, whether at the top of a
module, inside a function or only for type checking, since each is a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "psoas_print"

# The stages, lowest first: a module may import its own stage and those before it.
STAGES = [
    "foundation",
    "book",
    "language",
    "figures",
    "layout",
    "pdf",
    "products",
    "runner",
    "preview",
    "interface",
]
FOUNDATION = {"errors", "limits", "files", "output", "workers", "shipped", "version"}
INTERFACE = {"__init__", "__main__", "api", "cli", "console", "check_report"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:  # the package itself: its __init__, the public face
        return "interface"
    if parts[1] in STAGES:
        return parts[1]
    if parts[1] in FOUNDATION:
        return "foundation"
    if parts[1] in INTERFACE:
        return "interface"
    raise AssertionError(f"{module} belongs to no stage: add it to one in this test")


def imported_modules(path: Path, modules: set[str]) -> list[tuple[int, str]]:
    """(line, module) for every import of one of ``modules`` in the file at ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's own package
                package = module_name(path).split(".")
                package = package if path.name == "__init__.py" else package[:-1]
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            # ``from psoas_print.book import loading`` imports the module psoas_print.book.loading
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        found += [(node.lineno, name) for name in names if name in modules]
    return found


def source_files() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports() -> dict[str, list[tuple[int, str]]]:
    files = source_files()
    return {module: imported_modules(path, set(files)) for module, path in files.items()}


def test_every_module_belongs_to_a_stage():
    for module in source_files():
        stage_of(module)


def test_no_stage_imports_a_later_one():
    upward = [
        f"{source_files()[module].relative_to(PACKAGE.parent)}:{line}: {stage_of(module)} "
        f"module {module} imports {target} ({stage_of(target)})"
        for module, found in imports().items()
        for line, target in found
        if STAGES.index(stage_of(target)) > STAGES.index(stage_of(module))
    ]
    assert not upward, "\n".join(upward)


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A circle of imports in ``graph``, as the modules around it, or None."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        for target in sorted(graph.get(module, ())):
            if (cycle := visit(target, [*path, module])) is not None:
                return cycle
        done.add(module)
        return None

    for module in sorted(graph):
        if (cycle := visit(module, [])) is not None:
            return cycle
    return None


def test_no_modules_import_each_other_in_a_circle():
    # A package's __init__ is imported on the way to any module inside it, so an import of
    # ``psoas_print`` itself (its lazy public API) is left out; the package's modules are
    # not, and neither is any import inside a function.
    graph = {
        module: {target for _, target in found if target != "psoas_print" and target != module}
        for module, found in imports().items()
    }
    assert find_cycle(graph) is None, " -> ".join(find_cycle(graph) or [])


@pytest.mark.parametrize(
    ("graph", "circular"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
        ({"a": {"b"}, "b": {"a"}}, True),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, False),
    ],
)
def test_the_cycle_finder_finds_circles_and_only_circles(graph, circular):
    assert (find_cycle(graph) is not None) == circular


def test_an_upward_import_would_be_found(tmp_path):
    """The reading of imports sees all three spellings of an import of a later stage."""
    source = tmp_path / "probe.py"
    source.write_text(
        "from psoas_print.runner import build\n"
        "def f():\n    from psoas_print.products.ebook import Ebook\n"
        "import psoas_print.layout.typesetter\n"
    )
    modules = set(source_files())
    found = {name for _, name in imported_modules(source, modules)}
    assert found == {
        "psoas_print.runner.build",
        "psoas_print.products.ebook",
        "psoas_print.layout.typesetter",
    }
