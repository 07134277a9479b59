"""``newsgen new``: start a new article file with complete front matter.

The file is ``{articles}/{YYYY-MM-DD}-{slug}.md``, the date being the given
time in the site timezone and the slug :func:`~newsgen.urls.slugify` of the
headline. It starts as ``draft: true`` so an unfinished story is never
published by accident; optional keys are present as comments. An existing
file is never overwritten.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Sequence

from .config import Config
from .errors import ContentError, Diagnostic, display_path
from .urls import slugify


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def article_text(headline: str, when: datetime, slug: str, section: str | None,
                 authors: Sequence[str]) -> str:
    """The source of a new article."""
    stamp = when.replace(microsecond=0).isoformat()
    lines = [
        "---",
        f"title: {_quoted(headline)}",
        f"slug: {slug}",
        f"date: {stamp}",
        "draft: true  # set to false (or remove) to publish",
        f"section: {_quoted(section) if section else _quoted('')}",
        f"authors: [{', '.join(_quoted(a) for a in authors)}]",
        "tags: []",
        'summary: ""  # one or two sentences; else the first paragraph is used',
        'dateline: ""  # e.g. "PORT HALDEN"',
        "# image: /images/example.jpg",
        '# image_alt: ""',
        '# image_caption: ""',
        f"# updated: {stamp}",
        f"# embargo: {stamp}  # appears nowhere before this time",
        f"# expires: {stamp}  # appears nowhere from this time on",
        "# corrections:",
        f"#   - date: {stamp}",
        "#     text: An earlier version of this story ...",
        "---",
        "",
        "Write the story here.",
        "",
    ]
    return "\n".join(lines)


def new_article(config: Config, headline: str, when: datetime, *, section: str | None = None,
                authors: Sequence[str] = ()) -> Path:
    """Write a new article and return its path. ``when`` is its date (any timezone)."""
    headline = " ".join(headline.split())
    if not headline:
        raise ContentError("the headline is empty; give the story a headline: newsgen new \"Headline\"")
    local = when.astimezone(config.tz)
    slug = slugify(headline)
    folder = config.paths.articles
    path = folder / f"{local:%Y-%m-%d}-{slug}.md"
    shown = display_path(path, config.paths.site)
    text = article_text(headline, local, slug, (section or "").strip() or None,
                        [" ".join(a.split()) for a in authors if a.strip()])
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise ContentError(Diagnostic(shown, None, None, "already exists; newsgen new never overwrites a file. "
                                      "Edit it, or choose a different headline")) from None
    return path
