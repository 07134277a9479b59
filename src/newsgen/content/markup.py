"""Article bodies to safe HTML: Markdown and plain-text wire copy.

Safety rules, applied to every article body:

* Raw HTML in Markdown is shown as text (escaped), unless the site sets
  ``unsafe_html: true``.
* Link and image URLs whose scheme is ``javascript:``, ``vbscript:`` or
  ``data:`` are removed in every mode, however they are spelt (any case,
  HTML entities, embedded whitespace or control characters).
* Markdown extensions that let an author set arbitrary attributes
  (``attr_list``, ``md_in_html``) are not enabled.
* Wire copy is never interpreted: every character is escaped.
* Text that would make Python-Markdown crash or take super-linear time is
  refused before conversion (see :mod:`newsgen.content.mdguard`); every failure of a
  conversion becomes a :class:`~newsgen.content.mdguard.MarkdownProblem` with a line.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable

import markdown
from markdown.treeprocessors import Treeprocessor

from newsgen.content import mdgates, mdguard
from newsgen.content.access import PaywallSplit
from newsgen.content.embeds import EmbedParagraphs
from newsgen.content.mdguard import ConversionTimeout, MarkdownProblem, check, time_limit

_URL_ATTRS = ("href", "src")
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_JUNK = re.compile(r"[\x00-\x20\x7f-\x9f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
_TAG = re.compile(r"<[^<>]*>")  # never rescans past the next "<": linear on any input
_BR = re.compile(r"<br\s*/?>", re.I)
_RAW_URL_ATTR = re.compile(
    r"""(?P<name>\b(?:href|src|action|formaction|xlink:href|poster|background|data|srcset|cite)\s*=\s*)"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s>]+)""",
    re.I,
)


def is_dangerous_url(url: str) -> bool:
    """True when a URL would run script or embed data once a browser decodes it."""
    decoded = url
    for _ in range(3):  # entity-encoded more than once is still dangerous
        nxt = html.unescape(decoded)
        if nxt == decoded:
            break
        decoded = nxt
    cleaned = _URL_JUNK.sub("", decoded).lower()
    return cleaned.startswith(_BAD_SCHEMES)


class _UrlGuard(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for el in root.iter():
            for attr in _URL_ATTRS:
                value = el.get(attr)
                if value is not None and is_dangerous_url(value):
                    el.set(attr, "#blocked-unsafe-url" if attr == "href" else "")


def _neutralise_raw_urls(text: str) -> str:
    """Blank dangerous URLs inside raw HTML that ``unsafe_html`` let through."""

    def fix(m: re.Match[str]) -> str:
        value = m.group("value").strip("\"'")
        if is_dangerous_url(value):
            return f'{m.group("name")}"#blocked-unsafe-url"'
        return m.group(0)

    return _RAW_URL_ATTR.sub(fix, text)


def _extensions() -> list[markdown.extensions.Extension]:
    """The Python-Markdown extensions newsgen enables: tables, fenced code, footnotes, sane
    lists, definition lists, abbreviations. Given as instances: named, each Markdown instance
    would first look the names up among every installed package's entry points (8-10 ms a
    process: the parent's and each load worker's first article)."""
    from markdown.extensions import abbr, def_list, fenced_code, footnotes, sane_lists, tables

    return [
        tables.TableExtension(),
        fenced_code.FencedCodeExtension(),
        footnotes.FootnoteExtension(),
        sane_lists.SaneListExtension(),
        def_list.DefListExtension(),
        abbr.AbbrExtension(),
    ]


class MarkdownRenderer:
    """One reusable Python-Markdown instance configured for newsgen.

    ``gates=False`` leaves out newsgen's fast paths (:mod:`newsgen.content.mdgates`): the
    same output, made by Python-Markdown's own searches and loops. The tests compare the
    two, and the benchmarks measure the Markdown floor with it."""

    def __init__(self, unsafe_html: bool = False, embeds: tuple[str, ...] = (), *, gates: bool = True):
        self.unsafe_html = unsafe_html
        self.embeds = embeds  # the services whose URLs, alone in a paragraph, become embed links
        self.gates = gates
        self._md = self._new_markdown()

    def _new_markdown(self) -> markdown.Markdown:
        md = markdown.Markdown(extensions=_extensions(), output_format="html")
        if not self.unsafe_html:
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
        if self.embeds:  # after the inline patterns (20): it sees finished paragraphs
            md.treeprocessors.register(EmbedParagraphs(md, self.embeds), "newsgen_embeds", 5)
        md.treeprocessors.register(_UrlGuard(md), "newsgen_url_guard", 0)
        self.paywall = PaywallSplit(md)  # after footnotes: a paid part's footnotes are paid too
        md.treeprocessors.register(self.paywall, "newsgen_paywall", 1)
        if self.gates:
            mdgates.install(md)  # the same output, without Python-Markdown's slowest searches
        return md

    def convert(self, text: str, members: bool = False) -> str:
        """Markdown to safe HTML; raises :class:`MarkdownProblem` instead of crashing or hanging.
        ``members``: put the paid part behind the paywall (:mod:`newsgen.content.access`)."""
        check(text, self.unsafe_html)
        self._md.reset()
        self.paywall.members = members
        try:
            with time_limit(mdguard.conversion_seconds(len(text))):
                out = self._md.convert(text)
        except ConversionTimeout:
            self._md = self._new_markdown()  # interrupted mid-way: start from a clean parser
            raise MarkdownProblem(
                1,
                "Markdown conversion was stopped after using more than "
                f"{mdguard.conversion_seconds(len(text)):.0f} s of CPU time; the text probably "
                "contains a construct Python-Markdown handles very slowly",
            ) from None
        except RecursionError:
            self._md = self._new_markdown()
            raise MarkdownProblem(1, "Markdown is nested too deeply to convert") from None
        except Exception as exc:  # a Python-Markdown bug on crafted input
            self._md = self._new_markdown()
            raise MarkdownProblem(
                1, f"Markdown could not be converted ({type(exc).__name__}: {exc})"
            ) from None
        if self.unsafe_html:
            out = _neutralise_raw_urls(out)
        return out


def wire_to_html(paragraphs: list[str]) -> str:
    """Plain-text paragraphs to ``<p>`` elements, every character escaped."""
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def html_to_text(fragment: str) -> str:
    """Visible text of an inline HTML fragment, whitespace folded."""
    return " ".join(html.unescape(_TAG.sub("", _BR.sub(" ", fragment))).split())


def first_paragraph_text(body_html: str, limit: int = 300) -> str:
    """Plain text of the first paragraph, cut at a word boundary with an ellipsis."""
    start = body_html.find("<p>")
    while start >= 0:  # str.find, not a lazy regex: raw HTML with many "<p>" stays linear
        end = body_html.find("</p>", start + 3)
        if end < 0:
            return ""
        text = html_to_text(body_html[start + 3 : end])
        if text:
            return truncate(text, limit)
        start = body_html.find("<p>", end + 4)
    return ""


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-–— ")
    return cut + "…"


_LINK_ATTR = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)


def linked_urls(body_html: str) -> list[str]:
    """Every ``href`` and ``src`` value in an HTML fragment, entities decoded."""
    return [
        html.unescape(m.group(1) if m.group(1) is not None else m.group(2))
        for m in _LINK_ATTR.finditer(body_html)
    ]


#: The agencies whose credit closes a dateline: ``GROSSETO, Italy (AP) --``.
_AGENCIES = (
    "AP|AFP|Reuters|dpa|DPA|EFE|ANSA|NTB|TT|STT|Ritzau|Xinhua|PA|AAP|CP|UPI|Bloomberg|KNA|APA|SDA"
    "|ATS|Keystone-SDA|Kyodo|Yonhap|ANP|Belga|Lusa|CTK|PAP|MTI|BTA|Tanjug|HINA|IANS|PTI|Bernama|Antara"
)
#: A first paragraph that opens with a dateline already, as agency copy often does:
#: ``GROSSETO, Italy (AP) --``, ``WASHINGTON (Reuters) -``, ``Berlin (dpa) -``.
_OWN_DATELINE = re.compile(
    rf"<p>\s*(?:<[^>]+>\s*)*[^\W\d_][^<()]{{0,80}}?\((?:{_AGENCIES})\)\s*(?:-{{1,2}}|\u2014|\u2013)"
)


def with_dateline(body_html: str, dateline: str | None) -> str:
    """Put ``DATELINE —`` at the start of the first paragraph (the wire-service
    style), or in a paragraph of its own when the body does not start with one; not when
    the first paragraph opens with a dateline already (the agency's own, or this one)."""
    if not dateline:
        return body_html
    opening = body_html.lstrip()[:300]
    if _OWN_DATELINE.match(opening) or re.match(
        r"<p>\s*" + re.escape(html.escape(dateline, quote=False)), opening, re.IGNORECASE
    ):
        return body_html
    mark = f'<span class="dateline">{html.escape(dateline)}</span> \u2014 '
    if body_html.lstrip().startswith("<p>"):
        head, _, tail = body_html.partition("<p>")
        return f"{head}<p>{mark}{tail}"
    return f'<p class="dateline">{html.escape(dateline)}</p>\n{body_html}'


_START_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_URL_ATTR_IN_TAG = re.compile(
    r"""(?P<name>\s(?:href|src|poster)\s*=\s*)(?P<value>"[^"]*"|'[^']*'|[^\s"'>]+)""", re.I
)


def rewrite_urls(fragment: str, fn: Callable[[str], str]) -> str:
    """Apply ``fn`` to every ``href``/``src``/``poster`` value in an HTML fragment's tags.

    ``fn`` receives the decoded value and returns the new one, which is
    written back escaped and double-quoted.
    """

    def fix_attr(m: re.Match[str]) -> str:
        value = m.group("value")
        if value[:1] in "\"'":
            value = value[1:-1]
        decoded = html.unescape(value) if "&" in value else value
        new = fn(decoded)
        if new == decoded:
            return m.group(0)
        return f'{m.group("name")}"{html.escape(new, quote=True)}"'

    return _START_TAG.sub(lambda t: _URL_ATTR_IN_TAG.sub(fix_attr, t.group(0)), fragment)
