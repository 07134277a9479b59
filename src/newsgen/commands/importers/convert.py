"""A WordPress post body (HTML with shortcodes and block comments) to Markdown.

Why Markdown and not HTML: newsgen shows raw HTML in an article as text unless
a site sets ``unsafe_html: true``, so imported HTML would not render on a safe
site; Markdown renders everywhere, goes through newsgen's usual URL guard
(``javascript:`` links removed), and is what an editor edits afterwards. The
conversion is markdownify (on BeautifulSoup), which keeps headings, lists,
links, images, emphasis, quotes, code and tables; ``<script>`` and ``<style>``
are dropped. In a table cell a ``|`` is escaped (``\\|``), so it stays in its cell.

Before it, what only WordPress understands:

* block editor comments (``<!-- wp:paragraph -->``) are dropped; the ``<!--more-->`` split is kept
  as a line of its own (newsgen ends a members story's free part there, and drops it otherwise);
* classic editor text (paragraphs as blank lines, no ``<p>``) gets its
  paragraphs and line breaks, as WordPress's ``wpautop`` would;
* ``[caption]`` becomes the image and its caption (with its links); ``[gallery]`` the images
  of its attachments; ``[embed]URL[/embed]``, ``[audio]``, ``[video]``,
  ``<iframe>`` and a URL alone on a line (an oEmbed) become links;
* any other shortcode is kept as text and reported with a hint.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import Any

from markdownify import MarkdownConverter

_BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.S)
_MORE = re.compile(r"<!--more\b.*?-->", re.S)  # WordPress's "read more" split, kept as a <!--more--> line
_MORE_MARK = "newsgenwpmore7d3e"
_CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.S | re.I)
_IMG = re.compile(r"<img\b[^>]*>", re.I)
# WordPress's own split of a [caption]'s content (img_caption_shortcode): the image, in its link if
# it has one, then the caption, whose own links are kept
_CAPTIONED = re.compile(r"((?:<a\s[^>]+>\s*)?<img\b[^>]*>(?:\s*</a\s*>)?)(.*)", re.I | re.S)
_EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.S | re.I)
_MEDIA = re.compile(r"\[(audio|video)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.S | re.I)
_GALLERY = re.compile(r"\[gallery\b([^\]]*)\]", re.I)
_ATTR = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'\]]+))""")
_IFRAME = re.compile(r"<iframe\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"'][^>]*>.*?</iframe>", re.S | re.I)
_BARE_URL = re.compile(r"^[ \t]*(?:<p>)?[ \t]*(https?://[^\s<>\"]+)[ \t]*(?:</p>)?[ \t]*$", re.M)
_URL_ATTR = re.compile(r"""(\b(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.I | re.S)
_SHORTCODE = re.compile(r"\[(/?)([a-zA-Z][\w-]*)((?:\s[^\[\]]*)?)\]")
_BLOCKS = r"ul|ol|pre|blockquote|table|h[1-6]|div|figure|hr|dl|p"
_BLOCK_OPEN = re.compile(rf"<(?:{_BLOCKS})\b[^>]*>", re.I)
_BLOCK_CLOSE = re.compile(rf"</(?:{_BLOCKS})\s*>", re.I)
_PRE = re.compile(r"<pre\b.*?</pre\s*>", re.I | re.S)
_KEPT = re.compile(r"\x00(\d+)\x00")
_SCRIPT = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>", re.S | re.I)
_CELL_PIPE = re.compile(r"(\\*)\|")  # a pipe and the backslashes before it
_CELLS = {"td", "th"}
_BLOCK_START = re.compile(
    r"^\s*</?(p|div|h[1-6]|ul|ol|li|table|thead|tbody|tr|td|th|blockquote|pre|figure|hr|dl|dt|dd)\b", re.I
)


class _Markdown(MarkdownConverter):
    """markdownify, keeping table rows whole: a ``|`` in a cell would end the cell (``| ] | | | { |``
    is one cell too many), so in a cell's text it is ``\\|`` (backslashes just before it doubled, so
    they stay backslashes), and in a link's or image's URL ``%7C``; an image in a cell, which is
    its alt text, has it escaped too. A backslash alone in a cell (``| \\ |``) stays as it is.
    (markdownify's type stubs leave out the methods overridden here, hence the ``type: ignore``.)"""

    def escape(self, text: str, parent_tags: set[str]) -> str:
        text = super().escape(text, parent_tags)  # type: ignore[misc]
        return _cell_text(text) if parent_tags & _CELLS else text

    def convert_a(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if parent_tags & _CELLS and el.get("href"):
            el["href"] = el["href"].replace("|", "%7C")
        return str(super().convert_a(el, text, parent_tags))  # type: ignore[misc]

    def convert_img(self, el: Any, text: str, parent_tags: set[str]) -> str:
        if parent_tags & _CELLS:
            for name, fix in (("src", lambda v: v.replace("|", "%7C")), ("alt", _cell_text)):
                if el.get(name):
                    el[name] = fix(el[name])
        return str(super().convert_img(el, text, parent_tags))  # type: ignore[misc]


def _cell_text(text: str) -> str:
    """``text`` escaped for a Markdown table cell: ``a|b`` -> ``a\\|b``, ``a\\|b`` -> ``a\\\\\\|b``."""
    return _CELL_PIPE.sub(lambda m: m.group(1) * 2 + "\\|", text)


def _attrs(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None) for m in _ATTR.finditer(text)
    }


def _autop(text: str) -> str:
    """Paragraphs from blank lines, ``<br>`` from single newlines (WordPress's wpautop, simply):
    block elements stand apart from the text around them, and ``<pre>`` is kept as written."""
    kept: list[str] = []

    def keep(m: re.Match[str]) -> str:
        kept.append(m.group(0))
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = _PRE.sub(keep, text.replace("\r\n", "\n"))
    text = _BLOCK_OPEN.sub(lambda m: "\n\n" + m.group(0), text)
    text = _BLOCK_CLOSE.sub(lambda m: m.group(0) + "\n\n", text)
    out = []
    for raw in re.split(r"\n[ \t]*\n", text.strip()):
        chunk = raw.strip()
        if not chunk:
            continue
        if _BLOCK_START.match(chunk) or _KEPT.fullmatch(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + chunk.replace("\n", "<br>\n") + "</p>")
    return _KEPT.sub(lambda m: kept[int(m.group(1))], "\n\n".join(out))


def _link(url: str, label: str | None = None) -> str:
    url = html.unescape(url.strip())
    return f'<p><a href="{html.escape(url)}">{html.escape(label or url)}</a></p>'


def to_markdown(
    body: str,
    images: Mapping[int, tuple[str, str]],
    children: list[int],
    note: Callable[[str], None],
    rewrite: Callable[[str], str | None] = lambda url: None,
) -> str:
    """Markdown for ``body``. ``images`` maps attachment ids to (URL, alt text), ``children``
    are this post's attachments (an id-less ``[gallery]`` shows them); ``note`` receives a
    message for each thing not converted; ``rewrite`` gives a link's new address (or None
    to keep it)."""
    text = _BLOCK_COMMENT.sub("", body)
    text = _autop(_SCRIPT.sub("", _MORE.sub(f"\n\n<p>{_MORE_MARK}</p>\n\n", text, count=1)))

    def caption(m: re.Match[str]) -> str:
        inner = m.group(3)
        attrs = _attrs(m.group(2))
        split = _CAPTIONED.search(inner)
        pic, words = (split.group(1), split.group(2)) if split else ("", inner)
        if re.match(r"<a\s", pic, re.I) and not re.search(r"</a\s*>$", pic, re.I):
            pic += "</a>"
        words = words.strip() or attrs.get("caption", "")
        return f"\n\n<p>{pic}</p>\n\n<p><em>{words}</em></p>\n\n" if words else f"\n\n<p>{pic}</p>\n\n"

    def gallery(m: re.Match[str]) -> str:
        ids_text = _attrs(m.group(1)).get("ids", "")
        ids = [int(x) for x in re.findall(r"\d+", ids_text)] if ids_text else children
        found = [images[i] for i in ids if i in images]
        if len(found) < len(ids) or not ids:
            note(
                "[gallery]: "
                + (f"{len(ids) - len(found)} of its images are" if ids else "its images are")
                + " not in the export; add them to the article by hand"
            )
        pics = "".join(f'<p><img src="{html.escape(u)}" alt="{html.escape(a)}"></p>' for u, a in found)
        return f"\n\n{pics}\n\n"

    def media(m: re.Match[str]) -> str:
        attrs = _attrs(m.group(2))
        url = attrs.get("src") or next(
            (attrs[k] for k in ("mp3", "mp4", "m4a", "ogg", "webm") if k in attrs), ""
        )
        if not url:
            note(f"[{m.group(1)}]: no src; the {m.group(1)} was left out")
            return ""
        return _link(url, f"{m.group(1).capitalize()}: {url}")

    text = _CAPTION.sub(caption, text)
    text = _GALLERY.sub(gallery, text)
    text = _EMBED.sub(lambda m: _link(m.group(1)), text)
    text = _MEDIA.sub(media, text)
    text = _IFRAME.sub(lambda m: _link(m.group(1)), text)
    text = _BARE_URL.sub(lambda m: _link(m.group(1)), text)
    left = sorted({m.group(2) for m in _SHORTCODE.finditer(text) if _is_shortcode(m, text)})
    for name in left:
        note(
            f"[{name}] shortcode kept as text: newsgen does not run WordPress plugins; replace it "
            "with what it showed (a link, an image) or delete it"
        )
    text = _URL_ATTR.sub(lambda m: _rewritten(m, rewrite), text)
    md = _Markdown(heading_style="ATX", bullets="-").convert(text)
    md = re.sub(r"\n[ \t]+\n", "\n\n", md).replace(_MORE_MARK, "<!--more-->")  # access: members splits there
    return re.sub(r"\n{3,}", "\n\n", md).strip() + "\n"


def _rewritten(m: re.Match[str], rewrite: Callable[[str], str | None]) -> str:
    new = rewrite(m.group(3))
    return m.group(0) if new is None else f"{m.group(1)}{m.group(2)}{html.escape(new)}{m.group(2)}"


def _is_shortcode(m: re.Match[str], text: str) -> bool:
    """Tell ``[gallery ...]``-like shortcodes from bracketed prose such as ``[sic]`` or ``[1]``."""
    if m.group(1):  # a closing [/name]
        return True
    name = m.group(2)
    return "=" in m.group(3) or "_" in name or f"[/{name}]" in text
