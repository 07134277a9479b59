"""Date archives (a year's page and its months, in the site's time zone) and the
corrections list (every correction with its story, newest first)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from newsgen.config import Config
from newsgen.core.dates import MONTHS
from newsgen.core.urls import archive_url
from newsgen.model import (
    Archive,
    Article,
    CorrectionEntry,
)


def date_archives(published: Sequence[Article], config: Config) -> tuple[Archive, ...]:
    """Year archives, newest first, each with its month archives, by date in the site timezone."""
    tz = config.tz
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for a in published:
        local = a.date.astimezone(tz)
        months[(local.year, local.month)].append(a)
    years: dict[int, list[Archive]] = defaultdict(list)
    for y, m in sorted(months, reverse=True):
        years[y].append(
            Archive(
                name=f"{MONTHS[m - 1]} {y}",
                slug=f"{m:02d}",
                url=archive_url(y, m),
                stories=tuple(months[(y, m)]),
                year=y,
                month=m,
            )
        )
    return tuple(
        Archive(
            name=str(y),
            slug=f"{y:04d}",
            url=archive_url(y),
            stories=tuple(a for m in ms for a in m.stories),
            year=y,
            months=tuple(ms),
        )
        for y, ms in sorted(years.items(), reverse=True)
    )


def corrections_of(published: Sequence[Article]) -> tuple[CorrectionEntry, ...]:
    """Every correction of every public story, newest first."""
    entries = [CorrectionEntry(c, a) for a in published for c in a.corrections]
    return tuple(
        sorted(entries, key=lambda e: (-e.correction.date.timestamp(), e.article.url, e.correction.text))
    )
