"""The front page: the paginated list of the latest stories, the first page
laid out as a newspaper front (a lead, the latest rail, blocks by section),
computed here so that ``index.html`` only draws it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from newsgen.model import Article, OutputPage, Site
from newsgen.outputs.listing import list_pages
from newsgen.outputs.structured import front_page_data


@dataclass(frozen=True)
class FrontSection:
    """One section's block on the front page (``front.sections`` in ``index.html``)."""

    name: str  # as the stories spell it
    url: str | None  # the section front of that name, if there is one
    articles: tuple[Article, ...]  # newest first


@dataclass(frozen=True)
class FrontPage:
    """The first page of the front page as a newspaper front (``front`` in ``index.html``):
    every story of the page shows once."""

    lead: Article  # the newest story
    latest: tuple[Article, ...]  # the rail beside it: the next few stories
    sections: tuple[FrontSection, ...]  # the rest by section, in the order of each one's newest story
    more: tuple[Article, ...]  # the rest that have no section ("More news")


LATEST_RAIL = 4  # stories in the front page's "Latest" rail, after the lead


def front_page(site: Site, articles: Sequence[Article]) -> FrontPage | None:
    """``articles`` (newest first) laid out as the front page, or None when there are none."""
    if not articles:
        return None
    rest = articles[1 + LATEST_RAIL :]
    by_section: dict[str, list[Article]] = {}
    for a in rest:
        if a.section:
            by_section.setdefault(a.section, []).append(a)
    fronts: dict[str, str] = {}
    for section in site.sections:
        fronts.setdefault(section.name, section.url)
    return FrontPage(
        lead=articles[0],
        latest=tuple(articles[1 : 1 + LATEST_RAIL]),
        sections=tuple(FrontSection(name, fronts.get(name), tuple(s)) for name, s in by_section.items()),
        more=tuple(a for a in rest if not a.section),
    )


def index_pages(site: Site) -> list[OutputPage]:
    """The front page and its older pages; only the first is laid out as a front (``front``)."""
    cfg = site.config
    return list_pages(
        "/",
        site.articles,
        cfg.per_page,
        kind="index",
        template="index.html",
        source="front page",
        title=cfg.title,
        description=cfg.description,
        page_extra=lambda pagination, chunk: {
            "front": front_page(site, chunk) if pagination.number == 1 else None,
            # the first page draws the banners in its HTML too (readers without JavaScript)
            "breaking_news": site.breaking if pagination.number == 1 else (),
        },
        structured_data=front_page_data(cfg),
    )
