"""A story folder's own files, published beside its page.

Hugo's page bundles (``content/post/x/index.md`` with ``img/a.png``) and Zola's colocated
assets keep a story's photos in its folder, and its body links them relatively
(``![](img/a.png)``). Discover gives such a story its folder's other files
(:attr:`newsgen.content.sources.Source.assets`); :func:`colocated` places each one at the
same place relative to the story's page as it has relative to its ``index.md``, so the
relative link finds it. From there on it is a file of the site like one of ``static/``:
published as it is, or made into sizes when it is a photo a story shows
(:func:`newsgen.theme.catalog.prepare_photos`).

Only the stories the site publishes now place their files: those of a draft, a scheduled
or an embargoed story wait with it.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from pathlib import Path

from newsgen.content.sources import Source
from newsgen.model import Article, Site


def colocated(site: Site, sources: Iterable[Source]) -> Mapping[str, Path]:
    """Each published story's assets by output path (relative to the output folder), sorted."""
    return placed((*site.articles, *site.unlisted), sources)


def placed(articles: Iterable[Article], sources: Iterable[Source]) -> Mapping[str, Path]:
    """The assets of ``articles`` by output path, sorted (``newsgen check`` places a draft's
    too: its photo is there when the draft is published)."""
    by_source = {s.display: s for s in sources if s.assets}
    if not by_source:
        return {}
    out: dict[str, Path] = {}
    for article in articles:
        source = by_source.get(article.source)
        if source is None:
            continue
        folder = posixpath.dirname(article.output_path)
        for path in source.assets:
            out[posixpath.join(folder, path.relative_to(source.path.parent).as_posix())] = path
    return dict(sorted(out.items()))
