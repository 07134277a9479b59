"""An article page's embeds: each embed link of the body becomes a click-to-load facade.

The body HTML holds an embed as a plain link (see :mod:`newsgen.content.embeds`);
feeds and search data keep it so. On the article page it becomes a
``<figure class="embed">`` with the service's name, the title, a link to the
original and a button, hidden until the theme's script (``/js/embeds.js``,
loaded once after the last embed, ``defer``) shows it. The page asks no
third party for anything (no thumbnail, no preconnect) until the reader
presses the button; the script then puts the player, whose address is
``data-embed-src`` (built from the ids, never the URL as written), in a
sandboxed ``<iframe>``. Without JavaScript the reader sees the link.
A live story's updates get the same facades (:func:`embed_facades`, see
:mod:`newsgen.outputs.live`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection

from newsgen.content.embeds import Embed, recognise

#: The page that loads the players; a site path, made relative to the page like any other.
SCRIPT = "/js/embeds.js"

_EMBED_LINK = re.compile(r'<p class="embed-link"><a ([^<>]*)>([^<>]*)</a></p>')
_ATTR = re.compile(r'([a-z][a-z-]*)="([^"<>]*)"')
_VERB = {"video": "Play the video", "post": "Show the post", "chart": "Show the chart"}
_VERB.update(document="Show the document", audio="Play the audio")
_OPEN = {"video": "Watch", "audio": "Listen"}


def _facade(embed: Embed, title_html: str) -> str:
    title = html.unescape(title_html)
    q = html.escape
    return (
        f'<figure class="embed embed--{embed.kind} embed--{embed.provider}" '
        f'data-embed-src="{q(embed.player)}" data-embed-title="{q(title)}">\n'
        f'<p class="embed__provider" data-pagefind-ignore>{q(embed.name)}</p>\n'
        f'<p class="embed__title">{q(title, quote=False)}</p>\n'
        f'<div class="embed__consent" data-pagefind-ignore hidden>'
        f'<button type="button" class="embed__load">{_VERB[embed.kind]}</button>\n'
        f'<p class="embed__note">Loading it connects to {q(embed.name)}, which may set cookies.</p></div>\n'
        f'<figcaption><a href="{q(embed.url)}">{_OPEN.get(embed.kind, "Open")} on {q(embed.name)}</a></figcaption>\n'
        "</figure>"
    )


def with_embeds(body_html: str, enabled: Collection[str]) -> str:
    """``body_html`` with each embed link of an ``enabled`` service as a facade,
    and the script that loads the players after the last one."""
    out, found = embed_facades(body_html, enabled)
    return out + f'\n<script src="{SCRIPT}" defer></script>' if found else out


def embed_facades(body_html: str, enabled: Collection[str]) -> tuple[str, bool]:
    """``body_html`` with each embed link of an ``enabled`` service as a facade,
    and whether there was one (the page then needs :data:`SCRIPT`, once)."""
    if 'class="embed-link"' not in body_html or not enabled:
        return body_html, False
    found = False

    def upgrade(m: re.Match[str]) -> str:
        nonlocal found
        attrs = dict(_ATTR.findall(m.group(1)))
        if attrs.get("class") != "embed":
            return m.group(0)
        embed = recognise(html.unescape(attrs.get("href", "")), enabled)
        if embed is None or embed.provider != attrs.get("data-embed"):
            return m.group(0)
        found = True
        return _facade(embed, m.group(2))

    return _EMBED_LINK.sub(upgrade, body_html), found
