"""Photos as the build publishes them: missing files stop it, rights reach the structured data,
derivatives are hard-linked from the cache, and each focal point gets its own crops."""

from __future__ import annotations

import json
import os
import re

import pytest
from PIL import Image, ImageChops

from conftest import article
from photo_files import photo

CACHE = ".newsgen-cache/derivatives"


def ld(page: str) -> dict:
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert m is not None
    return json.loads(m.group(1))


# ----------------------------------------------------------------------------- 1. missing files


def test_a_missing_image_stops_the_build_naming_the_image_and_the_line_that_uses_it(write_site, cli):
    body = "Text.\n\n![Quay](/images/quay.jpg)\n\n![Nets](nets.png)\n\n![Remote](https://cdn.example/x.jpg)\n"
    files = {
        "articles/a.md": article(title="A", image="/images/lead.jpg", body=body),
        "authors.yaml": "Ana Example:\n  image: /images/ana.jpg\n",
        "articles/b.md": article(title="B", author="Ana Example", date="2025-03-02T09:00:00Z"),
    }
    site = write_site(files, config="social:\n  image: /images/share.jpg\n")
    run = cli("build", "--site", site)
    assert run.code != 0
    assert "Traceback" not in run.err
    err = run.err
    assert re.search(r"articles/a\.md:4\b.*image /images/lead\.jpg is missing", err)
    assert re.search(r"articles/a\.md:9\b.*image /images/quay\.jpg is missing", err)  # the body's line
    # a relative address is read against the story's page, as a browser reads it
    assert re.search(r"articles/a\.md:11\b.*image /2025/03/01/a/nets\.png is missing: nets\.png", err)
    assert "authors.yaml:1: image /images/ana.jpg is missing" in err
    assert "newsgen.yaml: image /images/share.jpg is missing" in err
    assert "cdn.example" not in err  # remote addresses are not checked
    assert not (site / "public").exists()  # nothing was published


def test_a_missing_image_leaves_the_published_site_as_it_was(write_site, cli):
    site = write_site(
        {"static/images/lead.jpg": photo(600, 400), "articles/a.md": article(image="/images/lead.jpg")}
    )
    assert cli("build", "--site", site).code == 0
    before = sorted(p.relative_to(site / "public").as_posix() for p in (site / "public").rglob("*"))
    (site / "static/images/lead.jpg").unlink()
    run = cli("build", "--site", site)
    assert run.code != 0 and "image /images/lead.jpg is missing" in run.err
    assert sorted(p.relative_to(site / "public").as_posix() for p in (site / "public").rglob("*")) == before


def test_images_that_exist_anywhere_the_site_serves_them_are_not_missing(write_site, cli):
    body = "![Map](/images/map.svg) ![Nets](nets.png) ![Small](/images/lead-480w.webp)\n"
    files = {
        "static/images/lead.jpg": photo(600, 400),
        "static/images/map.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>',
        "static/2025/03/01/a/nets.png": photo(300, 200, "PNG"),
        "articles/a.md": article(title="A", image="/images/lead.jpg?v=2", body=body),
    }
    run = cli("build", "--site", write_site(files))
    assert run.code == 0, run.err


# ----------------------------------------------------------------------------- 2. rights


XMP_RIGHTS = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    '<rdf:Description xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/" '
    'xmlns:plus="http://ns.useplus.org/ldf/xmp/1.0/" '
    'xmpRights:WebStatement="https://agency.example/licence">'
    '<plus:Licensor><rdf:Seq><rdf:li rdf:parseType="Resource">'
    "<plus:LicensorURL>https://agency.example/buy?id=7&amp;size=l</plus:LicensorURL>"
    "</rdf:li></rdf:Seq></plus:Licensor></rdf:Description></rdf:RDF></x:xmpmeta>"
)


def test_a_photos_licence_comes_from_its_xmp_or_the_front_matter(write_site, cli):
    files = {
        "static/images/a.jpg": photo(800, 600, xmp=XMP_RIGHTS.encode()),
        "static/images/b.png": photo(800, 600, "PNG"),
        "articles/a.md": article(title="A", image="/images/a.jpg"),
        "articles/b.md": article(
            title="B",
            date="2025-03-02T09:00:00Z",
            image="/images/b.png",
            image_license="https://creativecommons.org/licenses/by/4.0/",
        ),
    }
    site = write_site(files)
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    a = ld((site / "public/2025/03/01/a/index.html").read_text("utf-8"))["image"]
    assert {(i["license"], i["acquireLicensePage"]) for i in a} == {
        ("https://agency.example/licence", "https://agency.example/buy?id=7&size=l")
    }
    b = ld((site / "public/2025/03/02/b/index.html").read_text("utf-8"))["image"]
    assert {i["license"] for i in b} == {"https://creativecommons.org/licenses/by/4.0/"}
    assert all("acquireLicensePage" not in i for i in b)
    for p in (site / "public/images").iterdir():
        assert b"agency.example" not in p.read_bytes(), p.name  # the XMP itself is not published


@pytest.mark.parametrize("lead", [{"image": "/images/a.jpg"}, {}], ids=["with its photo", "without a photo"])
def test_a_licence_that_is_not_an_address_is_an_error_naming_its_line(write_site, cli, lead):
    files = {
        "static/images/a.jpg": photo(600, 400),
        "articles/a.md": article(title="A", image_license="CC BY 4.0", **lead),
    }
    site = write_site(files)
    run = cli("build", "--site", site)
    assert run.code != 0
    lines = (site / "articles/a.md").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("image_license:"))
    assert f"articles/a.md:{line}: image_license: expected the http(s) address of a page" in run.err


def test_a_focus_that_is_not_two_fractions_is_an_error_naming_its_own_line(write_site, cli):
    files = {
        "static/images/a.jpg": photo(600, 400),
        "articles/a.md": article(title="A", image="/images/a.jpg", image_focus="[2, 0.5]"),
    }
    site = write_site(files)
    run = cli("build", "--site", site)
    assert run.code != 0
    lines = (site / "articles/a.md").read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("image_focus:"))
    assert lines[line - 2].startswith("image:")  # the line above: the one it used to name
    assert f"articles/a.md:{line}: image_focus: expected [x, y], two fractions from 0 to 1" in run.err


# ----------------------------------------------------------------------------- 3. published from the cache


def _derivatives(site):
    return {p.name: p for p in (site / "public/images").iterdir()}


def test_derivatives_are_hard_links_to_the_cache_and_keep_their_inode_across_rebuilds(write_site, cli):
    files = {
        "static/images/harbour.jpg": photo(1000, 700),
        "static/images/quay.png": photo(900, 600, "PNG"),
        "articles/a.md": article(title="A", image="/images/harbour.jpg"),
        "articles/b.md": article(title="B", date="2025-03-02T09:00:00Z", image="/images/quay.png"),
    }
    site = write_site(files)
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    cache = {p.name: p for p in (site / CACHE).rglob("*") if p.is_file() and p.name != "record.json"}
    first = _derivatives(site)
    assert "harbour-480w.webp" in first and "quay-og.jpg" in first
    for name, p in first.items():
        assert os.path.samefile(p, cache[name]), name  # the cache's file itself, not a copy
    inodes = {name: p.stat().st_ino for name, p in first.items()}
    run = cli("build", "--site", site)  # nothing changed
    assert run.code == 0, run.err
    assert {n: p.stat().st_ino for n, p in _derivatives(site).items()} == inodes
    (site / "articles/a.md").write_text(
        article(title="A", image="/images/harbour.jpg", body="Edited."), "utf-8"
    )
    run = cli("build", "--site", site)  # a real rebuild: every photo from the cache, nothing encoded
    assert run.code == 0, run.err
    assert "(0 encoded)" in run.out
    assert {n: p.stat().st_ino for n, p in _derivatives(site).items()} == inodes
    (site / "static/images/quay.png").write_bytes(photo(700, 700, "PNG"))
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    quay = [n for n in _derivatives(site) if n.startswith("quay")]
    # only the replaced photo's files were encoded (widths in JPEG and WebP, four crops, the original)
    assert f"({len(quay)} encoded)" in run.out
    after = {n: p.stat().st_ino for n, p in _derivatives(site).items()}
    assert {n: i for n, i in after.items() if n.startswith("harbour")} == {
        n: i for n, i in inodes.items() if n.startswith("harbour")
    }
    assert all(after[n] != inodes.get(n) for n in quay)
    with Image.open(site / "public/images/quay-1x1.jpg") as im:
        assert im.size == (700, 700)  # the new picture's


# ----------------------------------------------------------------------------- 4. one photo, several framings


def test_stories_sharing_a_photo_with_different_focal_points_get_their_own_crops(write_site, cli):
    def story(slug, day, focus):
        return article(
            title=slug, date=f"2025-03-0{day}T09:00:00Z", image="/images/quay.jpg", image_focus=focus
        )

    files = {
        "static/images/quay.jpg": photo(3000, 2000),
        "articles/left.md": story("left", 1, "[0.1, 0.5]"),
        "articles/right.md": story("right", 2, "[0.9, 0.5]"),
        "articles/plain.md": article(title="plain", date="2025-03-03T09:00:00Z", image="/images/quay.jpg"),
    }
    site = write_site(files)
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    out = site / "public"

    def crops(slug, day):
        page = (out / f"2025/03/0{day}/{slug}/index.html").read_text("utf-8")
        og = re.search(r'<meta property="og:image" content="[^"]+/(images/[^"]+)">', page).group(1)
        return [i["url"].split("/", 3)[-1] for i in ld(page)["image"]] + [og]

    left, right, plain = crops("left", 1), crops("right", 2), crops("plain", 3)
    assert plain == [
        "images/quay-16x9.jpg",
        "images/quay-4x3.jpg",
        "images/quay-1x1.jpg",
        "images/quay-og.jpg",
    ]
    assert left == [f"images/quay-{n}-at-10-50.jpg" for n in ("16x9", "4x3", "1x1", "og")]
    assert right == [f"images/quay-{n}-at-90-50.jpg" for n in ("16x9", "4x3", "1x1", "og")]
    # different pixels: the left square shows the photo's left part, the right one its right part
    with Image.open(out / left[2]) as a, Image.open(out / right[2]) as b, Image.open(out / plain[2]) as c:
        assert ImageChops.difference(a, b).getbbox() is not None
        assert ImageChops.difference(a, c).getbbox() is not None
    # a second build makes nothing again
    (site / "articles/plain.md").write_text(
        article(title="plain", date="2025-03-03T09:00:00Z", image="/images/quay.jpg", body="Edited."), "utf-8"
    )
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    assert "(0 made, 1 reused from the cache)" in run.out and "(0 encoded)" in run.out


# ----------------------------------------------------------------------------- 5. file names


def test_a_photo_whose_name_has_a_space_and_an_accent_is_drawn_responsively(write_site, cli):
    # Markdown wants the space written %20 (and makes the accent %C3%A9 in a <...> link)
    body = "Text.\n\n![Nets](/images/caf%C3%A9%20quay.jpg)\n\n![Again](</images/café quay.jpg>)\n"
    files = {
        "static/images/café quay.jpg": photo(1600, 1000),
        "articles/a.md": article(title="A", image="/images/caf%C3%A9%20quay.jpg", image_alt="Q", body=body),
    }
    site = write_site(files)
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    page = (site / "public/2025/03/01/a/index.html").read_text("utf-8")
    pictures = re.findall(r"<picture>.*?</picture>", page, re.S)
    assert len(pictures) == 3  # the lead photo and both body photos
    for p in pictures:
        srcset = re.search(r'<img[^>]* srcset="([^"]+)"', p)
        assert srcset is not None
        # each candidate is one URL and one width: a space in the file name is written %20
        assert [c.split(" ")[1] for c in srcset.group(1).split(", ")] == ["480w", "800w", "1200w", "1600w"]
        assert "../../../../images/caf%C3%A9%20quay-480w.jpg 480w" in srcset.group(1)
        assert 'width="1200" height="750"' in p
    og = re.search(r'<meta property="og:image" content="([^"]+)">', page)
    assert og is not None and og.group(1).endswith("/images/caf%C3%A9%20quay-og.jpg")
    assert ld(page)["image"][0]["url"].endswith("/images/caf%C3%A9%20quay-16x9.jpg")
    assert (site / "public/images/café quay-og.jpg").is_file()
