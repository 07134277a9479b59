"""What a command imports: a rebuild in which nothing changed never loads Markdown or Jinja.

Such a build publishes the last build's files as they are, and Python's start-up
(importing newsgen and the libraries it names) was most of its time: 0.24 s of a
no-change rebuild of 1,000 articles, 0.16 s once the stages' modules are imported
only when a stage runs (``newsgen.core.lazy``; benchmarks/README.md).
Each build runs in a fresh interpreter, as ``newsgen build`` does.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import article

#: Modules only a build that loads or renders something needs.
STAGE_MODULES = (
    "markdown",
    "jinja2",
    "nh3",
    "multiprocessing",
    "newsgen.content.loader",
    "newsgen.content.markup",
    "newsgen.site.assemble",
    "newsgen.outputs.plan",
    "newsgen.theme.render",
    "newsgen.incremental.load",
    "newsgen.incremental.keying",
)

_PROBE = """
import json, sys
from newsgen.commands.cli import main
code = main(["build", "--site", sys.argv[1], "--jobs", "2"])
print(json.dumps({"code": code, "loaded": [m for m in sys.argv[2:] if m in sys.modules]}))
"""


def _build(site: Path) -> tuple[int, list[str], str]:
    """Build ``site`` in a new interpreter: exit code, the stage modules it imported, its output."""
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(site), *STAGE_MODULES],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    lines = done.stdout.strip().splitlines()
    assert lines, done.stderr
    found = json.loads(lines[-1])
    return found["code"], found["loaded"], done.stdout


def _site(write_site) -> Path:
    return write_site(
        {f"articles/story-{i}.md": article(title=f"Story {i}", body=f"Body of story {i}.") for i in range(3)},
        config="title: Startup\nbase_url: https://example.org\n",
    )


def test_a_build_with_nothing_changed_imports_no_stage_module(write_site):
    site = _site(write_site)
    code, loaded, _ = _build(site)
    assert code == 0
    assert {"markdown", "jinja2", "newsgen.theme.render"} <= set(loaded)  # the probe sees them
    before = sorted(p.relative_to(site).as_posix() for p in (site / "public").rglob("*") if p.is_file())

    code, loaded, out = _build(site)
    assert code == 0 and "nothing changed since the last build" in out
    assert loaded == []
    after = sorted(p.relative_to(site).as_posix() for p in (site / "public").rglob("*") if p.is_file())
    assert after == before


def test_a_build_after_an_edit_imports_what_it_needs(write_site):
    site = _site(write_site)
    assert _build(site)[0] == 0
    story = site / "articles" / "story-1.md"
    story.write_text(story.read_text("utf-8").replace("Body of story 1.", "A new body."), "utf-8")
    code, loaded, out = _build(site)
    assert code == 0 and "nothing changed" not in out
    assert {"markdown", "jinja2", "newsgen.incremental.load", "newsgen.theme.render"} <= set(loaded)
    assert "A new body." in "".join(p.read_text("utf-8") for p in (site / "public").rglob("index.html"))
