"""The layers run one way, and streamlit stays inside ``onatool/app``.

``core <- io/store <- metrics <- compare/inference <- share <- viz/outputs <- project <- cli/app``
(architecture.md, "Next step"). Every ``import`` in the package is read, lazy ones inside
functions included, since a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "onatool"

#: Each top-level room of the package and its layer: a room may import only rooms of its own
#: layer or a lower one.
LAYERS = {
    "onatool": 0, "errors": 0, "schema": 0, "network": 0, "engine": 0, "paths": 0, "shuffles": 0, "pseudonyms": 0,
    "files_safety": 0,
    "io": 1, "store": 1,
    "metrics": 2,
    "compare": 3, "inference": 3,
    "share": 4,
    "viz": 5, "outputs": 5,
    "project": 6, "sample": 6, "surveys": 6, "survey_design": 6, "survey_render": 6,
    "cli": 7, "app": 7, "__main__": 7,
    # The package root re-exports the public API from every room (lazily).
    "facade": 8,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    if parts == ("onatool", "__init__"):
        return "onatool.__init__"
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _room(module: str) -> str:
    if module == "onatool.__init__":
        return "facade"
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "onatool"


def _imports(path: Path) -> list[tuple[int, str]]:
    """``(line, module)`` for every onatool module imported by the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "onatool":
                # ``from onatool import schema`` imports the room; ``__version__`` is the root.
                found += [(node.lineno, f"onatool.{a.name}" if (PACKAGE / a.name).exists()
                           or (PACKAGE / f"{a.name}.py").exists() else "onatool") for a in node.names]
            elif node.module.startswith("onatool."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("onatool")]
    return found


def _files() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_room_has_a_layer():
    rooms = {_room(_module_name(path)) for path in _files()}
    assert rooms <= set(LAYERS), f"rooms without a layer: {sorted(rooms - set(LAYERS))}"


def test_imports_run_one_way():
    wrong = []
    for path in _files():
        importer = _room(_module_name(path))
        for line, module in _imports(path):
            imported = _room(module)
            if LAYERS[imported] > LAYERS[importer] or (importer == "app" and imported == "cli"):
                wrong.append(f"{path.relative_to(PACKAGE.parent)}:{line} ({importer}) imports {module}")
    assert not wrong, "imports against the layers:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", [p for p in _files() if _room(_module_name(p)) != "app"],
                         ids=lambda p: str(p.relative_to(PACKAGE)))
def test_streamlit_stays_inside_the_app(path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        assert not any(n == "streamlit" or n.startswith("streamlit.") for n in names), (
            f"{path} imports streamlit at line {node.lineno}")


def test_package_init_files_only_re_export():
    """An ``__init__`` holds imports, ``__all__``, constants and lazy loading, never logic."""
    allowed = (ast.Import, ast.ImportFrom, ast.Assign, ast.AnnAssign, ast.Expr, ast.If)
    for path in PACKAGE.rglob("__init__.py"):
        body = ast.parse(path.read_text(encoding="utf-8")).body
        extra = [node for node in body if not isinstance(node, allowed)
                 and not (isinstance(node, ast.FunctionDef) and node.name in {"__getattr__", "__dir__"})]
        assert not extra, f"{path.relative_to(PACKAGE.parent)} defines {[getattr(n, 'name', n) for n in extra]}"


def test_the_recipe_never_imports_detection():
    """Detection builds recipes, so ``io.detect`` imports ``io.recipe`` and never the reverse."""
    recipe = PACKAGE / "io" / "recipe.py"
    assert not [m for _, m in _imports(recipe) if m.startswith("onatool.io.detect")]
