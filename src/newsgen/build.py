"""The build, start to finish, on one screen.

    load_config -> discover -> load -> build_site -> plan -> render -> write

Everything is gathered and rendered before the first byte is written, so a
content or template error leaves the previous output exactly as it was.

"Now" is read once, here or by the caller (``now=``), and passed down; no
other stage reads the clock. The summary ends with the next time the public
site changes (also written to ``newsgen-status.json``), so CI can schedule
the next build.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone

from .authors import load_authors
from .config import Config
from .dates import DateProblem, build_now
from .errors import BuildError, ConfigError, ContentError, Diagnostic, Severity
from .loader import discover, load_all
from .model import Site
from .pages import plan, render_page
from .render import Renderer
from .report import Reporter
from .site import build_site
from .urls import STATUS_FILE
from .writer import WriteResult, prepare_output, write_output


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


def resolve_now(config: Config, given: str | None = None, option: str = "--as-of") -> datetime:
    """The build's one reading of "now": ``given`` (the text of ``option``),
    else ``SOURCE_DATE_EPOCH``, else the real clock. A bad value is a ConfigError."""
    try:
        return build_now(given, os.environ.get("SOURCE_DATE_EPOCH"), config.tz,
                         lambda: datetime.now(timezone.utc))
    except DateProblem as p:
        raise ConfigError(str(p).replace("--as-of:", f"{option}:")) from None


def strict_errors(warnings: list[Diagnostic]) -> list[Diagnostic]:
    """Warnings turned into errors, for ``--strict``."""
    return [replace(w, severity=Severity.ERROR, message=f"{w.message} (an error with --strict)")
            for w in warnings]


def build(config: Config, reporter: Reporter, *, force: bool = False, now: datetime | None = None,
          drafts: bool = False, strict: bool = False) -> BuildResult:
    """Build the site described by ``config`` as published at ``now``.

    ``now`` defaults to :func:`resolve_now`. ``drafts`` includes
    ``draft: true`` stories, marked as drafts. ``strict`` turns every
    warning into an error. Raises a NewsgenError subclass on failure.
    """
    started = time.perf_counter()
    if now is None:
        now = resolve_now(config)
    out, previous = prepare_output(config, force=force)
    sources, problems = discover(config)
    if problems:
        raise ContentError(problems)
    articles, warnings = load_all(sources, config)
    profiles, author_warnings = load_authors(config)
    warnings += author_warnings
    if not strict:
        for w in warnings:
            reporter.diagnostic(w)
    site = build_site(articles, config, now, drafts=drafts, profiles=profiles)
    if not strict:
        for w in site.warnings:
            reporter.diagnostic(w)
    warnings += site.warnings
    if strict and warnings:
        raise BuildError(strict_errors(warnings))
    renderer = Renderer(config, site)
    pages = plan(site, renderer)
    rendered = [(p.output_path, render_page(p, renderer)) for p in pages]
    result = write_output(out, previous, rendered)
    seconds = time.perf_counter() - started
    reporter.info(
        f"built {len(site.articles)} articles into {len(pages)} files in {config.paths.output} "
        f"({len(result.written)} written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed) in {seconds:.2f}s"
    )
    reporter.info(next_change_summary(site))
    return BuildResult(articles=len(site.articles), pages=len(pages), write=result,
                       warnings=warnings, seconds=seconds, now=now,
                       next_change=site.next_change.when if site.next_change else None)


def next_change_summary(site: Site) -> str:
    """The summary line about the next scheduled change."""
    nxt = site.next_change
    if nxt is None:
        return f"no scheduled changes (nothing dated, embargoed or expiring after now); see {STATUS_FILE}"
    when = nxt.when.astimezone(site.config.tz).isoformat()
    return f"next scheduled change: {when} ({nxt.article.source}: {nxt.kind}); see {STATUS_FILE}"
