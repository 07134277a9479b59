"""Incremental and parallel builds write exactly what a clean build writes."""

from __future__ import annotations

import io
import json
import os
import random
import re
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from conftest import REPO, article, story, tree_digest, write_files
from newsgen import BufferReporter, load_config
from newsgen.content.loader import load_article
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.sources import discover
from newsgen.core.digests import digest
from newsgen.incremental import load as incremental_load
from newsgen.incremental import sourcekeys, stamp
from newsgen.incremental.codec import decode, encode
from newsgen.incremental.counts import StageCounts, no_progress
from newsgen.incremental.entries import BodyRef
from newsgen.incremental.keys import RENDER_ONLY_SETTINGS, config_key
from newsgen.incremental.store import BuildCache
from newsgen.model import Article
from newsgen.pipeline import build
from newsgen.report import BuildSummary, ConsoleReporter
from newsgen.site.related import RelatedIndex, rank_related

SECTIONS = ["News", "Sport", "Business", None]
TAGS = ["harbour", "budget", "rail", "schools", "weather", "Housing", "energy", "courts"]


def _corpus(n: int, seed: int = 7) -> dict[str, str]:
    rng = random.Random(seed)
    files = {}
    start = datetime(2025, 1, 1, 8, tzinfo=UTC)
    for i in range(n):
        extra = {}
        section = rng.choice(SECTIONS)
        if section:
            extra["section"] = section
        extra["tags"] = "[" + ", ".join(rng.sample(TAGS, rng.randint(0, 3))) + "]"
        extra["author"] = rng.choice(["Ada Obi", "Bo Lind", "Cy Park"])
        body = f"Paragraph one of story {i} with *emphasis*.\n\n## Detail\n\n- a point\n- another\n\nMore text {i}."
        date = (start + timedelta(hours=7 * i)).isoformat()
        files[f"articles/{2025}/story-{i:03d}.md"] = article(
            title=f"Story number {i}", date=date, body=body, **extra
        )
    return files


NOW = datetime(2026, 1, 1, tzinfo=UTC)
CONFIG = """\
title: Incremental Gazette
base_url: https://example.com/
timezone: Europe/London
per_page: 5
more_stories: 3
"""


def _build(site: Path, out: str, *, cache: bool = True, jobs: int = 1, cache_dir: Path | None = None):
    config, _ = load_config(site, output=site / out, cache_dir=cache_dir)
    reporter = BufferReporter()
    result = build(config, reporter, jobs=jobs, use_cache=cache, now=NOW)
    return result, reporter


def _site_files(root: Path) -> dict[str, str]:
    """The built site's files and digests, without the deploy manifest (.newsgen-changes.json):
    it describes what the last build changed, so it differs between a rebuild and a clean build."""
    files = tree_digest(root)
    files.pop(".newsgen-changes.json", None)
    manifest = json.loads((root / ".newsgen-manifest.json").read_text("utf-8"))
    manifest["files"].pop(".newsgen-changes.json", None)  # the manifest lists it with its digest
    files[".newsgen-manifest.json"] = json.dumps(manifest, sort_keys=True)
    return files


def _forget_stamp(site: Path) -> None:
    """Make the next build run in full, as if something had changed."""
    with BuildCache(site / ".newsgen-cache") as cache:
        stamp.save(cache, None)


def _clean(site: Path, jobs: int = 1) -> dict[str, str]:
    shutil.rmtree(site / "clean", ignore_errors=True)
    _build(site, "clean", cache=False, jobs=jobs)
    return _site_files(site / "clean")


def test_a_body_edit_that_changes_one_page_publishes_it_in_place_as_a_clean_build_makes_it(write_site):
    """The end of a body, which no list shows (the feeds show summaries): one page changes, and
    is published with one rename in place (newsgen.publish.one_change); the next edit, which
    changes the feeds too, by exchange."""
    site = write_site(_corpus(12), config=CONFIG + "feeds:\n  content: summary\n")
    _build(site, "public")
    p = site / "articles" / "2025" / "story-005.md"
    p.write_text(p.read_text().replace("More text 5.", "More text 5, and a line more."))
    result, _ = _build(site, "public", jobs=2)
    assert result.summary.written == 1 and result.write.mode == "rename"
    assert _site_files(site / "public") == _clean(site)
    p.write_text(p.read_text().replace("Paragraph one of story 5", "Paragraph one, corrected, of story 5"))
    result, _ = _build(site, "public", jobs=2)
    assert result.summary.written > 1 and result.write.mode == "swap"
    assert _site_files(site / "public") == _clean(site)


def test_incremental_output_equals_clean_build_after_every_kind_of_edit(write_site):
    site = write_site(_corpus(24), config=CONFIG)
    arts = site / "articles" / "2025"

    def check(label: str):
        result, _ = _build(site, "public", jobs=2)
        assert _site_files(site / "public") == _clean(site), f"incremental differs from clean after: {label}"
        return result

    first = check("first build")
    assert first.summary.written == first.pages

    # Nothing changed: the build stamp says so; nothing is loaded, rendered or written.
    again = check("no change")
    assert again.summary.written == 0 and again.summary.unchanged == again.pages
    assert again.summary.cache.startswith("nothing changed since the last build")
    assert [name for name, _ in again.summary.stages] == ["discover", "check", "write"]

    # Without the stamp the build runs in full and reuses every page it can: every
    # HTML page, every feed and sitemap.xml (made when rendered); only static files and the
    # few small files made while planning (news-sitemap.xml, robots.txt, the status file,
    # breaking.json) are produced again.
    _forget_stamp(site)
    again = check("no change, without the stamp")
    assert again.summary.written == 0 and again.summary.unchanged == again.pages
    m = re.search(r"(\d+) pages reused; 0 loaded, (\d+) rendered", again.summary.cache)
    feeds = [p for p in (site / "public").rglob("*") if p.name in ("feed.xml", "rss.xml", "feed.json")]
    assert len(feeds) > 20
    made_again = [
        p
        for p in (site / "public").rglob("*")
        if (p.is_file() and p.suffix not in (".html", ".xml", ".json"))
        or p.name in ("news-sitemap.xml", "newsgen-status.json", "breaking.json")
    ]
    assert m and int(m.group(2)) == len(made_again) and int(m.group(1)) + int(m.group(2)) == again.pages

    # Edit a body: only that article's page (and pages showing its text) change.
    p = arts / "story-010.md"
    p.write_text(p.read_text().replace("Paragraph one of story 10", "Paragraph one, corrected, of story 10"))
    edited = check("edit body")
    assert 1 <= edited.summary.written < edited.pages // 2

    # Edit tags: More Stories of neighbours change.
    p = arts / "story-011.md"
    p.write_text(p.read_text().replace("tags: [", "tags: [energy, rail, ", 1))
    check("edit tags")

    # Add, delete and rename articles.
    write_files(
        site,
        {
            "articles/2025/new-story.md": article(
                title="A new story", date="2025-01-03T10:00:00Z", tags="[harbour, budget]", section="News"
            )
        },
    )
    check("add")
    (arts / "story-003.md").unlink()
    check("delete")
    (arts / "story-004.md").rename(arts / "renamed-story.md")
    check("rename")

    # Change a template: a site override of the article template.
    theme_article = (REPO / "templates" / "article.html").read_text()
    write_files(site, {"templates/article.html": theme_article.replace("min read", "minute read")})
    check("add a template")
    t = site / "templates" / "article.html"
    t.write_text(t.read_text().replace("minute read", "min. read"))
    check("change a template")

    # A template that shows listed stories' bodies: editing a body must re-render the lists too.
    card = (REPO / "templates" / "partials" / "story_card.html").read_text()
    write_files(site, {"templates/partials/story_card.html": card + "{{ story.body_html | safe }}\n"})
    check("list template reads bodies")
    p = arts / "story-020.md"
    p.write_text(p.read_text().replace("More text 20.", "More text twenty."))
    check("edit a body shown in lists")
    (site / "templates" / "partials" / "story_card.html").unlink()
    check("remove a template override")

    # Change config: a render-only setting, then one the loader reads.
    (site / "newsgen.yaml").write_text(CONFIG.replace("Incremental Gazette", "The Gazette"))
    check("change title")
    (site / "newsgen.yaml").write_text(CONFIG.replace("Europe/London", "America/New_York"))
    check("change timezone")
    (site / "newsgen.yaml").write_text(CONFIG.replace("more_stories: 3", "more_stories: 4"))
    check("change more_stories")


def test_unchanged_pages_keep_their_mtime(write_site):
    site = write_site(_corpus(12), config=CONFIG)
    _build(site, "public")
    pages = sorted((site / "public").rglob("index.html"))
    old = {p: p.stat().st_mtime_ns for p in pages}
    for p in pages:
        os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    src = site / "articles" / "2025" / "story-000.md"  # the oldest story: on the last front page only
    src.write_text(src.read_text().replace("More text 0.", "More text zero."))
    result, _ = _build(site, "public")
    changed = [p for p in pages if p.stat().st_mtime_ns != 1_000_000_000]
    written_pages = [w for w in result.write.written if w.endswith("index.html")]
    assert changed and len(changed) == len(written_pages)
    assert len(changed) < len(old) // 2


def _count_conversions(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = MarkdownRenderer.convert

    def counting(self, text, **options):
        calls.append(text)
        return real(self, text, **options)

    monkeypatch.setattr(MarkdownRenderer, "convert", counting)
    return calls


def test_an_unchanged_article_is_never_converted_again(write_site, monkeypatch):
    site = write_site(_corpus(10), config=CONFIG)
    calls = _count_conversions(monkeypatch)
    _build(site, "public")
    assert len(calls) == 10
    calls.clear()
    p = site / "articles" / "2025" / "story-005.md"
    p.write_text(p.read_text().replace("More text 5.", "More text five."))
    _build(site, "public")
    assert len(calls) == 1
    calls.clear()
    # Config and front matter changes reload articles but reuse their converted bodies.
    (site / "newsgen.yaml").write_text(CONFIG.replace("Europe/London", "Asia/Tokyo"))
    p.write_text(p.read_text().replace("title: Story number 5", "title: Story five"))
    (site / "articles" / "2025" / "story-006.md").rename(site / "articles" / "2025" / "moved.md")
    _build(site, "public")
    assert calls == []
    # unsafe_html changes what a body converts to: every body converts again.
    (site / "newsgen.yaml").write_text(CONFIG + "unsafe_html: true\n")
    _build(site, "public")
    assert len(calls) == 10


def test_parallel_build_is_byte_identical_to_one_process(write_site):
    site = write_site(_corpus(70), config=CONFIG)  # enough pages to start worker processes
    _build(site, "one", cache=False, jobs=1)
    _build(site, "two", cache=False, jobs=2)
    assert _site_files(site / "one") == _site_files(site / "two")
    # A cold parallel build with the cache gives the same bytes too, and fills the cache.
    result, _ = _build(site, "cached", jobs=2)
    assert _site_files(site / "cached") == _site_files(site / "one")
    assert "0 articles and 0 pages reused" in result.summary.cache


def test_parallel_build_reports_errors_of_every_file(write_site):
    files = _corpus(20)
    files["articles/2025/story-004.md"] = "---\ntitle: Bad\ndate: 2025-02-30\n---\nx\n"
    files["articles/2025/story-015.md"] = "---\ntitle: [unclosed\n---\nx\n"
    site = write_site(files, config=CONFIG)
    config, _ = load_config(site)
    with pytest.raises(Exception) as exc:
        build(config, BufferReporter(), jobs=2, now=NOW)
    paths = [d.path for d in exc.value.diagnostics]
    assert paths == ["articles/2025/story-004.md", "articles/2025/story-015.md"]
    assert exc.value.diagnostics[0].line == 3
    assert not (site / "public").exists()


def test_the_cache_is_safe_to_delete_or_damage(write_site):
    site = write_site(_corpus(8), config=CONFIG)
    _build(site, "public")
    expected = _site_files(site / "public")
    shutil.rmtree(site / ".newsgen-cache")
    _build(site, "public")
    assert _site_files(site / "public") == expected
    (site / ".newsgen-cache" / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    for wal in (site / ".newsgen-cache").glob("cache.sqlite3-*"):
        wal.unlink()
    _result, reporter = _build(site, "public")
    assert _site_files(site / "public") == expected
    assert any("cache" in d.message for d in reporter.warnings)


def test_unchanged_sources_are_not_read_again_but_any_rewrite_is_noticed(write_site, monkeypatch):
    """A file whose size, times and inode are as recorded is not read (its digest is reused);
    a rewrite keeping size and modification time still changes its change time."""
    monkeypatch.setattr(sourcekeys, "RACY_NS", -(10**15))  # trust files just written (tests cannot wait)
    site = write_site(_corpus(6), config=CONFIG)
    _build(site, "public")
    reads: list[str] = []
    real = sourcekeys.read_source

    def counting(source, limit):
        reads.append(source.display)
        return real(source, limit)

    monkeypatch.setattr(sourcekeys, "read_source", counting)
    _forget_stamp(site)
    _build(site, "public")
    assert reads == []
    p = site / "articles" / "2025" / "story-002.md"
    before = p.stat()
    p.write_text(p.read_text().replace("More text 2.", "More text X."))  # same size
    os.utime(p, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert p.stat().st_size == before.st_size and p.stat().st_mtime_ns == before.st_mtime_ns
    _build(site, "public")
    assert "articles/2025/story-002.md" in reads
    assert "More text X." in (site / "public").joinpath(_page_of(site, "Story number 2")).read_text()


def _page_of(site: Path, title: str) -> str:
    for page in (site / "public").rglob("index.html"):
        if f'<h1 class="article__title">{title}</h1>' in page.read_text():
            return page.relative_to(site / "public").as_posix()
    raise AssertionError(f"no page titled {title}")


def test_bodies_stay_in_the_cache_until_read_and_pages_are_spooled_to_disk(write_site, tmp_path):
    site = write_site(_corpus(80), config=CONFIG)
    _build(site, "public", jobs=2)
    config, _ = load_config(site)
    sources, _ = discover(config)
    with BuildCache(site / ".newsgen-cache") as cache:
        keys = sourcekeys.source_keys(sources, config, cache)
        articles, _, _ = incremental_load.load_articles(
            sources, config, cache, 1, no_progress, StageCounts(), keys
        )
        assert all(isinstance(a.body, BodyRef) for a in articles)  # no story HTML held
        fresh, _ = load_article(sources[5], config, MarkdownRenderer())
        assert articles[5].body_html == fresh.body_html  # loaded when read
    # Render workers leave no spool folders behind; one left by a killed build is removed.
    cache_folder = site / ".newsgen-cache"
    assert not list(cache_folder.glob("spool-*"))
    dead = cache_folder / "spool-999999999-x"
    dead.mkdir()
    (dead / "0").write_text("left over")
    (site / "articles" / "2025" / "story-001.md").write_text(article(title="Changed", date="2025-01-01"))
    _build(site, "public", jobs=2)
    assert not list(cache_folder.glob("spool-*"))


def test_cache_folder_is_configurable_and_kept_out_of_the_output(write_site, tmp_path):
    site = write_site(_corpus(3), config=CONFIG + "paths:\n  cache: build-cache\n")
    _build(site, "public")
    assert (site / "build-cache" / "cache.sqlite3").is_file()
    assert not (site / ".newsgen-cache").exists()
    _build(site, "public", cache_dir=tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "cache.sqlite3").is_file()
    with pytest.raises(Exception, match="inside the output folder"):
        _build(site, "public", cache_dir=site / "public" / "cache")


def test_loader_never_reads_render_only_settings(write_site):
    """The article cache ignores RENDER_ONLY_SETTINGS; prove the loader cannot see them."""
    site = write_site(_corpus(4), config=CONFIG)
    config, _ = load_config(site)

    class Guarded:
        def __getattr__(self, name):
            if name in RENDER_ONLY_SETTINGS:
                raise AssertionError(f"the loader read config.{name}")
            return getattr(config, name)

    sources, _ = discover(config)
    for s in sources:
        load_article(s, Guarded(), MarkdownRenderer())  # type: ignore[arg-type]


def test_cache_records_round_trip_every_front_matter_type(write_site):
    site = write_site(
        {
            "articles/a.md": (
                "---\ntitle: T\ndate: 2025-03-30T01:30:00\nscore: 1.5\nnan: .nan\nflags: [true, null, 3]\n"
                "nested: {1: a, b: [x, {c: d}]}\nwhen: !!timestamp 2025-01-02T03:04:05+02:00\nday: !!timestamp 2025-01-02\n"
                "raw: !!binary aGVsbG8=\nset: !!set {a, b}\n---\nBody\n"
            )
        },
        config="timezone: Europe/London\n",
    )
    config, _ = load_config(site)
    sources, _ = discover(config)
    a, _ = load_article(sources[0], config, MarkdownRenderer())
    for name in ("date", "extra", "tags", "source_path"):
        value = getattr(a, name)
        back = decode(encode(value))
        assert repr(back) == repr(value)  # repr: NaN never equals itself
        assert type(back) is type(value)
    assert decode(encode(a.date)).tzinfo == a.date.tzinfo


def _reference_rank(article: Article, index: RelatedIndex, n: int):
    """The foundation's original ranking, kept here as the specification."""
    tags = {t.casefold() for t in article.tags}
    section = article.section.casefold() if article.section else None
    when = article.date.timestamp()
    relevance, by_url = {}, {}
    groups = [("t", t) for t in sorted(tags)] + ([("s", section)] if section else [])
    for group in groups:
        for c in index.neighbours(group, article):
            if c.url == article.url or c.url in relevance:
                continue
            shared = sum(1 for t in c.tags if t.casefold() in tags)
            same = 1 if section and c.section and c.section.casefold() == section else 0
            relevance[c.url] = 2 * shared + same
            by_url[c.url] = c

    def rank(url):
        c = by_url[url]
        days = abs(c.date.timestamp() - when) / 86400.0
        return (-relevance[url] / (1.0 + days / 30.0), -c.date.timestamp(), url)

    chosen = [by_url[u] for u in sorted((u for u, r in relevance.items() if r > 0), key=rank)[:n]]
    taken = {c.url for c in chosen} | {article.url}
    for c in index.latest:
        if len(chosen) >= n:
            break
        if c.url not in taken:
            chosen.append(c)
            taken.add(c.url)
    return tuple(chosen)


def test_fast_more_stories_ranking_matches_the_reference(write_site):
    rng = random.Random(3)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    articles = []
    for i in range(400):
        when = start + timedelta(hours=rng.choice([6, 6, 12, 24]) * (i // 2))  # equal dates on purpose
        articles.append(
            story(
                f"s{i}",
                when,
                section=rng.choice(SECTIONS),
                tags=tuple(rng.sample(TAGS, rng.randint(0, 4))),
            )
        )
    articles.sort(key=lambda a: (-a.date.timestamp(), a.url))
    index = RelatedIndex(articles)
    for n in (0, 1, 5, 12):
        for a in articles:
            assert rank_related(a, index, n) == _reference_rank(a, index, n)


def test_progress_only_on_a_terminal_and_a_summary_table(write_site):
    site = write_site(_corpus(3), config=CONFIG)
    config, _ = load_config(site)
    out, err = io.StringIO(), io.StringIO()
    build(config, ConsoleReporter(out=out, err=err), now=NOW)
    assert "\r" not in err.getvalue() and err.getvalue() == ""
    text = out.getvalue()
    for row in ("pages", "article", "written", "unchanged", "removed", "load time", "render time"):
        assert row in text

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty = Tty()
    reporter = ConsoleReporter(out=io.StringIO(), err=tty)
    reporter.PROGRESS_AFTER = 0
    reporter.progress("load", 5, 10)
    assert "load: 5/10 (50%)" in tty.getvalue()
    reporter.summary(BuildSummary(1, {"article": 1}, 1, 0, 0, [("load", 0.5)], 0.5))
    assert tty.getvalue().endswith("\r\x1b[K")  # the progress line is cleared before the table


def test_cli_jobs_option(write_site, cli):
    site = write_site(_corpus(3), config=CONFIG)
    assert cli("build", "--site", site, "--jobs", "0").code == 2
    run = cli("build", "--site", site, "--jobs", "2", "--no-cache")
    assert run.code == 0 and "with 2 jobs" in run.out
    assert not (site / ".newsgen-cache").exists()


def test_the_engine_key_covers_every_module_of_every_subpackage():
    """A cache never survives a change to any of newsgen's modules, however deep."""
    from newsgen.incremental.keys import package_modules

    names = {name for name, _ in package_modules()}
    on_disk = {p.relative_to(REPO / "src/newsgen").as_posix() for p in (REPO / "src/newsgen").rglob("*.py")}
    assert names == on_disk
    assert {
        "pipeline.py",
        "incremental/keys.py",
        "commands/serve/http.py",
        "commands/check/built.py",
    } <= names


def test_the_engine_key_follows_the_version_of_markdown_and_jinja(tmp_path, monkeypatch):
    """Their versions are read from the file that states each (not by importing them): a file
    stating another version gives another key; a library laid out otherwise is imported."""
    import copy
    import importlib.util

    import jinja2
    import markdown

    from newsgen.incremental import keys

    real = keys.library_versions()
    assert [name for name, _ in real] == ["markdown", "jinja2"]
    fake = tmp_path / "markdown"
    fake.mkdir()
    meta = Path(markdown.__file__).with_name("__meta__.py").read_text("utf-8")
    (fake / "__meta__.py").write_text(
        meta.replace("__version_info__ = (", "__version_info__ = (9, "), "utf-8"
    )
    found = importlib.util.find_spec

    def moved(name, *args):
        spec = found(name, *args)
        if name == "markdown":  # a copy: the imported module's own spec stays as it is
            spec = copy.copy(spec)
            spec.submodule_search_locations = [str(fake)]
        return spec

    monkeypatch.setattr(importlib.util, "find_spec", moved)
    bumped = keys.library_versions()
    assert bumped[0] != real[0] and bumped[1] == real[1]
    (fake / "__meta__.py").unlink()  # no such file: the version the module gives
    assert keys.library_versions()[0] == ("markdown", markdown.__version__)
    assert real[1] != ("jinja2", jinja2.__version__)  # read from its file


def test_sources_hashed_on_worker_processes_get_the_keys_of_one_process(write_site, monkeypatch):
    """A first build reads and hashes every source; many are shared among the jobs, with
    the same keys, the same files noted for next time, and the same None for a file that
    cannot be read, a live story's update files included."""
    files = _corpus(40)
    live = "articles/2024/storm/"  # listed first: every source after it is placed by its parts
    files[live + "index.md"] = article(title="Storm night", date="2026-01-05T18:00:00Z", live="true")
    files[live + "a.md"] = "---\ntime: 2026-01-05T19:00:00Z\ntitle: Gales\n---\nGales reach the coast.\n"
    site = write_site(files, config=CONFIG + "max_file_size: 2000\n")
    (site / "articles" / "2025" / "story-007.md").write_text(article(title="Long", body="x" * 3000))
    config, _ = load_config(site)
    sources, _ = discover(config)
    (site / "articles" / "2025" / "story-009.md").unlink()
    os.mkfifo(site / "articles" / "2025" / "story-009.md")  # never blocks: not a regular file
    assert any(s.updates for s in sources)
    old = os.stat(site / "articles" / "2025" / "story-011.md")
    os.utime(site / "articles" / "2025" / "story-011.md", ns=(old.st_atime_ns, old.st_mtime_ns + 10**18))

    def keys(jobs: int) -> tuple[list[str | None], dict[str, tuple[str, str]]]:
        with BuildCache(site / f".cache-{jobs}") as cache:
            found = sourcekeys.source_keys(sources, config, cache, jobs)
            return found, cache.new_files

    # Trust files just written (tests cannot wait), but not story-011, changed "in the future".
    monkeypatch.setattr(sourcekeys, "RACY_NS", -(10**15))
    one = keys(1)
    monkeypatch.setattr(sourcekeys, "MIN_PARALLEL_HASHES", 2)
    assert keys(2) == one
    by_name = dict(zip((s.display for s in sources), one[0], strict=True))
    assert by_name["articles/2025/story-007.md"] is None and by_name["articles/2025/story-009.md"] is None
    assert sum(k is not None for k in one[0]) == len(sources) - 2
    settings = config_key(config, loader_only=True)
    for source, key in zip(sources, one[0], strict=True):  # each key is of its own file's bytes
        if key is not None and not source.updates:
            assert key == digest(
                settings, source.display, str(source.path), source.kind, digest(source.path.read_bytes())
            )
    noted = {Path(p).relative_to(site).as_posix() for p in one[1]}
    assert f"{live}a.md" in noted and "articles/2025/story-011.md" not in noted
    assert len(noted) == len(sources) - 3 + 1  # all but the two unreadable and the racy one, plus a.md
