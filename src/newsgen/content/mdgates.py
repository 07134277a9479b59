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

Two more costs of Python-Markdown's loops, paid on every run of text and every
block, go the same way:

- **A text no inline pattern can match skips them all.** Python-Markdown tries
  each of its fifteen inline patterns on each run of text in turn, a call chain
  of Python per pattern, even on a paragraph of plain words (seven in ten of the
  benchmark's). When every inline pattern of the instance is one of
  :data:`INLINE_NEEDLES` (the gated ones included), a run of text holding none
  of their needles is returned as it is, which is what trying them all returns.
- **A run of text that holds some needles tries only the patterns it holds needles of**, when
  the installed Python-Markdown's inline loop is one read (:data:`LOOP_READ_FROM`, the
  digests of the files read): a pattern passed over is one whose search would find nothing.
  That loop walks the patterns as a tuple, not by position in the ``Registry``.
- **The block processors' order is kept as a tuple** (:class:`_Ordered`): the
  block parser lists them for each block, and a ``Registry`` sorts and builds a
  list in Python each time. Registering or removing a block processor drops the
  tuple, and an inline pattern the text gate and the loop, so a change made later
  is seen as before.

Python-Markdown's two preprocessors pass over the whole text before any block is parsed:

- **Fenced code** (:data:`PREPROCESSOR_GATES`): its search for an opening fence is anchored
  at line starts, so it too is tried at every position; gated on ```` ``` ```` and ``~~~``.
- **Whitespace**: ``NormalizeWhitespace`` removes the spaces of lines that hold only spaces
  with a look-behind substitution tried at every position. Such a line needs a line break
  followed by a space; a text without one is left as it is, the substitution skipped (and
  the tab expansion, without a tab), when the installed ``markdown/preprocessors.py`` is one
  read (:data:`PREPROCESSORS_READ_FROM`).

On Python-Markdown 3.11.4, :func:`install` also gives the link processors a faster
equivalent of that release's bracket scan (:mod:`newsgen.content.mdbrackets`).

With every gate here, converting 100 of the benchmark's bodies takes 687 million
instructions (callgrind), 28% of Python-Markdown's own 2,475 million; the two
preprocessors' gates took 14% off the 800 million it took without them.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import markdown
from markdown import preprocessors, treeprocessors, util
from markdown.treeprocessors import InlineProcessor
from markdown.util import AtomicString, Registry

from newsgen.content import mdbrackets

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

#: Block processor name -> (attribute holding its pattern, the pattern's text (or its texts in
#: the releases read, when they differ but need the same needles), the needles).
BLOCK_GATES: dict[str, tuple[str, str | tuple[str, ...], tuple[str, ...]]] = {
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
    "abbr": (
        "RE",
        (
            r"^[*]\[(?P<abbr>[^\\]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$",  # 3.11.3
            r"^[*]\[(?P<abbr>[^\\\n]*?)\][ ]?:[ ]*\n?[ ]*(?P<title>.*)$",  # 3.11.4: no newline in the name
        ),
        ("*[",),
    ),
}

#: Preprocessor name -> (attribute holding its pattern, the pattern's text, the needles).
PREPROCESSOR_GATES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "fenced_code_block": (
        "FENCED_BLOCK_RE",
        "\n"
        r"""(?P<fence>^(?:~{3,}|`{3,}))[ ]*                          # opening fence
((\{(?P<attrs>[^\n]*)\})|                                # (optional {attrs} or
(\.?(?P<lang>[\w#.+-]*)[ ]*)?                            # optional (.)lang
(hl_lines=(?P<quot>"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?) # optional hl_lines)
\n                                                       # newline (end of opening fence)
(?P<code>.*?)(?<=\n)                                     # the code block
(?P=fence)[ ]*$                                          # closing fence
""",
        ("```", "~~~"),
    ),
}

#: The SHA-256 of each ``markdown/preprocessors.py`` whose ``NormalizeWhitespace.run``
#: :func:`_gate_whitespace` follows: the same file in Python-Markdown 3.11.3 and 3.11.4.
PREPROCESSORS_READ_FROM: frozenset[str] = frozenset(
    {"a6ae4d9c72a4392550788a3e6a30be62de3892fc8c57dec3d381413905dcb493"}
)

#: Inline pattern name -> (the pattern's text, needles) for every other pattern newsgen's
#: instances hold: with :data:`INLINE_GATES`, what a run of text needs for any of them to match.
INLINE_NEEDLES: dict[str, tuple[str, tuple[str, ...]]] = {
    **INLINE_GATES,
    "escape": (r"\\(.)", ("\\",)),
    "image_link": (r"\!\[", ("![",)),
    "image_reference": (r"\!\[", ("![",)),
    "short_image_ref": (r"\!\[", ("![",)),
    "autolink": (r"<([A-Za-z][A-Za-z0-9+.-]*://[^<>]*)>", ("<",)),
    "automail": (r"<([^<> !]+@[^@<> ]+)>", ("<",)),
    "linebreak": (r"  \n", ("  \n",)),
    "html": (
        r"""(<(\/?+[a-zA-Z][^\s"'<>@]*+(?:\s+[^\s"'=<>]++(?:\s*+=\s*+(?:"[^"]*+"|'[^']*+'|[^\s"'=<>]++))?+)*+"""
        r"""\s*+/?|!--(?:(?!<!--|-->).)*--|[?](?:(?!<[?]|[?]>).)*[?]|!\[CDATA\[(?:(?!<!\[CDATA\[|\]\]>).)*\]\])>)""",
        ("<",),
    ),
    "entity": (r"(&(?:\#[0-9]+|\#x[0-9a-fA-F]+|[a-zA-Z0-9]+);)", ("&",)),
    "em_strong": (r"\*|_", ("*", "_")),
    "footnote": (r"\[\^([^\]]*)\]", ("[^",)),
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
    for name, (attr, read, needles) in BLOCK_GATES.items():
        processor = _named(md.parser.blockprocessors, name)
        compiled = getattr(processor, attr, None)
        texts = (read,) if isinstance(read, str) else read
        if isinstance(compiled, re.Pattern) and compiled.pattern in texts:
            setattr(processor, attr, Gated(compiled, needles))
            done.append(f"block:{name}")
    for name, (attr, text, needles) in PREPROCESSOR_GATES.items():
        processor = _named(md.preprocessors, name)
        compiled = getattr(processor, attr, None)
        if isinstance(compiled, re.Pattern) and compiled.pattern == text:
            setattr(processor, attr, Gated(compiled, needles))
            done.append(f"pre:{name}")
    done += _gate_whitespace(md)
    if type(md.parser.blockprocessors) is Registry:
        md.parser.blockprocessors.__class__ = _Ordered
        done.append("block:order")
    done += _gate_text(md)
    done += mdbrackets.install(md.inlinePatterns)  # Python-Markdown 3.11.4's bracket scan
    return done


class _Ordered(Registry):
    """A Python-Markdown ``Registry`` that keeps its items' order as a tuple until it changes
    (``Registry`` sorts and lists them in Python each time it is iterated)."""

    _order: tuple[Any, ...] | None = None
    #: Called once at the next change (then forgotten): undoes what relied on the order.
    on_change: Callable[[], None] | None = None

    def __iter__(self) -> Iterator[Any]:
        order = self._order
        if order is None:
            order = self._order = tuple(super().__iter__())
        return iter(order)

    def register(self, item: Any, name: str, priority: float) -> None:
        self._changed()
        super().register(item, name, priority)

    def deregister(self, name: str, strict: bool = True) -> None:
        self._changed()
        super().deregister(name, strict)

    def _changed(self) -> None:
        self._order = None
        hook, self.on_change = self.on_change, None
        if hook is not None:
            hook()


#: The names of Python-Markdown's inline processor's per-text and per-pattern methods (private).
_HANDLE_INLINE = "_InlineProcessor__handleInline"
_APPLY_PATTERN = "_InlineProcessor__applyPattern"

#: The SHA-256 of each ``markdown/treeprocessors.py`` whose inline loop (``__handleInline``, and
#: what ``__applyPattern`` returns for no match) :func:`_pattern_by_pattern` follows: those of
#: Python-Markdown 3.11.3 and 3.11.4 (which differ only after the loop: ``run`` empties its
#: caches when done). Any other keeps its own loop (behind the text gate).
LOOP_READ_FROM: frozenset[str] = frozenset(
    {
        "bf575e7cb994079e4d9466565dc31ea102d852b1be3c5c922eea4a708c08dd48",  # 3.11.3
        "54058f87a1b8c6fc85079b1bd81ea8f2ad02a178a53a10d3ac6e45e533327475",  # 3.11.4
    }
)


@lru_cache(maxsize=1)
def _loop_as_read() -> bool:
    """Is the installed ``markdown/treeprocessors.py`` one that :data:`LOOP_READ_FROM` names?"""
    return mdbrackets.installed_as_read(treeprocessors, LOOP_READ_FROM)


def _pattern_by_pattern(
    apply: Callable[..., tuple[str, bool, int]], patterns: Sequence[Any], each: Sequence[tuple[str, ...]]
) -> Callable[..., str]:
    """Python-Markdown's inline loop over ``patterns`` (``apply``: its ``__applyPattern``), except
    that a pattern none of whose needles (``each``, in the patterns' order) is in the text from
    where it would search is passed over as its search would pass it over: no match, so the
    next pattern, from the start of the text."""
    searches = tuple(re.compile("|".join(map(re.escape, needles))).search for needles in each)
    count = len(patterns)

    def handle_inline(data: str, patternIndex: int = 0) -> str:  # Python-Markdown's signature
        if not isinstance(data, AtomicString):
            start = 0
            while patternIndex < count:
                if searches[patternIndex](data, start) is None:
                    patternIndex += 1
                    start = 0
                    continue
                data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
                if not matched:
                    patternIndex += 1
        return data

    return handle_inline


def _gate_text(md: markdown.Markdown) -> list[str]:
    """Make ``md``'s inline processor return, as it is, a run of text that holds no needle of
    any of its inline patterns (``inline:text``) and, when its loop is the one read
    (:data:`LOOP_READ_FROM`), pass over each pattern whose needles the text lacks, walking
    the patterns as a tuple (``inline:by-pattern``). Nothing changes (``[]``) unless every pattern is
    one of :data:`INLINE_NEEDLES` and the processor is Python-Markdown's own."""
    patterns = md.inlinePatterns
    processor = _named(md.treeprocessors, "inline")
    if (
        type(patterns) is not Registry
        or type(processor) is not InlineProcessor
        or vars(processor).get("inlinePatterns") is not patterns
        or not callable(getattr(processor, _HANDLE_INLINE, None))
    ):
        return []
    each: list[tuple[str, ...]] = []  # the needles of each pattern, in order
    for name in (item.name for item in patterns._priority):
        compiled = getattr(patterns[name], "compiled_re", None)
        if isinstance(compiled, Gated):
            compiled = compiled.compiled
        known = INLINE_NEEDLES.get(name)
        if known is None or not isinstance(compiled, re.Pattern) or compiled.pattern != known[0]:
            return []
        each.append(known[1])
    done = ["inline:text"]
    handle = getattr(processor, _HANDLE_INLINE)
    if _loop_as_read():
        handle = _pattern_by_pattern(getattr(processor, _APPLY_PATTERN), tuple(patterns), each)
        done.append("inline:by-pattern")
    handle = _skip_plain_text(handle, {needle for needles in each for needle in needles})
    patterns.__class__ = _Ordered
    setattr(processor, _HANDLE_INLINE, handle)  # its own inlinePatterns stay the registry

    def undo() -> None:
        vars(processor).pop(_HANDLE_INLINE, None)

    patterns.on_change = undo
    return done


def _skip_plain_text(handle: Callable[..., str], needles: set[str]) -> Callable[..., str]:
    """``handle(data, patternIndex)``, skipped when ``data`` holds none of ``needles``: a
    character class for the one-character needles (one C call), ``in`` for the others."""
    chars = sorted(n for n in needles if len(n) == 1)
    longer = tuple(sorted(n for n in needles if len(n) > 1 and not any(c in n for c in chars)))
    search = re.compile("[" + "".join(map(re.escape, chars)) + "]").search if chars else None

    def handle_inline(data: str, patternIndex: int = 0) -> str:  # Python-Markdown's signature
        if search is None or search(data) is None:
            for needle in longer:
                if needle in data:
                    break
            else:
                return data
        return handle(data, patternIndex)

    return handle_inline


#: Python-Markdown's substitution for lines of spaces only (``NormalizeWhitespace.run``).
_SPACES_LINE = re.compile(r"(?<=\n) +\n")


def _gate_whitespace(md: markdown.Markdown) -> list[str]:
    """Give ``md``'s ``NormalizeWhitespace`` its own ``run`` (``pre:normalize_whitespace``), the
    same steps as the installed one when it is a file read (:data:`PREPROCESSORS_READ_FROM`),
    with the tab expansion and the substitution skipped where they cannot change the text."""
    processor = _named(md.preprocessors, "normalize_whitespace")
    if (
        type(processor) is not preprocessors.NormalizeWhitespace
        or "run" in vars(processor)  # given its own already
        or not _preprocessors_as_read()
    ):
        return []

    def run(lines: list[str]) -> list[str]:
        source = "\n".join(lines)
        source = source.replace(util.STX, "").replace(util.ETX, "")
        source = source.replace("\r\n", "\n").replace("\r", "\n") + "\n\n"
        if "\t" in source:
            source = source.expandtabs(processor.md.tab_length)
        if "\n " in source:  # a line of spaces only starts so
            source = _SPACES_LINE.sub("\n", source)
        return source.split("\n")

    processor.run = run  # type: ignore[method-assign]  # this instance only
    return ["pre:normalize_whitespace"]


@lru_cache(maxsize=1)
def _preprocessors_as_read() -> bool:
    """Is the installed ``markdown/preprocessors.py`` one that :data:`PREPROCESSORS_READ_FROM` names?"""
    return mdbrackets.installed_as_read(preprocessors, PREPROCESSORS_READ_FROM)


def _named(registry: Any, name: str) -> Any:
    """The item ``registry`` (a Python-Markdown ``Registry``, which has no ``get``) holds as
    ``name``, or None."""
    return registry[name] if name in registry else None  # noqa: SIM401
