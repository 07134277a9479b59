"""An article page's context is made when first read (newsgen.outputs.lazycontext): a
rebuild that keeps the page never makes it, and what is made is what an eager plan held."""

from __future__ import annotations

import importlib

import pytest
from test_edit_skips import CONFIG, NOW, _build, _corpus, _edit, _same_as_clean

from newsgen.outputs import listing
from newsgen.outputs.lazycontext import LazyContext

planning = importlib.import_module("newsgen.outputs.plan")  # the module (the package exports plan())


def test_a_lazy_context_is_the_mapping_its_function_makes_made_once():
    made: list[int] = []
    article = object()

    def make(a, n):
        made.append(1)
        return {"page": n, "article": a, "tags": ()}

    ctx = LazyContext(make, article, 3, known={"article": article})
    assert ctx["article"] is article and ctx.get("article") is article and "article" in ctx
    assert made == []  # a known item does not make the rest
    assert dict(ctx) == {"page": 3, "article": article, "tags": ()}
    assert list(ctx) == ["page", "article", "tags"] and len(ctx) == 3  # the made order
    assert ctx.get("missing") is None and "missing" not in ctx
    with pytest.raises(KeyError):
        ctx["missing"]
    assert made == [1]


def test_a_body_edit_makes_only_the_rendered_pages_contexts(write_site, monkeypatch):
    site = write_site(_corpus(20), config=CONFIG)
    _build(site, "public")
    _edit(site / "articles" / "2025" / "story-007.md", "More text 7.", "More text 7, and more.")
    made: list[str] = []
    real = planning._article_context

    def counting(site_, a, photos, bylines):
        made.append(a.source)
        return real(site_, a, photos, bylines)

    lists: list[int] = []
    real_list = listing._list_context

    def counting_lists(*args):
        lists.append(1)
        return real_list(*args)

    monkeypatch.setattr(planning, "_article_context", counting)
    monkeypatch.setattr(listing, "_list_context", counting_lists)
    rendered = _build(site, "public", monkeypatch)  # undoes the patches when done
    assert [p for p in rendered if p.endswith(".html")] == [p for p in rendered if "story-007" in p]
    assert len(made) == 1 and made[0].endswith("story-007.md")  # not twenty
    assert lists == []  # no list page rendered (its reading time did not change): none made
    _same_as_clean(site)


def test_a_headline_edit_makes_every_context_and_matches_a_clean_build(write_site):
    site = write_site(_corpus(20), config=CONFIG)
    _build(site, "public")
    _edit(site / "articles" / "2025" / "story-007.md", "title: Story number 7", "title: Another headline")
    _build(site, "public")
    assert any("Another headline" in p.read_text() for p in (site / "public").rglob("*.html"))
    _same_as_clean(site)


def test_a_body_edit_makes_no_sitemap_entry_and_a_new_story_is_listed(write_site, monkeypatch):
    from newsgen.outputs import sitemaps

    site = write_site(_corpus(20), config=CONFIG)
    _build(site, "public")
    _edit(site / "articles" / "2025" / "story-009.md", "More text 9.", "More text 9, and more.")
    made: list[int] = []
    real = sitemaps._page_entry

    def counting(page):
        made.append(1)
        return real(page)

    monkeypatch.setattr(sitemaps, "_page_entry", counting)
    _build(site, "public", monkeypatch)  # undoes the patch when done
    assert made == []  # the sitemap was kept: its entries were never made
    _same_as_clean(site)
    (site / "articles" / "2025" / "fresh.md").write_text(
        "---\ntitle: A fresh story\ndate: 2025-12-30T08:00:00Z\n---\n\nFictional text.\n"
    )
    _build(site, "public")
    assert "fresh" in (site / "public" / "sitemap.xml").read_text()
    _same_as_clean(site)


def test_when_workers_key_every_page_each_context_is_made_once_in_the_parent(
    write_site, monkeypatch, tmp_path
):
    """A cold build keys every page on worker processes, then renders them: the contexts
    are made once, in the parent before the workers fork, not once by the keying worker
    and again by the one that renders the page."""
    import os

    from newsgen.config import load_config
    from newsgen.incremental import keying
    from newsgen.pipeline import build
    from newsgen.report import BufferReporter

    site = write_site(_corpus(12), config=CONFIG)
    log = tmp_path / "made.log"
    real = planning._article_context

    def logging(site_, a, photos, bylines):
        fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)  # one line per making, any process
        os.write(fd, f"{os.getpid()} {a.source}\n".encode())
        os.close(fd)
        return real(site_, a, photos, bylines)

    monkeypatch.setattr(planning, "_article_context", logging)
    monkeypatch.setattr(keying, "MIN_PARALLEL_KEYS", 1)  # key this small site on workers
    config, _ = load_config(site, output=site / "public")
    build(config, BufferReporter(), jobs=2, now=NOW)
    made = [line.split(" ", 1) for line in log.read_text().splitlines()]
    assert sorted(source for _, source in made) == sorted({source for _, source in made})  # once each
    assert len(made) == 12 and {pid for pid, _ in made} == {str(os.getpid())}  # in this process
    _same_as_clean(site)


def test_a_list_pages_files_are_listed_only_for_a_message(write_site, monkeypatch):
    """What a collision or template error adds about a list page (the files behind it) is made
    only for that message: a build that reports nothing never makes it, and a template error
    on a tag page names the tag's files (the collision messages: tests/site/test_site.py)."""
    from newsgen import BufferReporter, load_config
    from newsgen.errors import NewsgenError
    from newsgen.pipeline import build

    made: list[str] = []
    real = listing._files_of
    monkeypatch.setattr(listing, "_files_of", lambda group: made.append(group.name) or real(group))
    site = write_site(_corpus(12), config=CONFIG)
    _build(site, "public")
    assert made == []
    (site / "templates").mkdir()
    (site / "templates" / "tag.html").write_text("{{ page.title }} {{ no_such_function() }}\n")
    config, _ = load_config(site, output=site / "public")
    with pytest.raises(NewsgenError) as caught:
        build(config, BufferReporter(), jobs=1, now=NOW)
    message = caught.value.diagnostics[0].message
    assert "(while rendering tag '" in message and "articles/2025/story-" in message, message
    assert made
