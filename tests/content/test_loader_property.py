"""Property: any bytes given to the loader become an Article or a NewsgenError, nothing else."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgen.config import load_config
from newsgen.content.loader import load_article
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.sources import Source, split_front_matter
from newsgen.errors import NewsgenError
from newsgen.model import Article

_TMP = Path(tempfile.mkdtemp(prefix="newsgen-property-"))  # one folder for every example
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
(_TMP / "articles").mkdir()
CONFIG, _ = load_config(_TMP)
RENDERERS = {False: MarkdownRenderer(), True: MarkdownRenderer(unsafe_html=True)}

# Fragments that reach deep into the loader: front matter keys and YAML syntax, Markdown and HTML.
FRAGMENTS = [
    "---\n",
    "...\n",
    "\n",
    "\r\n",
    "\r",
    "title: ",
    "date: ",
    "slug: ",
    "tags: ",
    "author: ",
    "section: ",
    "draft: ",
    "published: ",
    "image: ",
    "summary: ",
    "updated: ",
    "embargo: ",
    "expires: ",
    "dateline: ",
    "corrections: ",
    "- date: ",
    "  text: ",
    "image_alt: ",
    "2025-03-01",
    "T09:30:00+01:00",
    "9999",
    "yes",
    "no",
    "~",
    "null",
    "[",
    "]",
    "{",
    "}",
    "- ",
    ": ",
    "&a ",
    "*a",
    "!!python/name:os.system ",
    "!!binary ",
    "!!set ",
    "!!timestamp ",
    "'",
    '"',
    "\\0",
    "\\x",
    "# ",
    "> ",
    "* ",
    "1. ",
    "```\n",
    "    ",
    "<![",
    "<!--",
    "<script>",
    "<a href=",
    "javascript:",
    "&#",
    "[^1]",
    "](",
    "![",
    "|",
    "\t",
    "\x00",
    "\ufeff",
    "é",
    "\u0301",
    "한",
    "\U0001f600",
    "\ud7ff",
    "MORE STORIES",
]
text_like = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=40).map("".join)
encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])
documents = st.one_of(
    st.binary(max_size=2_000),
    st.builds(
        lambda t, enc: t.encode(enc, "surrogatepass") if enc != "latin-1" else t.encode(enc, "replace"),
        text_like,
        encodings,
    ),
)


def load(data: bytes, suffix: str, unsafe: bool) -> Article | None:
    path = _TMP / "articles" / f"case{suffix}"
    path.write_bytes(data)
    source = Source(path, f"articles/case{suffix}", "markdown" if suffix == ".md" else "wire")
    try:
        article, _warnings = load_article(source, CONFIG, RENDERERS[unsafe])
    except NewsgenError as exc:
        assert exc.diagnostics and all(d.path == source.display for d in exc.diagnostics)
        return None
    assert isinstance(article, Article)
    assert article.title and article.slug and "/" not in article.slug and ".." not in article.slug
    assert article.output_path.endswith(".html") and not article.output_path.startswith("/")
    return article


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=documents, suffix=st.sampled_from([".md", ".txt"]), unsafe=st.booleans())
def test_any_bytes_give_an_article_or_a_newsgen_error(data, suffix, unsafe):
    load(data, suffix, unsafe)


def test_the_property_reaches_real_articles():
    """The strategy is not vacuous: well-formed input does load."""
    article = load(
        b"---\ntitle: Hello\ndate: 2025-03-01\nslug: ../x\n---\n\nBody [link](javascript:x).\n", ".md", False
    )
    assert article is not None and article.slug == "x"
    assert 'href="#blocked-unsafe-url"' in article.body_html


def _split_by_lines(text: str) -> tuple[str | None, int, str, int] | None:
    """split_front_matter's definition, line by line (None: never closed)."""
    lines = text.split("\n")
    if lines[0].rstrip(" \t") != "---":
        return None, 0, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip(" \t") in ("---", "..."):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1 :]), i + 2
    return None


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(["---", "...", "--- \t", "----", " ---", "a: b", "", "x\t", "...x"]), max_size=8)
)
def test_front_matter_is_split_at_the_first_closing_line(lines):
    text = "\n".join(lines)
    expected = _split_by_lines(text)
    try:
        assert split_front_matter(text, "a.md") == expected
    except NewsgenError:
        assert expected is None
