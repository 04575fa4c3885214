"""The package's layers, as a newcomer reads them from the paths, hold in the code.

Data flows one way: files -> model -> rules -> workspace -> checks -> engine -> views ->
authoring -> reporters -> command line. A module may import its own layer or a lower one,
never a higher one (lazy imports inside functions count too), and every module can be
imported first, on its own, without a cycle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "factcheck"

LAYERS = (
    ("factcheck.findings", "factcheck.text"),
    ("factcheck.files",),
    ("factcheck.model",),
    ("factcheck.rules",),
    ("factcheck.workspace",),
    ("factcheck.checks",),
    ("factcheck.engine",),
    ("factcheck.views",),
    ("factcheck.authoring",),
    ("factcheck.reporters",),
    ("factcheck.cli", "factcheck.__main__", "factcheck"),
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(module_name(path) for path in PACKAGE.rglob("*.py"))


def layer_of(module: str) -> int:
    """The index of the layer a module belongs to (the longest matching prefix wins)."""
    best, best_length = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            matches = module == prefix or module.startswith(prefix + ".")
            if matches and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    return best


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """Every factcheck module a file imports, with its line; ``from factcheck import
    __version__`` reads a constant of the package, not its layers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "factcheck":
                found += [
                    (node.lineno, f"factcheck.{alias.name}")
                    for alias in node.names
                    if alias.name != "__version__"
                ]
            else:
                found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] == "factcheck"]


def test_every_module_belongs_to_a_layer() -> None:
    assert [module for module in MODULES if layer_of(module) < 0] == []


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=module_name)
def test_imports_point_down_the_layers_only(path: Path) -> None:
    source = module_name(path)
    upward = [
        f"{path.name}:{line} imports {target}"
        for line, target in imported_modules(path)
        if layer_of(target) > layer_of(source)
    ]
    assert upward == []


def test_the_layer_check_catches_an_upward_import(tmp_path: Path) -> None:
    lower = tmp_path / "factcheck" / "rules" / "x.py"
    lower.parent.mkdir(parents=True)
    lower.write_text("def f():\n    from factcheck.views.report import build_report\n")
    [(line, target)] = imported_modules(lower)
    assert (line, layer_of(target) > layer_of("factcheck.rules.x")) == (2, True)


def test_every_module_imports_first_without_a_cycle() -> None:
    """Import each module in a fresh interpreter state, first: a cycle shows up as a
    'partially initialized module' error for some import order."""
    script = (
        "import importlib, sys\n"
        f"for name in {[m for m in MODULES if m != 'factcheck.__main__']!r}:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] == 'factcheck']:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
