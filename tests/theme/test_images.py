"""Image sizes read from file headers, and the width/height the theme gives every <img>."""

from __future__ import annotations

import struct
import zlib

import pytest

from conftest import article
from newsgen.core.sitepaths import find_static
from newsgen.theme.images import ImageSize, image_size
from photo_files import photo


def png(w: int, h: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
        + b"\0" * 16
    )


def jpeg(w: int, h: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof = b"\xff\xc2" + struct.pack(">HBHHB", 11, 8, h, w, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + b"\xff\xff" + sof + b"\xff\xd9"


@pytest.mark.parametrize(
    "data, size",
    [
        (png(640, 360), ImageSize(640, 360)),
        (b"GIF89a" + struct.pack("<HH", 20, 10) + b"\0" * 8, ImageSize(20, 10)),
        (jpeg(1200, 800), ImageSize(1200, 800)),
        (
            b"RIFF\0\0\0\0WEBPVP8X" + b"\0" * 8 + (299).to_bytes(3, "little") + (199).to_bytes(3, "little"),
            ImageSize(300, 200),
        ),
        (b"RIFF\0\0\0\0WEBPVP8L\0\0\0\0\x2f" + ((99) | (49 << 14)).to_bytes(4, "little"), ImageSize(100, 50)),
        (
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80px">',
            ImageSize(120, 80),
        ),
        (
            b"<svg viewBox='0 0 1200 675' xmlns='http://www.w3.org/2000/svg'><rect/></svg>",
            ImageSize(1200, 675),
        ),
        (b'<svg width="50%" height="10em" viewBox="0,0,30,20">', ImageSize(30, 20)),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", None),
        (b"not an image at all", None),
        (png(0, 10), None),
    ],
)
def test_image_size_reads_headers(tmp_path, data, size):
    f = tmp_path / "image"
    f.write_bytes(data)
    assert image_size(f) == size


def test_image_size_of_a_missing_or_truncated_file(tmp_path):
    assert image_size(tmp_path / "nope.png") is None
    (tmp_path / "short.png").write_bytes(png(10, 10)[:18])
    assert image_size(tmp_path / "short.png") is None


def test_find_static_looks_in_each_root_and_never_outside(tmp_path):
    site, theme = tmp_path / "static", tmp_path / "theme"
    (site / "images").mkdir(parents=True)
    (theme / "images").mkdir(parents=True)
    (site / "images/a.png").write_bytes(png(1, 1))
    (theme / "images/a.png").write_bytes(png(2, 2))
    (theme / "images/b.png").write_bytes(png(3, 3))
    (tmp_path / "secret.png").write_bytes(png(4, 4))
    assert find_static("/images/a.png", [site, theme]) == (site / "images/a.png").resolve()
    assert find_static("/images/b.png?v=2", [site, theme]) == (theme / "images/b.png").resolve()
    assert find_static("images/b.png", [site, theme]) is None  # relative: depends on the page
    assert find_static("/images/%62.png", [site, theme]) == (theme / "images/b.png").resolve()
    assert find_static("/../secret.png", [site, theme]) is None
    assert find_static("https://cdn.example/images/a.png", [site, theme]) is None
    assert find_static("data:image/png;base64,AAAA", [site, theme]) is None


def test_theme_gives_images_their_file_size(write_site, cli):
    site = write_site(
        {
            "static/images/photo.png": photo(800, 450, "PNG"),
            "articles/a.md": article(
                title="With a photo",
                image="/images/photo.png",
                image_alt="A photo",
                section="News",
                date="2025-03-02T09:00:00Z",
            ),
            "articles/b.md": article(
                title="Remote photo",
                image="https://cdn.example/p.jpg",
                image_alt="Remote",
                date="2025-03-01T09:00:00Z",
            ),
        }
    )
    assert cli("build", "--site", site).code == 0
    page = (site / "public/2025/03/02/a/index.html").read_text("utf-8")
    assert 'src="../../../../images/photo-800w.jpg" srcset="' in page
    assert 'alt="A photo" width="800" height="450" fetchpriority="high"' in page
    front = (site / "public/index.html").read_text("utf-8")
    assert 'width="800" height="450" fetchpriority="high"' in front  # the lead story's picture
    remote = (site / "public/2025/03/01/b/index.html").read_text("utf-8")
    assert '<img src="https://cdn.example/p.jpg" alt="Remote" fetchpriority="high">' in remote  # size unknown


def test_incremental_build_notices_a_replaced_picture(write_site, cli):
    """Rendered pages are cached by their inputs; a picture's size is one of them."""
    site = write_site(
        {
            "static/images/photo.png": photo(800, 450, "PNG"),
            "articles/a.md": article(title="With a photo", image="/images/photo.png", image_alt="A photo"),
        }
    )
    assert cli("build", "--site", site).code == 0
    page = site / "public/2025/03/01/a/index.html"
    assert 'width="800" height="450"' in page.read_text("utf-8")
    (site / "static/images/photo.png").write_bytes(photo(640, 640, "PNG"))
    assert cli("build", "--site", site).code == 0
    assert 'width="640" height="640"' in page.read_text("utf-8")
