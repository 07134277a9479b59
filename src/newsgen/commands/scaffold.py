"""Starting things: ``newsgen init`` (a new site) and ``newsgen new`` (a new article).

``newsgen init DIR`` creates, in an empty or new folder::

    newsgen.yaml                    every setting, commented
    articles/welcome-to-newsgen.md  one fictional example story
    pages/about.md                  placeholder site pages (in the footer menu)
    pages/corrections-policy.md       for the newsroom to write
    templates/                      empty, for overriding theme templates
    .gitignore                      the output (public/) and the cache (.newsgen-cache/)
    .github/workflows/publish.yml   check, build with a cache, deploy to GitHub Pages

A folder that already holds anything (even a hidden file) is refused, so
``init`` never overwrites or mixes with existing work. The file texts live in
``newsgen/skeleton/``.

``newsgen new "Headline"`` writes ``{articles}/{YYYY-MM-DD}-{slug}.md``, the
date being the given time in the site timezone and the slug
:func:`~newsgen.core.urls.slugify` of the headline. It starts as ``draft: true`` so
an unfinished story is never published by accident; optional keys are
present as comments. An existing file is never overwritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from newsgen import __version__
from newsgen.config import DEFAULT_BASE_URL, Config
from newsgen.core.urls import slugify
from newsgen.errors import ConfigError, ContentError, Diagnostic, NewsgenError, display_path

SKELETON = Path(__file__).parent / "skeleton"
DEFAULT_TITLE = "My News Site"


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def article_text(
    headline: str, when: datetime, slug: str, section: str | None, authors: Sequence[str]
) -> str:
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


def new_article(
    config: Config, headline: str, when: datetime, *, section: str | None = None, authors: Sequence[str] = ()
) -> Path:
    """Write a new article and return its path. ``when`` is its date (any timezone)."""
    headline = " ".join(headline.split())
    if not headline:
        raise ContentError('the headline is empty; give the story a headline: newsgen new "Headline"')
    local = when.astimezone(config.tz)
    slug = slugify(headline)
    folder = config.paths.articles
    path = folder / f"{local:%Y-%m-%d}-{slug}.md"
    shown = display_path(path, config.paths.site)
    text = article_text(
        headline,
        local,
        slug,
        (section or "").strip() or None,
        [" ".join(a.split()) for a in authors if a.strip()],
    )
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as fh:
            fh.write(text)
    except FileExistsError:
        raise ContentError(
            Diagnostic(
                shown,
                None,
                None,
                "already exists; newsgen new never overwrites a file. "
                "Edit it, or choose a different headline",
            )
        ) from None
    return path


# --------------------------------------------------------------------------- init


def _text(name: str) -> str:
    return (SKELETON / name).read_text("utf-8")


#: A BCP 47 language tag, as ``language`` takes it (``en``, ``pt-BR``, ``zh-Hant-TW``).
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


def skeleton_files(
    title: str, base_url: str, now: datetime, *, description: str = "", language: str = "en"
) -> dict[str, str]:
    """Relative path -> text of every file ``init`` writes (``newsgen import`` writes its
    ``newsgen.yaml`` with the blog's tagline and language)."""
    return {
        "newsgen.yaml": _text("newsgen.yaml")
        .replace("__TITLE__", _quoted(title))
        .replace("__BASE_URL__", _quoted(base_url))
        .replace("__DESCRIPTION__", _quoted(description))
        .replace("__LANGUAGE__", language if LANGUAGE_TAG.match(language) else "en"),
        "articles/welcome-to-newsgen.md": _text("article.md").replace(
            "__DATE__", now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:00Z")
        ),
        "pages/about.md": _text("about.md"),
        "pages/corrections-policy.md": _text("corrections-policy.md"),
        "templates/.gitkeep": "",
        ".gitignore": _text("gitignore.txt"),
        ".github/workflows/publish.yml": _text("publish.yml").replace(
            "__NEWSGEN_PACKAGE__", f"newsgen=={__version__}"
        ),
    }


def init_site(
    folder: Path, *, title: str = DEFAULT_TITLE, base_url: str = DEFAULT_BASE_URL, now: datetime | None = None
) -> list[Path]:
    """Create a new site in ``folder``; returns the files written.

    Raises :class:`~newsgen.errors.NewsgenError` when ``folder`` exists and
    is not an empty folder.
    """
    shown = folder.as_posix()
    if folder.exists() or folder.is_symlink():
        if not folder.is_dir():
            raise NewsgenError(
                Diagnostic(
                    shown, None, None, "exists and is not a folder; choose a new folder name for the site"
                )
            )
        if any(folder.iterdir()):
            raise NewsgenError(
                Diagnostic(
                    shown,
                    None,
                    None,
                    "is not empty; newsgen init only creates a site "
                    "in a new or empty folder, so nothing is "
                    "overwritten. Choose another folder",
                )
            )
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(
            f"--base-url: expected an absolute http(s) URL such as https://example.com/, got {base_url!r}"
        )
    if not base_url.endswith("/"):
        base_url += "/"
    files = skeleton_files(" ".join(title.split()) or DEFAULT_TITLE, base_url, now or datetime.now(UTC))
    written = []
    for rel, text in files.items():
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(target, "x", encoding="utf-8", newline="\n") as fh:  # "x": never overwrite
            fh.write(text)
        written.append(target)
    return written
