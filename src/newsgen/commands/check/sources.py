"""Checking the sources: every article as the build loads it, its links and images (and the site
pages' links), and the whole site rendered in memory."""

from __future__ import annotations

import posixpath
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsgen.commands.check.findings import CheckReport, content_link_path
from newsgen.config import CONFIG_FILE, Config
from newsgen.content.authors import load_authors
from newsgen.content.confine import check_site_folders
from newsgen.content.fmformats import read_front_matter
from newsgen.content.leftovers import convert as convert_leftovers
from newsgen.content.loader import load_all
from newsgen.content.pages import load_pages
from newsgen.content.sources import Source, decode, discover, discover_pages, split_front_matter
from newsgen.core.parallel import default_jobs
from newsgen.core.paths import resolved
from newsgen.core.urls import served_file
from newsgen.core.yamlio import Entry
from newsgen.errors import ContentError, Diagnostic, NewsgenError, Severity
from newsgen.model import Article
from newsgen.outputs.plan import plan
from newsgen.outputs.redirects import dead_ends
from newsgen.site.assemble import build_site
from newsgen.site.assets import colocated, placed
from newsgen.theme.catalog import prepare_photos
from newsgen.theme.render import Renderer, render_page

HEADLINE_LIMIT = 110
_SUMMARY_KEYS = ("summary", "excerpt", "description")
_SOURCE_SUFFIXES = (".md", ".markdown", ".txt")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
#: ``[text](target "title")`` and ``![alt](target)``; the target in angle brackets, or words up to
#: the title (Python-Markdown reads ``(/img/a b.jpg)`` as the path ``/img/a b.jpg``).
_INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*"
    r"(?:<(?P<angle>[^>]*)>|(?P<plain>[^)\s]*(?:\s+(?![\"'(])[^)\s]+)*))"
    r"(?:\s+[\"'(][^)]*)?\s*\)"
)
#: A reference definition ``[label]: target``; not a footnote's ``[^1]: text``.
_REF_DEF = re.compile(r"^\s{0,3}\[(?!\^)[^\]]+\]:\s*<?([^\s>]+)>?")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(frozen=True)
class _Parsed:
    """Where things are in one source file, for line numbers."""

    entries: dict[str, Entry]
    body: str
    body_line: int


def _parse_source(source: Source, config: Config) -> _Parsed:
    """The front matter (in any form the loader reads: YAML, TOML, JSON, Pelican's header)
    and the body as the loader converts it, with the leftover template syntax it turns into
    Markdown converted (``{{ '/about/' | relative_url }}`` is the link ``/about/``)."""
    text = decode(source.path.read_bytes(), source.display)
    if source.kind not in ("markdown", "wire"):  # an agency file (ninjs, NITF): no front matter
        return _Parsed({}, *split_front_matter(text, source.display)[2:])
    markdown = source.kind == "markdown"
    try:  # (wire copy's first line is a headline, which may well read "Summary: ...")
        fm, _, body, body_line = read_front_matter(text, source.display, pelican=markdown)
    except ContentError:  # the loader has reported it already
        fm, _, body, body_line = None, 0, *split_front_matter(text, source.display)[2:]
    if markdown:
        body = convert_leftovers(body, config.permalink, config.tz)[0]
    return _Parsed({e.key: e for e in fm or []}, body, body_line)


def _first(entries: dict[str, Entry], keys: tuple[str, ...]) -> Entry | None:
    return next((entries[k] for k in keys if k in entries), None)


def _target(link: re.Match[str]) -> str:
    """The target of an :data:`_INLINE_LINK` match."""
    angle = link.group("angle")
    return angle if angle is not None else link.group("plain")


def _warn(source: str, line: int | None, message: str) -> Diagnostic:
    return Diagnostic(source, line, None, message, Severity.WARNING)


def _body_lines(parsed: _Parsed) -> Iterable[tuple[int, str]]:
    """(file line, text) of the body outside fenced code, code spans removed."""
    in_fence = False
    for i, line in enumerate(parsed.body.split("\n")):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        if not in_fence:
            yield parsed.body_line + i, _CODE_SPAN.sub("", line)


def article_findings(article: Article, parsed: _Parsed) -> list[Diagnostic]:
    """Editorial warnings for one loaded article."""
    out: list[Diagnostic] = []
    src = article.source
    e = parsed.entries
    title = e.get("title")
    if len(article.title) > HEADLINE_LIMIT:
        line = title.line if title is not None else _wire_headline_line(parsed)
        out.append(
            _warn(
                src,
                line,
                f"headline is {len(article.title)} characters, over {HEADLINE_LIMIT}; "
                "search results and social cards cut it off, so shorten it",
            )
        )
    if article.kind != "markdown":  # wire copy has no summary field and no images
        return out
    summary = _first(e, _SUMMARY_KEYS)
    if summary is None or not str(summary.value or "").strip():
        out.append(
            _warn(
                src,
                summary.line if summary else 1,
                "no summary; add 'summary: ...' (a sentence shown on the front page and in "
                "search results) instead of relying on the first paragraph",
            )
        )
    for line, text in _body_lines(parsed):
        for m in _INLINE_LINK.finditer(text):
            if m.group(1) == "!" and not m.group(2).strip():
                target = _target(m)
                out.append(
                    _warn(src, line, f"image {target} has no alt text; write ![description]({target})")
                )
    return out


def _wire_headline_line(parsed: _Parsed) -> int:
    for i, line in enumerate(parsed.body.split("\n")):
        if line.strip():
            return parsed.body_line + i
    return parsed.body_line


def _links(parsed: _Parsed) -> Iterable[tuple[int, str, bool]]:
    """(line, target, is an image) of every link and image in a Markdown body."""
    for line, text in _body_lines(parsed):
        for m in _INLINE_LINK.finditer(text):
            if _target(m):
                yield line, _target(m), m.group(1) == "!"
        ref = _REF_DEF.match(text)
        if ref:
            yield line, ref.group(1), False
        for m in _AUTOLINK.finditer(text):
            yield line, m.group(1), False


@dataclass(frozen=True)
class _PageLinks:
    """What the link check reads of a site page (``pages/``), as of an article."""

    source: str
    source_path: Path
    url: str
    image: str | None = None


def _link_findings(
    article: Article | _PageLinks,
    parsed: _Parsed,
    outputs: set[str],
    by_source: dict[Path, Article],
    hidden: set[str],
    config: Config,
) -> list[Diagnostic]:
    """Links and images in one body. Links to stories that exist but are not public now
    (drafts, scheduled, embargoed, expired) are left to the build's own warnings."""
    out: list[Diagnostic] = []
    src_dir = article.source_path.parent
    if article.image and "://" not in article.image and not article.image.startswith("//"):
        where = parsed.entries.get("image")
        # a site path, or relative to the article's page (as the pages and feeds read it)
        path = content_link_path(article.image, article.url, config) or article.image
        if served_file(posixpath.normpath(path), outputs) is None:
            out.append(
                Diagnostic(
                    article.source,
                    where.line if where else None,
                    None,
                    f"missing asset: image {article.image} is not a file of the site; "
                    f"put it in the static folder as {path.lstrip('/')}",
                )
            )
    for line, target, is_image in _links(parsed):
        bare = urlsplit(target).path
        if is_image:
            linked = content_link_path(target, article.url, config)
            if linked is not None and served_file(linked, outputs) is None:
                out.append(
                    Diagnostic(
                        article.source,
                        line,
                        None,
                        f"missing asset: image {target} is not a file of the site ({linked})",
                    )
                )
            continue
        if not _SCHEME.match(target) and bare.lower().endswith(_SOURCE_SUFFIXES):
            # Zola's internal link @/blog/post.md names a file under its content folder: articles/
            folder, bare = (config.paths.articles, bare[2:]) if bare.startswith("@/") else (src_dir, bare)
            real = resolved(folder / unquote(bare))  # None: links that loop, reported by discover
            other = by_source.get(real) if real is not None else None
            if other is not None:
                out.append(
                    Diagnostic(
                        article.source,
                        line,
                        None,
                        f"link to the source file {target}: newsgen does not rewrite those; "
                        f"link to its URL {other.url} instead",
                    )
                )
            else:
                out.append(Diagnostic(article.source, line, None, f"link to {target} points to no article"))
            continue
        linked = content_link_path(target, article.url, config)
        if linked is None or linked.rstrip("/") in hidden:
            continue
        if served_file(linked, outputs) is None:
            out.append(
                Diagnostic(
                    article.source,
                    line,
                    None,
                    f"link to {target} points to no article or page of this site ({linked})"
                    + _base_path_hint(linked, outputs, config),
                )
            )
    return out


def _base_path_hint(linked: str, outputs: set[str], config: Config) -> str:
    """For a site path that repeats the base path (``/news/about/`` on a site at
    ``https://example.github.io/news/``): the path to write instead, when that one is served."""
    base = config.base_path
    if base == "/" or not linked.startswith(base):
        return ""
    inside = linked[len(base) - 1 :]
    if served_file(inside, outputs) is None:
        return ""
    return f"; a site path starts after the base path {base}, which newsgen adds: write {inside}"


def _default_image_findings(config: Config, articles: Iterable[Article]) -> list[Diagnostic]:
    """A site with photos but without ``social.image`` leaves its stories without a photo out of
    image search results (a site with no photos at all, a new one say, is not told)."""
    stories = list(articles)
    if config.social.image or all(a.image for a in stories) or not any(a.image for a in stories):
        return []
    return [
        Diagnostic(
            CONFIG_FILE,
            None,
            None,
            "social.image is not set: stories without a photo of their own have no image in their "
            "NewsArticle data or link previews; set it to a default photo such as /images/share.jpg",
            Severity.WARNING,
        )
    ]


def check_sources(config: Config, report: CheckReport, now: datetime) -> None:
    """Load, assemble (as published at ``now``) and render everything in memory;
    add every finding to ``report``."""
    sources, problems = discover(config)
    report.add(problems)
    report.add(check_site_folders(config))  # links and special files in templates/ and static/
    try:
        articles, warnings = load_all(sources, config)
    except ContentError as exc:  # report them, and check every file that did load
        report.add(exc.diagnostics)
        failed = {d.path for d in exc.diagnostics}
        fine = [s for s in sources if not failed & {s.display, *(u.display for u in s.updates)}]
        articles, warnings = load_all(fine, config)
    report.add(warnings)
    try:
        profiles, author_warnings = load_authors(config)
        report.add(author_warnings)
    except NewsgenError as exc:
        report.add(exc.diagnostics)
        profiles = None
    by_display = {s.display: s for s in sources}
    loaded = [(a, _parse_source(by_display[a.source], config)) for a in articles]
    for article, parsed in loaded:
        report.add(article_findings(article, parsed))
    report.articles = len(loaded)
    try:
        page_sources = discover_pages(config)
        pages_of_site, page_warnings = load_pages(page_sources, config)
        report.add(page_warnings)
        report.site_pages = len(pages_of_site)
        site = build_site(articles, config, now, profiles=profiles)
        site = replace(site, pages=tuple(pages_of_site), assets=colocated(site, sources))
        report.add(site.warnings)
        report.add(_default_image_findings(config, site.articles))
        with tempfile.TemporaryDirectory(prefix="newsgen-check-") as scratch:
            folder = config.paths.cache or config.paths.site / ".newsgen-cache"  # reuse the build's photos
            photos = prepare_photos(  # a missing image is the "missing asset" finding below
                config,
                site,
                folder if folder.is_dir() else Path(scratch),
                default_jobs(),
                missing_files=False,
            )
        report.add(photos.warnings)
        renderer = Renderer(config, site, photos)
        pages = plan(site, renderer)
    except NewsgenError as exc:
        report.add(exc.diagnostics)
        return
    seen: set[tuple[str | None, int | None, str]] = set()
    for page in pages:
        if page.static_file is not None:
            continue  # copied as it is: nothing to check in it (check_site_folders saw its links)
        try:
            render_page(page, renderer)
        except NewsgenError as exc:
            for d in exc.diagnostics:  # one report per template problem, not one per page
                key = (d.path, d.line, d.message.split(" (while rendering")[0])
                if key not in seen:
                    seen.add(key)
                    report.add([d])
    outputs = {p.output_path for p in pages} | set(placed(articles, sources))
    report.add(dead_ends(site, outputs))
    by_source = {a.source_path.resolve(): a for a in articles}
    hidden = {a.url.rstrip("/") for a in articles} - {a.url.rstrip("/") for a in site.articles}
    for article, parsed in loaded:
        if article.kind == "markdown":
            report.add(_link_findings(article, parsed, outputs, by_source, hidden, config))
    urls = {p.source: p.url for p in site.pages}
    for source in page_sources:
        if source.display in urls:
            links = _PageLinks(source.display, source.path, urls[source.display])
            report.add(
                _link_findings(links, _parse_source(source, config), outputs, by_source, hidden, config)
            )
