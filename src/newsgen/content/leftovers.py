"""Template syntax left in article bodies by Jekyll (Liquid), Eleventy (Nunjucks) and Hugo (shortcodes).

newsgen never evaluates an article as a template: what is left prints as
text. :func:`convert` rewrites the few with an obvious meaning into Markdown
before the body is converted, and returns the rest, each with its line,
column and a hint, for the build's warnings and ``newsgen check``:

Converted
    ``{{ site.baseurl }}``, ``{{ site.url }}`` (dropped, so what follows is a
    site path); ``{{ '/x/' | relative_url }}`` (``/x/``);
    ``{% post_url 2010-07-21-name %}`` and ``{% link _posts/2010-07-21-name.md %}``
    (the URL the site's ``permalink`` gives that file; ``newsgen check``
    reports it when no story has it); ``{% link assets/a.pdf %}`` (``/assets/a.pdf``);
    ``{% raw %}`` / ``{% endraw %}`` (dropped, their text kept);
    ``{% highlight lang %}`` ... ``{% endhighlight %}`` (a fenced code block);
    Hugo's ``{{< figure src=... alt=... caption=... >}}`` (a Markdown image,
    its caption in a paragraph), ``{{< youtube ID >}}`` (a link to the video) and
    ``{{< ref "post.md" >}}`` (the path of that source: ``newsgen check`` names its URL).
Dropped, and reported
    kramdown's attribute lists (Jekyll's Markdown): ``{: .note}``, ``![x](a.png){: width="50%"}``,
    ``{::options ... /}``; ``{:toc}`` with the list item before it (kramdown's table of contents).
Reported, printed as text
    Zola's shortcodes (``{{ image(src=...) }}``) and any other ``{% ... %}``, ``{{ ... }}``, ``{#- ... #}``, ``{{< ... >}}``,
    ``{{% ... %}}``.

Code blocks, fenced or in backticks, are examples and are left alone, but for
``{% raw %}`` / ``{% endraw %}`` (Liquid consumed those before the Markdown
was read, so readers never saw them).
"""

from __future__ import annotations

import re
from datetime import tzinfo

from newsgen.core.dates import DateProblem, parse_datetime
from newsgen.core.urls import article_url, slugify

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1|\{%-?\s*raw\s*-?%\}(?P<raw>.*?)\{%-?\s*endraw\s*-?%\}")
_SYNTAX = re.compile(
    r"\{\{<\s*(?P<hs>/?[\w/.-]+)(?P<ha>.*?)>\}\}"  # Hugo shortcode {{< name args >}}
    r"|\{\{%\s*(?P<ps>/?[\w/.-]+)(?P<pa>.*?)%\}\}"  # Hugo shortcode {{% name args %}}
    r"|\{%-?\s*(?P<tag>\w+)(?P<args>.*?)-?%\}"  # Liquid / Nunjucks tag
    r"|\{\{-?(?P<out>.*?)-?\}\}"  # Liquid / Nunjucks output
    r"|\{#.*?#\}"  # Nunjucks comment
    # kramdown (Jekyll's Markdown): {: .class #id key="v"}, {:toc}, {::options ... /}; not {:x}
    r"|\{:(?P<ial>\s*(?:[.#][\w-][^{}\n]*|[\w-]+=[^{}\n]*|toc\s*)|:[a-z]+[^{}\n]*)\}"
)
_ATTR = re.compile(r"""(\w+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))|"([^"]*)"|(\S+)""")
_DATED = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})-(.+?)(?:\.(?:md|markdown|html))?$")
_SITE_VAR = re.compile(r"^\s*site\.(?:baseurl|url)\s*$")
_PATH_FILTER = re.compile(
    r"""^\s*['"]([^'"]*)['"]\s*\|\s*(?:relative_url|absolute_url|prepend:\s*site\.baseurl)\s*$"""
)
_ZOLA_CALL = re.compile(r"^\s*\w+\(.*\)\s*$")
_HINT = "replace it with Markdown or remove it"
_RAW_TAG = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_END_RAW = re.compile(r"\{%-?\s*endraw\s*-?%\}")
_END_HIGHLIGHT = re.compile(r"\{%-?\s*endhighlight\s*-?%\}")
_YOUTUBE_ID = re.compile(r"^[\w-]{6,20}$")
_TOC = re.compile(r"^ {0,3}\{:\s*toc\s*\}\s*$")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[*+-]|\d{1,9}[.)])\s+\S")

Finding = tuple[int, int, str]  # line within the body (1-based), column, message


def convert(body: str, permalink: str, tz: tzinfo) -> tuple[str, list[Finding]]:
    """The body with the obvious leftovers converted, and the others found."""
    if "{" not in body or all(mark not in body for mark in ("{%", "{{", "{#", "{:")):
        return body, []  # (most bodies: one scan for a character, made by memchr)
    found: list[Finding] = []
    out: list[str] = []
    fence: str | None = None
    verbatim: str | None = None  # inside {% raw %} ("raw") or {% highlight %} ("highlight")
    for n, line in enumerate(body.split("\n"), start=1):
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            # Liquid ran before Markdown: {% raw %} in a code block never showed
            if _RAW_TAG.search(line) is None:
                out.append(line)
            elif _RAW_TAG.sub("", line).strip():
                out.append(_RAW_TAG.sub("", line))
            continue
        opened = _FENCE.match(line)
        if opened and not verbatim:
            fence = opened.group(1)[0] * 3
            out.append(line)
            continue
        if verbatim is not None:
            # a raw block ends at {% endraw %} only, a highlight block at {% endhighlight %} only;
            # {% raw %} / {% endraw %} inside a highlight block are Liquid's, never shown
            end = (_END_HIGHLIGHT if verbatim == "highlight" else _END_RAW).search(line)
            head, tail = (line, "") if end is None else (line[: end.start()], line[end.end() :])
            if verbatim == "highlight" and _RAW_TAG.search(head) is not None:
                head = _RAW_TAG.sub("", head)
                if end is None and not head.strip():
                    continue  # a line holding only {% raw %}
            if end is None:
                out.append(head)
                continue
            out.append(head + ("```" if verbatim == "highlight" else "") + tail)
            verbatim = None
            continue
        if _TOC.match(line) and out and _LIST_ITEM.match(out[-1]):
            out[-1] = ""  # kramdown puts its table of contents in place of that list item
            found.append((n, 1, "{:toc} (kramdown's table of contents) is dropped with its list item; "
                          "newsgen makes no table of contents"))  # fmt: skip
            out.append("")
            continue
        state: dict[str, str | None] = {"verbatim": None}
        out.append(_outside_code(line, n, permalink, tz, found, state))
        verbatim = state["verbatim"]
    return "\n".join(out), found


def _outside_code(
    line: str, n: int, permalink: str, tz: tzinfo, found: list[Finding], state: dict[str, str | None]
) -> str:
    """Line ``n`` converted (:func:`_line`) outside its code spans."""
    parts, at = [], 0
    for m in _CODE_SPAN.finditer(line):
        parts.append(_line(line[at : m.start()], n, at + 1, permalink, tz, found, state))
        parts.append(m.group(0) if m.group("raw") is None else m.group("raw"))
        at = m.end()
    parts.append(_line(line[at:], n, at + 1, permalink, tz, found, state))
    return "".join(parts)


def _line(
    text: str,
    n: int,
    col0: int,
    permalink: str,
    tz: tzinfo,
    found: list[Finding],
    state: dict[str, str | None],
) -> str:
    def one(m: re.Match[str]) -> str:
        whole = m.group(0)
        col = col0 + m.start()
        shown = whole if len(whole) <= 80 else whole[:77] + "..."
        if m.group("hs") or m.group("ps"):
            name = (m.group("hs") or m.group("ps")).lower()
            args = m.group("ha") if m.group("hs") else m.group("pa")
            made = _shortcode(name, args or "")
            if made is None:
                found.append(
                    (
                        n,
                        col,
                        f"Hugo shortcode {shown} is printed as text (newsgen runs no shortcodes); "
                        "replace it with Markdown or remove it",
                    )
                )
                return whole
            return made
        if m.group("tag"):
            tag, args = m.group("tag").lower(), (m.group("args") or "").strip()
            if tag == "raw":
                state["verbatim"] = state["verbatim"] or "raw"
                return ""
            if tag == "endraw":
                return ""
            if tag == "highlight":
                state["verbatim"] = "highlight"
                return "```" + (args.split()[0] if args else "")
            made = _liquid_link(tag, args, permalink, tz)
            if made is None:
                found.append(
                    (
                        n,
                        col,
                        f"template tag {shown} (Liquid or Nunjucks) is printed as text: newsgen never "
                        "runs templates in articles; replace it with Markdown or remove it",
                    )
                )
                return whole
            return made
        if m.group("ial") is not None:
            found.append(
                (n, col, f"kramdown attribute list {shown} is dropped: newsgen sets no classes, ids or "
                         "attributes from an article's text")
            )  # fmt: skip
            return ""
        expr = m.group("out")
        if expr is None:  # {# comment #}
            found.append((n, col, f"template comment {shown} is printed as text; remove it"))
            return whole
        if expr is not None:
            if _SITE_VAR.match(expr):
                return ""
            path = _PATH_FILTER.match(expr)
            if path:
                return path.group(1)
        if _ZOLA_CALL.match(expr):
            kind = "Zola shortcode"
            found.append(
                (n, col, f"{kind} {shown} is printed as text (newsgen runs no shortcodes); " + _HINT)
            )
            return whole
        found.append(
            (
                n,
                col,
                f"template expression {shown} (Liquid or Nunjucks) is printed as text: newsgen never "
                "runs templates in articles; write the text or link it stands for",
            )
        )
        return whole

    return _SYNTAX.sub(one, text)


def _liquid_link(tag: str, args: str, permalink: str, tz: tzinfo) -> str | None:
    """``post_url`` and ``link``: the URL they name, or None."""
    if tag not in ("post_url", "link") or not args:
        return None
    target = args.split(maxsplit=1)[0].strip("'\"")
    name = target.rsplit("/", 1)[-1]
    dated = _DATED.match(name)
    if dated and (tag == "post_url" or "_posts/" in target):
        if "{section}" in permalink:
            return None
        try:
            when = parse_datetime(dated.group(1), tz)
        except DateProblem:
            return None
        return article_url(permalink, when, slugify(dated.group(2)), None)
    if tag == "link" and not name.endswith((".md", ".markdown")):
        segments = [s for s in target.strip("/").split("/") if s]
        if segments and not any(s in (".", "..") for s in segments):
            return "/" + "/".join(segments)
    return None


def _attrs(args: str) -> tuple[dict[str, str], list[str]]:
    named, positional = {}, []
    for m in _ATTR.finditer(args):
        if m.group(1):
            named[m.group(1).lower()] = next(g for g in m.group(2, 3, 4) if g is not None)
        else:
            positional.append(m.group(5) if m.group(5) is not None else m.group(6))
    return named, positional


def _shortcode(name: str, args: str) -> str | None:
    """Markdown for Hugo's ``figure`` and ``youtube``, or None; the path ``ref`` and ``relref``
    name (a link to that source file, which ``newsgen check`` reports with the URL to use)."""
    named, positional = _attrs(args)
    if name == "figure" and named.get("src"):
        src = named["src"]
        src = f"<{src}>" if re.search(r"[\s()<>]", src) else src
        alt = named.get("alt") or named.get("title") or named.get("caption") or ""
        alt = re.sub(r"[\[\]]", "", alt)
        image = f"![{alt}]({src})"
        caption = named.get("caption") or named.get("title")
        return f"{image}\n\n{caption}" if caption else image
    if name == "youtube":
        video = named.get("id") or (positional[0] if positional else "")
        if _YOUTUBE_ID.match(video):
            return f"[Watch the video on YouTube](https://www.youtube.com/watch?v={video})"
    if name in ("ref", "relref"):  # a link to another post's file: a link to that source
        target = named.get("path") or (positional[0] if positional else "")
        if target.split("#", 1)[0].lower().endswith((".md", ".markdown")) and not re.search(
            r"[\s()<>]", target
        ):
            # from content/ (Hugo) is from articles/, as Zola's @/ says; else from this file
            return "@/" + target.lstrip("/") if target.startswith("/") else target
    return None
