"""Python-Markdown 3.11.4's bracket scan of link text, worked out per run between brackets.

Python-Markdown 3.11.4 finds the ``]`` that closes a link's ``[`` with
``LinkInlineProcessor._findBracketEnds``: for *every* index of the text, the index
just past the bracket that closes an opening bracket before it, in one loop of
Python over every character (it replaced a scan forward from each ``[``, which is
quadratic when brackets do not close). Each of the six link and image processors
of an instance makes that list again for the same text, so a paragraph with one
link costs six loops over its characters: on the benchmark's articles 28% of
the time Python-Markdown spent converting them.

:func:`bracket_ends` makes the same list from the brackets alone: between two
brackets the depth does not change, so every index of such a run has the same
answer, written with one slice assignment. :func:`install` gives a Markdown
instance's link processors one shared :func:`bracket_ends` that keeps the list
of the last text, when the installed ``markdown/inlinepatterns.py`` is one whose
``getText`` and ``_findBracketEnds`` were read (:data:`READ_FROM`). The lists are
equal, so the output is the same, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from markdown import inlinepatterns
from markdown.inlinepatterns import LinkInlineProcessor

from newsgen.core.digests import sha256

#: The SHA-256 of each ``markdown/inlinepatterns.py`` whose ``LinkInlineProcessor.getText`` (which
#: asks ``self._findBracketEnds(data)`` once per text, and only reads the list) and
#: ``_findBracketEnds`` were read: Python-Markdown 3.11.4's. (3.11.3 has no such method.)
READ_FROM: frozenset[str] = frozenset(
    {"dc82a643997508f0dc7ea2c43144894b04a2d3fcf04cbd3cfae8135878370798"}  # 3.11.4
)

_BRACKET = re.compile(r"[\[\]]")

#: The method of ``LinkInlineProcessor`` that :func:`bracket_ends` stands in for (private).
_METHOD = "_findBracketEnds"


def bracket_ends(data: str) -> list[int | None]:
    """For each index of ``data`` (and ``len(data)``), the index just past the ``]`` that
    closes an opening bracket before that index, or None if it never closes: what
    Python-Markdown 3.11.4's ``LinkInlineProcessor._findBracketEnds(data)`` returns.

    The depth before an index counts the brackets before it (``[`` up, ``]`` down); the
    answer for an index is the first later index whose depth is lower. Depths change only
    after a bracket, so the indexes from one bracket's next index up to and including the
    next bracket form a run of equal depth, and equal answers."""
    ends: list[int | None] = [None] * (len(data) + 1)
    runs: list[tuple[int, int, int]] = []  # (first index, index past the last, depth): not closed yet
    depth = start = 0
    for m in _BRACKET.finditer(data):
        pos = m.start()
        while runs and depth < runs[-1][2]:  # the runs a lower depth at `start` closes
            first, past, _ = runs.pop()
            ends[first:past] = [start] * (past - first)
        runs.append((start, pos + 1, depth))
        depth += 1 if data[pos] == "[" else -1
        start = pos + 1
    while runs and depth < runs[-1][2]:  # the last run, up to len(data), closes nothing later
        first, past, _ = runs.pop()
        ends[first:past] = [start] * (past - first)
    return ends


def installed_as_read(module: Any, digests: frozenset[str]) -> bool:
    """Is the installed source file of ``module`` (one of Python-Markdown's) one whose SHA-256
    is in ``digests``: byte for byte a file that was read?"""
    try:
        text = Path(module.__file__).read_bytes()
    except (OSError, TypeError):
        return False
    return sha256(text) in digests


@lru_cache(maxsize=1)
def _read() -> bool:
    """Is the installed ``markdown/inlinepatterns.py`` one that :data:`READ_FROM` names?"""
    return installed_as_read(inlinepatterns, READ_FROM)


def _shared() -> Callable[[str], list[int | None]]:
    """:func:`bracket_ends`, keeping the list of the last text for the next processor that asks
    (Python-Markdown only reads the list)."""
    last: list[Any] = [None, None]

    def find(data: str) -> list[int | None]:
        if last[0] is not data:
            last[0], last[1] = data, bracket_ends(data)
        ends: list[int | None] = last[1]
        return ends

    return find


def install(patterns: Any) -> list[str]:
    """Give each of ``patterns`` (an instance's inline patterns) that is a
    ``LinkInlineProcessor`` with Python-Markdown's own ``getText`` and ``_findBracketEnds``
    one shared :func:`bracket_ends`; returns ``["inline:brackets"]``, or ``[]`` when the
    installed Python-Markdown is not one read or no pattern qualifies."""
    if not _read():
        return []
    find = _shared()
    done = False
    for pattern in patterns:
        cls = type(pattern)
        if (
            isinstance(pattern, LinkInlineProcessor)
            and cls.getText is LinkInlineProcessor.getText
            and getattr(cls, _METHOD, None) is getattr(LinkInlineProcessor, _METHOD, None)
            and _METHOD not in vars(pattern)
        ):
            setattr(pattern, _METHOD, find)  # an instance's attribute comes before the class's static method
            done = True
    return ["inline:brackets"] if done else []
