"""A small newsroom site for the syndication tests (feeds, sitemaps, structured data, links).

Its clock: ``NOW`` is 2025-06-11 12:00 UTC. The Google News window is therefore
(2025-06-09 12:00 UTC, 2025-06-11 12:00 UTC].
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

from conftest import article
from newsgen import BufferReporter, build, load_config
from newsgen.errors import ConfigError
from photo_files import photo

NOW = datetime(2025, 6, 11, 12, 0, tzinfo=UTC)
BASE = "https://news.example/"
PREFIXED = "https://example.github.io/news/"

HOSTILE_TITLE = 'Hostile ]]> </script><script>alert(1)</script> \x01 & "quoted" <b>'
HOSTILE_TITLE_YAML = '"Hostile ]]> </script><script>alert(1)</script> \\x01 & \\"quoted\\" <b>"'
HOSTILE_BODY = "Body with ]]> and </script> and \x02 control and <!-- comment -->.\n\nSecond \u2028 line."

CONFIG = """\
title: Test Gazette
description: News for testing
base_url: {base}
language: en-GB
timezone: Europe/Berlin
more_stories: 2
publisher:
  logo: /images/logo.png
  same_as: [https://social.example/gazette]
social:
  twitter: gazette
  image: /images/share.png
news_sitemap:
  name: The Test Gazette
{extra}"""

ARTICLES = {
    # in the news window; updated later; two bylines; lead image; internal links
    "articles/budget.md": article(
        title="Budget vote delayed",
        date="2025-06-10T09:00:00+02:00",
        updated="2025-06-11T08:00:00+02:00",
        authors="[Ana Núñez, Bo Li]",
        section="Politics",
        tags="[budget, council]",
        image="/images/lead.jpg",
        image_alt="The council chamber",
        summary="Councillors delayed the vote.",
        body="See [the ferry story](/2025/06/09/ferry-fleet/) and ![chart](/images/chart.png).\n\n"
        "A footnote.[^1]\n\n[^1]: The note.",
    ),
    # exactly at the window's start: outside it
    "articles/ferry-fleet.md": article(
        title="Ferry fleet goes electric",
        date="2025-06-09T14:00:00+02:00",
        section="Business",
        author="Test Gazette",
        tags="[transport]",
        body="The ferry story.",
    ),
    # long before the window; no byline, no section
    # ... and corrected the next day
    "articles/old-news.md": article(
        title="Old news",
        date="2025-05-01T08:00:00Z",
        body="Old.",
        corrections='[{date: "2025-05-02T10:00:00Z", text: "The meeting was on Friday."}]',
    ),
    # in the window, hostile text everywhere
    "articles/hostile.md": article(
        title=HOSTILE_TITLE_YAML,
        date="2025-06-11T10:00:00Z",
        author="Zoë </script>",
        tags='["</script>", "a&b"]',
        body=HOSTILE_BODY,
    ),
    "static/images/lead.jpg": photo(320, 200),
    "static/images/chart.png": photo(64, 48, "PNG"),
    "static/images/logo.png": photo(32, 32, "PNG"),
    "static/images/share.png": photo(120, 63, "PNG"),
}


def make_site(
    write_site, base: str = BASE, extra: str = "", files: dict | None = None, name: str = "site"
) -> Path:
    return write_site({**ARTICLES, **(files or {})}, config=CONFIG.format(base=base, extra=extra), name=name)


def build_site_at(
    site: Path, now: datetime = NOW, output: Path | None = None, base_url: str | None = None
) -> Path:
    """Build through the public API with a fixed "now"; returns the output folder."""
    config, _ = load_config(site, output=output, base_url=base_url)
    build(config, BufferReporter(), now=now)
    return config.paths.output


class PageParser(HTMLParser):
    """Collects a page's links, meta tags and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []  # every href and src
        self.alternates: list[dict[str, str]] = []  # <link rel="alternate">
        self.canonical: list[str] = []
        self.meta: dict[str, list[str]] = {}  # property or name -> contents
        self.jsonld: list[str] = []
        self._in_jsonld = False

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        for key in ("href", "src"):
            if key in a:
                self.links.append(a[key])
        if tag == "link" and a.get("rel") == "alternate":
            self.alternates.append(a)
        if tag == "link" and a.get("rel") == "canonical":
            self.canonical.append(a["href"])
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta.setdefault(a.get("property") or a["name"], []).append(a.get("content", ""))
        self._in_jsonld = tag == "script" and a.get("type") == "application/ld+json"
        if self._in_jsonld:
            self.jsonld.append("")

    def handle_data(self, data):
        if self._in_jsonld:
            self.jsonld[-1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_jsonld = False


def parse_page(path: Path) -> PageParser:
    p = PageParser()
    p.feed(path.read_text("utf-8"))
    p.close()
    return p


def jsonld(path: Path) -> list[dict]:
    """Every JSON-LD object on a page (top-level arrays flattened)."""
    out = []
    for text in parse_page(path).jsonld:
        data = json.loads(text)
        out.extend(data if isinstance(data, list) else [data])
    return out


def by_type(objects: list[dict], type_: str) -> list[dict]:
    return [o for o in objects if o.get("@type") == type_]


def assert_config_error(write_site, yaml: str, location: str, message: str) -> None:
    """``yaml`` as newsgen.yaml is refused with ``message`` at ``location`` (e.g. newsgen.yaml:2:)."""
    site = write_site({}, config=yaml)
    try:
        load_config(site)
    except ConfigError as exc:
        first = str(exc.diagnostics[0])
        assert first.startswith(location) and message in first, first
    else:
        raise AssertionError(f"no error for {yaml!r}")
