"""The flat YAML most front matter is, read without the YAML parser.

Most front matter is a few ``key: value`` lines: a quoted or plain headline,
a date, a section, a list of tags (every file of the benchmark's corpus; 35 of
60 real posts sampled from public Jekyll, Hugo, Eleventy and Docusaurus sites).
Giving each of them to libyaml and PyYAML's constructor costs about 0.1 ms, a
tenth of converting the body. :func:`read_flat` reads that shape directly:

- one ``key: value`` per line, the key at column 1 (letters, digits, ``_``
  and ``-``), one or more spaces after the colon;
- a value that is a plain scalar (``Sport``, ``2024-05-01T09:00:00+00:00``,
  ``false``, ``3``: resolved and constructed by PyYAML's own resolvers and
  safe constructor), a double-quoted string without escapes, or a
  single-quoted string;
- a list of such items, in brackets on the key's line (``[a, "b c"]``) or one
  ``- item`` per line below the key, all at one indentation.

Anything else (an empty value, a comment, a nested mapping, an anchor, a tab,
a character YAML reads as a line break or refuses, a duplicate key) is not
read here: :func:`read_flat` returns ``None`` and the caller parses the text
with the YAML parser, which also gives every error its message. What it does
read, it reads exactly as :func:`newsgen.core.yamlio.parse_mapping` with the
parser would, positions included (``tests/core/test_flatyaml.py`` compares
the two on generated documents).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from re import Pattern
from typing import Any

#: A top-level key and the spaces after its colon; group 2 is the rest of the line.
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]{0,99}):( +|$)")
#: ``- item`` of a block list; group 1 is the indentation.
_ITEM = re.compile(r"( *)- +(?=\S)")
#: Every character is one YAML prints as itself: no tab, control, line-break
#: look-alike (NEL, LS, PS), byte order mark, surrogate or non-character. Compiled when first
#: needed (3 ms): ASCII front matter, the usual kind, is checked with :data:`_ASCII_UNPRINTED`.
_PRINTABLE = "[\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*"
#: The ASCII characters :data:`_PRINTABLE` leaves out.
_ASCII_UNPRINTED = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
#: A plain scalar in block context: no indicator first, no ``: `` or `` #`` inside, no ``:`` at the end.
_PLAIN = re.compile(r"(?![-?:,\[\]{}#&*!|>'\"%@`])(?:[^:#]|:(?! )|(?<! )#)*(?<!:)")
#: A plain scalar inside brackets: as in block context, and none of ``,[]{}:#`` at all.
_FLOW_PLAIN = re.compile(r"(?![-?'\"&*!|>%@`])[^,\[\]{}:#]+")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_SINGLE = re.compile(r"'((?:[^']|'')*)'")

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"

#: (key, value, line, col, key line, key col, raw text of a scalar, tag, lines of a list's items)
Flat = tuple[str, Any, int, int, int, int, "str | None", str, tuple[int, ...]]
#: The loader's implicit resolvers: first character (or None for any) -> [(tag, pattern)].
Resolvers = Mapping[str | None, Sequence[tuple[str, Pattern[str]]]]
#: A resolved tag -> the function making its value from a plain scalar's text (raises if it cannot).
Constructors = Mapping[str, Callable[[str], Any]]


class _Unread(Exception):
    """Not flat: the YAML parser reads this text."""


def read_flat(text: str, offset: int, resolvers: Resolvers, constructors: Constructors) -> list[Flat] | None:
    """The entries of ``text`` (its lines numbered from ``offset + 1``), or ``None``
    when it is not flat as the module says. A plain scalar's tag is the first of
    ``resolvers`` that matches it, else text; its value is made by
    ``constructors`` (a tag missing from them, or a value they refuse, is not flat)."""
    try:
        return _read(text, offset, resolvers, constructors)
    except _Unread:
        return None


def _read(text: str, offset: int, resolvers: Resolvers, constructors: Constructors) -> list[Flat] | None:
    if not text or not _printable(text):
        return None
    lines = text.split("\n")
    entries: list[Flat] = []
    seen: set[str] = set()
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        i += 1
        if not line:
            continue
        m = _KEY.match(line)
        if m is None or m.group(1) in seen:
            return None
        key = m.group(1)
        seen.add(key)
        rest = line[m.end() :]
        if rest:
            col = m.end() + 1
            if rest[0] == "[":
                items = [v for v, _, _ in _flow_items(rest, resolvers, constructors)]
                entries.append(
                    (key, items, i + offset, col, i + offset, 1, None, SEQ, (i + offset,) * len(items))
                )
            else:
                value, raw, tag = _scalar(rest, resolvers, constructors)
                entries.append((key, value, i + offset, col, i + offset, 1, raw, tag, ()))
            continue
        # an empty value: flat only when a block list follows, one "- item" per line
        key_line = i + offset
        values: list[Any] = []
        item_lines: list[int] = []
        indent = None
        while i < n and (im := _ITEM.match(lines[i])) is not None:
            if indent is None:
                indent = im.group(1)
            elif im.group(1) != indent:
                return None
            values.append(_scalar(lines[i][im.end() :], resolvers, constructors)[0])
            i += 1
            item_lines.append(i + offset)
        if indent is None:
            return None  # a null, or a nested mapping: the parser's
        entries.append(
            (key, values, item_lines[0], len(indent) + 1, key_line, 1, None, SEQ, tuple(item_lines))
        )
    return entries or None


def _printable(text: str) -> bool:
    """Whether every character of ``text`` is one :data:`_PRINTABLE` allows."""
    if text.isascii():
        return _ASCII_UNPRINTED.search(text) is None
    return re.fullmatch(_PRINTABLE, text) is not None


def _scalar(rest: str, resolvers: Resolvers, constructors: Constructors) -> tuple[Any, str, str]:
    """``(value, raw text, tag)`` of a one-line scalar in block context (the rest of a line)."""
    first = rest[0]
    if first in "\"'":
        m = (_DOUBLE if first == '"' else _SINGLE).match(rest)
        if m is None or rest[m.end() :].strip(" "):
            raise _Unread
        text = _unquoted(first, m.group(1))
        return text, text, STR
    value = rest.rstrip(" ")
    if _PLAIN.fullmatch(value) is None:
        raise _Unread
    return _plain(value, resolvers, constructors)


def _flow_items(rest: str, resolvers: Resolvers, constructors: Constructors) -> list[tuple[Any, str, str]]:
    """The items of ``[a, "b", 'c']`` (the rest of a line)."""
    end = rest.find("]")
    if end < 0 or rest[end + 1 :].strip(" ") or "#" in rest:
        raise _Unread
    inner = rest[1:end]
    if not inner.strip(" "):
        raise _Unread  # "[]": the parser's
    items = []
    for piece in inner.split(","):
        part = piece.strip(" ")
        if not part:
            raise _Unread  # "[a, , b]" or a trailing comma
        first = part[0]
        if first in "\"'":
            m = (_DOUBLE if first == '"' else _SINGLE).fullmatch(part)
            if m is None:
                raise _Unread  # a quoted item holding a comma, or not closed
            text = _unquoted(first, m.group(1))
            items.append((text, text, STR))
        elif _FLOW_PLAIN.fullmatch(part) is None:
            raise _Unread
        else:
            items.append(_plain(part, resolvers, constructors))
    return items


def _unquoted(quote: str, inner: str) -> str:
    """The text of a quoted scalar from what is between its quotes: a double-quoted one holds
    no escape (:data:`_DOUBLE`); a single-quoted one writes its quote twice."""
    return inner if quote == '"' else inner.replace("''", "'")


def _plain(value: str, resolvers: Resolvers, constructors: Constructors) -> tuple[Any, str, str]:
    """A plain scalar's ``(value, raw text, tag)``, resolved as PyYAML's ``Resolver.resolve`` does."""
    for tag, pattern in (*resolvers.get(value[0], ()), *resolvers.get(None, ())):
        if pattern.match(value):
            make = constructors.get(tag)
            if make is None:
                raise _Unread
            try:
                return make(value), value, tag
            except Exception:  # the parser's error message, at the parser's position
                raise _Unread from None
    return value, value, STR
