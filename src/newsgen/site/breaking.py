"""Breaking news: which stories show a banner at "now", and when each banner ends.

A story is breaking when its front matter says ``breaking: true`` or the
agency sent it with urgency 1 or 2 (:attr:`~newsgen.model.Article.breaking`).
Its banner shows from the moment the story is public until
``breaking_until`` (default: :data:`~newsgen.model.BREAKING_HOURS` hours
after its date), or until the story stops being public, whichever is first.
An unlisted story never has a banner (it is in no list). The end of every
banner still to come is a scheduled change (``Site.upcoming``), so the next
build can be timed for it; between builds the theme's script hides a banner
on time by itself (see ``breaking.json``, :mod:`newsgen.outputs.breaking`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime

from newsgen.model import Article, ScheduledChange

BANNER_ENDS = "breaking banner ends"

Window = Callable[[Article], tuple[datetime, datetime | None]]


def banners(published: Sequence[Article], now: datetime) -> tuple[Article, ...]:
    """The listed public stories (newest first, as given) whose banner shows at ``now``."""
    return tuple(a for a in published if (ends := a.breaking_ends) is not None and now < ends)


def banner_ends(candidates: Iterable[Article], now: datetime, window: Window) -> list[ScheduledChange]:
    """A scheduled change at the end of every banner still to come: a breaking
    story, listed, public now or later, whose banner ends after ``now``, after it
    is published and before it expires."""
    changes = []
    for a in candidates:
        ends = a.breaking_ends
        if ends is None or a.unlisted or ends <= now:
            continue
        starts, expires = window(a)
        if ends > starts and (expires is None or ends < expires):
            changes.append(ScheduledChange(ends, BANNER_ENDS, a))
    return changes
