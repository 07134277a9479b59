"""Agency updates and kills: many wire files, one story each.

Files that share an agency identity (ninjs ``uri``/``guid``, NITF
``doc-id``; a NITF kill notice joins the story its ``management-doc-idref``
names) are versions of one story. The newest version (``versioncreated``,
NITF ``date.release``; else its first-created date) wins and keeps the URL of
the oldest, so the address never changes; equal versions are a warning and
the last file by path wins. A story whose newest version is ``withheld`` or
``canceled`` is withdrawn: it appears nowhere, and its URL serves a short
"withdrawn" page (:attr:`~newsgen.model.Site.withdrawn`); a NITF kill notice
whose story is not among the files is a warning and makes no page. Items that
are not text (``status == "skipped"``) are dropped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from newsgen.errors import Diagnostic, Severity
from newsgen.model import Article
from newsgen.site.wirepics import usable_pictures

KILLED = ("withheld", "canceled")


def version(a: Article) -> tuple[float, str]:
    """Order of versions: the newer version time, then the later path."""
    return ((a.updated or a.date).timestamp(), a.source)


def merge_wire(
    articles: Sequence[Article], static: Path | None = None
) -> tuple[list[Article], list[Article], list[Diagnostic]]:
    """``(stories, withdrawn, warnings)``: every article that is not agency
    copy as it is, one story per identity, and the withdrawn stories. With the
    site's ``static`` folder, agency pictures that name no file of it and are not
    at a web address are left out (:mod:`newsgen.site.wirepics`)."""
    out: list[Article] = []
    versions: dict[str, list[Article]] = defaultdict(list)
    warnings: list[Diagnostic] = []
    for loaded in articles:
        if loaded.status == "skipped":
            continue
        if loaded.identity is None:
            out.append(loaded)
            continue
        a, found = usable_pictures(loaded, static) if static and loaded.status not in KILLED else (loaded, [])
        warnings += found
        versions[a.kills or loaded.identity].append(a)
    withdrawn: list[Article] = []
    for identity in sorted(versions):
        group = sorted(versions[identity], key=version)
        newest, first = group[-1], group[0]
        if len(group) > 1 and version(group[-2])[0] == version(newest)[0]:
            twin = group[-2]
            warnings.append(
                Diagnostic(
                    newest.source,
                    None,
                    None,
                    f"two versions of story {identity!r} have the same version time ({twin.source} and "
                    f"{newest.source}); using {newest.source}, the last by path",
                    Severity.WARNING,
                )
            )
        base = next((a for a in group if a.status not in KILLED), None)
        if base is None and newest.kills is not None:  # a kill notice for a story not in seeds/
            warnings.append(
                Diagnostic(
                    newest.source,
                    None,
                    None,
                    f"kill notice for story {identity!r}, which is not among the wire files: nothing to withdraw",
                    Severity.WARNING,
                )
            )
            continue
        base = base or first
        if newest is not base:
            updated = newest.updated or newest.date
            newest = replace(
                newest,
                url=base.url,
                output_path=base.output_path,
                slug=base.slug,
                date=base.date,
                updated=updated if updated > base.date else None,
            )
        (withdrawn if newest.status in KILLED else out).append(newest)
    return out, withdrawn, warnings
