"""Assemble loaded articles into a :class:`~newsgen.model.Site`.

``build_site(articles, config, now, drafts=False, profiles=None)`` decides
what is published at ``now``, orders the stories newest first (ties by URL,
so the order never depends on the file system), refuses two stories that
claim the same URL, groups the stories into sections, tags, authors and date
archives, lists the corrections, and computes every article's More Stories;
agency versions and kills are merged first (:mod:`newsgen.site.wire`).
It never reads the clock: ``now`` is passed in by the build.

Publishing on a clock
---------------------
A story is public at ``now`` when all of these hold:

* it is not ``draft: true`` (unless the build is a ``--drafts`` preview);
* its ``date`` is not in the future;
* its ``embargo`` (if any) is not in the future;
* its ``expires`` (if any) is in the future.

A story that is not public appears nowhere: no page, no list, no feed
entry, no More Stories link. An expired story's page is removed from the
output on the next build (newsgen deletes the files it wrote before), so its
old URL answers "404 Not Found"; nothing redirects or keeps a tombstone, as a
story is usually expired because its licence or legal clearance ran out.

``Site.upcoming`` lists every future moment at which the public site will
change (a date or embargo reached, an expiry, a live update's time, the end
of live coverage: :mod:`newsgen.site.live`, a breaking-news banner's end:
:mod:`newsgen.site.breaking`), soonest first, so a build can
report when it should next run.

Links between stories: a public story whose body links to, or spells out the
address of, a story under embargo is an error naming both files (the link
would reveal it). A link to a story that is scheduled for later, expired or a
draft is a warning (the link is broken until then).

Groupings
---------
Names are matched with :func:`~newsgen.core.urls.name_key` (case, accents and
spacing ignored). When one name is written in several ways, the most used
spelling is shown (ties: the spelling used first) and every other spelling
gets a warning. Two different names that would share a page (``C++`` and
``C#`` are both ``/tags/c/``) are an error naming the files of both, at the
line of the first file where the name is written.

Two stories with one URL are an error for each, at the line that made its
URL (:func:`url_line`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType

from newsgen.config import Config
from newsgen.content.markup import linked_urls
from newsgen.core.urls import author_url, name_key, resolve_link, section_url, slugify, tag_url
from newsgen.errors import BuildError, Diagnostic, Severity
from newsgen.model import (
    Article,
    Author,
    AuthorProfile,
    Group,
    ScheduledChange,
    Section,
    Site,
    Tag,
)
from newsgen.site.archives import corrections_of, date_archives
from newsgen.site.breaking import banner_ends, banners
from newsgen.site.live import as_of, listed_at, live_changes
from newsgen.site.related import RelatedIndex, rank_related
from newsgen.site.wire import merge_wire


def newest_first(articles: Iterable[Article]) -> list[Article]:
    return sorted(articles, key=lambda a: (-listed_at(a).timestamp(), a.url))


RelatedFn = Callable[[Sequence[Article], RelatedIndex], Mapping[str, tuple[Article, ...]]]


def build_site(
    articles: Iterable[Article],
    config: Config,
    now: datetime,
    *,
    drafts: bool = False,
    profiles: Mapping[str, AuthorProfile] | None = None,
    related: RelatedFn | None = None,
) -> Site:
    """The site as published at ``now``.

    ``drafts`` includes ``draft: true`` stories (a preview build).
    ``profiles`` is the author registry keyed by name key, or None when the
    site has no ``authors.yaml``. Warnings are in ``Site.warnings``; errors
    raise :class:`BuildError` listing all of them. ``related`` computes every
    published story's More Stories from the index (the build passes a
    parallel, cached one); by default each is ranked here.
    """
    if now.tzinfo is None:
        raise ValueError("build_site needs a timezone-aware 'now'")
    everything, withdrawn, warnings = merge_wire(list(articles), config.paths.static)  # updates, kills
    candidates = [a for a in everything if drafts or not a.draft]
    _check_same_url(candidates, config.permalink)

    public, upcoming, public_ids = [], [], set()
    for a in candidates:
        starts, ends = publication_window(a)
        if starts <= now and (ends is None or now < ends):
            public.append(as_of(a, now))  # a live story: the updates public now
            public_ids.add(id(a))
        if ends is not None and ends <= starts:
            continue  # never public: changes nothing
        upcoming += [c for c in live_changes(a, now) if c.when >= starts and (ends is None or c.when < ends)]
        if starts > now:
            kind = "embargo lifts" if a.embargo is not None and a.embargo >= a.date else "publish"
            upcoming.append(ScheduledChange(starts, kind, a))
        if ends is not None and ends > now:
            upcoming.append(ScheduledChange(ends, "expire", a))
    everyone = newest_first(public)
    published = [a for a in everyone if not a.unlisted]  # what lists, feeds and More Stories show
    upcoming += banner_ends(candidates, now, publication_window)
    upcoming.sort(key=lambda c: (c.when.timestamp(), c.article.url, c.kind))

    errors: list[Diagnostic] = []
    hidden = [a for a in everything if id(a) not in public_ids]
    _check_links(everyone, hidden, config, now, errors, warnings)

    groups: dict[tuple[str, str], Group] = {}
    sections = _grouped("section", "section", published, section_url, Section, errors, warnings)
    tags = _grouped("tag", "tags", published, tag_url, Tag, errors, warnings)
    authors = _grouped("author", "authors", published, author_url, Author, errors, warnings)
    if profiles is not None:
        authors = _with_profiles(authors, profiles, warnings)
    for kind, found in (("section", sections), ("tag", tags), ("author", authors)):
        for key, group in found.items():
            groups[(kind, key)] = group
    if errors:
        raise BuildError(sorted(errors))

    index = RelatedIndex(published)
    if related is not None:
        more = related(published, index)  # (a build with a cache reads each story's when first asked)
    else:
        more = {a.url: rank_related(a, index, config.more_stories) for a in published}
    return Site(
        config=config,
        articles=tuple(published),
        more_stories=MappingProxyType(more),
        related_index=index,
        sections=_by_name(sections.values()),
        tags=_by_name(tags.values()),
        authors=_by_name(authors.values()),
        archives=date_archives(published, config),
        corrections=corrections_of(published),
        now=now,
        drafts=drafts,
        upcoming=tuple(upcoming),
        groups_by_key=MappingProxyType(groups),
        warnings=tuple(warnings),
        withdrawn=tuple(withdrawn),
        unlisted=tuple(a for a in everyone if a.unlisted),
        breaking=banners(published, now),
    )


def publication_window(a: Article) -> tuple[datetime, datetime | None]:
    """When a story becomes public (its date or embargo, whichever is later)
    and when it stops being public (``expires``, or None)."""
    starts = a.date if a.embargo is None or a.embargo < a.date else a.embargo
    return starts, a.expires


def url_line(a: Article, permalink: str) -> int:
    """The line of ``a``'s file that made its URL, for a collision message:
    its explicit URL (``permalink:``, ``url:``, ``path:``); else its
    ``slug:``; else, for wire copy, its ``title:`` or headline line; else the
    ``date:`` or section line when ``permalink`` uses them; else line 1
    (the slug is the file name)."""
    lines = a.field_lines
    for key in ("permalink", "url", "path"):
        if key in lines:  # an explicit URL
            return lines[key]
    if "slug" in lines:
        return lines["slug"]
    if a.kind == "wire" and "title" in lines:
        return lines["title"]
    if a.date_from == "front matter" and "date" in lines and re.search(r"\{(year|month|day)\}", permalink):
        return lines["date"]
    if a.section and "section" in lines and "{section}" in permalink:
        return a.name_lines.get(("section", a.section), lines["section"])
    return 1


def name_line(a: Article, field: str, name: str) -> int | None:
    """The line of ``a``'s file on which ``name`` is written in ``field``
    (``section``, ``tags`` or ``authors``), if known."""
    return a.name_lines.get((field, name), a.field_lines.get(field))


def _check_same_url(articles: Sequence[Article], permalink: str) -> None:
    first: dict[str, Article] = {}  # the first claim of each path: most builds have no clash
    clashes = {a.output_path for a in articles if first.setdefault(a.output_path, a) is not a}
    if not clashes:
        return
    claims: dict[str, list[Article]] = defaultdict(list)
    for a in articles:
        if a.output_path in clashes:
            claims[a.output_path].append(a)
    problems = [
        Diagnostic(
            a.source,
            url_line(a, permalink),
            None,
            f"two articles have the same URL {a.url}: {', '.join(x.source for x in sorted(group, key=_src))}; "
            "give one of them a different 'slug:'",
        )
        for path, group in sorted(claims.items())
        if len(group) > 1
        for a in sorted(group, key=_src)
    ]
    if problems:
        raise BuildError(problems)


def _src(a: Article) -> str:
    return a.source


def _check_links(
    published: Sequence[Article],
    hidden: Sequence[Article],
    config: Config,
    now: datetime,
    errors: list[Diagnostic],
    warnings: list[Diagnostic],
) -> None:
    """A public story must not reveal an embargoed one; other dead links are warnings."""
    if not hidden:
        return
    by_path = {a.url.rstrip("/"): a for a in hidden}
    spelt_out = re.compile(re.escape(config.base_url) + r"[^\s\"'<>]*")
    for a in published:
        found: dict[str, Article] = {}
        for href in [*linked_urls(a.body_html), *spelt_out.findall(a.body_html)]:
            target = resolve_link(href, a.url, config.base_url)
            if target is not None and target.rstrip("/") in by_path:
                t = by_path[target.rstrip("/")]
                found.setdefault(t.source, t)
        for t in sorted(found.values(), key=_src):
            starts, ends = publication_window(t)
            if t.embargo is not None and t.embargo > now:
                errors.append(
                    Diagnostic(
                        a.source,
                        None,
                        None,
                        f"links to {t.url} ({t.source}), which is under embargo until "
                        f"{t.embargo.isoformat()}; remove the link, or embargo this story too",
                    )
                )
                continue
            if t.draft:
                why = "a draft"
            elif starts > now:
                why = f"not published until {starts.isoformat()}"
            elif ends is not None and ends <= now:
                why = f"expired on {ends.isoformat()}"
            else:
                why = "not published"
            warnings.append(
                Diagnostic(
                    a.source,
                    None,
                    None,
                    f"links to {t.url} ({t.source}), which is {why}; the link is broken "
                    "until it is published",
                    Severity.WARNING,
                )
            )


_NAMES_IN: dict[str, Callable[[Article], Sequence[str]]] = {
    "section": lambda a: (a.section,) if a.section else (),
    "tags": lambda a: a.tags,
    "authors": lambda a: a.authors,
}


def _grouped(
    kind: str,
    field: str,
    published: Sequence[Article],
    url_of: Callable[[str], str],
    cls: type,
    errors: list[Diagnostic],
    warnings: list[Diagnostic],
) -> dict[str, Group]:
    """Group stories by the names in their front matter ``field``; pick the shown
    spelling; refuse two names on one page."""
    names_of = _NAMES_IN[field]

    # Each spelling's stories, oldest first (so "first use" is the oldest story), each story
    # once; and how many times it is written. Grouped by name_key afterwards: there are far
    # fewer spellings than uses (the benchmark's 10,000 stories write 300 tags 35,000 times).
    uses: dict[str, list[Article]] = {}
    times: dict[str, int] = {}
    for a in reversed(published):
        for name in names_of(a):
            listed = uses.get(name)
            if listed is None:
                uses[name] = [a]
                times[name] = 1
                continue
            times[name] += 1
            if listed[-1] is not a:  # a story that writes a spelling twice is listed once
                listed.append(a)
    members: dict[str, list[Article]] = {}
    spellings: dict[str, dict[str, int]] = defaultdict(dict)
    first_use: dict[tuple[str, str], Article] = {}
    position: dict[int, int] | None = None  # of each story in `published`, made when needed
    for name, listed in uses.items():
        key = name_key(name)
        if not key:
            continue
        spellings[key][name] = times[name]
        first_use[(key, name)] = listed[0]
        if key not in members:
            members[key] = listed
            continue
        if position is None:
            position = {id(a): i for i, a in enumerate(published)}
        members[key] = _merged(members[key], listed, position)
    found: dict[str, Group] = {}
    for key in sorted(members):
        counts = spellings[key]
        order = sorted(
            counts,
            key=lambda n: (-counts[n], first_use[(key, n)].date.timestamp(), first_use[(key, n)].url, n),
        )
        shown = order[0]
        for variant in order[1:]:
            a = first_use[(key, variant)]
            warnings.append(
                Diagnostic(
                    a.source,
                    a.field_lines.get(field),
                    None,
                    f"{kind} '{variant}' is written '{shown}' elsewhere ({counts[shown]} "
                    f"{'story' if counts[shown] == 1 else 'stories'}, e.g. {first_use[(key, shown)].source}); "
                    f"they are one {kind}, shown as '{shown}'",
                    Severity.WARNING,
                )
            )
        stories = tuple(reversed(members[key]))  # newest first
        extra = {"spellings": tuple(sorted(counts))} if cls is Tag else {}
        found[key] = cls(name=shown, slug=slugify(shown), url=url_of(shown), stories=stories, **extra)
    by_url: dict[str, list[Group]] = defaultdict(list)
    for g in found.values():
        by_url[g.url].append(g)
    for url, clash in sorted(by_url.items()):
        if len(clash) > 1:
            described = "; ".join(
                f"'{g.name}' in {', '.join(sorted({x.source for x in g.articles}))}" for g in clash
            )
            first = min((x for g in clash for x in g.articles), key=_src)
            written = next((n for n in names_of(first) if url_of(n) == url), None)
            errors.append(
                Diagnostic(
                    first.source,
                    name_line(first, field, written) if written else first.field_lines.get(field),
                    None,
                    f"different {kind}s would share the page {url}: {described}; "
                    f"spell them the same or rename one",
                )
            )
    return found


def _merged(older: list[Article], more: list[Article], position: Mapping[int, int]) -> list[Article]:
    """The stories of two spellings of one name, each once, oldest first: last in
    ``published`` first (``position``: of each story there, by ``id``)."""
    merged = {id(a): a for a in (*older, *more)}
    return sorted(merged.values(), key=lambda a: -position[id(a)])


def _with_profiles(
    authors: dict[str, Group], profiles: Mapping[str, AuthorProfile], warnings: list[Diagnostic]
) -> dict[str, Group]:
    out: dict[str, Group] = {}
    for key, g in authors.items():
        profile = profiles.get(key)
        if profile is None:
            a = g.articles[-1]
            warnings.append(
                Diagnostic(
                    a.source,
                    a.field_lines.get("authors"),
                    None,
                    f"byline '{g.name}' has no entry in authors.yaml; their page has no profile "
                    f"(add '{g.name}:' to authors.yaml)",
                    Severity.WARNING,
                )
            )
        out[key] = Author(
            name=profile.name if profile else g.name,
            slug=g.slug,
            url=g.url,
            stories=g.stories,
            profile=profile,
        )
    return out


def _by_name(groups: Iterable[Group]) -> tuple:
    return tuple(sorted(groups, key=lambda g: (name_key(g.name), g.name)))
