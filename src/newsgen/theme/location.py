"""Where the default theme is: :func:`theme_dir`.

Apart from :mod:`newsgen.theme.render` because a build that changed nothing asks
for it (the theme's files are among its inputs) without rendering anything, and
so without importing Jinja.
"""

from __future__ import annotations

from pathlib import Path

from newsgen.errors import TemplateError


def theme_dir() -> Path:
    """The default theme: packaged in the wheel, or the source checkout's top level."""
    packaged = Path(__file__).parent
    if (packaged / "templates").is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "templates" / "base.html").is_file():
        return checkout
    raise TemplateError("the default theme is missing from this installation of newsgen; reinstall it")
