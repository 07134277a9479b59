"""Make fictional, real-looking photographs with Pillow: the sample site's and the benchmark's.

    python3 benchmarks/sample_photos.py            # the sample site's photos, into media/images/

Each picture is a made-up harbour scene (sky, hills, water, boats) drawn from a seed, so the same seed
gives the same bytes. Like a phone's pictures they carry EXIF: a camera make and model, a serial number
and a GPS position (all fictional), which newsgen must not publish.
"""

from __future__ import annotations

import io
import random
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

REPO = Path(__file__).resolve().parents[1]

#: The sample site's photos: file name, seed, and the story it illustrates (all fictional).
SAMPLE = {
    "jazz-quay.jpg": 11,  # harbour-jazz-festival-lineup.md
    "council-chamber-harbour.jpg": 23,  # council-budget-vote-delayed.md
    "battery-plant-shore.jpg": 37,  # kelmsworth-battery-plant-hiring.md
}


def scene(seed: int, width: int = 2400, height: int = 1600) -> Image.Image:
    """A harbour at some hour of the day: gradient sky, hills, rippled water, a few boats."""
    rnd = random.Random(seed)
    top = (rnd.randint(40, 120), rnd.randint(90, 160), rnd.randint(170, 235))
    low = (rnd.randint(200, 250), rnd.randint(170, 220), rnd.randint(140, 200))
    im = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(im)
    horizon = int(height * rnd.uniform(0.45, 0.6))
    for y in range(horizon):
        t = y / horizon
        draw.line(
            [(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, low, strict=True))
        )
    sun = (rnd.randint(width // 5, 4 * width // 5), int(horizon * rnd.uniform(0.3, 0.8)))
    r = height // 18
    draw.ellipse([sun[0] - r, sun[1] - r, sun[0] + r, sun[1] + r], fill=(255, 236, 190))
    for layer, shade in enumerate((95, 65)):
        points = [(0, horizon)]
        x = 0
        y = horizon - rnd.randint(40, 160) // (layer + 1)
        while x < width:
            points.append((x, y))
            x += rnd.randint(width // 40, width // 12)
            y = min(horizon - 10, max(horizon - height // 4, y + rnd.randint(-60, 60)))
        points += [(width, horizon)]
        draw.polygon(points, fill=(shade - 30, shade, shade - 20))
    for y in range(horizon, height):
        t = (y - horizon) / (height - horizon)
        base = (round(30 + 40 * t), round(70 + 30 * t), round(110 + 20 * t))
        draw.line([(0, y), (width, y)], fill=base)
    for _ in range(400):  # ripples
        y = rnd.randint(horizon + 4, height - 2)
        x = rnd.randint(0, width)
        length = rnd.randint(20, 160) * (y - horizon) // (height - horizon) + 10
        draw.line([(x, y), (x + length, y)], fill=(150, 180, 200), width=2)
    for _ in range(rnd.randint(3, 6)):  # boats
        bx = rnd.randint(0, width - 200)
        by = rnd.randint(horizon + 40, height - 120)
        s = 0.5 + (by - horizon) / (height - horizon)
        hull = [
            (bx, by),
            (bx + int(220 * s), by),
            (bx + int(180 * s), by + int(45 * s)),
            (bx + int(40 * s), by + int(45 * s)),
        ]
        draw.polygon(hull, fill=rnd.choice([(180, 40, 40), (240, 240, 235), (40, 60, 120)]))
        draw.line(
            [(bx + int(110 * s), by), (bx + int(110 * s), by - int(200 * s))], fill=(60, 50, 40), width=4
        )
        draw.polygon(
            [
                (bx + int(114 * s), by - int(190 * s)),
                (bx + int(114 * s), by - int(20 * s)),
                (bx + int(200 * s), by - int(20 * s)),
            ],
            fill=(245, 242, 230),
        )
    im = im.filter(ImageFilter.GaussianBlur(1.2))
    grain = Image.effect_noise((width, height), 10).convert("RGB")
    return Image.blend(im, grain, 0.04)


def camera_exif(seed: int) -> bytes:
    """EXIF as a phone writes it (fictional camera and place)."""
    exif = Image.Exif()
    exif[0x010F] = "Fictional Optics"
    exif[0x0110] = "FO-1"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (50.0, 12.0, float(seed)), "W", (4.0, 8.0, 30.0)
    exif.get_ifd(0x8769)[0xA431] = f"FO1-{seed:06d}"
    return exif.tobytes()


def jpeg(seed: int, width: int = 2400, height: int = 1600, quality: int = 85) -> bytes:
    out = io.BytesIO()
    scene(seed, width, height).save(out, "JPEG", quality=quality, exif=camera_exif(seed))
    return out.getvalue()


def main() -> int:
    folder = REPO / "media" / "images"
    for name, seed in SAMPLE.items():
        (folder / name).write_bytes(jpeg(seed))
        print(f"wrote {folder / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
