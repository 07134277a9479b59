"""Front matter in every form the generators a newsroom moves from write it.

:func:`read_front_matter` splits a file's text into its front matter entries
(:class:`~newsgen.core.yamlio.Entry`, each with the line and column of its key
and value in the file) and its body:

``---`` YAML
    newsgen's own form, and Jekyll's, Hugo's and Eleventy's.
``+++`` TOML
    Hugo's and Zola's, read with :mod:`tomllib`; a TOML datetime becomes its
    RFC 3339 text, so it is read like any other date.
``{ ... }`` JSON
    Hugo's: a JSON object at the top of the file, the body after it.
Pelican's Markdown metadata
    ``Title: ...`` / ``Date: ...`` lines before the first blank line (keys in
    any case; an indented line continues the one before it).

Every syntax error is a :class:`ContentError` at ``file:line:col``.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime, time
from typing import Any, cast

from newsgen.content.sources import split_front_matter
from newsgen.core.yamlio import MAX_FRONT_MATTER, Entry, YamlProblem, parse_mapping
from newsgen.errors import ContentError, Diagnostic

_TOML_OPEN = re.compile(r"^\+\+\+[ \t]*$")
_TOML_KEY = re.compile(r"""^[ \t]*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))[ \t]*=""")
_TOML_TABLE = re.compile(r"""^[ \t]*\[+[ \t]*(?:"([^"]+)"|'([^']+)'|([A-Za-z0-9_-]+))""")
_TOML_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")
_JSON_KEY = re.compile(r'^[ \t]*"((?:[^"\\]|\\.)*)"[ \t]*:')
#: Pelican's metadata keys (``pelican.readers``), the first of which opens a header.
PELICAN_KEYS = frozenset(
    {
        *("title", "date", "modified", "tags", "category", "author", "authors", "slug", "summary"),
        *("status", "lang", "translation", "save_as", "url", "template", "keywords", "subtitle"),
    }
)
_PELICAN_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*)$")
_TEXT = "tag:yaml.org,2002:str"


def read_front_matter(
    text: str, display: str, pelican: bool = True
) -> tuple[list[Entry] | None, int, str, int]:
    """``(entries or None, front matter's first line, body, body's first line)``.

    ``pelican``: look for Pelican's header (Markdown only: wire copy's first
    line is a headline, which may well read ``Summary: ...``)."""
    first = text.split("\n", 1)[0]
    if _TOML_OPEN.match(first):
        return _toml(text, display)
    if first.strip() == "{":
        return _json(text, display)
    if pelican and _looks_like_pelican(first):
        return _pelican(text)
    fm_text, fm_line, body, body_line = split_front_matter(text, display)
    if fm_text is None:
        return None, 0, body, body_line
    try:
        parsed = parse_mapping(fm_text, first_line=fm_line, max_chars=MAX_FRONT_MATTER) or []
    except YamlProblem as p:
        raise ContentError(Diagnostic(display, p.line, p.col, p.message)) from None
    return parsed, fm_line, body, body_line


def plain(value: Any) -> Any:
    """A TOML or JSON value as YAML front matter would give it: dates as RFC 3339 text."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _entry(key: str, value: Any, line: int, col: int) -> Entry:
    value = plain(value)
    raw = None
    if isinstance(value, str):
        raw = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        raw = str(value)
    return Entry(key, value, line, col, line, col, raw, _TEXT)


def _too_long(display: str, fm: str) -> None:
    if len(fm) > MAX_FRONT_MATTER:
        raise ContentError(
            Diagnostic(display, 1, 1, f"front matter is over {MAX_FRONT_MATTER} characters; shorten it")
        )


def _toml(text: str, display: str) -> tuple[list[Entry], int, str, int]:
    lines = text.split("\n")
    end = next((i for i in range(1, len(lines)) if _TOML_OPEN.match(lines[i])), None)
    if end is None:
        raise ContentError(
            Diagnostic(
                display, 1, 1, "front matter opened with '+++' is never closed; add a line '+++' after it"
            )
        )
    fm = "\n".join(lines[1:end])
    _too_long(display, fm)
    try:
        data = tomllib.loads(fm)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = _TOML_WHERE.search(message)
        line, col = (int(where.group(1)) + 1, int(where.group(2))) if where else (2, 1)
        message = _TOML_WHERE.sub("", message).strip().rstrip(".")
        raise ContentError(Diagnostic(display, line, col, f"TOML front matter: {message}")) from None
    positions: dict[str, tuple[int, int]] = {}
    in_table = False
    for i, ln in enumerate(lines[1:end], start=2):
        table = _TOML_TABLE.match(ln)
        if table and not _TOML_KEY.match(ln):
            name = next(g for g in table.groups() if g)
            positions.setdefault(name, (i, ln.index(name) + 1))
            in_table = True
            continue
        key = _TOML_KEY.match(ln)
        if key and not in_table:
            name = next(g for g in key.groups() if g)
            after = ln.index("=") + 1
            positions.setdefault(name, (i, after + len(ln[after:]) - len(ln[after:].lstrip()) + 1))
    entries = [_entry(k, v, *positions.get(k, (2, 1))) for k, v in data.items()]
    return entries, 2, "\n".join(lines[end + 1 :]), end + 2


def _json(text: str, display: str) -> tuple[list[Entry], int, str, int]:
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise ContentError(
            Diagnostic(display, exc.lineno, exc.colno, f"JSON front matter: {exc.msg}")
        ) from None
    _too_long(display, text[:end])
    if not isinstance(data, dict):  # pragma: no cover - the text starts with "{"
        raise ContentError(Diagnostic(display, 1, 1, "JSON front matter must be an object"))
    fm_lines = text[:end].split("\n")
    positions: dict[str, tuple[int, int]] = {}
    for i, ln in enumerate(fm_lines, start=1):
        key = _JSON_KEY.match(ln)
        if key:
            after = key.end()
            positions.setdefault(key.group(1), (i, after + len(ln[after:]) - len(ln[after:].lstrip()) + 1))
    entries = [_entry(str(k), v, *positions.get(str(k), (1, 1))) for k, v in data.items()]
    rest = text[end:]
    body_line = len(fm_lines)
    if "\n" in rest:
        rest = rest.split("\n", 1)[1]
        body_line += 1
    return entries, 1, rest, body_line


def _looks_like_pelican(first: str) -> bool:
    m = _PELICAN_LINE.match(first)
    return m is not None and m.group(1).lower() in PELICAN_KEYS and bool(m.group(2).strip())


def _pelican(text: str) -> tuple[list[Entry], int, str, int]:
    """Pelican's header: ``Key: value`` lines up to the first blank line."""
    lines = text.split("\n")
    found: list[tuple[str, str, int, int]] = []  # key, value, line, col
    end = len(lines)
    for i, ln in enumerate(lines):
        if not ln.strip():
            end = i
            break
        m = _PELICAN_LINE.match(ln)
        if ln[:1] in " \t" and found:
            key, value, line, col = found[-1]
            found[-1] = (key, f"{value} {ln.strip()}", line, col)
        elif m:
            col = len(ln) - len(m.group(2)) + 1
            found.append((m.group(1).lower(), m.group(2).strip(), i + 1, col))
        else:  # not a metadata line: the header ended without a blank line
            end = i
            break
    entries: list[Entry] = []
    seen: set[str] = set()
    for written, value, line, col in found:
        if written in seen:
            continue
        seen.add(written)
        key, v = written, cast(Any, value)
        if key in ("authors", "author"):
            v = [a.strip() for a in value.split(",") if a.strip()]
        elif key == "status":
            key, v = "draft", value.lower() in ("draft", "hidden")
        elif key == "modified":
            key = "updated"
        elif key in ("url", "save_as"):
            key = "pelican_" + key  # Pelican's own output layout; kept in extra
        entries.append(Entry(key, v, line, col, line, 1, value if isinstance(v, str) else None, _TEXT))
    body_start = end + 1 if end < len(lines) and not lines[end].strip() else end
    return entries, 1, "\n".join(lines[body_start:]), body_start + 1
