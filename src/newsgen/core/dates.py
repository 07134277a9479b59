"""Reading dates the way newsrooms write them.

Accepted (``T`` or spaces between date and time; offset optional)::

    2025-03-01
    2025-03-01T09:30            2025-03-01T09:30:00.250
    2025-03-01T09:30:00+01:00   2025-03-01T09:30:00Z
    2013-05-06 02:12:52 +0200   (Jekyll)

and what the generators a newsroom moves from accept: Jekyll's Ruby
``Time.parse`` offsets (``-4``, ``-0400``, ``+02``, ``+02:00``, ``Z``), one-digit
hours, months and days (``2024-12-5 9:00:00``), a repeated year after the time
(``2023-01-29 18:30:22 2023 -0800``); Hugo and Zola's RFC 3339 and TOML
datetimes; Pelican's ``2010-12-03 10:20``.

A date or time written without an offset is in the site timezone. A date
without a time is midnight in the site timezone.

The build's "now" (:func:`build_now`) is, in order of precedence: the
``--as-of`` value, the ``SOURCE_DATE_EPOCH`` environment variable (seconds
since 1970-01-01 UTC, as reproducible-build tools set it), the real clock.
RSS writes its dates as :func:`rfc2822` gives them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo

_DATE_RE = re.compile(
    r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:(?:T|\s+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d+))?)?)?"
    r"(?:\s+(?P<y2>\d{4}))?"  # Ruby's Time#to_s order: "18:30:22 2023 -0800"
    r"\s*(?P<tz>Z|UTC|GMT|[+-](?:\d{4}|\d{1,2}(?::\d{2})?))?$",
    re.I,
)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)  # as readers see them ("3 March 2025", the "March 2025" archive): English, whatever the locale

EXPECTED = "expected YYYY-MM-DD, optionally with a time HH:MM[:SS] and an offset such as +01:00"


class DateProblem(ValueError):
    """The text is not a date newsgen understands; the message says why."""


def parse_datetime(text: str, tz: tzinfo) -> datetime:
    """Parse ``text`` into an aware datetime; naive values are taken in ``tz``."""
    s = text.strip()
    m = _DATE_RE.match(s)
    if not m:
        raise DateProblem(f"{text!r} is not a date; {EXPECTED}")
    g = m.groupdict()
    if g["y2"] is not None and g["y2"] != g["y"]:
        raise DateProblem(f"{text!r} names two different years ({g['y']} and {g['y2']})")
    try:
        date(int(g["y"]), int(g["m"]), int(g["d"]))
    except ValueError as exc:
        raise DateProblem(f"{text!r} is not a valid date: {exc}") from None
    if not 1 < int(g["y"]) < 9999:  # leave room to convert between time zones without overflow
        raise DateProblem(f"{text!r} is out of range; years 2 to 9998 are supported")
    frac = (g["f"] or "0")[:6].ljust(6, "0")
    try:
        naive = datetime(
            int(g["y"]),
            int(g["m"]),
            int(g["d"]),
            int(g["H"] or 0),
            int(g["M"] or 0),
            int(g["S"] or 0),
            int(frac),
        )
    except ValueError as exc:
        raise DateProblem(f"{text!r} is not a valid time: {exc}") from None
    zone = g["tz"]
    if not zone:
        return naive.replace(tzinfo=tz)
    if zone.upper() in ("Z", "UTC", "GMT"):
        return naive.replace(tzinfo=UTC)
    sign = -1 if zone[0] == "-" else 1
    hours_text, _, minutes_text = zone[1:].partition(":")
    if len(hours_text) == 4:  # -0400
        hours_text, minutes_text = hours_text[:2], hours_text[2:]
    hours, minutes = int(hours_text), int(minutes_text or 0)
    if hours > 23 or minutes > 59:
        raise DateProblem(f"{text!r} has an impossible UTC offset {zone}")
    return naive.replace(tzinfo=timezone(sign * timedelta(hours=hours, minutes=minutes)))


def midnight(d: date, tz: tzinfo) -> datetime:
    return datetime(d.year, d.month, d.day, tzinfo=tz)


def build_now(
    as_of: str | None, source_date_epoch: str | None, tz: tzinfo, clock: Callable[[], datetime]
) -> datetime:
    """The one "now" of a build (see the module docstring).

    ``clock`` is only called when neither ``as_of`` nor ``source_date_epoch``
    is given. Raises :class:`DateProblem` naming the setting that is wrong.
    """
    if as_of is not None:
        try:
            return parse_datetime(as_of, tz)
        except DateProblem as p:
            raise DateProblem(f"--as-of: {p}") from None
    if source_date_epoch is not None and source_date_epoch.strip():
        text = source_date_epoch.strip()
        if not text.isdigit():
            raise DateProblem(
                f"SOURCE_DATE_EPOCH: {source_date_epoch!r} is not a whole number of seconds "
                "since 1970-01-01 UTC"
            )
        try:
            return datetime.fromtimestamp(int(text), UTC)
        except (OverflowError, OSError, ValueError):
            raise DateProblem(f"SOURCE_DATE_EPOCH: {text} is out of range") from None
    now = clock()
    if now.tzinfo is None:
        raise ValueError("clock() must return an aware datetime")
    return now


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc2822(d: datetime) -> str:
    """``d`` as RSS dates it (RFC 2822), e.g. ``Sat, 05 Dec 2026 09:20:28 +0000``;
    the same text as ``email.utils.format_datetime``, without importing the
    ``email`` package at every build's start."""
    zone = d.strftime("%z") if d.tzinfo is not None else "-0000"
    return (
        f"{_DAYS[d.weekday()]}, {d.day:02d} {_MONS[d.month - 1]} {d.year:04d} "
        f"{d.hour:02d}:{d.minute:02d}:{d.second:02d} {zone}"
    )
