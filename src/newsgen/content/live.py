"""Live coverage: a story told as it happens, one Markdown file per update.

A live story is a folder ``articles/<slug>/`` whose ``index.md`` says
``live: true`` (and, optionally, ``live_until:``, when coverage ends). Every
other Markdown file in that folder is one update (found by
:func:`newsgen.content.sources.discover`, which keeps them out of the
stories)::

    ---
    time: 2026-11-04T21:30      # required; the site's time zone unless an offset is given
    title: Polls close          # optional
    author: Night Desk          # optional
    ---
    The body, in Markdown.

One file per update keeps editors working at the same time out of each
other's way in git. Each update's anchor on the page is
``update-YYYYMMDDTHHMMZ`` (its time in UTC; ``...THHMMSSZ`` when the seconds
are not zero): :func:`update_anchor`. Problems name the update file and line:
a missing or bad ``time``, two updates with one anchor, an update with no
text, an update next to an ``index.md`` that is not live.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newsgen.config import Config
from newsgen.content.fmformats import read_front_matter
from newsgen.content.frontmatter import FileErrors, as_datetime, as_flag, optional_text
from newsgen.content.mdguard import MarkdownProblem
from newsgen.content.sources import Source, decode, read_source
from newsgen.core.yamlio import Entry
from newsgen.errors import ContentError, Diagnostic
from newsgen.model import LiveUpdate

#: The front matter keys of an index.md that live coverage reads.
LIVE_KEYS = ("live", "live_until")
UPDATE_KEYS = ("time", "title", "author")


def update_anchor(when: datetime) -> str:
    """The fragment of an update: ``update-20261104T2130Z`` (UTC, seconds when not zero)."""
    u = when.astimezone(UTC)
    return "update-" + u.strftime("%Y%m%dT%H%M%SZ" if u.second else "%Y%m%dT%H%MZ")


def read_live(
    source: Source, entries: dict[str, Entry], f: FileErrors, config: Config, md: Any
) -> tuple[bool, datetime | None, tuple[LiveUpdate, ...]]:
    """``live``, ``live_until`` and the updates (newest first) of the story in
    ``source``; every problem goes to ``f`` (an update file's under its own name)."""
    live = as_flag(f, entries.get("live"))
    e = entries.get("live_until")
    live_until = as_datetime(f, e, config.tz) if e is not None and e.value is not None else None
    if e is not None and not live:
        f.warn(e.key_line, e.key_col, "live_until: has no effect without 'live: true'")
    if not source.updates:
        return live, live_until, ()
    if not live:
        for u in source.updates:
            f.errors.append(
                Diagnostic(
                    u.display,
                    1,
                    1,
                    f"a live update next to {source.display}, which is not live; add 'live: true' "
                    f"to {source.display}, or move this file out of its folder",
                )
            )
        return live, live_until, ()
    updates: list[LiveUpdate] = []
    seen: dict[str, LiveUpdate] = {}
    for u in source.updates:
        update = _read_update(u, f, config, md)
        if update is None:
            continue
        first = seen.get(update.anchor)
        if first is not None:
            f.errors.append(
                Diagnostic(
                    u.display,
                    update.line,
                    1,
                    f"time: {update.time.isoformat()} is the time of another update of this story "
                    f"({first.source}:{first.line}; both would be #{update.anchor}); "
                    "give each update its own time",
                )
            )
            continue
        seen[update.anchor] = update
        updates.append(update)
    updates.sort(key=lambda x: (-x.time.timestamp(), x.source))
    return live, live_until, tuple(updates)


def _read_update(u: Source, story: FileErrors, config: Config, md: Any) -> LiveUpdate | None:
    """One update file, or None with its problems added to ``story``."""
    f = FileErrors(u)
    try:
        text = decode(read_source(u, config.max_file_size), u.display)
        parsed, fm_line, body, body_line = read_front_matter(text, u.display, pelican=False)
    except ContentError as exc:
        story.errors.extend(exc.diagnostics)
        return None
    entries = {e.key: e for e in parsed or []}
    for key, other in entries.items():
        if key not in UPDATE_KEYS:
            f.warn(
                other.key_line,
                other.key_col,
                f"{key}: not used by a live update (it reads time, title, author)",
            )
    when = None
    e: Entry | None = entries.get("time")
    if e is None or e.value is None:
        at = e.line if e is not None else max(fm_line - 1, 1)
        f.error(at, 1, "time: missing; every live update needs one, e.g. 'time: 2026-11-04T21:30'")
    else:
        when = as_datetime(f, e, config.tz)
    title = optional_text(f, entries.get("title"))
    author = optional_text(f, entries.get("author"))
    html = ""
    try:
        html = md.convert(body) if body.strip() else ""
    except MarkdownProblem as p:
        f.error(body_line + p.line - 1, 1, p.message)
    except RecursionError:
        f.error(body_line, 1, "Markdown is nested too deeply to convert")
    if not html.strip() and title is None and not f.errors:
        f.error(body_line, 1, "the update has no text; write its body after the front matter")
    story.errors.extend(f.errors)
    story.warnings.extend(f.warnings)
    if f.errors or when is None:
        return None
    assert e is not None
    return LiveUpdate(
        time=when,
        anchor=update_anchor(when),
        source=u.display,
        line=e.line,
        title=title,
        author=author,
        body=html,
    )
