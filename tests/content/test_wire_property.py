"""Property: any bytes in a ninjs or NITF file become an Article or a NewsgenError, nothing else."""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgen.config import load_config
from newsgen.content.loader import load_article
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.sources import Source
from newsgen.errors import NewsgenError
from newsgen.model import Article

_TMP = Path(tempfile.mkdtemp(prefix="newsgen-wire-property-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
(_TMP / "seeds").mkdir()
CONFIG, _ = load_config(_TMP)

XML_FRAGMENTS = [
    "<nitf>", "</nitf>", "<head>", "</head>", "<docdata management-status='canceled'>", "</docdata>",
    "<doc-id id-string='", "'/>", "<date.issue norm='", "20250301T090000Z", "2025-13-45", "<body>", "</body>",
    "<body.content>", "</body.content>", "<hl1>", "</hl1>", "<p>", "</p>", "<media>",
    "<media-reference source='javascript:x'/>", "<a href='javascript:x'>", "</a>", "<table>", "<ed-msg info='x'/>",
    "<!DOCTYPE nitf [", "<!ENTITY e 'x'>", "]>", "&e;", "&amp;", "<![CDATA[", "]]>", "<?xml version='1.0' encoding='",
    "ebcdic", "utf-16", "?>", "<urgency ed-urg='", "0", "99", "\x00", "é", "<script>",
]  # fmt: skip
JSON_KEYS = ["uri", "guid", "type", "headline", "headlines", "body_html", "body_text", "bodies", "by", "byline",
             "firstcreated", "versionCreated", "embargoed", "expires", "pubstatus", "urgency", "subjects",
             "associations", "renditions", "located", "ednote", "copyrightholder", "role", "value", "contenttype"]  # fmt: skip
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.sampled_from(
        [
            "text",
            "picture",
            "canceled",
            "main",
            "text/html",
            "2025-03-01T09:00:00Z",
            "soon",
            "<script>x</script>",
            "javascript:alert(1)",
            "",
        ]
    )
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(JSON_KEYS), inner, max_size=6)
    ),
    max_leaves=30,
)
json_docs = st.dictionaries(st.sampled_from(JSON_KEYS), json_values, max_size=12).map(
    lambda d: json.dumps(d).encode()
)
xml_docs = st.lists(st.sampled_from(XML_FRAGMENTS) | st.text(max_size=6), max_size=40).map(
    lambda parts: "".join(parts).encode("utf-8", "surrogatepass")
)


def load(data: bytes, suffix: str) -> Article | None:
    path = _TMP / "seeds" / f"case{suffix}"
    path.write_bytes(data)
    source = Source(path, f"seeds/case{suffix}", "ninjs" if suffix == ".json" else "nitf")
    try:
        article, _warnings = load_article(source, CONFIG, MarkdownRenderer())
    except NewsgenError as exc:
        assert exc.diagnostics and all(d.path == source.display for d in exc.diagnostics)
        return None
    assert isinstance(article, Article)
    assert article.slug and "/" not in article.slug
    assert "<script" not in article.body and "javascript:" not in article.body
    return article


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=json_docs | st.binary(max_size=300))
def test_any_ninjs_bytes_give_an_article_or_a_newsgen_error(data):
    load(data, ".json")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=xml_docs | st.binary(max_size=300))
def test_any_nitf_bytes_give_an_article_or_a_newsgen_error(data):
    load(data, ".xml")


def test_the_properties_reach_real_stories():
    assert load(b'{"uri": "u", "headline": "H", "firstcreated": "2025-03-01T09:00:00Z"}', ".json") is not None
    assert load(b"<nitf><body><hl1>H</hl1><p>x</p></body></nitf>", ".xml") is not None
