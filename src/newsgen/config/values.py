"""What every section parser shares: the collector of problems and the checks of one value.

A top-level value is an :class:`~newsgen.core.yamlio.Entry` with its own line
and column; a value nested in a section (``feeds.entries``) is reported at
its section's position.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from newsgen.core.yamlio import Entry
from newsgen.errors import Diagnostic, Severity


def suggest(key: str, known: tuple[str, ...]) -> str:
    """The end of an unknown-key warning: the closest known key, or all of them."""
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(sorted(known))}"


class Collector:
    """The errors and warnings of one config file, in the order they were found."""

    def __init__(self, path: str | None):
        self.path = path
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, line: int | None, col: int | None, msg: str) -> None:
        self.errors.append(Diagnostic(self.path, line, col, msg))

    def warn(self, line: int | None, col: int | None, msg: str) -> None:
        self.warnings.append(Diagnostic(self.path, line, col, msg, Severity.WARNING))


def text_value(c: Collector, e: Entry, name: str) -> str | None:
    """A top-level text value; a number counts as the text it was written as."""
    if isinstance(e.value, str):
        return e.value
    if isinstance(e.value, (int, float)) and not isinstance(e.value, bool) and e.raw is not None:
        return e.raw
    c.error(e.line, e.col, f"{name}: expected text, got {type(e.value).__name__} {e.raw or e.value!r}")
    return None


def int_value(c: Collector, e: Entry, name: str, minimum: int) -> int | None:
    if isinstance(e.value, int) and not isinstance(e.value, bool) and e.value >= minimum:
        return e.value
    c.error(e.line, e.col, f"{name}: expected a whole number >= {minimum}, got {e.raw or e.value!r}")
    return None


def bool_value(c: Collector, e: Entry, name: str) -> bool | None:
    if isinstance(e.value, bool):
        return e.value
    c.error(e.line, e.col, f"{name}: expected true or false, got {e.raw or e.value!r}")
    return None


def sub_entries(c: Collector, e: Entry, name: str, known: tuple[str, ...]) -> dict[str, Any]:
    """Check a nested mapping's keys (an unknown one is a warning at its own line); nested
    values carry the parent's position."""
    if e.value is None:
        return {}
    if not isinstance(e.value, dict):
        c.error(e.line, e.col, f"{name}: expected a mapping of {', '.join(known)}")
        return {}
    out: dict[str, Any] = {}
    keys = {key: (line, col) for key, _, _, line, col in e.value_positions}
    for k, v in e.value.items():
        if k not in known:
            line, col = keys.get(str(k), (e.line, e.col))
            c.warn(line, col, f"unknown key '{name}.{k}' is ignored{suggest(str(k), known)}")
            continue
        out[k] = v
    return out


def is_url_or_path(value: str, *, path_ok: bool = True) -> bool:
    """An http(s) URL, or (when ``path_ok``) a site path with no scheme."""
    if re.match(r"^https?://[^/\s]+\S*$", value):
        return True
    return (
        path_ok
        and bool(value)
        and not re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.I)
        and not any(ch.isspace() for ch in value)
    )
