"""The theme: the Jinja environment that turns a page's context into HTML.

- ``render``: ``Renderer`` (autoescape, strict undefined variables, the site's
  templates over the default theme, file by file), its filters, and
  ``render_page``, the one place a planned page becomes bytes.
- ``environment``: the Jinja environment: templates share its globals and print
  escaped text, not ``Markup`` objects (the same output, faster).
- ``reuse``: story cards, the header and the footer made once a build and reused
  on every page with that page's relative links (the ``card_once`` and
  ``fragment_once`` globals).
- ``embeds``: an article page's embed links into click-to-load facades (``with_embeds``).
- ``images``: picture sizes read from file headers, for ``width``/``height``.
- ``catalog``: ``prepare_photos``, the site's photos with their derivatives
  (``PhotoCatalog``, ``Photo``), made on every core and kept in the cache.
- ``menus``: the ``menus`` global: site pages in the header and footer, trust links.
- ``photouses``: what uses each image (stories' front matter and bodies,
  authors, the site's default image), with focal points; missing files.
- ``photos``: one photo into its published files with Pillow (upright, sRGB,
  resized, cropped at each focal point, without metadata).
- ``photometa``: the caption, credits and licence a photo's IPTC block or XMP
  packet gives.

The default theme's files are the repository's ``templates/`` and ``static/``,
installed into this folder by the wheel (``location``: ``theme_dir()`` finds them).
"""

from typing import TYPE_CHECKING

from newsgen.core.lazy import lazy_exports

if TYPE_CHECKING:
    from newsgen.theme.location import theme_dir
    from newsgen.theme.render import Renderer, render_page

__all__ = ["Renderer", "render_page", "theme_dir"]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Renderer": "newsgen.theme.render",
        "render_page": "newsgen.theme.render",
        "theme_dir": "newsgen.theme.location",
    },
)
