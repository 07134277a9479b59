"""Typed values from YAML front matter entries (:mod:`newsgen.core.yamlio`).

Each converter takes an :class:`~newsgen.core.yamlio.Entry` (value, raw text and
position) and returns the value, or records an error naming the file, line,
column and what is wrong in a :class:`FileErrors` and returns None, so one
pass reports every problem of a file.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

from newsgen.content.sources import Source
from newsgen.core.dates import DateProblem, parse_datetime
from newsgen.core.yamlio import Entry
from newsgen.errors import ContentError, Diagnostic, Severity
from newsgen.model import Correction

# Front matter key -> canonical field. Earlier aliases win.
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date", "publishDate"),
    "updated": ("updated", "last_modified", "lastmod", "last_modified_at"),
    "authors": ("authors", "author"),
    "section": ("section", "category", "categories"),
    "tags": ("tags",),
    "summary": ("summary", "excerpt", "description"),
    "slug": ("slug",),
    "draft": ("draft",),
    "unlisted": ("unlisted", "eleventyExcludeFromCollections"),
    "image": ("image",),
    "image_alt": ("image_alt",),
    "image_caption": ("image_caption",),
    "dateline": ("dateline",),
    "embargo": ("embargo",),
    "expires": ("expires", "expiryDate"),
    "corrections": ("corrections",),
    "access": ("access",),
    "breaking": ("breaking",),
    "breaking_until": ("breaking_until",),
}


class FileErrors:
    """Collects the problems of one file."""

    def __init__(self, source: Source):
        self.source = source
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, line: int | None, col: int | None, message: str) -> None:
        self.errors.append(Diagnostic(self.source.display, line, col, message))

    def warn(self, line: int | None, col: int | None, message: str) -> None:
        self.warnings.append(Diagnostic(self.source.display, line, col, message, Severity.WARNING))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentError(self.errors)


def kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def as_text(f: FileErrors, e: Entry, value: Any = None, what: str | None = None) -> str | None:
    """Text from a scalar; numbers keep the spelling the author wrote."""
    v = e.value if value is None else value
    name = what or e.key
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        shown = e.raw if e.raw is not None and value is None else str(v).lower()
        f.error(
            e.line,
            e.col,
            f"{name}: expected text, got a boolean ({shown}); "
            f'YAML reads yes/no/on/off/true/false as booleans, so put it in quotes: "{shown}"',
        )
        return None
    if isinstance(v, (int, float)):
        return e.raw if value is None and e.raw is not None else str(v)
    f.error(e.line, e.col, f"{name}: expected text, got {kind_of(v)}")
    return None


def as_datetime(f: FileErrors, e: Entry, tz) -> datetime | None:
    text = e.raw if isinstance(e.value, (str, int, float)) and e.raw is not None else None
    if text is None or isinstance(e.value, bool):
        f.error(
            e.line,
            e.col,
            f"{e.key}: expected a date such as 2025-03-01 or 2025-03-01T09:30:00+01:00, "
            f"got {kind_of(e.value)}",
        )
        return None
    try:
        return parse_datetime(str(text), tz)
    except DateProblem as p:
        f.error(e.line, e.col, f"{e.key}: {p}")
        return None


def as_name_list(f: FileErrors, e: Entry, split_commas: bool) -> list[str] | None:
    v = e.value
    if v is None:
        return []
    if isinstance(v, str):
        items = v.split(",") if split_commas else [v]
    elif isinstance(v, list):
        items = []
        for item in v:
            if isinstance(item, bool) or item is None or isinstance(item, (list, dict)):
                f.error(e.line, e.col, f"{e.key}: every item must be text, found {kind_of(item)}")
                return None
            items.append(str(item))
    else:
        expected = "a list or comma-separated text" if split_commas else "a name or a list of names"
        f.error(
            e.line,
            e.col,
            f"{e.key}: expected {expected}, got {kind_of(v)} ({e.raw if e.raw is not None else v})",
        )
        return None
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        name = " ".join(item.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def as_flag(f: FileErrors, e: Entry | None) -> bool:
    """A true/false key (``draft``, ``unlisted``): false when absent or empty; anything
    but a boolean is an error naming the key as written."""
    if e is None or e.value is None:
        return False
    if isinstance(e.value, bool):
        return e.value
    f.error(e.line, e.col, f"{e.key}: expected true or false, got {e.raw or kind_of(e.value)}")
    return False


def as_breaking(f: FileErrors, flag: Entry | None, until: Entry | None, tz) -> tuple[bool, datetime | None]:
    """``breaking`` (true/false) and ``breaking_until`` (a time); a ``breaking_until``
    without ``breaking: true`` does nothing, which is a warning."""
    breaking = as_flag(f, flag)
    ends = as_datetime(f, until, tz) if until is not None and until.value is not None else None
    if ends is not None and not breaking and until is not None:
        f.warn(until.line, until.col, f"{until.key}: has no effect without 'breaking: true'")
    return breaking, ends


NEVER_LIVE = "coverage would end before it starts, so the story is never live"
NO_BANNER = "the breaking-news banner would never show"


def warn_unless_after(
    f: FileErrors, e: Entry | None, ends: datetime | None, starts: datetime, then: str
) -> None:
    """A warning at ``e`` when its time ``ends`` is not after ``starts`` (when the story is
    published): a typo that would otherwise pass silently; ``then`` says what follows."""
    if e is not None and ends is not None and ends <= starts:
        f.warn(
            e.line,
            e.col,
            f"{e.key}: {ends.isoformat()} is not after the story is published ({starts.isoformat()}); {then}",
        )


def optional_text(f: FileErrors, e: Entry | None) -> str | None:
    """Text with its spacing folded; empty or missing gives None."""
    if e is None or e.value is None:
        return None
    text = as_text(f, e)
    if text is None:
        return None
    return " ".join(text.split()) or None


_CORRECTION_KEYS = ("date", "text")


def as_corrections(f: FileErrors, e: Entry, tz) -> list[Correction]:
    """A ``corrections:`` list; a bad entry is reported at its own line (``- date: ...``), or at the
    list's when the reader gave no line for each entry."""
    v = e.value
    if v is None:
        return []
    example = "a list of entries such as '- date: 2025-04-03' / '  text: An earlier version ...'"
    if not isinstance(v, list):
        f.error(e.line, e.col, f"corrections: expected {example}, got {kind_of(v)}")
        return []
    out: list[Correction] = []
    lines = e.item_lines if len(e.item_lines) == len(v) else (e.line,) * len(v)
    for i, (item, line) in enumerate(zip(v, lines, strict=True), start=1):
        where = f"corrections: entry {i}"
        if not isinstance(item, dict):
            f.error(line, e.col, f"{where}: expected 'date' and 'text', got {kind_of(item)}")
            continue
        unknown = sorted(str(k) for k in item if k not in _CORRECTION_KEYS)
        if unknown:
            f.error(
                line,
                e.col,
                f"{where}: unknown key {', '.join(map(repr, unknown))}; "
                "each entry has only 'date' and 'text'",
            )
        raw_date, text = item.get("date"), item.get("text")
        when = None
        if raw_date is None or isinstance(raw_date, (bool, list, dict)):
            f.error(line, e.col, f"{where}: 'date' is missing; give the date of the correction")
        else:
            try:
                when = parse_datetime(str(raw_date), tz)
            except DateProblem as p:
                f.error(line, e.col, f"{where}: date: {p}")
        if not isinstance(text, str) or not text.strip():
            f.error(line, e.col, f"{where}: 'text' is missing or not text; say what was corrected")
            text = None
        if when is not None and text is not None:
            out.append(Correction(date=when, text=" ".join(text.split())))
    return out


def pick(entries: dict[str, Entry], field: str) -> Entry | None:
    for key in ALIASES[field]:
        if key in entries:
            return entries[key]
    return None


def item_lines(e: Entry | None, field: str, names: list[str]) -> dict[tuple[str, str], int]:
    """``(field, name) -> line`` for each of ``names`` written as a list item on a
    line other than its key's (a block list); the others are on the key's line."""
    if e is None or not isinstance(e.value, list) or len(e.item_lines) != len(e.value):
        return {}
    lines: dict[str, int] = {}
    for item, line in zip(e.value, e.item_lines, strict=True):
        lines.setdefault(" ".join(str(item).split()).casefold(), line)
    out = {}
    for name in names:
        line = lines.get(name.casefold(), e.key_line)
        if line != e.key_line:
            out[(field, name)] = line
    return out


#: A character reference with its semicolon (``&amp;``, ``&#58;``, ``&#x2019;``): the form
#: Jekyll's themes print as HTML. Without one (``AT&T``, ``&param``) the text stays as it is.
_CHAR_REF = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def plain_line(text: str) -> str:
    """A headline or summary as one line of text: its character references decoded, since a
    title written ``Inspector General&#58; 21&#37;`` shows as ``Inspector General: 21%`` on the
    Jekyll site it comes from (it stays text: newsgen escapes it wherever it is shown)."""
    if "&" in text:
        text = _CHAR_REF.sub(lambda m: html.unescape(m.group(0)), text)
    return " ".join(text.split())
