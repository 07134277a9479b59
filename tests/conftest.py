"""Shared fixtures: a site factory, a CLI runner, and a fixed environment per test."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from textwrap import dedent

import pytest

from newsgen.commands.cli import main

REPO = Path(__file__).resolve().parents[1]


def _have_pagefind() -> bool:
    from newsgen.outputs import search

    try:
        search.pagefind_executable()
        return True
    except Exception:
        return False


#: The search extra (Pagefind) is installed.
HAVE_PAGEFIND = _have_pagefind()


def cpu_seconds() -> float:
    """CPU time used so far by this process and its finished children.

    Speed bounds in tests use CPU time with a wide margin, never the wall
    clock: a loaded machine slows a test down, but does not make it use more
    CPU. A quadratic blow-up still shows, by orders of magnitude."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


@pytest.fixture(autouse=True)
def _fixed_env(monkeypatch):
    """Every test runs with a fixed timezone and no inherited build clock."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


def write_files(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            p.write_bytes(content)
        else:
            p.write_text(content, "utf-8")
    return root


@pytest.fixture
def exchange_always(monkeypatch):
    """Every rebuild publishes by exchange, even one that changes a single file or none
    (which is otherwise published in place: newsgen.publish.one_change). For the tests of
    what only the exchange does: the spare, its twins, the remembered folder listings."""
    monkeypatch.setattr("newsgen.publish.one_change.MAX_CHANGES", -1)


@pytest.fixture
def write_site(tmp_path):
    """``write_site({"articles/a.md": "..."}, config="...")`` -> the site folder."""

    def make(
        files: dict[str, str | bytes] | None = None, config: str | None = None, name: str = "site"
    ) -> Path:
        site = tmp_path / name
        site.mkdir(exist_ok=True)
        if config is not None:
            (site / "newsgen.yaml").write_text(dedent(config), "utf-8")
        write_files(site, files or {})
        return site

    return make


def story(slug: str, date, url: str | None = None, **fields):
    """An :class:`~newsgen.model.Article` made directly, for unit tests of the later stages:
    a Markdown story at ``url`` (default ``/slug/``); ``fields`` override any other field."""
    from newsgen.model import Article

    url = url or f"/{slug}/"
    defaults = {
        "source": f"articles/{slug}.md",
        "source_path": Path(f"/site/articles/{slug}.md"),
        "kind": "markdown",
        "title": slug,
        "slug": slug,
        "date": date,
        "updated": None,
        "authors": (),
        "section": None,
        "tags": (),
        "summary": "",
        "body": "",
        "url": url,
        "output_path": url.strip("/") + "/index.html",
    }
    return Article(**(defaults | fields))


def article(title="A story", date="2025-03-01T09:00:00+00:00", body="Body text.", **fields) -> str:
    """Markdown source with front matter built from keyword arguments."""
    lines = ["---", f"title: {title}"]
    if date is not None:
        lines.append(f"date: {date}")
    for k, v in fields.items():
        lines.append(f"{k}: {v}")
    lines += ["---", "", body, ""]
    return "\n".join(lines)


class Run:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err


@pytest.fixture
def cli(capsys):
    """Run the newsgen CLI in-process; returns exit code and captured output."""

    def run(*args: str) -> Run:
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under ``root`` with its SHA-256, for before/after comparisons."""
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file():
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def pages_digest(root: Path) -> dict[str, str]:
    """:func:`tree_digest` without newsgen's own records of a build (the manifest and the
    changes list), which differ between a cached and a clean build of the same site."""
    files = tree_digest(root)
    for name in (".newsgen-manifest.json", ".newsgen-changes.json"):
        files.pop(name, None)
    return files
