"""``breaking.json``: the breaking-news banners, for the theme's banner script.

Every page of the default theme carries an empty, hidden banner slot and a
small first-party script (``static/js/breaking.js``) that fetches this file
and shows each entry while its ``until`` is in the future. So a banner that
starts or ends rewrites this file and the front page (which also draws the
banner in its HTML, for readers without JavaScript), never every page; and a
banner ends on time even when no build runs at that moment.

The file is a JSON list, newest story first, empty when there is no banner::

    [{"headline": "...", "url": "2025/03/01/slug/", "until": "2025-03-01T15:00:00+00:00"}]

``url`` is relative to the file itself (so it works under any base path);
``until`` is an ISO 8601 time with its UTC offset (the site's time zone).
The file depends on "now" only through which banners show, so rebuilding
an unchanged site gives the same bytes.
"""

from __future__ import annotations

import json

from newsgen.model import OutputPage, Site

BREAKING_FILE = "breaking.json"


def breaking_json(site: Site) -> bytes:
    tz = site.config.tz
    entries = [
        {"headline": a.title, "url": a.url.lstrip("/"), "until": a.breaking_ends.astimezone(tz).isoformat()}
        for a in site.breaking
        if a.breaking_ends is not None
    ]
    return (json.dumps(entries, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def breaking_page(site: Site) -> OutputPage:
    return OutputPage(
        output_path=BREAKING_FILE,
        kind="breaking",
        source="breaking-news banners",
        context={"data": breaking_json(site)},
    )
