"""Keying pages without fingerprinting their contexts, when nothing but story bodies changed.

A page's own key digests its context (:mod:`newsgen.incremental.fingerprint`),
and digesting 15,500 contexts was most of the keying of a one-article edit at
10,000 articles. Yet after a body edit every context is what it was:

* The *plan key* (:func:`plan_key`) is the stamp's digest of everything the
  output depends on but "now" (:func:`newsgen.incremental.stamp.inputs_key`:
  newsgen's code, the configuration, the templates, the static files,
  ``authors.yaml``, the site pages, ``--drafts``, ``--strict``, every source),
  with each Markdown story (not a live one) stood for by its cache record
  instead of its file. The record holds every field of the story but its
  body (:mod:`newsgen.incremental.load`; nothing derived from the body is
  stored in it), so a body edit leaves the plan key as it was, and any other
  edit changes it.
* The stamp's reasoning (:mod:`newsgen.incremental.stamp`) is that the same
  inputs give the same output at any "now" from the build's own up to the next
  scheduled change (:func:`~newsgen.incremental.stamp.valid_until`). The bodies
  aside, the inputs are the same; and a page that shows a body is found by its
  recorded reads (:class:`~newsgen.core.recording.DependencyRecorder`), as always.

So when the plan key is the last build's and "now" lies in its window, each
page takes its own key from the last build (:data:`META`) and only the bodies
and story lists it read are digested (:meth:`newsgen.incremental.keying.RenderPlan.key`).
Otherwise (anything else changed, a build as of another time, a page the
last build did not have) the page is fingerprinted as usual. The record is
looked up as soon as the stories are loaded: with it, every story's More
Stories are the last build's too, read from the cache without checking them
when a page that shows them is made (:class:`newsgen.incremental.related.StoredRankings`).

The record also keeps the last build's page key of each page and a token of
each body and story list its pages read (a text that determines its digest:
a kept body's key, else the digest; :class:`Last`). A page whose stored key
is the one the record names, and none of whose reads changed token since,
has that key again (its own key and its reads are the last build's): it is
kept without digesting its reads again. The reads whose token changed are found
first, and the pages that read one of them are looked up in the cache by that read
(:func:`newsgen.incremental.keying.plan_render`): every other page is kept without
even loading its reads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from newsgen.config import Config
from newsgen.content.sources import Source
from newsgen.incremental.schema import PLAN_META
from newsgen.incremental.stamp import inputs_key
from newsgen.incremental.store import BuildCache

#: The cache's meta record of the last build's plan key and window; the rest of the
#: record is in the tables ``plan`` and ``plan_reads`` (:mod:`newsgen.incremental.store`).
META = PLAN_META


@dataclass(frozen=True)
class Last:
    """What the last build's record holds: each page's own key and page key (by
    output path), and the token of each deep field its pages read (by
    ``"kind:url"``, see :func:`ident_name`)."""

    owns: Mapping[str, str]
    keys: Mapping[str, str] = field(default_factory=dict)
    tokens: Mapping[str, str] = field(default_factory=dict)


def ident_name(ident: tuple[str, str]) -> str:
    """How the record names a deep read: ``("article", "/a/")`` -> ``"article:/a/"``."""
    return f"{ident[0]}:{ident[1]}"


def plan_key(
    config: Config,
    sources: Sequence[Source],
    source_keys: Sequence[str | None],
    records: Mapping[str, str],
    *,
    theme: Path,
    drafts: bool,
    strict: bool,
) -> str | None:
    """The digest of every input but the stories' bodies (see the module docstring); ``records``
    holds the digest of each Markdown story's cache record, by source. None: not known."""
    keys: list[str | None] = []
    for source, key in zip(sources, source_keys, strict=True):
        # (a story with assets keeps its own key: a changed photo beside it changes the plan)
        by_record = source.kind == "markdown" and not source.updates and not source.assets
        record = records.get(source.display) if by_record else None
        keys.append(f"record:{source.display}:{record}" if record is not None else key)
    return inputs_key(config, keys, theme=theme, drafts=drafts, strict=strict)


def load(cache: BuildCache, key: str | None, now: datetime) -> Last | None:
    """The last build's own key of each page (by output path) and the rest of its record,
    when its plan key is ``key`` and ``now`` lies in its window; else None."""
    if key is None or not cache.enabled:
        return None
    text = cache.meta(META)
    if text is None:
        return None
    try:
        data = json.loads(text)
        if data["key"] != key:
            return None
        since = datetime.fromisoformat(data["now"])
        until = datetime.fromisoformat(data["until"]) if data["until"] is not None else None
        if now < since or (until is not None and now >= until):
            return None
    except (ValueError, KeyError, TypeError):
        return None
    rows, tokens = cache.plan(), cache.plan_reads()
    owns = {p: own for p, (own, _) in rows.items() if own}
    keys = {p: k for p, (_, k) in rows.items() if k}
    for table in (owns, keys, tokens):
        if not all(type(v) is str for v in table.values()):
            return None
    return Last(owns, keys, tokens)


def record(
    key: str | None,
    now: datetime,
    until: datetime | None,
    owns: Mapping[str, str],
    keys: Mapping[str, str] | None = None,
    tokens: Mapping[str, str] | None = None,
) -> tuple[str | None, dict[str, tuple[str, str]], Mapping[str, str]]:
    """This build's record, for :meth:`BuildCache.save`: its plan key and window (``meta``),
    each page's own key and page key, and the tokens of the deep fields its pages read
    (see :class:`Last`); or nothing (``key`` None: forget the last one)."""
    if key is None:
        return None, {}, {}
    keys = keys or {}
    text = json.dumps(
        {"key": key, "now": now.isoformat(), "until": until.isoformat() if until is not None else None},
        separators=(",", ":"),
    )
    if owns.keys() == keys.keys():  # as usual: every page has both (pairs made in C)
        rows = dict(zip(owns, zip(owns.values(), map(keys.__getitem__, owns), strict=True), strict=True))
    else:
        rows = {p: (owns.get(p, ""), keys.get(p, "")) for p in owns.keys() | keys.keys()}
    return text, rows, tokens or {}
