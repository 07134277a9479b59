"""Parsers of the top-level settings that are one value each (title, base_url, permalink, ...).

Each parser takes the collector, the entry and the settings being gathered,
and adds the setting when its value is good. ``base_url`` is only read here:
the loader checks it once a command-line override has had its say.
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newsgen.config.settings import EMBED_PROVIDERS, PERMALINK_TOKENS, Redirect
from newsgen.config.values import Collector, bool_value, int_value, sub_entries, text_value
from newsgen.core.sitepaths import SitePathProblem, clean_site_path
from newsgen.core.yamlio import Entry


def stripped_text(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    """``title``, ``description``, ``language``."""
    v = text_value(c, e, e.key)
    if v is not None:
        settings[e.key] = v.strip()


def base_url(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    v = text_value(c, e, e.key)
    if v is not None:
        settings["base_url"] = v


def timezone(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    v = text_value(c, e, e.key)
    if v is None:
        return
    try:
        ZoneInfo(v)
        settings["timezone"] = v
    except (ZoneInfoNotFoundError, ValueError):
        c.error(e.line, e.col, f"timezone: unknown time zone {v!r}; use an IANA name such as Europe/London")


def count(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    """``per_page`` and ``max_file_size`` (at least 1), ``more_stories`` (at least 0)."""
    v = int_value(c, e, e.key, 1 if e.key != "more_stories" else 0)
    if v is not None:
        settings[e.key] = v


def flag(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    """``unsafe_html``, ``search``."""
    v = bool_value(c, e, e.key)
    if v is not None:
        settings[e.key] = v


def permalink(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    value = text_value(c, e, e.key)
    if value is None:
        return
    if not value.startswith("/"):
        c.error(e.line, e.col, f"permalink: must start with '/', got {value!r}")
    if not (value.endswith(("/", ".html"))):
        c.error(e.line, e.col, f"permalink: must end with '/' or '.html', got {value!r}")
    tokens = re.findall(r"\{([^{}]*)\}", value)
    for t in tokens:
        if t not in PERMALINK_TOKENS:
            c.error(
                e.line,
                e.col,
                f"permalink: unknown placeholder {{{t}}}; use {', '.join(f'{{{x}}}' for x in PERMALINK_TOKENS)}",
            )
    if "slug" not in tokens:
        c.error(e.line, e.col, "permalink: must contain {slug} so that every article has its own URL")
    if ".." in value or "\\" in value:
        c.error(e.line, e.col, "permalink: must not contain '..' or '\\'")
    settings["permalink"] = value


def default_date(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    v = text_value(c, e, e.key) if not isinstance(e.value, date) else e.value.isoformat()
    if v is None:
        return
    try:
        settings["default_date"] = date.fromisoformat(v.strip())
    except ValueError:
        c.error(e.line, e.col, f"default_date: {v!r} is not a date; expected YYYY-MM-DD")


def extra(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    """``extra``: any mapping, handed to templates as ``site.extra``."""
    if isinstance(e.value, dict):
        settings["extra"] = e.value
    else:
        c.error(e.line, e.col, "extra: expected a mapping")


def wire(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    """``wire: sections:``: agency subject or genre codes (or names) to section names."""
    raw = sub_entries(c, e, "wire", ("sections",)).get("sections")
    if raw is None:
        return
    if not isinstance(raw, dict) or not all(
        isinstance(k, (str, int)) and isinstance(v, str) and v.strip() for k, v in raw.items()
    ):
        c.error(
            e.line,
            e.col,
            "wire.sections: expected a mapping from agency codes to section names, "
            "e.g. 'medtop:15000000: Sport'",
        )
        return
    settings["wire_sections"] = tuple((str(k).strip(), " ".join(v.split())) for k, v in raw.items())


def redirects(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    """``redirects``: a mapping of old site path -> new site path (or http(s) URL)."""
    if e.value is None:
        return
    if not isinstance(e.value, dict):
        c.error(e.line, e.col, "redirects: expected a mapping of old path -> new path, e.g. '/old/: /new/'")
        return
    out: list[Redirect] = []
    lines = {key: (line, col) for key, line, col, _, _ in e.value_positions}  # each entry's own
    for old, new in e.value.items():
        where = f"redirects: {str(old)[:100]!r}"
        line, col = lines.get(str(old), (e.line, e.col))
        if not isinstance(new, str) or not new.strip():
            c.error(line, col, f"{where}: expected the new path or URL as text")
            continue
        try:
            old_path = clean_site_path(str(old))
            target = new.strip()
            if not re.match(r"^https?://[^/\s]+\S*$", target):
                target = clean_site_path(target)
        except SitePathProblem as p:
            c.error(line, col, f"{where}: {p}")
            continue
        out.append(Redirect(old_path, target, line))
    settings["redirects"] = tuple(sorted(out, key=lambda r: r.old))


def embeds(c: Collector, e: Entry, settings: dict[str, Any]) -> None:
    """``embeds``: true (every service), false (none) or a list of services."""
    if isinstance(e.value, bool):
        settings["embeds"] = EMBED_PROVIDERS if e.value else ()
        return
    if not isinstance(e.value, list) or not all(isinstance(v, str) for v in e.value):
        c.error(
            e.line, e.col, f"embeds: expected true, false or a list of services, got {e.raw or e.value!r}"
        )
        return
    lines = e.item_lines if len(e.item_lines) == len(e.value) else (e.line,) * len(e.value)
    unknown = [(v, line) for v, line in zip(e.value, lines, strict=True) if v not in EMBED_PROVIDERS]
    for v, line in unknown:
        c.error(line, e.col, f"embeds: unknown service {v!r}" + _service_hint(v))
    if not unknown:
        settings["embeds"] = tuple(p for p in EMBED_PROVIDERS if p in e.value)


#: what else a service is called: X is the key ``twitter``
_SERVICE_ALIASES = {"x": "twitter", "x.com": "twitter", "twitter.com": "twitter", "bsky": "bluesky"}


def _service_hint(name: str) -> str:
    """The end of an unknown-service error: the key meant (``YouTube``, ``twiter``, ``x``), or all keys."""
    key = "_".join(name.casefold().replace("-", " ").split())
    if key in EMBED_PROVIDERS or key in _SERVICE_ALIASES:
        close = [_SERVICE_ALIASES.get(key, key)]
    else:
        close = difflib.get_close_matches(key, EMBED_PROVIDERS, n=1, cutoff=0.6)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; known services: {', '.join(sorted(EMBED_PROVIDERS))}"
