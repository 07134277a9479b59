"""Which feeds a page announces: the feed formats and the links to them.

A feed lives in a folder: the site-wide feeds in ``/`` and, for example, a
section's in ``/politics/``. Each enabled format has a fixed file name there:

    atom   feed.xml    application/atom+xml
    rss    rss.xml     application/rss+xml
    json   feed.json   application/feed+json   (JSON Feed 1.1)

The theme announces them (``<link rel="alternate">``, the footer's links) and
:mod:`newsgen.outputs.feeds` writes them; both take the names from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from newsgen.config import Config


@dataclass(frozen=True)
class FeedFormat:
    name: str  # as written in feeds.formats
    filename: str
    media_type: str
    label: str  # shown to readers


FORMATS: Mapping[str, FeedFormat] = MappingProxyType(
    {
        "atom": FeedFormat("atom", "feed.xml", "application/atom+xml", "Atom"),
        "rss": FeedFormat("rss", "rss.xml", "application/rss+xml", "RSS"),
        "json": FeedFormat("json", "feed.json", "application/feed+json", "JSON Feed"),
    }
)


@dataclass(frozen=True)
class FeedLink:
    """One feed as a page announces it (``<link rel="alternate">``)."""

    url: str  # site path, e.g. /politics/feed.xml
    type: str  # media type
    title: str  # e.g. "The Courier: Politics (Atom)"
    format: str  # atom, rss or json
    label: str  # Atom, RSS or JSON Feed


def feed_links(config: Config, folder: str, title: str) -> tuple[FeedLink, ...]:
    """The enabled feeds of ``folder``, in ``feeds.formats`` order."""
    return tuple(
        FeedLink(
            url=folder + FORMATS[f].filename,
            type=FORMATS[f].media_type,
            title=f"{title} ({FORMATS[f].label})",
            format=f,
            label=FORMATS[f].label,
        )
        for f in config.feed_formats
    )
