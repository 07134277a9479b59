"""The package layout is the design: imports go one way, each subpackage says what it holds.

Read from the source (AST), not by importing it, so a lazy import inside a
function counts as much as one at the top of a module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "newsgen"

#: Lowest first: a module may import its own layer and those before it, never one after.
LAYERS = [
    {"errors", "report", "core"},
    {"config"},
    {"model", "payloads"},
    {"content"},
    {"site"},
    {"theme"},
    {"outputs"},
    {"publish"},
    {"incremental"},
    {"pipeline"},
    {"commands"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}
#: The package's front door: ``newsgen.build`` and ``newsgen.load_site`` import the pipeline lazily.
ENTRY = {"newsgen/__init__.py", "newsgen/__main__.py"}
MAX_LINES = 420  # "no module over about 400 lines": split a module before it grows past one concern


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def rel(path: Path) -> str:
    return path.relative_to(PACKAGE.parent).as_posix()


def unit(module: str) -> str:
    """``newsgen.content.loader`` -> ``content``; ``newsgen.pipeline`` -> ``pipeline``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def newsgen_imports(path: Path) -> list[tuple[int, str, tuple[str, ...]]]:
    """(line, module, names) of every import of a newsgen module, anywhere in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{rel(path)}:{node.lineno}: relative import; use newsgen.<package>"
            if node.module and node.module.split(".")[0] == "newsgen":
                found.append((node.lineno, node.module, tuple(a.name for a in node.names)))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name, ()) for a in node.names if a.name.split(".")[0] == "newsgen"]
    return found


def own_unit(path: Path) -> str:
    parts = path.relative_to(PACKAGE).parts
    return parts[0].removesuffix(".py")


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_imports_go_one_way(path: Path):
    if rel(path) in ENTRY:
        return
    mine = RANK[own_unit(path)]
    wrong = []
    for line, module, names in newsgen_imports(path):
        target = unit(module)
        if target == "":  # the package itself: only its version, which needs nothing
            if names != ("__version__",):
                wrong.append(f"{rel(path)}:{line}: imports from the newsgen package itself: {names}")
            continue
        if target not in RANK:
            wrong.append(f"{rel(path)}:{line}: {module} is in no layer; add it to LAYERS")
        elif RANK[target] > mine:
            wrong.append(f"{rel(path)}:{line}: {own_unit(path)} imports {module}, a later layer")
    assert wrong == []


def test_only_commands_and_the_front_door_import_the_pipeline():
    importers = {
        rel(p)
        for p in modules()
        if any(unit(m) == "pipeline" for _, m, _ in newsgen_imports(p)) and own_unit(p) != "pipeline"
    }
    assert importers, "nothing imports the pipeline?"
    assert all(p in ENTRY or p.startswith("newsgen/commands/") for p in importers), importers


def test_every_subpackage_says_what_it_holds_and_exposes_its_entry_points():
    for folder in sorted(p for p in PACKAGE.rglob("*") if p.is_dir() and (p / "__init__.py").exists()):
        init = folder / "__init__.py"
        tree = ast.parse(init.read_text("utf-8"))
        doc = ast.get_docstring(tree)
        assert doc and len(doc) > 80, f"{rel(init)}: describe the package and its modules"
        for module in folder.glob("*.py"):
            if module.name != "__init__.py":
                assert module.stem in doc, f"{rel(init)}: the docstring does not mention {module.stem}"


def test_no_module_grows_past_one_concern():
    long = {rel(p): n for p in modules() if (n := len(p.read_text("utf-8").splitlines())) > MAX_LINES}
    assert long == {}


#: The one module that rebinds a global: the worker pool hands its work to forked processes that way.
GLOBAL_ALLOWED = {"newsgen/core/parallel.py"}


def test_no_module_keeps_state_by_rebinding_globals():
    """Scoped state is an object (a recorder, a cache), not a ``global`` rebound inside a function."""
    found = [
        f"{rel(p)}:{node.lineno}"
        for p in modules()
        if rel(p) not in GLOBAL_ALLOWED
        for node in ast.walk(ast.parse(p.read_text("utf-8")))
        if isinstance(node, ast.Global)
    ]
    assert found == []
