"""Checking a built site: every internal link and asset reference in its HTML must name a file in it."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from newsgen.commands.check.findings import CheckReport, site_path_of_link
from newsgen.config import Config
from newsgen.core.urls import served_file
from newsgen.errors import Diagnostic, display_path

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
            if served_file(path, files) is None:
                report.add([Diagnostic(shown, line, None, f"{what} {url}: no file for {path} in the output")])
