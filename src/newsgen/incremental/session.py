"""One build's incremental sidecar: the cache, opened once, and the stages it accelerates.

The pipeline (:func:`newsgen.pipeline.build`) calls the same stages whether
the cache is on or off; this object stands in for the plain ones, each
method with the signature of the stage it replaces:

* :meth:`IncrementalBuild.load` for :func:`newsgen.content.loader.load_all`;
* :meth:`IncrementalBuild.more_stories` for the ``related`` hook of
  :func:`newsgen.site.assemble.build_site`;
* :meth:`IncrementalBuild.render` for :func:`newsgen.theme.render.render_page`
  on every page.

Each does the work on ``jobs`` processes and, with the cache on, skips what
the last build already did. Around them, :meth:`~IncrementalBuild.last_build`
recognises a rebuild in which nothing changed (:mod:`newsgen.incremental.stamp`),
:meth:`~IncrementalBuild.record` notes the files published, and
:meth:`~IncrementalBuild.finish` stores what this build made. With the cache
off (``enabled=False``, ``--no-cache``) the same calls do every piece of work
and store nothing; the output is byte-identical either way.

The modules of the stages (loading brings Markdown with it, keying and
rendering Jinja and the theme) are imported when their stage first runs: a
build that :meth:`~IncrementalBuild.last_build` finds unchanged never needs
them, and for it Python's start-up is most of the time.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from operator import attrgetter, itemgetter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from newsgen.config import Config
from newsgen.content.sources import Source
from newsgen.core.paths import is_within, resolved
from newsgen.errors import BuildError, Diagnostic, Severity
from newsgen.incremental import sameplan
from newsgen.incremental import stamp as stamps
from newsgen.incremental.counts import StageCounts
from newsgen.incremental.sourcekeys import source_keys
from newsgen.incremental.store import BuildCache
from newsgen.model import Article, OutputPage, Site
from newsgen.outputs.status import next_change_summary
from newsgen.payloads import FileData
from newsgen.publish.listings import Listings
from newsgen.publish.spare import output_listings
from newsgen.report import Reporter
from newsgen.theme.location import theme_dir

if TYPE_CHECKING:  # the stages' modules are imported when a stage runs (see the module docstring)
    from newsgen.incremental.keying import RenderPlan
    from newsgen.incremental.related import RelatedCache
    from newsgen.incremental.render import Rendered
    from newsgen.site.related import RelatedIndex
    from newsgen.theme.render import Renderer


class IncrementalBuild:
    """The cache and the accelerated stages of one build (see the module docstring).

    Use it as a context manager: the cache is closed on the way out."""

    def __init__(
        self,
        config: Config,
        out: Path,
        previous: dict[str, str],
        reporter: Reporter,
        *,
        jobs: int,
        enabled: bool = True,
    ):
        self.config, self.out, self.previous, self.reporter, self.jobs = config, out, previous, reporter, jobs
        self.enabled = enabled
        self.cache = BuildCache(cache_folder(config, out) if enabled else None)
        self.counts = StageCounts()
        self._keys: list[str | None] | None = None  # each source's cache key
        self._stamp_key: str | None = None
        self._known: dict[str, str] = {}  # Markdown article source -> digest of its cache record
        self._related: RelatedCache | None = None
        self._plan: RenderPlan | None = None
        self._published: stamps.Recorder | None = None
        self._inputs: tuple[Sequence[Source], bool, bool] | None = None  # sources, drafts, strict
        self._plan_key: str | None = None  # every input but the bodies (sameplan)
        self._last: sameplan.Last | None = None  # the last build's record, when it had this plan
        self._now: datetime | None = None
        self._listings: Listings | None = None
        #: When :meth:`last_build` found nothing changed: the ``lstat`` of each of its files.
        self.kept_files: list[os.stat_result] | None = None
        self._problem = self.cache.problem
        if self._problem:
            reporter.diagnostic(warning(self._problem))

    def __enter__(self) -> IncrementalBuild:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.cache.close()

    @property
    def folder(self) -> Path | None:
        """The cache folder while the cache is in use, else None. The publish keeps the
        previous site's pages there for the next build (:mod:`newsgen.publish.spare`)."""
        return self.cache.folder if self.cache.enabled else None

    @property
    def listings(self) -> Listings | None:
        """The output's folder listings kept in the cache (:func:`~newsgen.publish.spare.output_listings`),
        read once per build and shared by the render (which checks kept pages' folders with them)
        and the publish; None while the cache is off."""
        if self._listings is None and self.cache.enabled:
            self._listings = output_listings(self.out, self.cache.folder)
        return self._listings

    def _progress(self, stage: str):
        return lambda done, total: self.reporter.progress(stage, done, total)

    # -------------------------------------------------------------------- the stages

    def last_build(self, sources: Sequence[Source], now: datetime, *, drafts: bool, strict: bool):
        """The last build's stamp when a full build now would publish exactly its
        files (nothing changed, see :mod:`newsgen.incremental.stamp`), else None."""
        if not self.cache.enabled:
            return None
        self._keys = source_keys(sources, self.config, self.cache, self.jobs)
        self._inputs, self._now = (sources, drafts, strict), now
        self._stamp_key = stamps.inputs_key(
            self.config, self._keys, theme=theme_dir(), drafts=drafts, strict=strict
        )
        if self._stamp_key is None:
            return None
        last = stamps.load(self.cache, self._stamp_key)
        found = stamps.still_valid(last, self._stamp_key, now, self.out, self.previous) if last else None
        if last is None or found is None:
            return None
        self.kept_files = found
        return last

    def load(self, sources: Sequence[Source], config: Config) -> tuple[list[Article], list[Diagnostic]]:
        """:func:`newsgen.content.loader.load_all`, reusing what the cache holds."""
        from newsgen.incremental.load import load_articles

        keys = self._keys if self._keys is not None else [None] * len(sources)
        try:
            articles, warnings, self._known = load_articles(
                sources, config, self.cache, self.jobs, self._progress("load"), self.counts, keys
            )
        finally:
            self.cache.save(prune=False)  # keep the conversions, even when a file failed: the fix reuses them
        if self._inputs is not None and self._keys is not None and self._now is not None:
            sources, drafts, strict = self._inputs
            self._plan_key = sameplan.plan_key(
                self.config, sources, self._keys, self._known, theme=theme_dir(), drafts=drafts, strict=strict
            )
            self._last = sameplan.load(self.cache, self._plan_key, self._now)
        return articles, warnings

    def more_stories(
        self, published: Sequence[Article], index: RelatedIndex
    ) -> Mapping[str, tuple[Article, ...]]:
        """Every article's More Stories (``build_site``'s ``related`` hook), reusing unchanged rankings."""
        from newsgen.incremental.related import RelatedCache

        self._related = RelatedCache(
            self.cache,
            self.config.more_stories,
            self.jobs,
            self.counts,
            self._progress("site"),
            same_plan=self._last is not None,
        )
        return self._related(published, index)

    def render(self, pages: Sequence[OutputPage], renderer: Renderer) -> Rendered:
        """:func:`newsgen.theme.render.render_page` for every page: keeps each page
        whose inputs and output file are unchanged, renders the rest into a
        spool folder; iterate the result for ``(output path, bytes or file)``."""
        from newsgen.incremental.keying import plan_render
        from newsgen.incremental.render import render_pages
        from newsgen.incremental.templatecode import keep_template_code

        if renderer.site is None:
            raise ValueError("render needs a Renderer of a site")
        keep_template_code(renderer.env, self.folder)
        self._plan = plan_render(
            pages,
            renderer,
            renderer.site,
            self.cache,
            self.out,
            self.previous,
            self._known,
            self.counts,
            self.jobs,
            self._last if renderer.site.now == self._now else None,
            self.listings,
        )
        return render_pages(
            self._plan,
            renderer,
            self.jobs,
            self.cache.folder if self.cache.enabled else None,
            self._progress("render"),
            self.counts,
            self.out,
        )

    # -------------------------------------------------------------------- bookkeeping

    def record(self, files: Iterable[tuple[str, FileData]]) -> Iterator[tuple[str, FileData]]:
        """``files`` as they go to the writer, noting each one for the stamp."""
        self._published = stamps.Recorder(files)
        return iter(self._published)

    def finish(self, site: Site, pages: Sequence[OutputPage], warnings: Sequence[Diagnostic]) -> None:
        """Store what this build made, after it was published."""
        record = None
        until = stamps.valid_until(site)  # (a walk over every article: once)
        if self._plan is not None:
            plan = self._plan
            paths = map(attrgetter("output_path"), pages)  # (in C: 144,000 pages at 100,000 stories)
            owns = dict(filter(itemgetter(1), zip(paths, plan.keys, strict=True)))
            keys = dict(zip(plan.entries, map(attrgetter("key"), plan.entries.values()), strict=True))
            tokens = plan.deep_tokens() if self._plan_key is not None else {}
            record = sameplan.record(self._plan_key, site.now, until, owns, keys, tokens)
        self.cache.save(
            related=self._related.entries if self._related else None,
            pages=self._plan.entries if self._plan else None,
            plan=record,
        )
        if self._stamp_key is not None and self._published is not None:
            kinds = dict(Counter(map(attrgetter("kind"), pages)))  # in first-seen order, as a loop would
            stamps.save(
                self.cache,
                stamps.Stamp(
                    key=self._stamp_key,
                    now=site.now,
                    until=until,
                    files=tuple(self._published.seen),
                    articles=len(site.articles),
                    pages_by_kind=kinds,
                    warnings=tuple(warnings),
                    next_change=site.next_change.when if site.next_change else None,
                    next_change_line=next_change_summary(site),
                ),
            )
        else:
            stamps.save(self.cache, None)
        if self.cache.problem and self.cache.problem != self._problem:
            self.reporter.diagnostic(warning(self.cache.problem))

    def summary(self) -> str:
        """What the cache saved, for the build summary."""
        if not self.enabled:
            return "off"
        c = self.counts
        return (
            f"{c.reused:,} articles and {c.skipped:,} pages reused; "
            f"{c.converted:,} loaded, {c.rendered:,} rendered"
        )


def warning(message: str) -> Diagnostic:
    """A warning that concerns no file in particular."""
    return Diagnostic(None, None, None, message, Severity.WARNING)


def cache_folder(config: Config, out: Path) -> Path:
    """The cache folder, refused when it would sit inside the output (a
    publish would ship or discard it) or inside a source folder, or hold one of them (the
    cache marks its folder for backup tools to skip, ``CACHEDIR.TAG``, and keeps its own
    files there: the site's own files are no place for that)."""
    folder = (config.paths.cache or config.paths.site / ".newsgen-cache").absolute()
    real = resolved(folder)
    if real is None:
        raise BuildError(
            f"the cache folder {folder} is a symbolic link whose links go round in a loop; "
            "remove the link or choose another (paths.cache in newsgen.yaml, or --cache-dir)"
        )
    p = config.paths
    for label, other in (
        ("the output folder", out),
        ("the articles folder", p.articles),
        ("the seeds folder", p.seeds),
        ("the templates folder", p.templates),
        ("the static folder", p.static),
    ):
        o = resolved(other) or other.absolute()  # a source folder that loops is reported elsewhere
        if is_within(real, o):
            raise BuildError(
                f"the cache folder {folder} is inside {label}; choose another "
                "(paths.cache in newsgen.yaml, or --cache-dir)"
            )
        if is_within(o, real):  # equal paths were refused above
            raise BuildError(
                f"{label} is inside the cache folder {folder}; choose another "
                "(paths.cache in newsgen.yaml, or --cache-dir)"
            )
    return folder
