"""Hugo's page bundles and Zola's colocated assets: a story folder's own files are published
beside its page, so the body's relative links to them keep working."""

from __future__ import annotations

import re

from conftest import pages_digest
from newsgen.config import load_config
from newsgen.content.sources import discover
from newsgen.incremental import sourcekeys
from photo_files import photo

CONFIG = "title: Bundle Gazette\nbase_url: https://example.com/\nsocial:\n  image: /favicon.svg\n"

BUNDLE = """+++
title = "Quay reopens"
date = 2025-03-01T09:00:00Z
summary = "The quay is open again. (Fictional sample.)"
+++
![The quay at dawn](img/quay.jpg)

Read [the council's report](report.pdf).
"""

DRAFT = """+++
title = "Not yet"
date = 2025-03-02T09:00:00Z
draft = true
+++
![Secret](secret.jpg)
"""


def _site(write_site):
    return write_site(
        {
            "articles/post/quay/index.md": BUNDLE,
            "articles/post/quay/img/quay.jpg": photo(1200, 800),
            "articles/post/quay/report.pdf": b"%PDF-1.4 fictional",
            "articles/post/not-yet/index.md": DRAFT,
            "articles/post/not-yet/secret.jpg": photo(300, 200),
            "articles/post/loose.md": "---\ntitle: Loose\ndate: 2025-03-03\nsummary: s\n---\nBody.\n",
            "articles/post/stray.png": photo(100, 100),  # beside no index.md: no story's
        },
        config=CONFIG,
    )


def test_a_story_folder_owns_its_files_but_not_a_story_folder_inside_it(write_site):
    site = write_site(
        {
            "articles/a/index.md": BUNDLE,
            "articles/a/img/one.jpg": "x",
            "articles/a/notes.pdf": "x",
            "articles/a/.hidden.jpg": "x",
            "articles/a/inner/index.md": BUNDLE,
            "articles/a/inner/two.jpg": "x",
            "articles/b.md": BUNDLE,
            "articles/three.jpg": "x",
        }
    )
    config, _ = load_config(site)
    sources, problems = discover(config)
    assert problems == []
    owned = {s.display: [p.relative_to(site).as_posix() for p in s.assets] for s in sources}
    assert owned == {
        "articles/a/index.md": ["articles/a/img/one.jpg", "articles/a/notes.pdf"],
        "articles/a/inner/index.md": ["articles/a/inner/two.jpg"],
        "articles/b.md": [],
    }


def test_a_bundle_publishes_its_files_beside_the_story(write_site, cli):
    site = _site(write_site)
    run = cli("check", "--site", site)
    assert run.code == 0, run.err  # the relative photo and PDF are files of the site
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    public = site / "public"
    story = public / "2025/03/01/quay"
    assert (story / "report.pdf").read_bytes() == b"%PDF-1.4 fictional"
    page = (story / "index.html").read_text("utf-8")
    assert 'href="report.pdf"' in page
    # the photo is drawn like one of static/: sizes made, written relative to the page
    picture = re.search(r"<picture>.*?</picture>", page, re.S)
    assert picture is not None and 'srcset="img/quay-480w.jpg 480w' in picture.group(0)
    assert (story / "img/quay-480w.jpg").is_file()
    # a draft's files wait with it; a file beside no index.md belongs to no story
    published = {p.relative_to(public).as_posix() for p in public.rglob("*") if p.is_file()}
    assert not [p for p in published if "secret" in p or "stray" in p]


def _same_as_clean(site, cli) -> None:
    assert cli("build", "--site", site, "--output", site / "clean", "--no-cache").code == 0
    assert pages_digest(site / "public") == pages_digest(site / "clean")


def test_a_replaced_bundle_photo_is_published_as_a_clean_build_would(write_site, cli, monkeypatch):
    monkeypatch.setattr(sourcekeys, "RACY_NS", 0)  # the file's new signature is trusted at once
    site = _site(write_site)
    assert cli("build", "--site", site).code == 0
    (site / "articles/post/quay/img/quay.jpg").write_bytes(photo(640, 480))
    run = cli("build", "--site", site)
    assert run.code == 0 and "nothing changed" not in run.out
    page = (site / "public/2025/03/01/quay/index.html").read_text("utf-8")
    assert 'width="640" height="480"' in page
    _same_as_clean(site, cli)
    (site / "articles/post/quay/report.pdf").unlink()  # a file gone from the bundle
    assert cli("build", "--site", site).code == 0
    assert not (site / "public/2025/03/01/quay/report.pdf").exists()
    _same_as_clean(site, cli)


def test_a_bundle_photo_as_the_lead_image_gets_sizes_crops_and_works_on_list_pages(write_site, cli):
    lead = BUNDLE.replace('summary = "', 'image = "img/quay.jpg"\nimage_alt = "The quay"\nsummary = "')
    site = write_site(
        {"articles/post/quay/index.md": lead, "articles/post/quay/img/quay.jpg": photo(1600, 1000)},
        config=CONFIG,
    )
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    public = site / "public"
    page = (public / "2025/03/01/quay/index.html").read_text("utf-8")
    first = re.search(r"<picture>.*?</picture>", page, re.S)  # the lead photo, drawn like a static/ one
    assert first is not None and 'srcset="img/quay-480w.jpg 480w' in first.group(0)
    assert 'width="1200" height="750" fetchpriority="high"' in first.group(0)
    assert '<meta property="og:image" content="https://example.com/2025/03/01/quay/img/quay-og.jpg">' in page
    assert "https://example.com/2025/03/01/quay/img/quay-16x9.jpg" in page  # the NewsArticle's crops
    # a list page's card links the photo from where that page is, not as if it were the story
    archive = (public / "2025/index.html").read_text("utf-8")
    card = re.search(r'<img class="story-card__image" src="([^"]+)"', archive)
    assert card is not None and card.group(1) == "03/01/quay/img/quay-1200w.jpg"
