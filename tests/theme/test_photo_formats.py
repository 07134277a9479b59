"""The formats of a photo's crops and fallback widths: JPEG for an opaque picture whatever its
source format (a WebP, a PNG photo), PNG only for one with real transparency (a logo)."""

from __future__ import annotations

import io
import json
import mimetypes
import re
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from PIL import Image

from conftest import article

CROPS = ("16x9", "4x3", "1x1", "og")
SIZES = {"16x9": (1200, 675), "4x3": (1200, 900), "1x1": (1200, 1200), "og": (1200, 630)}


def camera_picture(w: int = 2000, h: int = 1500, mode: str = "RGB") -> Image.Image:
    """A picture with a camera's grain, which PNG cannot squeeze as it squeezes a smooth gradient."""
    grain = Image.effect_noise((w, h), 24)
    ramp = Image.linear_gradient("L").resize((w, h))
    channels = [Image.blend(ramp, grain, 0.35), Image.blend(ramp.rotate(90), grain, 0.3), grain]
    im = Image.merge("RGB", channels)
    return im.convert(mode) if mode != "RGB" else im


def encoded(im: Image.Image, fmt: str, **save) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **save)
    return out.getvalue()


def opaque_rgba(w: int = 2000, h: int = 1500) -> Image.Image:
    im = camera_picture(w, h, "RGBA")
    assert im.getchannel("A").getextrema() == (255, 255)  # an alpha channel, opaque everywhere
    return im


def logo(w: int = 1600, h: int = 1200) -> Image.Image:
    """A mark on a transparent background."""
    im = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    im.paste(camera_picture(w // 2, h // 2, "RGBA"), (w // 4, h // 4))
    return im


def build(write_site, cli, name: str, data: bytes):
    story = article(title="Cat", slug="cat", image=f"/images/{name}", date="2025-03-02T09:00:00Z")
    site = write_site({f"static/images/{name}": data, "articles/a.md": story})
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    return site, (site / "public/2025/03/02/cat/index.html").read_text("utf-8")


def published(site: Path, url: str) -> Path:
    """The file a URL of the story's page names (absolute, or relative to the page)."""
    return site / "public" / urlsplit(urljoin("/2025/03/02/cat/", url)).path.lstrip("/")


def share_image(site: Path, page: str) -> Path:
    m = re.search(r'<meta property="og:image" content="([^"]+)">', page)
    assert m is not None
    return published(site, m.group(1))


def search_images(site: Path, page: str) -> list[Path]:
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    return [published(site, i["url"]) for i in data["image"]]


def fallback(site: Path, page: str) -> Path:
    m = re.search(r'<img src="([^"]+)"', page)
    assert m is not None
    return published(site, m.group(1))


OPAQUE = {
    "a WebP photo": ("cat.webp", lambda: encoded(camera_picture(), "WEBP", quality=85)),
    "a PNG photo": ("cat.png", lambda: encoded(camera_picture(), "PNG")),
    "a PNG with an opaque alpha channel": ("cat.png", lambda: encoded(opaque_rgba(), "PNG")),
    "a WebP with an opaque alpha channel": ("cat.webp", lambda: encoded(opaque_rgba(), "WEBP", quality=85)),
}


@pytest.mark.parametrize("kind", list(OPAQUE))
def test_an_opaque_photo_gets_jpeg_crops_of_a_sane_size_whatever_its_format(write_site, cli, kind):
    name, make = OPAQUE[kind]
    site, page = build(write_site, cli, name, make())
    out = site / "public/images"
    assert not [p.name for p in out.iterdir() if p.name.startswith("cat-") and p.suffix == ".png"]
    for crop in CROPS:
        path = out / f"cat-{crop}.jpg"
        with Image.open(path) as im:
            assert (im.format, im.mode, im.size) == ("JPEG", "RGB", SIZES[crop]), crop
        w, h = SIZES[crop]
        assert path.stat().st_size < w * h * 3 / 6, crop  # a PNG of this grain is about half its pixels
    # what search engines and link previews are told: files that exist, JPEG by suffix and content
    og = share_image(site, page)
    assert og.name == "cat-og.jpg" and mimetypes.guess_type(og.name)[0] == "image/jpeg"
    assert Image.open(og).format == "JPEG"
    assert [p.name for p in search_images(site, page)] == ["cat-16x9.jpg", "cat-4x3.jpg", "cat-1x1.jpg"]
    assert all(Image.open(p).format == "JPEG" for p in search_images(site, page))
    assert '<meta property="og:image:width" content="1200">' in page
    # the widths: WebP for the browsers that read it, JPEG for the others (the <img> fallback)
    img = fallback(site, page)
    assert img.name == "cat-1200w.jpg" and Image.open(img).format == "JPEG"
    assert '<source type="image/webp"' in page and (out / "cat-1200w.webp").is_file()
    # the photo's own path is still its own format
    assert Image.open(out / name).format == ("WEBP" if name.endswith(".webp") else "PNG")


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_a_picture_with_real_transparency_keeps_png_crops(write_site, cli, fmt):
    name = f"logo.{fmt.lower()}"
    site, page = build(
        write_site, cli, name, encoded(logo(), fmt, **({"lossless": True} if fmt == "WEBP" else {}))
    )
    out = site / "public/images"
    for crop in CROPS:
        with Image.open(out / f"logo-{crop}.png") as im:
            assert im.format == "PNG" and im.mode == "RGBA", crop
            assert im.getchannel("A").getextrema()[0] == 0, crop  # the transparency is kept
    assert not [p.name for p in out.iterdir() if p.name.startswith("logo-") and p.suffix == ".jpg"]
    og = share_image(site, page)
    assert og.name == "logo-og.png" and mimetypes.guess_type(og.name)[0] == "image/png" and og.is_file()
    img = fallback(site, page)
    assert img.name == "logo-1200w.png"
    with Image.open(img) as im:
        assert im.mode == "RGBA" and im.getpixel((0, 0))[3] == 0


def test_check_finds_nothing_missing_for_a_webp_photo_with_jpeg_crops(write_site, cli):
    story = article(title="Cat", slug="cat", image="/images/cat.webp", date="2025-03-02T09:00:00Z")
    site = write_site(
        {"static/images/cat.webp": encoded(camera_picture(1300, 900), "WEBP"), "articles/a.md": story}
    )
    run = cli("check", "--site", site)
    assert run.code == 0, run.out + run.err
    assert "cat-og" not in run.out + run.err
