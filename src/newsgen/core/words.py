"""Counting the words of a body of HTML (an article's ``word_count``)."""

from __future__ import annotations

import html
import re

_TAG = re.compile(r"<[^<>]*>")  # never rescans past the next "<": linear on any input
_WORD = re.compile(r"\w+(?:[-'’]\w+)*")


def count_words(body_html: str) -> int:
    """Words in a body of HTML: its text outside tags, entities decoded."""
    return len(_WORD.findall(html.unescape(_TAG.sub(" ", body_html))))
