"""The build, start to finish, on one screen.

    load_config -> discover -> load -> build_site -> plan -> render -> write

Everything is gathered and rendered before the first byte is written, so a
content or template error leaves the previous output exactly as it was.

"Now" is read once, here or by the caller (``now=``), and passed down; no
other stage reads the clock. The summary ends with the next time the public
site changes (also written to ``newsgen-status.json``), so CI can schedule
the next build.

Speed (see ``newsgen.incremental.stages``): the expensive stages (loading and
Markdown conversion, More Stories, rendering) run on ``jobs`` processes, and
an incremental cache (``newsgen.incremental.store``) lets a build skip every article,
ranking and page whose inputs did not change. Output is byte-identical
whatever the cache holds and however many jobs run. The reporter gets
progress events and, at the end, a :class:`~newsgen.report.BuildSummary`.
"""

from __future__ import annotations

import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain
from pathlib import Path

from newsgen.config import Config
from newsgen.content.authors import load_authors
from newsgen.content.confine import check_site_folders
from newsgen.content.sources import discover
from newsgen.core.dates import DateProblem, build_now
from newsgen.core.parallel import default_jobs
from newsgen.core.paths import is_within
from newsgen.core.urls import STATUS_FILE
from newsgen.errors import BuildError, ConfigError, ContentError, Diagnostic, Severity
from newsgen.incremental import stamp as stamps
from newsgen.incremental.stages import (
    RelatedCache,
    StageCounts,
    load_articles,
    plan_render,
    render_pages,
    source_keys,
)
from newsgen.incremental.store import BuildCache, warning
from newsgen.model import Site
from newsgen.outputs.plan import plan
from newsgen.outputs.search import SearchBundle, index_articles
from newsgen.publish import Changes, WriteResult, changes_file, prepare_output, write_output, write_unchanged
from newsgen.report import BuildSummary, Reporter
from newsgen.site.assemble import build_site
from newsgen.theme.render import Renderer, theme_dir


@dataclass
class BuildResult:
    """What a build did."""

    articles: int
    pages: int
    write: WriteResult
    warnings: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0
    now: datetime | None = None
    next_change: datetime | None = None
    summary: BuildSummary | None = None
    changes: Changes | None = None  # what the deploy manifest lists (newsgen.publish.deploy_manifest)


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


def build(
    config: Config,
    reporter: Reporter,
    *,
    force: bool = False,
    now: datetime | None = None,
    drafts: bool = False,
    strict: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
) -> BuildResult:
    """Build the site described by ``config`` as published at ``now``.

    ``now`` defaults to :func:`resolve_now`. ``drafts`` includes
    ``draft: true`` stories, marked as drafts. ``strict`` turns every
    warning into an error. ``jobs`` is the number of processes for the
    expensive stages (default: every core). ``use_cache`` reuses and updates
    the incremental cache (``paths.cache``). Raises a NewsgenError subclass
    on failure.
    """
    try:
        return _build(
            config,
            reporter,
            force=force,
            now=now,
            drafts=drafts,
            strict=strict,
            jobs=jobs,
            use_cache=use_cache,
        )
    finally:
        gc.unfreeze()  # what settle_heap froze is collectable again


def _build(
    config: Config,
    reporter: Reporter,
    *,
    force: bool,
    now: datetime | None,
    drafts: bool,
    strict: bool,
    jobs: int | None,
    use_cache: bool,
) -> BuildResult:
    started = time.perf_counter()
    if now is None:
        now = resolve_now(config)
    jobs = jobs or default_jobs()
    stages: list[tuple[str, float]] = []

    @contextmanager
    def stage(name: str) -> Iterator[Callable[[int, int], None]]:
        t = time.perf_counter()
        yield lambda done, total: reporter.progress(name, done, total)
        stages.append((name, time.perf_counter() - t))

    out, previous = prepare_output(config, force=force)
    with stage("discover"):
        sources, problems = discover(config)
        problems += check_site_folders(config)
    if problems:
        raise ContentError(problems)
    counts = StageCounts()
    known: dict[int, str] = {}
    with BuildCache(cache_folder(config, out) if use_cache else None) as cache:
        if cache.problem:
            reporter.diagnostic(warning(cache.problem))
        with stage("check"):  # has anything changed since the last build? (newsgen.incremental.stamp)
            keys = source_keys(sources, config, cache) if cache.enabled else None
            key = (
                stamps.inputs_key(config, keys, theme=theme_dir(), drafts=drafts, strict=strict)
                if keys is not None
                else None
            )
            last = stamps.load(cache, key) if key is not None else None
            unchanged = last is not None and stamps.still_valid(last, key, now, out, previous)
        if unchanged:
            assert last is not None
            return _republish(config, reporter, last, out, previous, now, jobs, stage, stages, started)
        try:
            with stage("load") as progress:
                articles, warnings = load_articles(
                    sources, config, cache, jobs, progress, counts, known, keys
                )
        finally:
            cache.save(prune=False)  # keep the conversions, even when a file failed: the fix reuses them
        settle_heap()
        profiles, author_warnings = load_authors(config)
        warnings += author_warnings
        if not strict:
            for w in warnings:
                reporter.diagnostic(w)
        with stage("site") as progress:
            related = RelatedCache(cache, config.more_stories, jobs, counts, progress)
            site = build_site(articles, config, now, drafts=drafts, profiles=profiles, related=related)
        if not strict:
            for w in site.warnings:
                reporter.diagnostic(w)
        warnings += site.warnings
        if strict and warnings:
            raise BuildError(strict_errors(warnings))
        with stage("plan"):
            renderer = Renderer(config, site)
            pages = plan(site, renderer)
            settle_heap()
            to_render = plan_render(pages, renderer, site, cache, out, previous, known, counts, jobs)
        with stage("render") as progress:
            rendered = render_pages(
                to_render, renderer, jobs, cache.folder if cache.enabled else None, progress, counts
            )
        bundle = SearchBundle()  # Pagefind's index, only with search: true
        try:
            if config.search:
                with stage("search"):
                    bundle = index_articles(config, pages, rendered, out)
            with stage("write"):
                holder: list[Changes] = []
                published = stamps.Recorder(chain(rendered, bundle.files()))
                result = write_output(out, previous, published, finish=changes_file(previous, config, holder))
                changes = holder[0]
        finally:
            rendered.close()
            bundle.close()
        for w in result.warnings:
            reporter.diagnostic(w)
        cache.save(related=related.entries, pages=to_render.entries)
        stamps.save(
            cache,
            stamps.Stamp(
                key=key,
                now=now,
                until=stamps.valid_until(site),
                files=tuple(published.seen),
                articles=len(site.articles),
                pages_by_kind=dict(Counter(p.kind for p in pages)),
                warnings=tuple(warnings),
                next_change=site.next_change.when if site.next_change else None,
                next_change_line=next_change_summary(site),
            )
            if key is not None
            else None,
        )
        if cache.problem:
            reporter.diagnostic(warning(cache.problem))
    seconds = time.perf_counter() - started
    reporter.info(
        f"built {len(site.articles)} articles into {len(result.written) + len(result.unchanged)} files in "
        f"{config.paths.output} "
        f"({len(result.written)} written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed) in {seconds:.2f}s"
    )
    reporter.info(next_change_summary(site))
    reporter.info(changes.summary())
    for kind, files in (("added", changes.added), ("changed", changes.changed), ("removed", changes.removed)):
        for f in files:
            reporter.debug(f"  {kind}: {f}")
    summary = BuildSummary(
        articles=len(site.articles),
        pages_by_kind=dict(Counter(p.kind for p in pages)),
        written=len(result.written),
        unchanged=len(result.unchanged),
        removed=len(result.removed),
        stages=stages,
        seconds=seconds,
        jobs=jobs,
        cache=(
            f"{counts.reused:,} articles and {counts.skipped:,} pages reused; "
            f"{counts.converted:,} loaded, {counts.rendered:,} rendered"
        )
        if use_cache
        else "off",
        notes=counts.notes,
    )
    reporter.summary(summary)
    return BuildResult(
        articles=len(site.articles),
        pages=len(pages),
        write=result,
        warnings=warnings,
        seconds=seconds,
        now=now,
        next_change=site.next_change.when if site.next_change else None,
        summary=summary,
        changes=changes,
    )


def _republish(
    config: Config,
    reporter: Reporter,
    last: stamps.Stamp,
    out: Path,
    previous: dict[str, str],
    now: datetime,
    jobs: int,
    stage: Callable,
    stages: list[tuple[str, float]],
    started: float,
) -> BuildResult:
    """Nothing changed since the last build (see ``newsgen.incremental.stamp``): publish
    its files as they are and report what it reported."""
    for w in last.warnings:
        reporter.diagnostic(w)
    with stage("write"):
        holder: list[Changes] = []
        result = write_unchanged(
            out, previous, stamps.unchanged_files(last), finish=changes_file(previous, config, holder)
        )
        if result is None:  # something moved meanwhile: publish in full
            holder.clear()
            result = write_output(
                out, previous, stamps.unchanged_files(last), finish=changes_file(previous, config, holder)
            )
        changes = holder[0]
    for w in result.warnings:
        reporter.diagnostic(w)
    seconds = time.perf_counter() - started
    files = len(result.written) + len(result.unchanged)
    reporter.info(
        f"built {last.articles} articles into {files} files in {config.paths.output} "
        f"({len(result.written)} written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed) in {seconds:.2f}s; nothing changed since the last build"
    )
    reporter.info(last.next_change_line)
    reporter.info(changes.summary())
    summary = BuildSummary(
        articles=last.articles,
        pages_by_kind=dict(last.pages_by_kind),
        written=len(result.written),
        unchanged=len(result.unchanged),
        removed=len(result.removed),
        stages=stages,
        seconds=seconds,
        jobs=jobs,
        cache=f"nothing changed since the last build: {last.articles:,} articles and {files:,} files reused",
    )
    reporter.summary(summary)
    return BuildResult(
        articles=last.articles,
        pages=files,
        write=result,
        warnings=list(last.warnings),
        seconds=seconds,
        now=now,
        next_change=last.next_change,
        summary=summary,
        changes=changes,
    )


def cache_folder(config: Config, out: Path) -> Path:
    """The cache folder, refused when it would sit inside the output (a
    publish would ship or discard it) or inside a source folder."""
    folder = (config.paths.cache or config.paths.site / ".newsgen-cache").absolute()
    resolved = folder.resolve()
    p = config.paths
    for label, other in (
        ("the output folder", out),
        ("the articles folder", p.articles),
        ("the seeds folder", p.seeds),
        ("the templates folder", p.templates),
        ("the static folder", p.static),
    ):
        o = other.resolve()
        if is_within(resolved, o):
            raise BuildError(
                f"the cache folder {folder} is inside {label}; choose another "
                "(paths.cache in newsgen.yaml, or --cache-dir)"
            )
        if label == "the output folder" and is_within(o, resolved):  # equal paths were refused above
            raise BuildError(f"the output folder is inside the cache folder {folder}; choose another")
    return folder


def next_change_summary(site: Site) -> str:
    """The summary line about the next scheduled change."""
    nxt = site.next_change
    if nxt is None:
        return f"no scheduled changes (nothing dated, embargoed or expiring after now); see {STATUS_FILE}"
    when = nxt.when.astimezone(site.config.tz).isoformat()
    return f"next scheduled change: {when} ({nxt.article.source}: {nxt.kind}); see {STATUS_FILE}"
