"""Plain-text agency copy (``.txt`` in ``seeds/``), as agencies send it: the first
non-empty line is the headline, then paragraphs separated by blank lines; a last
line reading ``MORE STORIES`` (any case) is the agency's marker and is dropped."""

from __future__ import annotations

import re

_MORE_STORIES = re.compile(r"^\s*more\s+stories\s*$", re.I)
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")


def wire_parts(body: str) -> tuple[str | None, list[str]]:
    """The headline line and the paragraphs of wire copy."""
    blocks = []
    for block in _BLANK_LINES.split(body.strip("\n")):
        lines = [ln.strip() for ln in block.split("\n")]
        text = "\n".join(ln for ln in lines if ln)
        if text:
            blocks.append(text)
    if blocks and _MORE_STORIES.match(blocks[-1].split("\n")[-1]):
        last = blocks.pop().split("\n")[:-1]
        if last:
            blocks.append("\n".join(last))
    headline = None
    if blocks:
        first_lines = blocks[0].split("\n")
        headline = first_lines[0]
        rest = "\n".join(first_lines[1:])
        blocks = ([rest] if rest else []) + blocks[1:]
    return headline, blocks


def wire_headline_line(body: str, body_line: int) -> int:
    """The file line of wire copy's headline: the body's first non-blank line."""
    for i, line in enumerate(body.split("\n")):
        if line.strip():
            return body_line + i
    return body_line
