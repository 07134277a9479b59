"""Refuse Markdown that would make Python-Markdown crash or take super-linear time.

Python-Markdown parses some constructs with loops that rescan the rest of a
paragraph from every opening character, so crafted input takes quadratic (or
worse) time: 50,000 ``[`` take minutes, a few thousand ``<![`` or footnote
references take tens of seconds, and a few hundred nested lists exhaust the
recursion limit. newsgen does not try to make such text render; it refuses it
with an error naming the line, before conversion starts.

:func:`check` is deterministic (the same text is always accepted or always
refused, on any machine) and linear in the size of the text. It models what
the parser would do and compares it with fixed limits:

nesting
    block quotes and lists nested more than :data:`MAX_NESTING` levels on one
    line (``>``, ``-``, ``*``, ``+``, ``1.`` markers and list indentation).
brackets
    the characters the link parser would scan: from every ``[`` to its
    matching ``]`` (or the end of the paragraph when there is none), and from
    every ``](`` to its matching ``)``; at most :data:`SCAN_BUDGET` plus two per
    character of the text in all (well-formed links cost about one per
    character).
inline markup
    every inline match (escape, emphasis, code span, link, entity) rebuilds
    the text of its paragraph, so the number of characters that can start one
    times the paragraph's length is at most :data:`INLINE_BUDGET` (table rows
    count one by one, since cells are processed separately).
code fences
    each fenced code block makes the parser search the text again from the
    start: the number of blocks times the text's length is at most
    :data:`FENCE_BUDGET`; an opening fence that is never closed is rescanned
    to the end by each of those searches, at most :data:`FENCE_SCAN_BUDGET`
    characters in all. Fenced code is found exactly as Python-Markdown finds
    it, and the other checks skip it.
footnotes
    one footnote referenced more than :data:`MAX_FOOTNOTE_REFS` times.
raw HTML (only with ``unsafe_html: true``)
    the characters the HTML parser would rescan from every ``<`` that starts a
    tag, comment, ``<![`` section or instruction to where it ends; at most
    :data:`HTML_SCAN_BUDGET` in all.

Ordinary articles are far inside every limit: a 20,000-word story with a
hundred links costs a few thousand units of the bracket budget.

As a last resort, :func:`time_limit` stops a conversion that still runs longer
than :data:`CONVERT_SECONDS` plus :data:`CONVERT_SECONDS_PER_MB` per megabyte
of CPU time (a legitimate 4 MB article converts in about 4 s on a slow
machine). It works where a signal timer is available: the main thread of a
process on POSIX systems, which includes worker processes.
"""

from __future__ import annotations

import bisect
import re
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

MAX_NESTING = 32
SCAN_BUDGET = 500_000
INLINE_BUDGET = 200_000_000
FENCE_BUDGET = 2_000_000_000
FENCE_SCAN_BUDGET = 5_000_000
HTML_SCAN_BUDGET = 20_000_000
MAX_FOOTNOTE_REFS = 100
MAX_BRACKETS = 100_000  # per paragraph; refused at once without modelling
CONVERT_SECONDS = 10.0
CONVERT_SECONDS_PER_MB = 4.0

_FENCE_RUN = re.compile(r"~{3,}|`{3,}")
_FENCE_INFO = re.compile(r"""\{.*\}|\.?[\w#.+-]*(?: +hl_lines=(["']).*\1)? *""")
_CONTAINER = re.compile(r"[ \t]*(?:>|[-+*](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))")
_BRACKETS = re.compile(r"\\.|\]\(|[\[\]()]", re.S)
_HTML_OPEN = re.compile(r"<(?:!--|!\[|[!?/A-Za-z])")
_INLINE_START = re.compile(r"[\\`*_\[<&!]")


class MarkdownProblem(Exception):
    """Markdown newsgen refuses to convert; ``line`` is 1-based within the text."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def check(text: str, unsafe_html: bool = False) -> None:
    """Raise :class:`MarkdownProblem` if ``text`` exceeds a limit (see the module docstring)."""
    lines = text.split("\n")
    code = _fenced_lines(lines, len(text))
    _check_footnotes(text)
    if unsafe_html:
        _check_html(text)
    budget = [SCAN_BUDGET + 2 * len(text)]  # well-formed links cost about one unit per character
    # A paragraph is refused for its brackets, or for being long enough that its inline matches
    # could pass the budget: a text with no "[" and too short for that has nothing to refuse.
    brackets, inline = "[" in text, len(text) * len(text) > INLINE_BUDGET
    block: list[str] = []
    block_start = 1
    for number, line in enumerate(lines, start=1):
        if number in code or not line.strip():
            if block:
                _check_block(block, block_start, budget, brackets, inline)
                block = []
            continue
        if brackets or inline:
            if not block:
                block_start = number
            block.append(line)
        if _CONTAINER.match(line):  # (a line that opens no quote or list nests nothing)
            _check_nesting(line, number)
    if block:
        _check_block(block, block_start, budget, brackets, inline)


def _fenced_lines(lines: list[str], size: int) -> set[int]:
    """Line numbers inside fenced code blocks, found the way Python-Markdown finds them.

    Its fenced-code preprocessor searches the text from the start once per
    block, and for every opening fence scans lazily for the identical closing
    fence. An opening fence without one is rescanned to the end of the text by
    every search that reaches it, at about a hundred times the cost of the
    plain search: both are charged against :data:`FENCE_SCAN_BUDGET` and
    :data:`FENCE_BUDGET`.
    """
    closings: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        m = _FENCE_RUN.match(line)
        if m and not line[m.end() :].strip(" "):
            closings.setdefault(m.group(), []).append(i)
    if not closings:
        return set()
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    code: set[int] = set()
    unclosed: list[tuple[int, int]] = []  # (line index, blocks found before it)
    blocks = 0
    i = 0
    while i < len(lines):
        m = _FENCE_RUN.match(lines[i])
        if m and _FENCE_INFO.fullmatch(lines[i][m.end() :].lstrip(" ")):
            later = closings.get(m.group(), [])
            k = bisect.bisect_right(later, i)
            if k < len(later):
                j = later[k]
                code.update(range(i + 1, j + 2))  # 1-based numbers of the fences and the code
                blocks += 1
                i = j + 1
                continue
            unclosed.append((i, blocks))
        i += 1
    rescans = sum((1 + blocks - before) * (size - offsets[i]) for i, before in unclosed)
    if rescans > FENCE_SCAN_BUDGET:
        raise MarkdownProblem(
            unclosed[0][0] + 1,
            "code fences ('```' or '~~~') that are never closed would "
            "make Markdown conversion take too long; close them with the "
            "same fence",
        )
    if (blocks + 1) * size > FENCE_BUDGET:
        raise MarkdownProblem(
            1,
            f"{blocks} fenced code blocks in a text of {size} characters would make "
            "Markdown conversion take too long; split the article",
        )
    return code


def _check_nesting(line: str, number: int) -> None:
    depth = 0
    pos = 0
    indent = len(line) - len(line.lstrip(" \t"))
    while True:
        m = _CONTAINER.match(line, pos)
        if not m:
            break
        depth += 1
        pos = m.end()
    if depth:
        depth += line[:indent].expandtabs(4).count(" ") // 4
    if depth > MAX_NESTING:
        raise MarkdownProblem(
            number,
            f"block quotes or lists are nested {depth} levels deep; newsgen accepts at most {MAX_NESTING}",
        )


def _check_block(block: list[str], start: int, budget: list[int], brackets: bool, inline: bool) -> None:
    """Charge the link parser's scanning of one paragraph against ``budget`` (when the text has
    ``brackets``), and its inline matches (when it is long enough for them to be refused)."""
    if brackets:
        text = "\n".join(block)
        if "[" in text:
            _check_brackets(text, start, budget)
    if inline:
        _check_inline(block, start)


def _check_brackets(text: str, start: int, budget: list[int]) -> None:
    n = len(text)
    opened = text.count("[")
    if opened > MAX_BRACKETS:
        raise MarkdownProblem(
            start,
            f"a paragraph has {opened} '[' characters; newsgen accepts at most "
            f"{MAX_BRACKETS} (write \\[ for a literal bracket)",
        )
    if opened == 0:
        return
    cost = 0
    squares: list[int] = []
    parens: list[tuple[int, bool]] = []  # position, opened a link target "]("
    for m in _BRACKETS.finditer(text):
        tok, pos = m.group(), m.start()
        if tok[0] == "\\":
            continue
        if tok == "[":
            squares.append(pos)
        elif tok == "]":
            if squares:
                cost += pos - squares.pop()
        elif tok == "](":
            if squares:
                cost += pos - squares.pop()
            parens.append((pos + 1, True))
        elif tok == "(":
            parens.append((pos, False))
        elif parens:  # ")"
            p, link = parens.pop()
            if link:
                cost += pos - p
        if cost > budget[0]:
            break
    cost += sum(n - p for p in squares) + sum(n - p for p, link in parens if link)
    budget[0] -= cost
    if budget[0] < 0:
        first = squares[0] if squares else next((p for p, link in parens if link), 0)
        line = start + text.count("\n", 0, first)
        raise MarkdownProblem(
            line,
            "unbalanced '[', ']', '(' and ')' would make Markdown conversion "
            "take too long (the paragraph starting here has brackets without "
            "a match); balance them or write \\[ and \\( for literal ones",
        )


def _check_inline(block: list[str], start: int) -> None:
    """Refuse a paragraph whose inline matches would rebuild it too many times."""
    units = [(start + i, line) for i, line in enumerate(block) if "|" in line]  # table rows
    prose = [(start + i, line) for i, line in enumerate(block) if "|" not in line]
    if prose:
        units.append((prose[0][0], "\n".join(line for _, line in prose)))
    for line_no, unit in units:
        n = len(unit)
        if n * n <= INLINE_BUDGET:
            continue  # cannot exceed the budget even if every character started a match
        starts = len(_INLINE_START.findall(unit))
        if starts * n > INLINE_BUDGET:
            raise MarkdownProblem(
                line_no,
                f"a paragraph of {n} characters with {starts} markup characters "
                "(\\ ` * _ [ < & !) would make Markdown conversion take too long; "
                "split it into shorter paragraphs",
            )


def _check_footnotes(text: str) -> None:
    """Count references per footnote label, in one pass (no regex that could backtrack)."""
    counts: dict[str, int] = {}
    i = text.find("[^")
    while i >= 0:
        close = text.find("]", i + 2)
        if close < 0:
            return
        label = text[i + 2 : close]
        if label and not text.startswith(":", close + 1) and not any(c.isspace() for c in label):
            counts[label] = counts.get(label, 0) + 1
            if counts[label] > MAX_FOOTNOTE_REFS:
                line = text.count("\n", 0, i) + 1
                raise MarkdownProblem(
                    line, f"footnote [^{label[:40]}] is referenced more than {MAX_FOOTNOTE_REFS} times"
                )
        i = text.find("[^", close + 1)  # references never overlap


_HTML_END = {"<!--": "-->", "<![": "]>"}


def _check_html(text: str) -> None:
    """Charge the HTML parser's rescanning (``unsafe_html`` only)."""
    if "<" not in text:
        return
    remaining = HTML_SCAN_BUDGET
    n = len(text)
    first_unclosed = None
    for m in _HTML_OPEN.finditer(text):
        start = m.start()
        end = text.find(_HTML_END.get(m.group(), ">"), m.end())
        if end < 0 and first_unclosed is None:
            first_unclosed = start
        remaining -= (n if end < 0 else end) - start
        if remaining < 0:
            line = text.count("\n", 0, start if first_unclosed is None else first_unclosed) + 1
            raise MarkdownProblem(
                line,
                "raw HTML with unclosed tags, comments or '<![' sections would make "
                "conversion take too long; close them or escape '<' as &lt;",
            )


def conversion_seconds(chars: int) -> float:
    """The CPU time allowed for converting a text of ``chars`` characters."""
    return CONVERT_SECONDS + CONVERT_SECONDS_PER_MB * chars / 1_000_000


class ConversionTimeout(Exception):
    """A conversion ran past :data:`CONVERT_SECONDS` of CPU time."""


@contextmanager
def time_limit(seconds: float | None = None) -> Iterator[None]:
    """Raise :class:`ConversionTimeout` inside the block after ``seconds`` of CPU time
    (default :data:`CONVERT_SECONDS`).

    Uses ``ITIMER_VIRTUAL``; does nothing outside the main thread, on
    platforms without it, or when the program already handles ``SIGVTALRM``.
    """
    usable = (
        hasattr(signal, "setitimer")
        and hasattr(signal, "SIGVTALRM")
        and threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGVTALRM) in (signal.SIG_DFL, None)
    )
    if not usable:
        yield
        return

    def expired(signum, frame):
        raise ConversionTimeout()

    previous = signal.signal(signal.SIGVTALRM, expired)
    signal.setitimer(signal.ITIMER_VIRTUAL, CONVERT_SECONDS if seconds is None else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)
