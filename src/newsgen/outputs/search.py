"""Site search with Pagefind (optional).

With ``search: true`` in ``newsgen.yaml``, every build indexes the article
pages it is about to publish with Pagefind and publishes the index under
``pagefind/``, and the theme adds a ``/search/`` page. Search then runs in
the reader's browser from those static files: no search server, no third
party, no network beyond the site itself (browsers do not let pages fetch
``file://`` URLs, so open the site through a web server such as
``newsgen serve``, not from disk).

Pagefind is a separate program. It is installed only with the optional extra
(``pip install 'newsgen[search]'``, which brings the ``pagefind-bin``
package) and it is the only program newsgen ever runs, and only when a site
sets ``search: true``. It is run with an argument list (no shell), in a
temporary folder holding copies of the article pages, with a time limit.

What is indexed: the element marked ``data-pagefind-body`` in the article
template (headline, byline, body); elements marked ``data-pagefind-ignore``
(More Stories) are left out. Only article pages and the site pages of
``pages/`` (About, Corrections policy ...) are indexed, so list pages never
show up as results. The index files are part of the build like any
other output: listed in the manifest, removed when search is turned off, and
byte-identical for identical input.
"""

from __future__ import annotations

import html
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from newsgen.config import Config
from newsgen.core.parallel import dies_with_this_process
from newsgen.core.paths import safe_target
from newsgen.errors import BuildError
from newsgen.model import OutputPage
from newsgen.payloads import FileData, Linked, Spooled

BUNDLE = "pagefind"
TIMEOUT_SECONDS = 600
_PACKAGES = ("pagefind_bin_extended", "pagefind_bin")


def pagefind_executable() -> Path:
    """The Pagefind program from the ``pagefind-bin`` package, or a BuildError saying how to install it."""
    import importlib

    for name in _PACKAGES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        try:
            return Path(module.get_executable())
        except (FileNotFoundError, AttributeError):
            continue
    raise BuildError(
        "newsgen.yaml: search: true needs Pagefind, which is not installed; run "
        "pip install 'newsgen[search]' (or set search: false)"
    )


class SearchBundle:
    """Pagefind's output for one build, in a temporary folder until it is written.

    :meth:`files` yields ``("pagefind/...", bytes)`` one file at a time, so the
    index never has to fit in memory; :meth:`close` removes the folder. The
    empty bundle (no search) yields nothing.
    """

    def __init__(self, tmp: tempfile.TemporaryDirectory | None = None, folder: Path | None = None):
        self._tmp = tmp
        self.folder = folder

    def files(self) -> Iterator[tuple[str, bytes]]:
        if self.folder is None:
            return
        for p in sorted(self.folder.rglob("*")):
            if p.is_file():
                yield f"{BUNDLE}/{p.relative_to(self.folder).as_posix()}", p.read_bytes()

    def close(self) -> None:
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None


def index_articles(
    config: Config,
    pages: Sequence[OutputPage],
    rendered: Iterable[tuple[str, FileData]],
    out: Path,
) -> SearchBundle:
    """Index the article pages about to be published. ``rendered`` pairs each page's
    output path with its bytes, or with :class:`~newsgen.payloads.Unchanged` when the
    output folder already holds them (read from ``out`` then)."""
    articles = {p.output_path for p in pages if p.kind in ("article", "page")}

    def content(rel: str, data: FileData) -> bytes:
        if isinstance(data, bytes):
            return data
        return data.read() if isinstance(data, (Spooled, Linked)) else safe_target(out, rel).read_bytes()

    return index_pages(config, ((rel, content(rel, data)) for rel, data in rendered if rel in articles))


def index_pages(config: Config, pages: Iterable[tuple[str, bytes]]) -> SearchBundle:
    """Run Pagefind over ``(output path, HTML)`` pages; the caller closes the bundle."""
    exe = pagefind_executable()
    tmp = tempfile.TemporaryDirectory(prefix="newsgen-search-")
    try:
        site = Path(tmp.name) / "site"
        bundle = Path(tmp.name) / "bundle"
        site.mkdir()
        count = 0
        for rel, data in pages:
            target = safe_target(site, rel)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            count += 1
        if count == 0:  # Pagefind refuses a site with no text; index the front page's "no stories" line
            (site / "index.html").write_text(
                f'<html lang="{html.escape(config.language)}"><head><title>{html.escape(config.title)}</title>'
                "</head><body data-pagefind-body><p>No stories have been published yet.</p></body></html>",
                "utf-8",
            )
        cmd = [str(exe), "--site", str(site), "--output-path", str(bundle), "--silent"]
        try:
            proc = subprocess.run(
                cmd,
                cwd=tmp.name,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_SECONDS,
                env={"PATH": os.defpath, "LANG": "C.UTF-8"},
                stdin=subprocess.DEVNULL,
                preexec_fn=dies_with_this_process(),  # no Pagefind left running by a killed build
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise BuildError(f"search: could not run Pagefind ({exc})") from None
        if proc.returncode != 0:
            detail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            raise BuildError(f"search: Pagefind failed (exit {proc.returncode}): {' / '.join(detail)}")
        if not (bundle / "pagefind.js").is_file():
            raise BuildError("search: Pagefind wrote no index")
        shutil.rmtree(site)  # the copies are not needed any more
        return SearchBundle(tmp, bundle)
    except BaseException:
        tmp.cleanup()
        raise
