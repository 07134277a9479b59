"""The build, start to finish, on one screen.

    discover -> load -> site -> photos -> plan -> render -> write

Everything is gathered and rendered before the first byte is written, so a
content or template error leaves the previous output exactly as it was.

"Now" is read once, by the caller or here (:func:`resolve_now`), and passed
down; no other stage reads the clock. The summary ends with the next time the
public site changes (also written to ``newsgen-status.json``), so CI can
schedule the next build.

Speed is a sidecar (:mod:`newsgen.incremental`): the expensive stages (load,
More Stories, render) are called on an :class:`IncrementalBuild`, which does
their work on ``jobs`` processes and, with the cache on, skips what did not
change. The calls are the same with the cache off; the output is
byte-identical whatever the cache holds and however many jobs run.
"""

from __future__ import annotations

import gc
import os
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsgen.config import Config
from newsgen.content.confine import check_site_folders
from newsgen.content.sources import Source, discover
from newsgen.core.dates import DateProblem, build_now
from newsgen.core.parallel import default_jobs
from newsgen.errors import BuildError, ConfigError, ContentError, Diagnostic, Severity
from newsgen.incremental import IncrementalBuild, Stamp, unchanged_files
from newsgen.model import OutputPage, Site
from newsgen.outputs.status import next_change_summary
from newsgen.publish import (
    Changes,
    DeployManifest,
    WriteResult,
    prepare_output,
    write_output,
    write_unchanged,
)
from newsgen.publish.listings import Listings
from newsgen.publish.publication import Publication
from newsgen.report import BuildSummary, Reporter

if TYPE_CHECKING:
    from newsgen.outputs.search import SearchBundle


def build(
    config: Config,
    reporter: Reporter,
    *,
    now: datetime | None = None,
    force: bool = False,
    drafts: bool = False,
    strict: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
) -> BuildResult:
    """Build the site described by ``config`` as published at ``now`` (default:
    :func:`resolve_now`). ``drafts`` includes ``draft: true`` stories, marked
    as drafts; ``strict`` turns every warning into an error; ``jobs`` is the
    number of processes for the expensive stages (default: every core);
    ``use_cache`` reuses and updates the incremental cache (``paths.cache``).
    Raises a :class:`~newsgen.errors.NewsgenError` subclass on failure."""
    clock, now, jobs = StageClock(), now or resolve_now(config), jobs or default_jobs()
    out, previous = prepare_output(config, force=force)
    collecting = pause_collector()
    try:
        with clock("discover"):
            sources = discover_sources(config, reporter, strict)
        with (
            ExitStack() as stack,
            IncrementalBuild(config, out, previous, reporter, jobs=jobs, enabled=use_cache) as inc,
        ):
            with clock("check"):
                last = inc.last_build(sources, now, drafts=drafts, strict=strict)
            if last is not None:
                return republish(inc, last, now, clock)
            # Imported only now: they bring Markdown, Jinja and the theme, which a build that
            # republishes the last one's files never needs (start-up is most of its time).
            from newsgen.content.authors import load_authors
            from newsgen.content.pages import site_pages
            from newsgen.outputs.plan import plan
            from newsgen.outputs.redirects import dead_ends
            from newsgen.site.assemble import build_site
            from newsgen.site.assets import colocated
            from newsgen.theme.catalog import prepare_photos
            from newsgen.theme.render import Renderer

            with clock("load"):
                articles, warnings = inc.load(sources, config)
                pages_of_site, page_warnings = site_pages(config)
            settle_heap()
            profiles, author_warnings = load_authors(config)
            warnings = report_warnings(reporter, [*warnings, *page_warnings, *author_warnings], strict)
            with clock("site"):
                site = build_site(
                    articles, config, now, drafts=drafts, profiles=profiles, related=inc.more_stories
                )
                site = replace(site, pages=tuple(pages_of_site), assets=colocated(site, sources))
            warnings += report_warnings(reporter, list(site.warnings), strict)
            if strict and warnings:
                raise BuildError(strict_errors(warnings))
            with clock("photos"):
                photos = prepare_photos(config, site, photo_folder(inc.folder, stack), jobs)
                if photos.photos:
                    reporter.info(photos.summary())
            warnings += report_warnings(reporter, photos.warnings, strict)
            if strict and warnings:
                raise BuildError(strict_errors(warnings))
            with clock("plan"):
                renderer = Renderer(config, site, photos)
                pages = plan(site, renderer)
                settle_heap()
            if config.redirects:
                ends = dead_ends(site, {p.output_path for p in pages})
                warnings += report_warnings(reporter, ends, strict)
                if strict and warnings:
                    raise BuildError(strict_errors(warnings))
            with clock("render"):
                # A first build into `out` opens its publication now, which makes the pages'
                # folders while they render (Publication.make_folders); not where it would have to
                # make the output's parent folder, which a failed build would leave behind.
                first = (
                    None
                    if previous or not out.parent.is_dir()
                    else stack.enter_context(Publication(out, {}, cache=inc.folder, listings=inc.listings))
                )
                if first is not None:
                    first.make_folders([p.output_path for p in pages])
                rendered = inc.render(pages, renderer)
            with rendered, search_index(config, pages, rendered, out, clock) as bundle, clock("write"):
                files = inc.record(chain(rendered, bundle.files()))
                result, changes = publish(out, previous, config, files, inc.folder, inc.listings, first)
            inc.finish(site, pages, warnings)
    finally:
        gc.unfreeze()  # what settle_heap froze is collectable again
        if collecting:
            gc.enable()
    return finish(config, reporter, clock, jobs, outcome(site, pages, result, changes, warnings, inc))


# ----------------------------------------------------------------------------- the steps


def discover_sources(config: Config, reporter: Reporter, strict: bool = False) -> list[Source]:
    """Every article source, after checking the site's folders; errors raise ContentError.
    The files discover leaves out (a translation, a reStructuredText post) are warnings
    (errors with ``strict``), reported here on every build: the no-change shortcut, which
    repeats the last build's other warnings, knows nothing of files that are no source."""
    sources, problems = discover(config)
    problems += check_site_folders(config)
    errors = [p for p in problems if p.severity is Severity.ERROR]
    notes = [p for p in problems if p.severity is not Severity.ERROR]
    if errors or (strict and notes):
        raise ContentError(errors + (strict_errors(notes) if strict else []))
    report_warnings(reporter, notes, strict)
    return sources


def photo_folder(cache: Path | None, stack: ExitStack) -> Path:
    """Where the photos' derivatives are made: the cache folder, else a temporary
    folder removed when the build ends."""
    if cache is not None:
        return cache
    return Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="newsgen-photos-")))


def report_warnings(reporter: Reporter, warnings: list[Diagnostic], strict: bool) -> list[Diagnostic]:
    """Report ``warnings`` as they are found, unless ``strict`` (the build then
    stops with all of them as errors); returns them."""
    if not strict:
        for w in warnings:
            reporter.diagnostic(w)
    return warnings


@contextmanager
def search_index(
    config: Config, pages: Any, rendered: Any, out: Path, clock: StageClock
) -> Iterator[SearchBundle]:
    """Pagefind's index of the article pages (``search: true``), else an empty bundle."""
    from newsgen.outputs.search import SearchBundle, index_articles

    bundle = SearchBundle()
    try:
        if config.search:
            with clock("search"):
                bundle = index_articles(config, pages, rendered, out)
        yield bundle
    finally:
        bundle.close()


def publish(
    out: Path,
    previous: dict[str, str],
    config: Config,
    files: Any,
    cache: Path | None,
    listings: Listings | None = None,
    publication: Publication | None = None,
) -> tuple[WriteResult, Changes]:
    """Publish ``files`` with the deploy manifest that describes them; ``cache`` is the
    cache folder in use, where the previous pages are kept for the next build, or None;
    ``listings`` the output's folder listings this build has used already, if any;
    ``publication`` the one opened for them already, if any."""
    manifest = DeployManifest(previous, config)
    result = write_output(
        out, previous, files, finish=manifest, cache=cache, listings=listings, publication=publication
    )
    assert manifest.changes is not None
    return result, manifest.changes


def republish(inc: IncrementalBuild, last: Stamp, now: datetime, clock: StageClock) -> BuildResult:
    """Nothing changed since the last build (see :mod:`newsgen.incremental.stamp`):
    publish its files as they are and report what it reported."""
    config, reporter, out, previous, cache = inc.config, inc.reporter, inc.out, inc.previous, inc.folder
    for w in last.warnings:
        reporter.diagnostic(w)
    with clock("write"):
        manifest = DeployManifest(previous, config)
        result = write_unchanged(out, previous, unchanged_files(last, inc.kept_files), finish=manifest)
        if result is None:  # something moved meanwhile: publish in full
            result, changes = publish(out, previous, config, unchanged_files(last), cache)
        else:
            assert manifest.changes is not None
            changes = manifest.changes
    files = len(result.written) + len(result.unchanged)
    return finish(config, reporter, clock, inc.jobs, Outcome(
        articles=last.articles, pages_by_kind=dict(last.pages_by_kind), pages=files, write=result,
        changes=changes, warnings=list(last.warnings), now=now, next_change=last.next_change,
        next_change_line=last.next_change_line, unchanged_site=True,
        cache=f"nothing changed since the last build: {last.articles:,} articles and {files:,} files reused",
    ))  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """What a build did, to report."""

    articles: int
    pages_by_kind: dict[str, int]
    pages: int
    write: WriteResult
    changes: Changes
    warnings: list[Diagnostic]
    now: datetime
    next_change: datetime | None
    next_change_line: str
    cache: str  # one line on what the incremental cache saved
    notes: tuple[str, ...] = ()
    unchanged_site: bool = False  # published the last build's files as they were


def outcome(
    site: Site,
    pages: Sequence[OutputPage],
    result: WriteResult,
    changes: Changes,
    warnings: list[Diagnostic],
    inc: IncrementalBuild,
) -> Outcome:
    """The :class:`Outcome` of a full build."""
    nxt = site.next_change
    return Outcome(
        articles=len(site.articles),
        pages_by_kind=dict(Counter(p.kind for p in pages)),
        pages=len(pages),
        write=result,
        changes=changes,
        warnings=warnings,
        now=site.now,
        next_change=nxt.when if nxt else None,
        next_change_line=next_change_summary(site),
        cache=inc.summary(),
        notes=tuple(inc.counts.notes),
    )


def finish(config: Config, reporter: Reporter, clock: StageClock, jobs: int, done: Outcome) -> BuildResult:
    """Report the build (its lines and summary table) and return its result."""
    seconds = time.perf_counter() - clock.started
    result, changes = done.write, done.changes
    files = len(result.written) + len(result.unchanged)
    reporter.info(
        f"built {done.articles} articles into {files} files in {config.paths.output} "
        f"({len(result.written)} written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed) in {seconds:.2f}s"
        + ("; nothing changed since the last build" if done.unchanged_site else "")
    )
    reporter.info(done.next_change_line)
    reporter.info(changes.summary())
    for kind, paths in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)):
        for f in paths:
            reporter.debug(f"  {kind}: {f}")
    summary = BuildSummary(
        articles=done.articles,
        pages_by_kind=done.pages_by_kind,
        written=len(result.written),
        unchanged=len(result.unchanged),
        removed=len(result.removed),
        stages=clock.stages,
        seconds=seconds,
        jobs=jobs,
        cache=done.cache,
        notes=list(done.notes),
    )
    reporter.summary(summary)
    return BuildResult(
        articles=done.articles,
        pages=done.pages,
        write=result,
        warnings=done.warnings,
        seconds=seconds,
        now=done.now,
        next_change=done.next_change,
        summary=summary,
        changes=changes,
    )


# ----------------------------------------------------------------------------- small pieces


@dataclass
class BuildResult:
    """What a build did."""

    articles: int
    pages: int
    write: WriteResult
    now: datetime
    warnings: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    next_change: datetime | None = None
    summary: BuildSummary | None = None
    changes: Changes | None = None  # what the deploy manifest lists (newsgen.publish.deploy_manifest)


class StageClock:
    """Times the stages of one build: ``with clock("load"): ...``."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.stages: list[tuple[str, float]] = []

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        t = time.perf_counter()
        yield
        self.stages.append((name, time.perf_counter() - t))


def resolve_now(config: Config, given: str | None = None, option: str = "--as-of") -> datetime:
    """The build's one reading of "now": ``given`` (the text of ``option``),
    else ``SOURCE_DATE_EPOCH``, else the real clock. A bad value is a ConfigError."""
    try:
        return build_now(given, os.environ.get("SOURCE_DATE_EPOCH"), config.tz, lambda: datetime.now(UTC))
    except DateProblem as p:
        raise ConfigError(str(p).replace("--as-of:", f"{option}:")) from None


def strict_errors(warnings: list[Diagnostic]) -> list[Diagnostic]:
    """Warnings turned into errors, for ``--strict``."""
    return [
        replace(w, severity=Severity.ERROR, message=f"{w.message} (an error with --strict)") for w in warnings
    ]


def pause_collector() -> bool:
    """Pause Python's cyclic garbage collector for the rest of the build in this process;
    returns whether it was running (:func:`build` turns it back on when it returns).

    A build makes millions of objects that live until it ends (the articles, the site, the
    pages and their contexts) and few reference cycles that die young. Each time the heap
    grew by a quarter the collector walked all of it again: at 10,000 articles a one-article
    edit spent 0.24-0.5 s in six full collections, and the cold build 0.66 s. Memory does not
    grow for it (reference counting frees all but cycles; measured: the same peak). What the
    build leaves behind is collected when the collector runs again, so a long-running
    ``newsgen serve`` frees each build as before. Worker processes fork with the collector
    paused and turn it back on (:mod:`newsgen.core.parallel`)."""
    running = gc.isenabled()
    gc.disable()
    return running


def settle_heap() -> None:
    """Move every object alive now (the articles, the site, the plan: they live
    until the build ends) out of the garbage collector's sight (``gc.freeze``).

    A large site makes millions of such objects; without this, each full
    collection walks all of them again, and forked workers that touch their
    headers copy the parent's memory page by page (at 10,000 articles: 5%
    fewer page faults, 8% less time in the collector). :func:`build`
    unfreezes them when it returns, so a long-running ``newsgen serve`` frees
    each build's objects as usual."""
    gc.freeze()
