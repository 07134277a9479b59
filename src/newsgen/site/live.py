"""Live coverage at the build's "now" (the updates are loaded by :mod:`newsgen.content.live`).

:func:`as_of` gives the story as a reader sees it at ``now``: only the updates
whose time has come, ``updated`` raised to the newest of them (so the story's
``modified`` time, its lists' order, ``dateModified`` and the sitemap's
``lastmod`` follow the coverage), and ``live`` true only while coverage runs
(``live: true`` and ``now`` before ``live_until``, when given). After
``live_until`` it is an ordinary story whose page says that coverage ended.

:func:`live_changes` are the future moments a live story changes by itself:
each update still to come, and the end of coverage; the build reports them
with the other scheduled changes (``Site.upcoming``).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from newsgen.model import Article, ScheduledChange


def as_of(a: Article, now: datetime) -> Article:
    """``a`` as published at ``now`` (``a`` itself when it is not live coverage)."""
    if not a.live and not a.updates:
        return a
    shown = tuple(u for u in a.updates if u.time <= now)
    live = a.live and (a.live_until is None or now < a.live_until)
    updated = a.updated
    if shown and (updated is None or shown[0].time > updated):
        updated = shown[0].time
    if shown == a.updates and live == a.live and updated == a.updated:
        return a
    return replace(a, updates=shown, live=live, updated=updated)


def live_changes(a: Article, now: datetime) -> list[ScheduledChange]:
    """The future updates of ``a`` and the end of its coverage, as scheduled changes."""
    changes = [ScheduledChange(u.time, "live update", a) for u in a.updates if u.time > now]
    if a.live and a.live_until is not None and a.live_until > now:
        changes.append(ScheduledChange(a.live_until, "live coverage ends", a))
    return changes


def listed_at(a: Article) -> datetime:
    """Where a story sorts in lists: its date, or a live story's latest public update."""
    if a.updates and a.updates[0].time > a.date:
        return a.updates[0].time
    return a.date
