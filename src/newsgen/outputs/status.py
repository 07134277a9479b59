"""The status file, ``newsgen-status.json``, and the summary line about the
next scheduled change: when the published site next changes by itself (a
story's date, embargo or expiry, or the end of a breaking-news banner), so CI can schedule the next build."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from newsgen.core.urls import STATUS_FILE
from newsgen.model import Site


def status_json(site: Site) -> bytes:
    """``newsgen-status.json``: when the public site next changes.

    Only the time is given (never which story), so the file reveals nothing
    under embargo. It depends on ``now`` only through what is still to come,
    so rebuilding an unchanged site gives the same bytes until the change.
    """
    nxt = site.next_change
    doc = {
        "generator": "newsgen",
        "next_change": nxt.when.astimezone(site.config.tz).isoformat() if nxt else None,
        "next_change_utc": _utc(nxt.when) if nxt else None,
        "next_change_epoch": int(nxt.when.timestamp()) if nxt else None,
    }
    return (json.dumps(doc, indent=2) + "\n").encode("utf-8")


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def next_change_summary(site: Site) -> str:
    """The summary line about the next scheduled change."""
    nxt = site.next_change
    if nxt is None:
        return f"no scheduled changes (nothing dated, embargoed or expiring after now); see {STATUS_FILE}"
    when = nxt.when.astimezone(site.config.tz).isoformat()
    return f"next scheduled change: {when} ({nxt.article.source}: {nxt.kind}); see {STATUS_FILE}"
