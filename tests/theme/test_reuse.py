"""Story cards, the header and the footer are made once a build and reused on every page
(newsgen.theme.reuse): each page still gets its own relative links, the same bytes as the
partial included on that page, and a site's own partials still win."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import jinja2
import pytest

from conftest import REPO, article, pages_digest, story, write_files
from newsgen import BufferReporter, load_config, load_site
from newsgen.core.recording import DependencyRecorder
from newsgen.pipeline import build
from newsgen.theme import reuse
from newsgen.theme.render import Renderer

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CONFIG = """\
title: Reuse Gazette
base_url: https://example.com/news/
per_page: 4
more_stories: 3
"""
REUSED = ["partials/story_card.html", "partials/header.html", "partials/footer.html"]


def _corpus() -> dict[str, str]:
    return {
        f"articles/story-{i}.md": article(
            title=f"Story {i} & co",
            date=f"2025-03-0{i + 1}T09:00:00+00:00",
            body=f"Paragraph of story {i}.",
            section="World" if i % 2 else "Sport",
            tags="[harbour, rail]",
            authors="[Ada Fictional]",
        )
        for i in range(6)
    }


def _build(site: Path, out: str, *, cache: bool = False) -> dict[str, str]:
    config, _ = load_config(site, output=site / out)
    build(config, BufferReporter(), jobs=1, use_cache=cache, now=NOW)
    return pages_digest(site / out)


def _copy_partials(site: Path) -> None:
    """The theme's own partials as the site's overrides: reuse off, the same templates."""
    for name in REUSED:
        shutil.copy(REPO / "templates" / name, site / "templates" / name)


def test_reused_cards_header_and_footer_give_the_bytes_of_the_includes(write_site, monkeypatch):
    made = []
    real = reuse.StoryCards._render
    monkeypatch.setattr(reuse.StoryCards, "_render", lambda *a: made.append(a[2]) or real(*a))
    site = write_site(_corpus(), config=CONFIG)
    reused = _build(site, "reused")
    (site / "templates" / "partials").mkdir(parents=True)
    _copy_partials(site)
    included = _build(site, "included")
    assert reused == included
    # a card on pages at different depths: the front page, a tag, an author's, an archive, More Stories
    card = '<a href="{}">Story 3 &amp; co</a>'
    pages = {
        "index.html": "2025/03/04/story-3/",
        "tags/harbour/index.html": "../../2025/03/04/story-3/",
        "authors/ada-fictional/index.html": "../../2025/03/04/story-3/",
        "2025/03/index.html": "04/story-3/",
        "2025/03/03/story-2/index.html": "../../04/story-3/",
    }
    for page, href in pages.items():
        assert card.format(href) in (site / "reused" / page).read_text(), page
    assert len(made) < 20  # six stories in a few switches, not one card per page that shows it


def test_a_site_override_of_a_partial_is_included_with_the_page(write_site):
    site = write_site(_corpus(), config=CONFIG)
    write_files(
        site,
        {
            "templates/partials/story_card.html": '<p class="mine">{{ page.url }} {{ story.title }}</p>\n',
            "templates/partials/footer.html": '<footer class="mine">{{ page.url }}</footer>\n',
        },
    )
    _build(site, "public")
    tag = (site / "public" / "tags" / "harbour" / "index.html").read_text()
    assert '<p class="mine">/tags/harbour/ Story 4 &amp; co</p>' in tag  # the override reads the page
    assert '<footer class="mine">/tags/harbour/</footer>' in tag
    assert 'class="site-header"' in tag  # the header, not overridden, still reused


def test_a_changed_headline_shows_in_every_reused_card_of_the_next_build(write_site):
    site = write_site(_corpus(), config=CONFIG)
    _build(site, "public", cache=True)
    path = site / "articles" / "story-3.md"
    path.write_text(path.read_text().replace("title: Story 3 & co", "title: A new headline"))
    rebuilt = _build(site, "public", cache=True)
    assert rebuilt == _build(site, "clean")
    for page in ("index.html", "tags/rail/index.html", "2025/03/03/story-2/index.html"):
        text = (site / "public" / page).read_text()
        assert "A new headline" in text and "Story 3 &amp;" not in text, page


@pytest.fixture
def renderer() -> Renderer:
    config, _ = load_config(REPO)
    return Renderer(config)


def _page(url: str, root_links: bool = False):
    return type("Page", (), {"url": url, "root_links": root_links})()


def test_a_card_holding_the_mark_character_is_rendered_with_the_page(renderer):
    env = renderer.env
    hostile = story("odd", datetime(2025, 3, 1, tzinfo=UTC), url="/2025/03/01/odd/", title="A\x000\x00 B")
    include = env.from_string('{% include "partials/story_card.html" %}')
    once = env.from_string("{{ card_once(story) }}")
    for url in ("/tags/x/", "/2025/03/01/odd/", "/"):
        assert once.render(story=hostile, page=_page(url)) == include.render(story=hostile, page=_page(url))
    for_404 = _page("/404.html", root_links=True)
    assert once.render(story=hostile, page=for_404) == include.render(story=hostile, page=for_404)


def test_what_a_card_reads_is_recorded_on_every_page_that_reuses_it():
    env = jinja2.Environment(
        loader=jinja2.DictLoader(
            {
                "partials/story_card.html": "{{ story.word_count }} {{ story.url | link }}",
                "partials/picture.html": "{% macro picture() %}{% endmacro %}",
            }
        ),
        autoescape=True,
    )

    @jinja2.pass_context
    def link(ctx, target):
        page = ctx.get("page")
        return page.mark(target) if isinstance(page, reuse.LinkMarks) else "L:" + target

    env.filters["link"] = link
    cards = reuse.StoryCards(env, lambda page: lambda target: f"{page.url}>{target}")
    env.globals["card_once"] = cards
    told = story("told", datetime(2025, 3, 1, tzinfo=UTC), url="/a/told/", body="<p>Two words</p>")
    template = env.from_string("{{ card_once(story) }}")
    for url in ("/x/", "/y/z/"):
        with DependencyRecorder() as recorder:
            assert template.render(story=told, page=_page(url)) == f"2 {url}&gt;/a/told/"
        assert recorder.dependencies == {("article", "/a/told/")}


def test_a_header_and_footer_kept_for_a_folder_have_each_pages_own_links():
    """The joined header and footer are kept per set of pages with the same links (a folder's
    pages): pages in and under the sections, menus and archives they link to, at the root,
    served at any URL or at an unusual path each still get the links of the include."""
    config, _ = load_config(REPO)
    renderer = Renderer(config, load_site(config, NOW))
    env = renderer.env
    sections = [s.url for s in renderer.env.globals["nav"].sections]
    years = [y.url for y in renderer.env.globals["nav"].years]
    assert sections and years
    urls = [
        "/",
        "/2025/03/01/a/",
        "/2025/03/01/b/",
        "/2025/03/02/a/",
        "/2025/03/",
        "/2025/",
        years[0],
        years[0] + "03/",
        sections[0],
        sections[0] + "story/",
        sections[0] + "page/2/",
        sections[-1] + "story/",
        "/tags/",
        "/tags/rail/",
        "/css/",
        "/search/index.html",
        "/search/other.html",
        "/a//b/",
        "/a/./b/",
    ]
    for name in ("partials/header.html", "partials/footer.html"):
        assert name in env.globals["fragment_once"]
        once = env.from_string(f'{{{{ fragment_once("{name}") }}}}')
        include = env.from_string(f'{{% include "{name}" %}}')
        for _ in range(2):  # made, then taken from what was kept
            for url in urls:
                page = _page(url)
                assert once.render(page=page) == include.render(page=page), (name, url)
            page = _page("/404.html", root_links=True)
            assert once.render(page=page) == include.render(page=page), (name, "404")


def test_the_card_memory_lets_go_of_the_card_used_longest_ago(renderer, monkeypatch):
    """When the memory is full, the card used longest ago goes, not every card: a story shown
    on page after page keeps its card (at 10,000 stories a build has ~30,000 cards)."""
    monkeypatch.setattr(reuse, "MAX_CARDS", 2)
    made = []
    real = reuse.StoryCards._render
    monkeypatch.setattr(reuse.StoryCards, "_render", lambda *a: made.append(a[2].title) or real(*a))
    env = renderer.env
    once = env.from_string("{{ card_once(story) }}")
    day = datetime(2025, 3, 1, tzinfo=UTC)
    shown = {n: story(n, day, url=f"/2025/03/01/{n}/", title=n) for n in ("a", "b", "c")}
    for name in ("a", "b", "a", "c", "a", "b"):
        assert 'href="../' in once.render(story=shown[name], page=_page("/tags/x/"))
    assert made == ["a", "b", "c", "b"]
