"""The build, start to finish, on one screen.

    load_config -> discover -> load -> build_site -> plan -> render -> write

Everything is gathered and rendered before the first byte is written, so a
content or template error leaves the previous output exactly as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .config import Config
from .errors import ContentError, Diagnostic
from .loader import discover, load_all
from .pages import plan, render_page
from .render import Renderer
from .report import Reporter
from .site import build_site
from .writer import WriteResult, prepare_output, write_output


@dataclass
class BuildResult:
    """What a build did."""

    articles: int
    pages: int
    write: WriteResult
    warnings: list[Diagnostic] = field(default_factory=list)
    seconds: float = 0.0


def build(config: Config, reporter: Reporter, *, force: bool = False) -> BuildResult:
    """Build the site described by ``config``. Raises a NewsgenError subclass on failure."""
    started = time.perf_counter()
    out, previous = prepare_output(config, force=force)
    sources, problems = discover(config)
    if problems:
        raise ContentError(problems)
    articles, warnings = load_all(sources, config)
    for w in warnings:
        reporter.diagnostic(w)
    site = build_site(articles, config)
    renderer = Renderer(config)
    pages = plan(site, renderer)
    rendered = [(p.output_path, render_page(p, renderer)) for p in pages]
    result = write_output(out, previous, rendered)
    seconds = time.perf_counter() - started
    reporter.info(
        f"built {len(site.articles)} articles into {len(pages)} files in {config.paths.output} "
        f"({len(result.written)} written, {len(result.unchanged)} unchanged, "
        f"{len(result.removed)} removed) in {seconds:.2f}s"
    )
    return BuildResult(articles=len(site.articles), pages=len(pages), write=result,
                       warnings=warnings, seconds=seconds)
