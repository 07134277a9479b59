"""``newsgen import wordpress``: a parsed WordPress export into article files.

Each post becomes one Markdown file under ``articles/wordpress/`` with YAML
front matter (title, GMT date, updated, slug, authors, section, tags,
summary, featured image with its alt text and caption, draft) and
``wordpress_id``, the key that makes a later import update the same file.
Each page becomes a site page under ``pages/`` (title, description, draft,
``wordpress_id``): at its WordPress path when that is a plain one
(``/about/`` -> ``pages/about.md``, ``/company/team/`` ->
``pages/company/team.md``), else at ``/{slug}/`` with the old path in
``redirect_from``.

What each status becomes: ``publish`` an article; ``future`` an article dated
in the future (newsgen publishes it at that time); ``draft`` and ``pending``
``draft: true``; ``private`` and password-protected posts are left out with a
note (their text was not public); ``trash`` and ``auto-draft`` are left out.
Attachments, navigation menu items, revisions and other types are not
articles. A post's old address (``<link>``) becomes ``redirect_from`` when its
newsgen URL differs.

Old addresses are read as paths of the new site, which newsgen serves at its
``base_url`` (``redirect_from``, page paths and ``_redirects`` are all under its
path). A blog installed in a folder (``https://host/blog/``) keeps its URLs when
the new site is served there too, so ``https://host/blog/2019/05/x/`` is
``/2019/05/x/`` of a site at ``https://host/blog/`` (the ``base_url`` the import
writes) and ``/blog/2019/05/x/`` of a site at ``https://host/``; an address
under neither is read relative to the blog's folder (the site moved as a whole).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from newsgen.commands.importers.convert import to_markdown
from newsgen.commands.importers.wxr import Export, Item
from newsgen.config import Config
from newsgen.core.urls import article_url, slugify
from newsgen.errors import Diagnostic, Severity

_ZERO_DATE = "0000-00-00 00:00:00"
_WP_DATE = "%Y-%m-%d %H:%M:%S"
_DRAFT = {"draft", "pending"}
_LEFT_OUT = {"private": "private", "trash": "in the trash", "auto-draft": "an unsaved auto-draft"}
_ARTICLE_TYPES = {"post", "page"}


@dataclass
class Planned:
    """One article to write: its folder-relative path (a default, unless a file with its id exists)."""

    post_id: int
    rel: str
    front: dict[str, Any]
    url: str  # its newsgen URL
    old: str | None  # the path of its WordPress address
    item: Item
    body: str = ""


@dataclass
class Plan:
    articles: list[Planned] = field(default_factory=list)
    authors: dict[str, str] = field(default_factory=dict)  # display name -> bio ("" when none)
    counts: Counter[str] = field(default_factory=Counter)
    notes: list[Diagnostic] = field(default_factory=list)
    errors: list[Diagnostic] = field(default_factory=list)
    uploads: set[str] = field(default_factory=set)  # old-site media the bodies use


def _date(text: str, aware: bool) -> datetime | None:
    if not text or text == _ZERO_DATE:
        return None
    when = datetime.strptime(text, _WP_DATE)
    return when.replace(tzinfo=UTC) if aware else when


def plan_import(export: Export, config: Config, shown: str) -> Plan:
    """Every article of the export, converted; nothing is written."""
    plan = Plan()
    images: dict[int, tuple[str, str]] = {}
    captions: dict[int, str] = {}
    children: dict[int, list[int]] = {}
    for it in export.items:
        if it.post_type == "attachment" and it.attachment_url:
            images[it.post_id] = (it.attachment_url, it.meta.get("_wp_attachment_image_alt", "").strip())
            captions[it.post_id] = " ".join(it.excerpt.split())
            if it.parent:
                children.setdefault(it.parent, []).append(it.post_id)
    used_paths: set[str] = set()
    bases = _bases(export, config)

    def noter(it: Item) -> Callable[[str], None]:
        def note(message: str) -> None:
            label = f"{it.post_type} {it.post_id} {it.title[:60]!r}"
            plan.notes.append(Diagnostic(shown, it.line, None, f"{label}: {message}", Severity.WARNING))

        return note

    for it in export.items:
        if it.post_type not in _ARTICLE_TYPES:
            plan.counts[f"skipped {it.post_type}"] += 1
            continue
        note = noter(it)

        if it.status in _LEFT_OUT or it.password:
            why = "password-protected" if it.password else _LEFT_OUT[it.status]
            plan.counts[f"left out ({why})"] += 1
            if it.status == "private" or it.password:
                note(
                    f"left out: it is {why} in WordPress; publish it there or add it by hand if it should be public"
                )
            continue
        try:
            planned = _article(it, export, config, bases, images, captions, plan, note)
        except ValueError as exc:
            plan.errors.append(Diagnostic(shown, it.line, None, f"{it.post_type} {it.post_id}: {exc}"))
            continue
        if planned.rel in used_paths or planned.url in used_paths:  # two posts, one slug (drafts)
            planned = _article(
                it, export, config, bases, images, captions, plan, lambda _: None, f"-{it.post_id}"
            )
            note(f"its slug is another post's too; imported as {planned.front['slug']!r}")
        used_paths.update((planned.rel, planned.url))
        plan.articles.append(planned)
        plan.counts["pages" if it.post_type == "page" else "posts"] += 1
        if it.status in _DRAFT:
            plan.counts["drafts"] += 1
        if it.status == "future":
            plan.counts["scheduled"] += 1
    rewrite = _link_rewriter(export, plan, bases)
    for a in plan.articles:
        a.body = to_markdown(a.item.content, images, children.get(a.post_id, []), noter(a.item), rewrite)
    return plan


def _bases(export: Export, config: Config) -> tuple[str, ...]:
    """The folders an old address's path is read under, first match wins: the new site's base path
    (an old URL inside it answers at the same address), then the blog's own folder (from the
    export's ``<link>``, the blog address WordPress built every permalink on)."""
    blog = unquote(urlsplit(export.link).path).rstrip("/") + "/"
    return tuple(dict.fromkeys((unquote(config.base_path), blog)))


def _site_path(path: str, bases: tuple[str, ...]) -> str:
    """``path`` (an old URL's decoded path) as a path of the new site: ``/blog/2019/05/x/`` ->
    ``/2019/05/x/`` when ``/blog/`` is the first of ``bases`` it lies under; as it is under none."""
    for base in bases:
        if (path + "/").startswith(base):
            return "/" + path[len(base) :]
    return path


def _link_rewriter(export: Export, plan: Plan, bases: tuple[str, ...]) -> Callable[[str], str | None]:
    """Links to the old site's posts and pages (``/2019/05/slug/``, ``?p=12`` at the blog's
    address) become their newsgen URLs; links and images under ``/wp-content/uploads/`` are
    noted in ``plan.uploads``."""
    hosts = {urlsplit(u).netloc.lower() for u in [export.link] + [i.link for i in export.items] if u}
    hosts.discard("")
    blog = unquote(urlsplit(export.link).path).rstrip("/")
    by_path: dict[str, str] = {}
    by_id: dict[str, str] = {}
    for a in plan.articles:
        by_id[str(a.post_id)] = a.url
        if a.old:
            by_path[a.old.rstrip("/")] = a.url

    def rewrite(href: str) -> str | None:
        parts = urlsplit(html.unescape(href.strip()))
        if parts.scheme not in ("", "http", "https") or (parts.netloc and parts.netloc.lower() not in hosts):
            return None
        if not parts.netloc and not parts.path.startswith("/"):
            return None  # relative: left as written
        if "/wp-content/uploads/" in parts.path:
            plan.uploads.add(parts.path)
            return None
        query = parse_qs(parts.query)
        for key in ("p", "page_id"):
            if unquote(parts.path).rstrip("/") in ("", blog) and query.get(key, [""])[0] in by_id:
                new = by_id[query[key][0]]
                break
        else:
            new = by_path.get(_site_path(unquote(parts.path), bases).rstrip("/"), "")
        if not new:
            return None
        return new + (f"#{parts.fragment}" if parts.fragment else "")

    return rewrite


def _article(
    it: Item,
    export: Export,
    config: Config,
    bases: tuple[str, ...],
    images: dict[int, tuple[str, str]],
    captions: dict[int, str],
    plan: Plan,
    note: Callable[[str], None],
    suffix: str = "",
) -> Planned:
    try:
        date = _date(it.date_gmt, True) or _date(it.date, False)
        updated = _date(it.modified_gmt, True)
    except ValueError:
        raise ValueError(
            f"post_date_gmt {it.date_gmt!r} / post_date {it.date!r}: expected YYYY-MM-DD HH:MM:SS"
        ) from None
    title = it.title or f"Untitled ({it.post_type} {it.post_id})"
    if not it.title:
        note(f"has no title; imported as {title!r}")
    if date is None and it.post_type == "post" and it.status == "publish":
        note(
            "has no date (post_date 0000-00-00); imported without one, so the build dates it from "
            "default_date in newsgen.yaml, or 1970-01-01; add 'date:' to its file"
        )
    slug = slugify(unquote(it.name) or it.title, fallback=f"{it.post_type}-{it.post_id}") + suffix
    sections = [name for domain, name in it.categories if domain == "category"]
    tags = [name for domain, name in it.categories if domain in ("post_tag", "tag")]  # blog.hu: "tag"
    bylines = [name for domain, name in it.categories if domain == "author"]  # Co-Authors Plus
    if not bylines and it.creator:
        bylines = [it.creator]  # a login, or a name when the export has no <wp:author> for it
    for login_or_name in bylines:
        known = export.authors.get(login_or_name)
        name = known.display_name if known else login_or_name
        plan.authors.setdefault(name, known.bio if known else "")
    bylines = [export.authors[b].display_name if b in export.authors else b for b in bylines]

    front: dict[str, Any] = {"title": title}
    if date is not None:
        front["date"] = date
    if updated is not None and date is not None and updated > date.replace(tzinfo=UTC):
        front["updated"] = updated
    front["slug"] = slug
    if len(bylines) == 1:
        front["author"] = bylines[0]
    elif bylines:
        front["authors"] = bylines
    if sections:
        front["section"] = sections[0]
    if tags:
        front["tags"] = list(dict.fromkeys(tags))
    excerpt = " ".join(it.excerpt.split())
    if excerpt:
        front["summary"] = excerpt
    thumb = it.meta.get("_thumbnail_id", "").strip()
    if thumb:
        if thumb.isdigit() and int(thumb) in images:
            url, alt = images[int(thumb)]
            front["image"] = url
            if alt:
                front["image_alt"] = alt
            if captions.get(int(thumb)):
                front["image_caption"] = captions[int(thumb)]
        else:
            note(f"featured image (attachment {thumb}) is not in the export; left out")
    if it.status in _DRAFT:
        front["draft"] = True
    old = _old_path(it.link, bases)
    local = (
        (date.astimezone(config.tz) if date.tzinfo else date) if date is not None else datetime(1970, 1, 1)
    )
    new = article_url(config.permalink, local, slug, sections[0] if sections else None)
    olds = [old] if old else []
    if (
        old and it.name and old.rstrip("/").endswith("/" + unquote(it.name))
    ):  # WordPress answers old slugs too
        stem = old.rstrip("/")[: -len(unquote(it.name))]
        olds += [stem + unquote(s) + ("/" if old.endswith("/") else "") for s in it.old_slugs]
    olds = [p for p in dict.fromkeys(olds) if p != new]
    if olds and date is not None:
        front["redirect_from"] = olds
    front["wordpress_id"] = it.post_id
    if it.post_type == "page":
        return _page(it, front, slug, old, olds)
    stamp = f"{date:%Y-%m-%d}-" if date is not None else ""
    return Planned(it.post_id, f"articles/wordpress/{stamp}{slug}.md", front, new, old, it)


def _page(it: Item, article: dict[str, Any], slug: str, old: str | None, olds: list[str]) -> Planned:
    """A WordPress page as a site page of ``pages/``: at its old path when that is plain
    (every segment a slug, ending in ``/``), else at ``/{slug}/`` redirecting from it."""
    front: dict[str, Any] = {"title": article["title"]}
    if "summary" in article:
        front["description"] = article["summary"]
    if article.get("draft"):
        front["draft"] = True
    segments = old.strip("/").split("/") if old and old.endswith("/") else []
    if segments and all(s == slugify(s, fallback="") for s in segments):
        path = "/".join(segments)
    else:
        path = slug
    url = f"/{path}/"
    redirects = [p for p in dict.fromkeys([*(olds or []), *([old] if old else [])]) if p != url]
    if redirects:
        front["redirect_from"] = redirects
    front["wordpress_id"] = it.post_id
    front["wordpress_type"] = "page"
    return Planned(it.post_id, f"pages/{path}.md", front, url, old, it)


def _old_path(link: str, bases: tuple[str, ...]) -> str | None:
    """The path of a post's old address on the new site (see ``_site_path``), or None for an
    address that is not a path (``?p=12``, the blog's home page)."""
    if not link:
        return None
    parts = urlsplit(link)
    if parts.query:
        return None
    path = _site_path(unquote(parts.path), bases)
    if path in ("", "/") or ".." in path.split("/") or "\x00" in path:
        return None
    return path
