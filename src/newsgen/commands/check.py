"""``newsgen check``: find every problem in a site without publishing it.

Checking the sources (always; nothing is written):

Errors (``newsgen build`` would fail, or readers would hit a dead link)
    * everything the build refuses: config errors, files that do not load,
      two stories with one URL, template errors (every page is rendered in
      memory and thrown away);
    * a link in an article body to a page of this site that does not exist,
      e.g. ``[budget](/2025/03/01/budgte/)`` (a site path: under
      ``base_url: https://example.com/news/`` it is served at
      ``/news/2025/...``), a relative ``../other/`` or
      ``https://example.com/news/2025/...`` under ``base_url``;
    * a link to an article's source file (``other-story.md``): newsgen does
      not rewrite those, so the published link would be dead; the message
      names the URL to link to instead.

    * an image that is not a file of the site (the lead ``image`` or one
      in the body).

Warnings (errors with ``--strict``)
    * a headline longer than 110 characters (search engines cut it off);
    * a Markdown article with no ``summary``, or an empty one (the first
      paragraph is used);
    * a body image ``![](x.jpg)`` with empty alt text (screen readers cannot
      describe it);
    * every warning the build itself gives, among them a lead ``image``
      without ``image_alt``, a byline with no entry in ``authors.yaml`` (when
      that file exists), a link to a story that is not yet published,
      unknown config keys and undated articles.

Every article is checked, drafts and scheduled stories included; the site
is assembled as published at the build's "now" (``--as-of``).

Checking a built site (``newsgen check --built DIR``, or ``--built`` alone
for the configured output folder): every HTML file is read and every internal
``href``/``src``/``srcset`` must name a file in the folder. A link that does
not is a *broken internal link*; an image, stylesheet, script or other
embedded file that does not is a *missing asset*. Both are errors, reported
as ``public/2025/03/01/x/index.html:12: ...``.

Wire copy (``.txt`` seeds) is exempt from the summary check: the agency
format has no summary field.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from newsgen.config import Config
from newsgen.content.authors import load_authors
from newsgen.content.confine import check_site_folders
from newsgen.content.loader import load_all
from newsgen.content.sources import Source, decode, discover, split_front_matter
from newsgen.core.paths import resolved
from newsgen.core.urls import localize, output_path, resolve_link
from newsgen.core.yamlio import Entry, YamlProblem, parse_mapping
from newsgen.errors import ContentError, Diagnostic, NewsgenError, Severity, display_path
from newsgen.model import Article
from newsgen.outputs.plan import plan
from newsgen.site.assemble import build_site
from newsgen.theme.render import Renderer, render_page

HEADLINE_LIMIT = 110
_SUMMARY_KEYS = ("summary", "excerpt", "description")
_SOURCE_SUFFIXES = (".md", ".markdown", ".txt")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_INLINE_LINK = re.compile(
    r"(!?)\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+[\"'(][^)]*)?\)"
)
_REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?")
_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass
class CheckReport:
    """What ``check`` found. ``errors`` make ``newsgen check`` exit 1."""

    errors: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    articles: int = 0
    html_files: int = 0  # files read when checking a built site

    def add(self, diagnostics: Iterable[Diagnostic]) -> None:
        for d in diagnostics:
            (self.warnings if d.severity is Severity.WARNING else self.errors).append(d)

    def sorted(self) -> list[Diagnostic]:
        """Every finding, by file and line."""
        return sorted(
            self.errors + self.warnings, key=lambda d: (d.path or "", d.line or 0, d.col or 0, d.message)
        )


# --------------------------------------------------------------------------- sources


@dataclass(frozen=True)
class _Parsed:
    """Where things are in one source file, for line numbers."""

    entries: dict[str, Entry]
    body: str
    body_line: int


def _parse_source(source: Source) -> _Parsed:
    text = decode(source.path.read_bytes(), source.display)
    fm, fm_line, body, body_line = split_front_matter(text, source.display)
    entries: dict[str, Entry] = {}
    if fm is not None:
        try:
            entries = {e.key: e for e in parse_mapping(fm, first_line=fm_line) or []}
        except YamlProblem:  # the loader has reported it already
            pass
    return _Parsed(entries, body, body_line)


def _first(entries: dict[str, Entry], keys: tuple[str, ...]) -> Entry | None:
    return next((entries[k] for k in keys if k in entries), None)


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
                out.append(
                    _warn(
                        src, line, f"image {m.group(3)} has no alt text; write ![description]({m.group(3)})"
                    )
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
            if m.group(3):
                yield line, m.group(3), m.group(1) == "!"
        ref = _REF_DEF.match(text)
        if ref:
            yield line, ref.group(1), False
        for m in _AUTOLINK.finditer(text):
            yield line, m.group(1), False


def site_path_of_link(target: str, page_url: str, config: Config) -> str | None:
    """The site path a link *in built HTML* points to (see :func:`~newsgen.core.urls.resolve_link`),
    or None for an external link, ``mailto:``, a fragment of the same page and the like.
    Raises ValueError for a root-relative link outside the site's base path: on the
    published site it would leave the site."""
    bare = target.strip()
    if bare.startswith("/") and not bare.startswith("//") and not (bare + "/").startswith(config.base_path):
        raise ValueError(f"outside the site's base path {config.base_path}")
    path = resolve_link(bare, page_url, config.base_url)
    return unquote(path) if path is not None else None


def content_link_path(target: str, page_url: str, config: Config) -> str | None:
    """The site path a link *in an article* points to, read as the build reads it: a
    root-relative ``/2025/03/01/x/`` is a site path (made relative on the page, so it
    works under any base path; see :func:`~newsgen.core.urls.localize`)."""
    path = resolve_link(localize(page_url, target.strip()), page_url, config.base_url)
    return unquote(path) if path is not None else None


def _link_findings(
    article: Article,
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
        image = article.image if article.image.startswith("/") else "/" + article.image
        if _served_file(posixpath.normpath(image), outputs) is None:
            out.append(
                Diagnostic(
                    article.source,
                    where.line if where else None,
                    None,
                    f"missing asset: image {article.image} is not a file of the site; "
                    f"put it in the static folder as {image.lstrip('/')}",
                )
            )
    for line, target, is_image in _links(parsed):
        bare = urlsplit(target).path
        if is_image:
            path = content_link_path(target, article.url, config)
            if path is not None and _served_file(path, outputs) is None:
                out.append(
                    Diagnostic(
                        article.source,
                        line,
                        None,
                        f"missing asset: image {target} is not a file of the site ({path})",
                    )
                )
            continue
        if not _SCHEME.match(target) and bare.lower().endswith(_SOURCE_SUFFIXES):
            real = resolved(src_dir / unquote(bare))  # None: links that loop, reported by discover
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
        path = content_link_path(target, article.url, config)
        if path is None or path.rstrip("/") in hidden:
            continue
        if _served_file(path, outputs) is None:
            out.append(
                Diagnostic(
                    article.source,
                    line,
                    None,
                    f"link to {target} points to no article or page of this site ({path})",
                )
            )
    return out


def _served_file(path: str, outputs: set[str]) -> str | None:
    """The output file a web server would answer ``path`` with, if any."""
    rel = output_path(path)
    if rel in outputs:
        return rel
    if not path.endswith("/") and rel + "/index.html" in outputs:
        return rel + "/index.html"
    return None


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
        articles, warnings = load_all([s for s in sources if s.display not in failed], config)
    report.add(warnings)
    try:
        profiles, author_warnings = load_authors(config)
        report.add(author_warnings)
    except NewsgenError as exc:
        report.add(exc.diagnostics)
        profiles = None
    by_display = {s.display: s for s in sources}
    loaded = [(a, _parse_source(by_display[a.source])) for a in articles]
    for article, parsed in loaded:
        report.add(article_findings(article, parsed))
    report.articles = len(loaded)
    try:
        site = build_site(articles, config, now, profiles=profiles)
        report.add(site.warnings)
        renderer = Renderer(config, site)
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
    outputs = {p.output_path for p in pages}
    by_source = {a.source_path.resolve(): a for a in articles}
    hidden = {a.url.rstrip("/") for a in articles} - {a.url.rstrip("/") for a in site.articles}
    for article, parsed in loaded:
        if article.kind == "markdown":
            report.add(_link_findings(article, parsed, outputs, by_source, hidden, config))


# --------------------------------------------------------------------------- built output


_LINK_ATTRS = {("a", "href"), ("area", "href"), ("link", "href")}
_ASSET_ATTRS = {
    ("img", "src"),
    ("script", "src"),
    ("iframe", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("track", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
}
_SRCSET_TAGS = {"img", "source"}
_LINK_RELS_ASSET = {"stylesheet", "icon", "preload", "modulepreload", "manifest", "apple-touch-icon"}


class _RefCollector(HTMLParser):
    """Collects (line, kind, url) for every reference in one HTML file."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[int, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = {k: v for k, v in attrs if v is not None}
        for name, value in values.items():
            if (tag, name) in _LINK_ATTRS:
                rel = set(values.get("rel", "").lower().split())
                kind = "asset" if tag == "link" and rel & _LINK_RELS_ASSET else "link"
                self.refs.append((line, kind, value))
            elif (tag, name) in _ASSET_ATTRS:
                self.refs.append((line, "asset", value))
            elif name == "srcset" and tag in _SRCSET_TAGS:
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.refs.append((line, "asset", url))

    handle_startendtag = handle_starttag


def check_output(config: Config, out: Path, report: CheckReport) -> None:
    """Every internal link and asset reference in the HTML under ``out`` must exist."""
    out = out.absolute()
    if not out.is_dir():
        report.add(
            [
                Diagnostic(
                    display_path(out, config.paths.site),
                    None,
                    None,
                    "no built site here; run 'newsgen build' first, or name the folder with --output",
                )
            ]
        )
        return
    files = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file() and not p.is_symlink()}
    for rel in sorted(files):
        if not rel.endswith(".html") or rel.startswith("pagefind/"):
            continue
        report.html_files += 1
        shown = display_path(out / rel, config.paths.site)
        collector = _RefCollector()
        try:
            collector.feed((out / rel).read_text("utf-8", errors="replace"))
            collector.close()
        except Exception as exc:  # html.parser is lenient; this is a last resort
            report.add([Diagnostic(shown, None, None, f"cannot read HTML: {exc}")])
            continue
        page_url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for line, kind, url in collector.refs:
            what = "broken internal link" if kind == "link" else "missing asset"
            try:
                path = site_path_of_link(url.strip(), page_url, config)
            except ValueError as exc:
                report.add([Diagnostic(shown, line, None, f"{what} {url}: {exc}")])
                continue
            if path is None:
                continue
            if _served_file(path, files) is None:
                report.add([Diagnostic(shown, line, None, f"{what} {url}: no file for {path} in the output")])


def check(
    config: Config, now: datetime, *, output: Path | None = None, config_warnings: Iterable[Diagnostic] = ()
) -> CheckReport:
    """Check the sources as published at ``now``, and the built site in ``output`` when given."""
    report = CheckReport()
    report.add(config_warnings)
    check_sources(config, report, now)
    if output is not None:
        check_output(config, output, report)
    return report
