"""Members-only stories (``access: members``): where the free part of a body ends.

A members story is free up to the end of its first paragraph, or up to a
``<!--more-->`` line when it has one; the rest of the body is wrapped in
``<div class="paywall" data-pagefind-ignore="all">`` (:data:`PAYWALL_OPEN`).
The page still holds the whole text: a static site cannot hide it, and the
gate is the site's own script. Feeds carry only :func:`free_part`.

``<!--more-->`` is found in the Markdown source, before conversion, so it
works while raw HTML is shown as text: the line is replaced by a marker
paragraph (:func:`mark_more`) that :class:`PaywallSplit`, a Python-Markdown
tree processor, removes after conversion, wrapping what follows it. In a
story that is free, the line is simply dropped (the excerpt separator of
Jekyll, Hugo and WordPress).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown.treeprocessors import Treeprocessor

from newsgen.content.frontmatter import FileErrors, kind_of
from newsgen.core.yamlio import Entry
from newsgen.model import Article

ACCESS_VALUES = ("free", "members")
PAYWALL_CLASS = "paywall"
PAYWALL_OPEN = f'<div class="{PAYWALL_CLASS}" data-pagefind-ignore="all">'
_MARKER = "newsgen-more-5f1c9a2e"
_MORE_LINE = re.compile(r"[ \t]*<!--\s*more\s*-->[ \t]*")
_FENCE = re.compile(r"[ \t]{0,3}(`{3,}|~{3,})")


NOTHING_PAID = (
    "access: members, but the story has nothing after its free part (the first paragraph, "
    "or the <!--more--> line); nothing is behind the paywall"
)


def misplaced_more(members: bool) -> str:
    """The warning for a ``<!--more-->`` line found inside a list, quote or table."""
    tail = "; the story is free up to its first paragraph" if members else ""
    return (
        f"<!--more--> is inside a list, quote or table; put it on a line of its own between paragraphs{tail}"
    )


def as_access(f: FileErrors, e: Entry | None) -> str:
    """``access:``: ``free`` (the default) or ``members``; anything else is an error."""
    if e is None or e.value is None:
        return "free"
    value = e.value.strip().lower() if isinstance(e.value, str) else None
    if value not in ACCESS_VALUES:
        f.error(e.line, e.col, f"{e.key}: expected free or members, got {e.raw or kind_of(e.value)}")
        return "free"
    return value


def mark_more(text: str) -> tuple[str, int | None]:
    """Replace the first ``<!--more-->`` line outside fenced code with the marker;
    returns the text and the marker's line (1-based), or None when there is none.
    Every line keeps its number."""
    lines = text.split("\n")
    fence: str | None = None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if m:
            mark = m.group(1)
            if fence is None:
                fence = mark[0] * 3
            elif mark.startswith(fence):
                fence = None
            continue
        if fence is None and _MORE_LINE.fullmatch(line):
            lines[i] = _MARKER
            return "\n".join(lines), i + 1
    return text, None


class PaywallSplit(Treeprocessor):
    """Drops the ``<!--more-->`` marker and, when ``members`` is set, wraps every
    top-level element after it (else after the first paragraph) in the paywall
    element. A marker nested in a list, quote or table is left in place for
    :func:`settle` to find (the HTML may come from the build cache, so the
    loader learns everything from the HTML, nothing from this object)."""

    members = False

    def run(self, root: etree.Element) -> None:
        found = False
        split: int | None = None
        for i, el in enumerate(list(root)):
            if el.tag != "p" or len(el) or el.text is None:
                continue
            lines = el.text.split("\n")
            if _MARKER not in lines:
                continue
            at = lines.index(_MARKER)
            before, after = "\n".join(lines[:at]).strip(), "\n".join(lines[at + 1 :]).strip()
            root.remove(el)
            split = i
            for text in (before, after):
                if text:
                    p = etree.Element("p")
                    p.text, p.tail = text, "\n"
                    root.insert(split, p)
                    split += 1 if text is before else 0
            found = True
            break
        if not self.members:
            return
        children = list(root)
        if not found:
            split = next((i + 1 for i, el in enumerate(children) if el.tag == "p"), None)
        if split is None or split >= len(children):
            return
        paid = children[split:]
        wall = etree.Element("div", {"class": PAYWALL_CLASS, "data-pagefind-ignore": "all"})
        wall.text = wall.tail = "\n"
        for el in paid:
            root.remove(el)
            wall.append(el)
        paid[-1].tail = "\n"
        root.append(wall)


def settle(body_html: str) -> tuple[str, bool, bool]:
    """A converted body without any marker left nested in it; whether it has a
    paywall element, and whether a marker was left (a misplaced ``<!--more-->``)."""
    misplaced = _MARKER in body_html
    if misplaced:
        body_html = body_html.replace(_MARKER, "")
    return body_html, PAYWALL_OPEN in body_html, misplaced


def wire_with_paywall(paragraph_html: list[str]) -> tuple[str, bool]:
    """Wire copy paragraphs (already ``<p>`` elements) with all but the first
    behind the paywall; False when there is nothing after the first."""
    if len(paragraph_html) < 2:
        return "\n".join(paragraph_html), False
    return f"{paragraph_html[0]}\n{PAYWALL_OPEN}\n" + "\n".join(paragraph_html[1:]) + "\n</div>", True


def paywalled(article: Article) -> dict[str, Any]:
    """A members story's ``NewsArticle`` properties, as Google documents paywalled content:
    not free, and the paywall element (when the body has one) marked as the part that is not."""
    data: dict[str, Any] = {"isAccessibleForFree": False}
    if PAYWALL_OPEN in article.body_html:
        data["hasPart"] = {
            "@type": "WebPageElement",
            "isAccessibleForFree": False,
            "cssSelector": "." + PAYWALL_CLASS,
        }
    return data


def members_note(url: str) -> str:
    """What a feed entry of a members story says after its free part."""
    return f'\n<p><a href="{html.escape(url)}">The rest of this story is for members.</a></p>'


def free_part(body_html: str) -> str:
    """The body up to the paywall: what feeds and other copies outside the page carry."""
    cut = body_html.find(PAYWALL_OPEN)
    return body_html if cut < 0 else body_html[:cut].rstrip()
