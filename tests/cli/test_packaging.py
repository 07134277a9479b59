"""The wheel carries the default theme, so an installed newsgen works outside this repository."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_contains_the_default_theme(tmp_path):
    p = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q", "-w", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert p.returncode == 0, p.stderr
    wheel = next(tmp_path.glob("newsgen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    theme_files = {
        f"newsgen/theme/templates/{p.relative_to(REPO / 'templates').as_posix()}"
        for p in (REPO / "templates").rglob("*")
        if p.is_file()
    }
    theme_files |= {
        f"newsgen/theme/static/{p.relative_to(REPO / 'static').as_posix()}"
        for p in (REPO / "static").rglob("*")
        if p.is_file()
    }
    assert "newsgen/theme/templates/base.html" in theme_files
    assert theme_files <= names
    package = REPO / "src/newsgen"
    modules = {f"newsgen/{p.relative_to(package).as_posix()}" for p in package.rglob("*.py")}
    assert {"newsgen/commands/cli.py", "newsgen/pipeline.py", "newsgen/theme/render.py"} <= modules
    assert modules <= names  # every module of every subpackage
    skeleton = {f"newsgen/commands/skeleton/{p.name}" for p in (package / "commands/skeleton").iterdir()}
    assert (
        "newsgen/commands/skeleton/publish.yml" in skeleton and skeleton <= names
    )  # what newsgen init writes
    assert not any(n.startswith(("tests/", "benchmarks/", "newsgen/tests/")) for n in names)
    assert not any(n.endswith(".pyc") for n in names)
    assert not any(n.startswith("newsgen/theme/static/images/") for n in names)
