"""Dates as the generators a newsroom moves from wrote them (Jekyll, Hugo, Zola, Pelican)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsgen.core.dates import DateProblem, parse_datetime


def tz(hours: float) -> timezone:
    return timezone(timedelta(hours=hours))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2015-03-17 14:00:00 -4", datetime(2015, 3, 17, 14, tzinfo=tz(-4))),
        ("2015-03-17 14:00:00 -0400", datetime(2015, 3, 17, 14, tzinfo=tz(-4))),
        ("2015-03-17 14:00 +02", datetime(2015, 3, 17, 14, tzinfo=tz(2))),
        ("2015-03-17 14:00:00 +02:00", datetime(2015, 3, 17, 14, tzinfo=tz(2))),
        ("2015-03-17 14:00:00 +05:30", datetime(2015, 3, 17, 14, tzinfo=tz(5.5))),
        ("2015-03-17T14:00:00Z", datetime(2015, 3, 17, 14, tzinfo=UTC)),
        ("2015-03-17 9:00:00", datetime(2015, 3, 17, 9, tzinfo=UTC)),
        ("2023-01-29 18:30:22 2023 -0800", datetime(2023, 1, 29, 18, 30, 22, tzinfo=tz(-8))),
        ("2024-12-5", datetime(2024, 12, 5, tzinfo=UTC)),
        ("2010-12-03 10:20", datetime(2010, 12, 3, 10, 20, tzinfo=UTC)),
        ("1979-05-27T07:32:00.999999-07:00", datetime(1979, 5, 27, 7, 32, 0, 999999, tzinfo=tz(-7))),
    ],
)
def test_generator_dates_are_read(text, expected):
    assert parse_datetime(text, UTC) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2024-02-30", "day is out of range"),
        ("2023-01-29 18:30:22 2022 -0800", "two different years"),
        ("2015-03-17 14:00 +25", "impossible UTC offset"),
        ("March 3rd", "is not a date"),
    ],
)
def test_what_no_generator_accepts_is_still_an_error(text, why):
    with pytest.raises(DateProblem, match=why):
        parse_datetime(text, UTC)


def test_jekyll_filename_date_with_one_digit_month_and_day(write_site):
    from newsgen.config import load_config
    from newsgen.content.loader import load_article
    from newsgen.content.markup import MarkdownRenderer
    from newsgen.content.sources import Source

    site = write_site({"articles/2024-1-5-cold-snap.md": "---\ntitle: Cold snap\n---\nBody.\n"})
    cfg, _ = load_config(site)
    src = Source(site / "articles/2024-1-5-cold-snap.md", "articles/2024-1-5-cold-snap.md", "markdown")
    a, _ = load_article(src, cfg, MarkdownRenderer(unsafe_html=False))
    assert a.slug == "cold-snap"
    assert a.date.date().isoformat() == "2024-01-05"
    assert a.date_from == "filename"
