"""Photos the tests make with Pillow (no binary fixtures)."""

from __future__ import annotations

import io

from PIL import Image, IptcImagePlugin  # noqa: F401  (IptcImagePlugin: what the build reads back)

GPS_LATITUDE = (51.0, 30.0, 26.15)


def photo(w: int = 2400, h: int = 1600, fmt: str = "JPEG", mode: str = "RGB", **save) -> bytes:
    """A gradient picture (so encoders have something to do) as ``fmt`` bytes."""
    im = Image.linear_gradient("L").resize((w, h))
    if mode != "L":
        im = Image.merge("RGB", (im, im.transpose(Image.Transpose.FLIP_LEFT_RIGHT), im.rotate(90)))
        im = im.convert(mode) if mode != "RGB" else im
    out = io.BytesIO()
    im.save(out, fmt, **save)
    return out.getvalue()


def camera_jpeg(w: int = 2400, h: int = 1600, orientation: int = 6, iptc: bytes | None = None) -> bytes:
    """A JPEG as a phone writes it: sideways pixels with an EXIF orientation, a GPS
    position, the camera's serial number and maker notes."""
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "ExampleCam"  # Make
    exif[0x0110] = "Model X"
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = GPS_LATITUDE
    gps[3] = "W"
    gps[4] = (0.0, 7.0, 39.0)
    ifd = exif.get_ifd(0x8769)
    ifd[0xA431] = "SERIAL-12345"  # BodySerialNumber
    ifd[0x927C] = b"MAKERNOTE-SECRET"  # MakerNote
    save = {"exif": exif.tobytes(), "quality": 90}
    data = photo(w, h, **save)
    if iptc is not None:  # an APP13 Photoshop IRB segment with an IPTC block, after SOI
        irb = b"Photoshop 3.0\0" + b"8BIM" + b"\x04\x04" + b"\0\0" + len(iptc).to_bytes(4, "big") + iptc
        if len(iptc) % 2:
            irb += b"\0"
        seg = b"\xff\xed" + (len(irb) + 2).to_bytes(2, "big") + irb
        data = data[:2] + seg + data[2:]
    return data


def iptc(**fields: str) -> bytes:
    """An IPTC IIM block: caption (2:120), creator (2:80), credit (2:110), copyright (2:116)."""
    codes = {"caption": 120, "creator": 80, "credit": 110, "copyright": 116}
    out = b""
    for name, text in fields.items():
        b = text.encode("utf-8")
        out += bytes([0x1C, 2, codes[name]]) + len(b).to_bytes(2, "big") + b
    return out
