"""newsgen's own XML escapes and RSS date give exactly what the standard library's did
(the feeds' bytes must not change): ``xml.sax.saxutils.escape``/``quoteattr`` and
``email.utils.format_datetime``, on random text and dates."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape as sax_escape
from xml.sax.saxutils import quoteattr as sax_quoteattr
from zoneinfo import ZoneInfo

from newsgen.core.dates import rfc2822
from newsgen.core.xmltext import escape, quoteattr

ALPHABET = "ab &<>\"'\n\r\t\u00e9\u2014;#x"


def test_escape_and_quoteattr_equal_the_standard_library_on_random_text():
    rng = random.Random(18)
    texts = ["", "plain", "Tom & Jerry <b>", 'say "hi"', "it's", "both \" and '", "a\nb\rc\td"]
    texts += ["".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 24))) for _ in range(5000)]
    for t in texts:
        assert escape(t) == sax_escape(t), t
        assert quoteattr(t) == sax_quoteattr(t), t


def test_rfc2822_equals_email_format_datetime():
    rng = random.Random(2822)
    zones = [UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8)),
             ZoneInfo("Europe/London"), ZoneInfo("America/New_York"), None]  # fmt: skip
    start = datetime(1999, 1, 1)
    for _ in range(3000):
        d = start + timedelta(seconds=rng.randrange(0, 40 * 365 * 86400))
        tz = rng.choice(zones)
        d = d.replace(tzinfo=tz) if tz is not None else d
        assert rfc2822(d) == format_datetime(d), d
