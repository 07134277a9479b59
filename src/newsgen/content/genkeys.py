"""The front matter keys of Jekyll, Hugo, Zola, Eleventy and Pelican, read as newsgen's.

:func:`normalise` rewrites the entries of one file before the loader reads them:

* Zola's ``[taxonomies]`` table: its ``tags`` and ``categories`` become the
  article's tags and section;
* Zola's ``[extra]`` and Hugo's ``params``: a key newsgen knows (``author``,
  ``image``, ``summary`` ...) is read as if it were written at the top; the
  table stays in ``Article.extra`` for templates;
* an ``author`` written as a mapping with a ``name`` (Jekyll themes) is
  that name; the mapping stays in ``Article.extra`` as ``author_profile``;
* Eleventy's ``date: Last Modified`` / ``Created`` (which read the file's
  time, different in every clone) is dropped with a warning;
* with no ``date``, a date written in Zola's ``path`` (``2020/01/30/slug``)
  dates the article.

:func:`jekyll_title` is the title Jekyll gives a dated post that has none.

:func:`old_urls` reads the URL keys: an explicit URL (Jekyll's and Eleventy's
``permalink``, Hugo's ``url``, Zola's ``path``) and the old URLs that redirect
to the article (Hugo's ``aliases``, Jekyll's ``redirect_from``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsgen.content.frontmatter import ALIASES, FileErrors, kind_of
from newsgen.core.sitepaths import SitePathProblem, clean_site_path
from newsgen.core.yamlio import Entry

URL_KEYS = ("permalink", "url", "path")
ALIAS_KEYS = ("aliases", "redirect_from")
_LIFTED_FROM = ("extra", "params")
_ELEVENTY_FILE_DATES = {"last modified", "created", "git last modified", "git created"}
_PATH_DATE = re.compile(r"(?:^|/)(\d{4})/(\d{1,2})/(\d{1,2})(?:/|$)")
_PLACEHOLDER = re.compile(r"(?:^|/):[a-z_]+|\{\{|\{%")


def normalise(entries: dict[str, Entry], f: FileErrors) -> dict[str, Entry]:
    """The entries with each generator's keys rewritten as newsgen's."""
    out = dict(entries)
    known = {key for keys in ALIASES.values() for key in keys}
    tax = out.get("taxonomies")
    if tax is not None and isinstance(tax.value, dict):
        for name in ("tags", "categories"):
            if name in tax.value and name not in out:
                out[name] = _child(tax, name, tax.value[name])
    for table in _LIFTED_FROM:
        t = out.get(table)
        if t is not None and isinstance(t.value, dict):
            for name, value in t.value.items():
                if name in known and name not in out:
                    out[name] = _child(t, name, value)
    for key in ("author", "authors"):  # Jekyll themes: author: {name: ..., twitter: ...}
        e = out.get(key)
        if e is not None and _named(e.value):
            items = e.value if isinstance(e.value, list) else [e.value]
            out[key] = replace(e, value=[i["name"] for i in items], raw=None)
            out[f"{key}_profile"] = replace(e, key=f"{key}_profile")
    date = out.get("date")
    if (
        date is not None
        and isinstance(date.value, str)
        and date.value.strip().lower() in _ELEVENTY_FILE_DATES
    ):
        f.warn(
            date.line,
            date.col,
            f"date: {date.value!r} is the file's time in Eleventy, different in every clone; "
            "newsgen ignores it (write the date, or name the file YYYY-MM-DD-slug.md)",
        )
        del out["date"]
    path = out.get("path")
    if "date" not in out and "publishDate" not in out and path is not None and isinstance(path.value, str):
        m = _PATH_DATE.search(path.value)
        if m:
            out["date"] = _child(path, "date", "-".join(m.groups()))
    return out


def _named(value: object) -> bool:
    """A mapping with a text ``name``, or a non-empty list of them."""
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in items)


def _child(parent: Entry, key: str, value: object) -> Entry:
    """An entry lifted out of a table, placed at the table's line."""
    raw = value if isinstance(value, str) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        raw = str(value)
    return replace(parent, key=key, value=value, raw=raw, item_lines=())


def old_urls(entries: dict[str, Entry], f: FileErrors) -> tuple[str | None, bool, tuple[str, ...]]:
    """``(explicit URL or None, listed, old URLs)``: ``listed`` is False for
    Eleventy's ``permalink: false`` (a page that is never written)."""
    url = None
    listed = True
    for key in URL_KEYS:
        e = entries.get(key)
        if e is None or e.value is None:
            continue
        if e.value is False and key == "permalink":
            listed = False
            break
        if not isinstance(e.value, str):
            f.error(
                e.line, e.col, f"{key}: expected a site path such as /2015/03/story/, got {kind_of(e.value)}"
            )
            break
        if _PLACEHOLDER.search(e.value):
            f.warn(
                e.line,
                e.col,
                f"{key}: {e.value!r} is a pattern, not a path; newsgen uses its own permalink "
                "setting for this article",
            )
            break
        try:
            url = clean_site_path(e.value)
        except SitePathProblem as p:
            f.error(e.line, e.col, f"{key}: {p}")
        break
    aliases: list[str] = []
    for key in ALIAS_KEYS:
        e = entries.get(key)
        if e is None or e.value is None:
            continue
        items = e.value if isinstance(e.value, list) else [e.value]
        lines = e.item_lines if len(e.item_lines) == len(items) else (e.line,) * len(items)
        for item, line in zip(items, lines, strict=True):
            if not isinstance(item, str):
                f.error(line, e.col, f"{key}: every item must be a site path, found {kind_of(item)}")
                continue
            try:
                path = clean_site_path(item)
            except SitePathProblem as p:
                f.error(line, e.col, f"{key}: {p}")
                continue
            if path not in aliases:
                aliases.append(path)
    return url, listed, tuple(aliases)


_JEKYLL_POST = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}-(.+)$")


def jekyll_title(stem: str) -> str | None:
    """The title Jekyll gives a post with none: its file name's words, capitalised
    (``2017-04-05-abc-056-a`` -> ``Abc 056 A``); None for a file that is not a dated post."""
    m = _JEKYLL_POST.match(stem)
    if m is None:
        return None
    words = [w[:1].upper() + w[1:] for w in re.split(r"[-_\s]+", m.group(1)) if w]
    return " ".join(words) or None
