"""Breaking news: ``breaking: true`` or an agency urgency of 1-2 shows a banner until ``breaking_until``
(default: 6 hours after the story's date); breaking.json lists it, the front page draws it, its end is
the next scheduled change, and a banner's end re-renders only the front page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import REPO, article, tree_digest

CONFIG = "base_url: https://news.example/\ntimezone: UTC\n"
BREAKING = article(title="Quay bridge shut", slug="quay", date="2025-03-01T09:00:00Z", breaking="true")
CALM = article(title="Regatta results", slug="regatta", date="2025-02-27T09:00:00Z")


def _build(site: Path, cli, now: str) -> Path:
    r = cli("build", "--site", site, "--as-of", now)
    assert r.code == 0, r.err
    return site / "public"


def _banner(html: str) -> str:
    m = re.search(r'<aside class="breaking-banner"[^>]*>(.*?)</aside>', html, re.S)
    assert m, "no banner slot"
    return m.group(0)


def test_a_breaking_story_is_listed_in_breaking_json_and_drawn_on_the_front_page(write_site, cli):
    site = write_site({"articles/quay.md": BREAKING, "articles/regatta.md": CALM}, config=CONFIG)
    out = _build(site, cli, "2025-03-01T10:00Z")
    assert json.loads((out / "breaking.json").read_text("utf-8")) == [
        {"headline": "Quay bridge shut", "url": "2025/03/01/quay/", "until": "2025-03-01T15:00:00+00:00"}
    ]
    front = _banner((out / "index.html").read_text("utf-8"))
    assert " hidden" not in front.split(">")[0]
    assert '<a href="2025/03/01/quay/">Quay bridge shut</a>' in front
    assert 'data-until="2025-03-01T15:00:00+00:00"' in front
    # every other page has the empty, hidden slot and the script, nothing built in
    page = (out / "2025/02/27/regatta/index.html").read_text("utf-8")
    slot = _banner(page)
    assert slot.endswith("hidden></aside>") and "Quay" not in slot
    assert 'data-src="../../../../breaking.json"' in slot
    assert '<script src="../../../../js/breaking.js" defer></script>' in page
    assert (out / "js/breaking.js").is_file()
    # the banner's end is the next scheduled change
    status = json.loads((out / "newsgen-status.json").read_text("utf-8"))
    assert status["next_change_utc"] == "2025-03-01T15:00:00Z"


def test_the_banner_ends_six_hours_after_the_story_by_default(write_site, cli):
    site = write_site({"articles/quay.md": BREAKING}, config=CONFIG)
    out = _build(site, cli, "2025-03-01T14:59Z")
    assert len(json.loads((out / "breaking.json").read_text("utf-8"))) == 1
    out = _build(site, cli, "2025-03-01T15:00Z")
    assert json.loads((out / "breaking.json").read_text("utf-8")) == []
    assert _banner((out / "index.html").read_text("utf-8")).endswith("hidden></aside>")
    assert json.loads((out / "newsgen-status.json").read_text("utf-8"))["next_change"] is None


def test_breaking_until_sets_the_end(write_site, cli):
    story = BREAKING.replace("breaking: true", "breaking: true\nbreaking_until: 2025-03-02T08:30:00Z")
    site = write_site({"articles/quay.md": story}, config=CONFIG)
    r = cli("build", "--site", site, "--as-of", "2025-03-01T20:00Z")
    assert r.code == 0, r.err
    entries = json.loads((site / "public/breaking.json").read_text("utf-8"))
    assert [e["until"] for e in entries] == ["2025-03-02T08:30:00+00:00"]
    assert (
        "next scheduled change: 2025-03-02T08:30:00+00:00 (articles/quay.md: breaking banner ends)"
        in r.err + r.out
    )


def test_a_wire_urgency_makes_a_story_breaking(write_site, cli):
    wire = (REPO / "seeds/wire/quay-bridge-v1.json").read_text("utf-8")  # urgency 2 (fictional)
    site = write_site({"seeds/quay.json": wire, "articles/regatta.md": CALM}, config=CONFIG)
    out = _build(site, cli, "2025-03-20T09:00Z")
    entries = json.loads((out / "breaking.json").read_text("utf-8"))
    assert [(e["headline"], e["until"]) for e in entries] == [
        ("Quay bridge shut after barge strikes pier", "2025-03-20T14:10:00+00:00")
    ]
    calm = _build(site, cli, "2025-03-20T14:10Z")
    assert json.loads((calm / "breaking.json").read_text("utf-8")) == []


def test_breaking_must_be_true_or_false_and_until_a_date(write_site, cli):
    story = BREAKING.replace("breaking: true", "breaking: soon\nbreaking_until: tomorrow")
    site = write_site({"articles/quay.md": story}, config=CONFIG)
    r = cli("build", "--site", site)
    assert r.code == 1
    assert "articles/quay.md:5:11: breaking: expected true or false" in r.err
    assert "articles/quay.md:6:" in r.err and "breaking_until" in r.err


def test_an_unlisted_story_never_has_a_banner(write_site, cli):
    story = BREAKING.replace("breaking: true", "breaking: true\nunlisted: true")
    site = write_site({"articles/quay.md": story}, config=CONFIG)
    out = _build(site, cli, "2025-03-01T10:00Z")
    assert json.loads((out / "breaking.json").read_text("utf-8")) == []


def test_a_banner_ending_rewrites_the_front_page_breaking_json_and_the_story_page_only(write_site, cli):
    """When the banner ends, the story's page loses its "Breaking" kicker too; nothing else changes."""
    files = {
        f"articles/story-{i}.md": article(title=f"Story {i}", slug=f"s{i}", tags="[port]") for i in range(8)
    }
    files["articles/quay.md"] = BREAKING.replace("title:", "tags: [port]\nsection: News\ntitle:")
    site = write_site(files, config=CONFIG)
    before = tree_digest(_build(site, cli, "2025-03-01T10:00Z"))
    assert "kicker--breaking" in (site / "public/2025/03/01/quay/index.html").read_text("utf-8")
    after = tree_digest(_build(site, cli, "2025-03-01T16:00Z"))
    changed = {p for p in after if before.get(p) != after[p]}
    story = (site / "public/2025/03/01/quay/index.html").read_text("utf-8")
    assert "kicker--breaking" not in story and "Quay bridge shut" in story
    assert changed == {
        "index.html",
        "2025/03/01/quay/index.html",
        "breaking.json",
        "newsgen-status.json",
        ".newsgen-changes.json",
        ".newsgen-manifest.json",
    }
    html_pages = [p for p in after if p.endswith(".html")]
    assert len(html_pages) > 15


def test_a_banner_starting_rerenders_the_story_and_its_lists_not_every_page(write_site, cli):
    files = {
        f"articles/story-{i}.md": article(title=f"Story {i}", slug=f"s{i}", tags=f"[t{i}]") for i in range(8)
    }
    files["articles/quay.md"] = BREAKING.replace("breaking: true", "tags: [port]")
    site = write_site(files, config=CONFIG)
    before = tree_digest(_build(site, cli, "2025-03-01T10:00Z"))
    (site / "articles/quay.md").write_text(BREAKING.replace("title:", "tags: [port]\ntitle:"), "utf-8")
    r = cli("build", "--site", site, "--as-of", "2025-03-01T10:00Z")
    assert r.code == 0, r.err
    after = tree_digest(site / "public")
    changed = {p for p in after if before.get(p) != after[p] and p.endswith(".html")}
    assert changed == {"index.html", "2025/03/01/quay/index.html"}  # its kicker, the front's banner
    text = r.err + r.out
    assert "(4 written, " in text  # and breaking.json, newsgen-status.json
    # only pages that show the story are rendered again (to find their bytes unchanged), never every page
    rendered = int(re.search(r"(\d+) rendered", text).group(1))  # type: ignore[union-attr]
    pages = int(re.search(r"into (\d+) files", text).group(1))  # type: ignore[union-attr]
    assert rendered < pages / 2
    assert not any(f"/s{i}/" in p for p in changed for i in range(8))


def test_breaking_until_without_breaking_is_a_warning(write_site, cli):
    story = BREAKING.replace("breaking: true", "breaking_until: 2025-03-02T08:30:00Z")
    site = write_site({"articles/quay.md": story}, config=CONFIG)
    out = _build(site, cli, "2025-03-01T10:00Z")
    assert json.loads((out / "breaking.json").read_text("utf-8")) == []
    r = cli("build", "--site", site, "--as-of", "2025-03-01T10:00Z")
    assert "articles/quay.md:5:17: warning: breaking_until: has no effect without 'breaking: true'" in r.err


def test_breaking_until_before_the_story_is_a_warning_with_its_line(write_site, cli):
    """A banner that 'ends' before its story is published would never show: a typo named with its line."""
    story = BREAKING.replace("breaking: true", "breaking: true\nbreaking_until: 2025-02-01T08:30:00Z")
    site = write_site({"articles/quay.md": story}, config=CONFIG)
    r = cli("build", "--site", site, "--as-of", "2025-03-01T10:00:00Z")
    assert r.code == 0, r.err
    assert "articles/quay.md:6:17: warning: breaking_until: 2025-02-01T08:30:00+00:00 is not after" in r.err
    assert json.loads((site / "public" / "breaking.json").read_text("utf-8")) == []
