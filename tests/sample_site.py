"""The repository's sample site, built once per test module, and its pages grouped by page type.

The theme marks each page's type on ``<body class="page-KIND">`` (``index``, ``article``, and
whatever kinds the build plans: section, tag, author, archive, not_found, ...), so the theme
tests cover every page type the build produces, including ones added after they were written.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import REPO
from newsgen.commands.cli import main

ARTIFACTS = REPO / "test-artifacts"
_KIND = re.compile(r'<body\b[^>]*\bclass="[^"]*\bpage-([a-z0-9_-]+)')


def build_sample(out: Path, *extra: str) -> Path:
    """Build the repository's sample site into ``out``."""
    code = main(["build", "--site", str(REPO), "--output", str(out), "--quiet", *extra])
    assert code == 0, "the sample site does not build"
    return out


def page_kinds(root: Path) -> dict[str, list[Path]]:
    """Every HTML page under ``root``, by the page type on its ``<body>``."""
    kinds: dict[str, list[Path]] = {}
    for page in sorted(root.rglob("*.html")):
        m = _KIND.search(page.read_text("utf-8"))
        assert m, f'{page.relative_to(root)}: <body> does not say its page type (class="page-KIND")'
        kinds.setdefault(m.group(1), []).append(page)
    return kinds


def representatives(root: Path) -> dict[str, Path]:
    """One page per type: the largest, which has the most of what the type can show."""
    return {
        kind: max(pages, key=lambda p: (p.stat().st_size, str(p))) for kind, pages in page_kinds(root).items()
    }


def url_path(root: Path, page: Path) -> str:
    """The URL path that serves ``page`` (``/2025/03/01/slug/`` for ``.../index.html``)."""
    rel = page.relative_to(root).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 at a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="sample-site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def require(available: bool, what: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail in CI, where .ci/run installs it."""
    if available:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{what} is missing; .ci/run installs it in CI")
    pytest.skip(f"{what} is not installed")
