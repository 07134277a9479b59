"""Rendering, incremental: the pages that :func:`~newsgen.incremental.keying.plan_render`
did not keep are rendered on every core, each into a file of a spool folder, and keyed
for the next build by what they read.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from newsgen.core.digests import sha256
from newsgen.core.fsops import unlock_folder, write_new
from newsgen.core.parallel import ordered_map
from newsgen.core.recording import DependencyRecorder
from newsgen.errors import BuildError, ConfigError, ContentError, NewsgenError, TemplateError
from newsgen.incremental.counts import Progress, StageCounts, no_progress
from newsgen.incremental.entries import PageEntry, shared_reads
from newsgen.incremental.keying import RenderPlan
from newsgen.incremental.spool import spool_folder
from newsgen.model import OutputPage
from newsgen.payloads import Linked, Spooled, Unchanged
from newsgen.theme.render import Renderer, render_page

_ERRORS = {c.__name__: c for c in (NewsgenError, ConfigError, ContentError, TemplateError, BuildError)}


@dataclass
class _RenderWork:
    pages: Sequence[OutputPage]
    renderer: Renderer
    spool: str  # the spool folder: a page's file is named by its number there


def _render_one(work: _RenderWork, i: int) -> tuple[str, Any]:
    """Render page ``i`` into a file of the spool folder; return its SHA-256,
    size and deep reads (the bytes stay in the file: nothing large travels
    between processes or stays in memory)."""
    try:
        with DependencyRecorder() as recorder:
            data = render_page(work.pages[i], work.renderer)
    except NewsgenError as exc:
        return "error", (type(exc).__name__, exc.diagnostics)
    write_new(f"{work.spool}/{i}", data)  # as the writer makes every file (mode 0o644 less the umask)
    return "ok", (sha256(data), len(data), tuple(sorted(recorder.dependencies)))


def _schedule(pages: Sequence[OutputPage], i: int) -> tuple[bool, float, int]:
    """When page ``i`` renders: by the date of the newest story it shows (:attr:`OutputPage.lastmod`:
    an article's own), then as planned; pages without one last. A story's card is drawn once and
    reused while it is among the last :data:`~newsgen.theme.reuse.MAX_CARDS` used; in order of
    output path every tag's pages went through the whole archive, one tag after the other, so at
    100,000 stories a card was gone before the next tag showed it again."""
    lastmod = pages[i].lastmod
    return lastmod is None, lastmod.timestamp() if lastmod is not None else 0.0, i


class Rendered:
    """Every page of a :class:`RenderPlan`, rendered (or kept) and waiting in a
    spool folder; iterate to get ``(output path, Spooled or Unchanged)`` in order."""

    def __init__(
        self, plan: RenderPlan, spool: Path, made: dict[int, tuple[int, str, int]], lock: int | None = None
    ):
        # made: page index -> (its file's number in the spool, SHA-256, size); a Spooled (and its
        # Path) is made only as the writer takes the page (155,000 fewer objects held at 100,000 articles)
        self.plan, self.spool, self.made, self._lock = plan, spool, made, lock

    def __iter__(self) -> Iterator[tuple[str, Spooled | Unchanged | Linked]]:
        spool = str(self.spool)
        for i, page in enumerate(self.plan.pages):
            kept = self.plan.keep.get(i)
            if kept is None:
                n, sha, size = self.made[i]
                yield page.output_path, Spooled(f"{spool}/{n}", sha, size)
            else:
                yield page.output_path, kept

    def close(self) -> None:
        """Remove the spool folder (pages not moved into the output go with it)."""
        shutil.rmtree(self.spool, ignore_errors=True)
        unlock_folder(self._lock)
        self._lock = None

    def __enter__(self) -> Rendered:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def render_pages(
    plan: RenderPlan,
    renderer: Renderer,
    jobs: int,
    spool_dir: Path | None,
    progress: Progress = no_progress,
    counts: StageCounts | None = None,
    out: Path | None = None,
) -> Rendered:
    """Render every page that is not kept, in parallel, each into a file of a
    spool folder (made in ``spool_dir``, else beside the output folder ``out``,
    else in the system's temporary folder: see :func:`~newsgen.incremental.spool.spool_folder`).

    Everything renders before anything is published, so a template error
    leaves the output folder untouched; the writer then moves each page into
    place. Memory holds digests, not pages.
    """
    pages = plan.pages
    todo = sorted((i for i in range(len(pages)) if i not in plan.keep), key=partial(_schedule, pages))
    if counts is not None:
        counts.rendered = len(todo)
    spool, lock = spool_folder(spool_dir, out)
    work = _RenderWork([pages[i] for i in todo], renderer, str(spool))
    made: dict[int, tuple[int, str, int]] = {}
    pool: dict[tuple[str, str], tuple[str, str]] = {}  # each distinct read kept once (shared_reads)
    try:
        done = len(plan.keep)
        for n, (i, (status, payload)) in enumerate(
            zip(todo, ordered_map(_render_one, work, len(todo), jobs), strict=False)
        ):
            if status == "error":
                kind, diags = payload
                raise _ERRORS.get(kind, NewsgenError)(diags)
            sha, size, reads = payload
            reads = shared_reads(reads, pool)
            made[i] = (n, sha, size)
            key = plan.key(i, reads)
            if key is not None:
                plan.entries[pages[i].output_path] = PageEntry(key, sha, size, reads)
            done += 1
            if done % 64 == 0:
                progress(done, len(pages))
        progress(len(pages), len(pages))
    except BaseException:
        shutil.rmtree(spool, ignore_errors=True)
        unlock_folder(lock)
        raise
    return Rendered(plan, spool, made, lock)
