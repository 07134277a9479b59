"""Photos as newsrooms publish them: responsive sizes, crops, credits, no leaked location."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

from PIL import Image

from conftest import article
from newsgen.theme.photos import crop_box
from photo_files import camera_jpeg, iptc, photo

SECRETS = (b"SERIAL-12345", b"MAKERNOTE-SECRET", b"ExampleCam")


def build(write_site, cli, files, config=None):
    site = write_site(files, config=config)
    run = cli("build", "--site", site)
    return site, run


def lead(**fields):
    fields.setdefault("image_alt", "Boats in a harbour")
    return article(
        title="Harbour", slug="harbour", image="/images/harbour.jpg", date="2025-03-02T09:00:00Z", **fields
    )


def test_a_camera_photo_gets_upright_responsive_files_without_its_metadata(write_site, cli):
    site, run = build(
        write_site, cli, {"static/images/harbour.jpg": camera_jpeg(2400, 1600), "articles/a.md": lead()}
    )
    assert run.code == 0, run.err
    out = site / "public"
    page = (out / "2025/03/02/harbour/index.html").read_text("utf-8")
    # the pixels are sideways (orientation 6): the published picture is upright, 1600 wide and 2400 high;
    # width and height are the fallback's (1200 wide), the same shape
    assert 'width="1200" height="1800" fetchpriority="high"' in page
    webp = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="[^"]+">', page)
    assert webp is not None
    assert [c.split()[1] for c in webp.group(1).split(", ")] == ["480w", "800w", "1200w", "1600w"]
    img = re.search(r'<img src="([^"]+)" srcset="([^"]+)"', page)
    assert img is not None and img.group(1).endswith("images/harbour-1200w.jpg")
    assert "images/harbour-1600w.jpg 1600w" in img.group(2)
    published = sorted((out / "images").iterdir())
    assert {p.suffix for p in published} == {".jpg", ".webp"}
    for p in published:
        data = p.read_bytes()
        assert not any(s in data for s in SECRETS), p.name
        with Image.open(p) as im:
            assert not im.getexif(), p.name  # no EXIF at all: no GPS, no orientation left to apply
            assert "xmp" not in im.info and "exif" not in im.info
            if "w." in p.name:
                assert im.height > im.width, p.name  # upright
    # the original's own path serves the picture without its metadata
    with Image.open(out / "images/harbour.jpg") as im:
        assert im.size == (1600, 2400)


def test_a_jpeg_comment_is_not_published(write_site, cli):
    site, run = build(
        write_site,
        cli,
        {
            "static/images/harbour.jpg": photo(600, 400, comment=b"shot at 12 Quay Lane"),
            "articles/a.md": lead(),
        },
    )
    assert run.code == 0, run.err
    for p in (site / "public/images").iterdir():
        assert b"Quay Lane" not in p.read_bytes(), p.name


def test_widths_are_never_upscaled_and_settings_choose_them(write_site, cli):
    site, run = build(
        write_site,
        cli,
        {"static/images/harbour.jpg": photo(900, 600), "articles/a.md": lead()},
        config="images:\n  widths: [300, 800, 1600]\n  formats: []\n  keep_originals: true\n",
    )
    assert run.code == 0, run.err
    names = sorted(p.name for p in (site / "public/images").iterdir() if "w." in p.name)
    assert names == ["harbour-300w.jpg", "harbour-800w.jpg", "harbour-900w.jpg"]  # no WebP, nothing over 900
    assert (site / "public/images/harbour.jpg").read_bytes() == (
        site / "static/images/harbour.jpg"
    ).read_bytes()


def test_bad_images_settings_are_errors_naming_the_setting(write_site, cli):
    _, run = build(
        write_site, cli, {"articles/a.md": article()}, config="images:\n  widths: [0]\n  quality: 200\n"
    )
    assert run.code != 0
    assert "images.widths" in run.err and "images.quality" in run.err
    assert "Traceback" not in run.err


def test_search_and_social_crops_centre_on_the_focal_point(write_site, cli):
    site, run = build(
        write_site,
        cli,
        {
            "static/images/harbour.jpg": photo(3000, 2000),
            "articles/a.md": lead(
                image_focus="[0.9, 0.5]", image_caption="Boats at dawn", image_credit="Fictional Agency"
            ),
        },
    )
    assert run.code == 0, run.err
    out = site / "public"
    page = (out / "2025/03/02/harbour/index.html").read_text("utf-8")
    assert re.search(r'<meta property="og:image" content="[^"]+/images/harbour-og.jpg">', page)
    assert '<meta property="og:image:width" content="1200">' in page
    assert '<meta property="og:image:height" content="630">' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    images = data["image"]
    assert [(i["url"].rsplit("/", 1)[1], i["width"], i["height"]) for i in images] == [
        ("harbour-16x9.jpg", 1200, 675),
        ("harbour-4x3.jpg", 1200, 900),
        ("harbour-1x1.jpg", 1200, 1200),
    ]
    assert all(i["width"] * i["height"] >= 50_000 for i in images)
    assert images[0]["caption"] == "Boats at dawn" and images[0]["creditText"] == "Fictional Agency"
    assert "Boats at dawn" in page and "Fictional Agency" in page


def test_crops_are_the_largest_box_of_their_ratio_near_the_focus():
    assert crop_box((3000, 2000), (1, 1), (0.9, 0.5)) == (1000, 0, 3000, 2000)  # right-hand square
    assert crop_box((3000, 2000), (1, 1), (0.5, 0.5)) == (500, 0, 2500, 2000)
    assert crop_box((3000, 2000), (16, 9), (0.5, 0.0)) == (0, 0, 3000, 1688)  # top
    assert crop_box((1000, 3000), (4, 3), (0.5, 0.2)) == (0, 225, 1000, 975)


def test_a_story_without_a_photo_uses_the_site_default(write_site, cli):
    site, run = build(
        write_site,
        cli,
        {"static/images/default.png": photo(1600, 900, "PNG"), "articles/a.md": article(title="No photo")},
        config="social:\n  image: /images/default.png\n",
    )
    assert run.code == 0, run.err
    page = (site / "public/2025/03/01/a/index.html").read_text("utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert [i["url"].rsplit("/", 1)[1] for i in data["image"]] == [
        "default-16x9.jpg",
        "default-4x3.jpg",
        "default-1x1.jpg",
    ]


def test_captions_and_credits_come_from_the_photo_when_front_matter_has_none(write_site, cli):
    block = iptc(caption="Fishing boats at first light", creator="Ana Example", credit="Example Wire")
    site, run = build(
        write_site,
        cli,
        {
            "static/images/harbour.jpg": camera_jpeg(1600, 1200, orientation=1, iptc=block),
            "articles/a.md": lead(),
        },
    )
    assert run.code == 0, run.err
    page = (site / "public/2025/03/02/harbour/index.html").read_text("utf-8")
    assert (
        '<figcaption>Fishing boats at first light <span class="credit">Example Wire</span></figcaption>'
        in page
    )
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["image"][0]["creator"] == {"@type": "Person", "name": "Ana Example"}
    assert data["image"][0]["creditText"] == "Example Wire"
    for p in (site / "public/images").iterdir():  # the IPTC block itself is not published
        assert b"Ana Example" not in p.read_bytes()


def test_awkward_but_valid_images_are_converted(write_site, cli):
    files = {
        "static/images/cmyk.jpg": photo(800, 600, mode="CMYK"),
        "static/images/deep.png": _sixteen_bit_png(),
        "static/images/palette.png": _palette_png_with_transparency(),
        "articles/a.md": article(title="A", image="/images/cmyk.jpg"),
    }
    site, run = build(write_site, cli, files)
    assert run.code == 0, run.err
    out = site / "public/images"
    assert Image.open(out / "cmyk-800w.jpg").mode == "RGB"
    assert Image.open(out / "deep-480w.jpg").mode == "RGB"
    with Image.open(out / "palette-480w.png") as im:
        assert im.mode == "RGBA" and im.getpixel((0, 0))[3] == 0  # the transparency is kept


def _sixteen_bit_png() -> bytes:
    im = Image.new("I;16", (600, 400))
    im.paste(40000, (0, 0, 600, 400))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def _palette_png_with_transparency() -> bytes:
    im = Image.new("P", (600, 400), 0)
    im.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    im.paste(1, (100, 100, 500, 300))
    buf = io.BytesIO()
    im.save(buf, "PNG", transparency=0)
    return buf.getvalue()


def test_gif_svg_animated_webp_and_remote_images_pass_through(write_site, cli):
    frames = [Image.new("RGB", (64, 64), c) for c in ("red", "blue")]
    gif, webp = io.BytesIO(), io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    frames[0].save(webp, "WEBP", save_all=True, append_images=frames[1:])
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    files = {
        "static/images/anim.gif": gif.getvalue(),
        "static/images/anim.webp": webp.getvalue(),
        "static/images/logo.svg": svg,
        "articles/a.md": article(title="A", image="/images/anim.webp"),
        "articles/b.md": article(title="B", image="https://cdn.example/p.jpg", date="2025-03-02T09:00:00Z"),
        "articles/c.md": article(title="C", image="/images/logo.svg", date="2025-03-03T09:00:00Z"),
    }
    site, run = build(write_site, cli, files)
    assert run.code == 0, run.err
    out = site / "public/images"
    assert sorted(p.name for p in out.iterdir()) == ["anim.gif", "anim.webp", "logo.svg"]
    assert (out / "anim.webp").read_bytes() == webp.getvalue()
    remote = (site / "public/2025/03/02/b/index.html").read_text("utf-8")
    assert '<img src="https://cdn.example/p.jpg"' in remote


def _bomb() -> bytes:
    """A PNG that claims 20000 x 20000 pixels (400 million, over Pillow's limit)."""
    import struct
    import zlib

    data = bytearray(photo(16, 16, "PNG"))
    ihdr = bytes(data[12:17]) and struct.pack(">II", 20000, 20000) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_bad_images_are_errors_naming_the_image_and_the_article_line(write_site, cli):
    good = photo(800, 600)
    files = {
        "static/images/cut.jpg": good[: len(good) // 2],
        "static/images/text.jpg": b"this is not a picture",
        "static/images/bomb.png": _bomb(),
        "articles/a.md": article(title="A", image="/images/cut.jpg"),
        "articles/b.md": article(title="B", image="/images/text.jpg", date="2025-03-02T09:00:00Z"),
        "articles/c.md": article(title="C", image="/images/bomb.png", date="2025-03-03T09:00:00Z"),
    }
    site, run = build(write_site, cli, files)
    assert run.code != 0
    assert "Traceback" not in run.err
    lines = run.err
    assert re.search(r"articles/a\.md:4\b.*image /images/cut\.jpg: the image is damaged or truncated", lines)
    assert re.search(r"articles/b\.md:4\b.*image /images/text\.jpg: not an image", lines)
    assert re.search(r"articles/c\.md:4\b.*image /images/bomb\.png: .*decompression bomb", lines)
    assert not (site / "public").exists()  # nothing was published


def test_unchanged_photos_are_not_made_again_and_a_replaced_one_is(write_site, cli):
    files = {
        "static/images/harbour.jpg": photo(1000, 700),
        "static/images/quay.png": photo(900, 600, "PNG"),
        "articles/a.md": lead(),
    }
    site, run = build(write_site, cli, files)
    assert run.code == 0, run.err
    assert "photos: 2 (2 made, 0 reused from the cache)" in run.out
    cache = site / ".newsgen-cache/derivatives"
    before = {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()}
    (site / "articles/a.md").write_text(lead(body="Edited."), "utf-8")  # a build that is not a no-op
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    assert "photos: 2 (0 made, 2 reused from the cache)" in run.out
    assert {p: p.stat().st_mtime_ns for p in cache.rglob("*") if p.is_file()} == before  # nothing rewritten
    (site / "static/images/quay.png").write_bytes(photo(700, 700, "PNG"))
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    assert "photos: 2 (1 made, 1 reused from the cache)" in run.out
    assert Image.open(site / "public/images/quay-700w.jpg").size == (700, 700)
    assert not (site / "public/images/quay-900w.jpg").exists()
    kept = [p for p in before if p.exists()]
    assert kept and all(
        "harbour" in p.name or p.name == "record.json" for p in kept
    )  # the old quay's are gone


def test_photos_in_the_body_are_responsive_too(write_site, cli):
    body = "Text.\n\n![The quay at dawn](/images/quay.jpg)\n\n![A remote one](https://cdn.example/x.jpg)\n"
    site, run = build(
        write_site,
        cli,
        {"static/images/quay.jpg": camera_jpeg(1600, 1000), "articles/a.md": article(title="A", body=body)},
    )
    assert run.code == 0, run.err
    page = (site / "public/2025/03/01/a/index.html").read_text("utf-8")
    assert (
        '<picture><source type="image/webp" srcset="../../../../images/quay-480w.webp 480w, '
        "../../../../images/quay-800w.webp 800w, ../../../../images/quay-1000w.webp 1000w" in page
    )
    assert re.search(
        r'<img alt="The quay at dawn" src="../../../../images/quay-1000w.jpg" srcset="[^"]+" sizes="[^"]+" '
        r'width="1000" height="1600" loading="lazy" decoding="async"></picture>',
        page,
    )
    assert '<img alt="A remote one" src="https://cdn.example/x.jpg">' in page


def test_avif_is_made_when_asked_for_and_pillow_writes_it(write_site, cli, monkeypatch):
    from PIL import features

    files = {"static/images/harbour.jpg": photo(600, 400), "articles/a.md": lead()}
    config = "images:\n  formats: [avif, webp]\n"
    if features.check("avif"):
        site, run = build(write_site, cli, files, config=config)
        assert run.code == 0, run.err
        page = (site / "public/2025/03/02/harbour/index.html").read_text("utf-8")
        assert page.index('type="image/avif"') < page.index('type="image/webp"')  # the smaller first
        assert (site / "public/images/harbour-600w.avif").is_file()
    monkeypatch.setattr(features, "check", lambda name: name != "avif")
    _, run = build(write_site, cli, files, config=config)
    assert run.code != 0 and "images.formats: this Pillow cannot write avif" in run.err


def test_a_bad_default_or_author_photo_names_the_setting_that_uses_it(write_site, cli):
    files = {
        "static/images/share.jpg": b"not a picture",
        "static/images/ana.jpg": b"nor this",
        "authors.yaml": "Ana Example:\n  image: /images/ana.jpg\n",
        "articles/a.md": article(title="A", author="Ana Example"),
    }
    _, run = build(write_site, cli, files, config="social:\n  image: /images/share.jpg\n")
    assert run.code != 0, run.err
    assert "newsgen.yaml: image /images/share.jpg: not an image" in run.err
    assert "authors.yaml:1: image /images/ana.jpg: not an image" in run.err


def test_an_unreadable_image_nobody_uses_is_a_warning_and_published_as_it_is(write_site, cli):
    files = {"static/images/unused.png": b"junk nobody uses", "articles/a.md": article(title="A")}
    site, run = build(write_site, cli, files)
    assert run.code == 0, run.err
    assert "static/images/unused.png: warning: not an image" in run.err
    assert (site / "public/images/unused.png").read_bytes() == b"junk nobody uses"


def test_two_photos_whose_derivatives_share_a_name_are_an_error(write_site, cli):
    files = {
        "static/images/quay.jpg": photo(600, 400),
        "static/images/quay.png": photo(600, 400, "PNG"),
        "articles/a.md": article(title="A"),
    }
    _, run = build(write_site, cli, files)
    assert run.code != 0
    assert "its derivative /images/quay-480w.webp is also made from /images/quay.jpg" in run.err


def test_credits_from_an_xmp_packet(write_site, cli):
    xmp = (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description photoshop:Credit="Example Wire &amp; Partners">'
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">Nets drying on the quay</rdf:li></rdf:Alt>'
        "</dc:description><dc:creator><rdf:Seq><rdf:li>Bo Example</rdf:li></rdf:Seq></dc:creator>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    site, run = build(
        write_site,
        cli,
        {"static/images/harbour.jpg": photo(800, 600, xmp=xmp.encode()), "articles/a.md": lead()},
    )
    assert run.code == 0, run.err
    page = (site / "public/2025/03/02/harbour/index.html").read_text("utf-8")
    assert (
        '<figcaption>Nets drying on the quay <span class="credit">Example Wire &amp; Partners</span>' in page
    )
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["image"][0]["creator"] == {"@type": "Person", "name": "Bo Example"}
    for p in (site / "public/images").iterdir():
        assert b"Nets drying" not in p.read_bytes()


def test_a_site_without_photos_builds_without_loading_pillow(write_site):
    """Pillow is loaded only when the site has photos to make: a rebuild of a site without any
    does not pay for importing it (and ``images.formats`` is checked when there are photos)."""
    site = write_site({"articles/a.md": article(title="No photo here", date="2025-03-02")})
    code = (
        "import sys; from newsgen.commands.cli import main; "
        f"code = main(['build', '-q', '--site', {str(site)!r}]); "
        "print(code, sorted(m for m in sys.modules if m == 'PIL' or m.startswith('PIL.')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split("\n")[-2] == "0 []", run.stdout + run.stderr
    assert (site / "public/index.html").is_file()
