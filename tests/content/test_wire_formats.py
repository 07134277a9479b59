"""Agency wire files: ninjs 1.x/2.x/3.x and NITF 3.x into Articles, and hostile input.

The documents follow the published IPTC ninjs JSON schemas and the NITF 3.x
DTD; every agency, person and story in them is fictional.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from newsgen.config import load_config
from newsgen.content.loader import load_article
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.sources import Source, discover
from newsgen.errors import ContentError, Severity

NINJS_1 = {
    "uri": "urn:example:fna:2025:1001",
    "type": "text",
    "version": "1",
    "firstcreated": "2025-03-01T09:00:00Z",
    "versioncreated": "2025-03-01T10:30:00Z",
    "pubstatus": "usable",
    "urgency": 2,
    "headline": "Ferry service resumes after storm",
    "byline": "By Ana Example",
    "located": "PORTVILLE",
    "description_text": "Crossings run again from Monday.",
    "body_html": (
        '<p>Ferries <script>alert("x")</script>sail again.</p>'
        '<p onclick="steal()">See <a href="javascript:alert(1)">this</a> and '
        '<a href="https://example.org/timetable">the timetable</a>.</p><iframe src="https://evil.example/"></iframe>'
    ),
    "ednote": "STAFFNOTE-1 check the quote with the desk",
    "subjects": [{"name": "Transport", "code": "medtop:20000756"}],
    "genres": [{"name": "Current"}],
    "keywords": ["ferries"],
    "copyrightholder": "Fictional News Agency",
    "copyrightnotice": "(c) 2025 Fictional News Agency",
    "usageterms": "No archiving.",
    "associations": {
        "featureimage": {
            "type": "picture",
            "headline": "A ferry at the pier",
            "description_text": "The first ferry leaves the pier.",
            "copyrightholder": "FNA Photo",
            "renditions": {
                "thumb": {"href": "https://img.example.org/ferry-200.jpg", "width": 200, "height": 133},
                "baseImage": {
                    "href": "https://img.example.org/ferry-1600.jpg",
                    "width": 1600,
                    "height": 1067,
                },
            },
        }
    },
}

NINJS_2 = {
    "uri": "urn:example:fna:2025:2002",
    "type": "text",
    "version": "3",
    "firstcreated": "2025-03-02T08:00:00+01:00",
    "versioncreated": "2025-03-02T09:00:00+01:00",
    "pubstatus": "usable",
    "urgency": 5,
    "headlines": [
        {"role": "sub", "value": "Talks go on"},
        {"role": "main", "value": "Council debates budget"},
    ],
    "descriptions": [{"role": "summary", "value": "Not used: a subheadline is preferred."}],
    "bodies": [
        {"role": "main", "contenttype": "text/plain", "value": "Plain text.\n\nSecond."},
        {
            "role": "html",
            "contenttype": "text/html",
            "value": "<section><p>Rich <em>text</em>.</p></section>",
        },
    ],
    "by": "Bo Example",
    "located": {"name": "LAKETOWN"},
    "ednote": "STAFFNOTE-2",
}

NINJS_3 = {
    "uri": "urn:example:fna:2025:3003",
    "type": "text",
    "firstCreated": "2025-03-03T07:00:00Z",
    "versionCreated": "2025-03-03T07:15:00Z",
    "embargoed": "2025-03-04T06:00:00Z",
    "expires": "2025-04-04T06:00:00Z",
    "pubStatus": "usable",
    "headlines": [{"role": "main", "value": "Report on river levels"}],
    "bodies": [{"role": "main", "contentType": "text/plain", "value": "Levels <rose>.\nThey fell later."}],
    "by": [{"name": "Cy Example"}, {"name": "Di Example"}],
    "copyrightHolder": "Fictional News Agency",
    "associations": [
        {
            "name": "pic",
            "type": "picture",
            "renditions": [
                {"name": "web", "href": "https://img.example.org/river.jpg", "width": 800, "height": 600}
            ],
        }
    ],
}

NITF_NS = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE nitf SYSTEM "nitf-3-6.dtd">
<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/" version="-//IPTC//DTD NITF 3.6//EN">
  <head>
    <title>Storm warning</title>
    <tobject tobject.type="news"><tobject.subject tobject.subject.refnum="17000000" tobject.subject.matter="Weather"/></tobject>
    <docdata management-status="usable">
      <doc-id id-string="FNA-2025-0302-77"/>
      <urgency ed-urg="1"/>
      <date.issue norm="20250302T080000Z"/>
      <date.release norm="20250302T093000Z"/>
      <date.expire norm="20250402T080000Z"/>
      <doc.copyright year="2025" holder="Fictional News Agency"/>
      <ed-msg info="STAFFNOTE-3 lawyers read this"/>
      <key-list><keyword key="storms"/></key-list>
    </docdata>
  </head>
  <body>
    <body.head>
      <hedline><hl1>Storm warning for the coast</hl1><hl2>Winds up to 100 km/h</hl2></hedline>
      <byline>By Eve Example <byttl>Weather correspondent</byttl></byline>
      <distributor>Fictional News Agency</distributor>
      <dateline><location>SEATOWN</location>, <story.date norm="20250302T080000Z">March 2</story.date></dateline>
    </body.head>
    <body.content>
      <p>Strong <em>winds</em> are expected &amp; schools close.</p>
      <block><p>Inside a block.</p><hl2>Forecast</hl2>
        <table><tr><th>Day</th><th>km/h</th></tr><tr><td>Mon</td><td>90</td></tr></table></block>
      <media media-type="image">
        <media-reference source="https://img.example.org/storm.jpg" width="800" height="600"/>
        <media-caption>Clouds over the bay.</media-caption>
        <media-producer>Photo: Fay Example</media-producer>
      </media>
      <note><body.content><p>STAFFNOTE-4</p></body.content></note>
    </body.content>
    <body.end><tagline>Distributed under licence.</tagline></body.end>
  </body>
</nitf>
"""

NITF_PLAIN = """<nitf>
  <head><docdata management-status="embargoed"><doc-id id-string="FNA-9"/><date.issue norm="2025-03-05T10:00:00Z"/>
  <date.release norm="2025-03-06T10:00:00Z"/></docdata></head>
  <body><body.head><hedline><hl1>Results due on Thursday</hl1></hedline></body.head>
  <body.content><p>Embargoed text.</p></body.content></body>
</nitf>
"""


def load(write_site, name: str, content: str | bytes | dict, config: str | None = None):
    if isinstance(content, dict):
        content = json.dumps(content)
    site = write_site({f"seeds/{name}": content}, config=config)
    cfg, _ = load_config(site)
    kind = "ninjs" if name.endswith(".json") else "nitf"
    src = Source(site / "seeds" / name, f"seeds/{name}", kind)
    return load_article(src, cfg, MarkdownRenderer(unsafe_html=False))


def error_of(write_site, name: str, content: str | bytes | dict) -> str:
    with pytest.raises(ContentError) as exc:
        load(write_site, name, content)
    return str(exc.value)


def all_text(a) -> str:
    return repr([getattr(a, f) for f in a.__dataclass_fields__] + [dict(a.extra)])


def test_discovery_reads_json_and_xml_in_seeds_at_any_depth_only(write_site):
    site = write_site(
        {
            "seeds/a.json": "{}",
            "seeds/deep/er/b.XML": "<nitf/>",
            "seeds/c.txt": "Headline\n\nText.\n",
            "articles/d.json": "{}",
            "articles/e.xml": "<nitf/>",
        }
    )
    cfg, _ = load_config(site)
    sources, _ = discover(cfg)
    assert [(s.display, s.kind) for s in sources] == [
        ("seeds/a.json", "ninjs"),
        ("seeds/c.txt", "wire"),
        ("seeds/deep/er/b.XML", "nitf"),
    ]


def test_ninjs_1(write_site):
    a, warnings = load(write_site, "one.json", NINJS_1)
    assert warnings == []
    assert a.identity == "urn:example:fna:2025:1001"
    assert a.title == "Ferry service resumes after storm"
    assert a.summary == "Crossings run again from Monday."
    assert a.authors == ("Ana Example",)
    assert a.dateline == "PORTVILLE"
    assert a.date == datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    assert a.updated == datetime(2025, 3, 1, 10, 30, tzinfo=UTC)
    assert a.status == "usable" and a.urgency == 2 and a.breaking
    assert a.tags == ("Transport", "Current", "ferries")
    assert a.credit == "Fictional News Agency"
    assert a.copyright == "(c) 2025 Fictional News Agency No archiving."
    # the largest rendition, its size, caption and credit
    assert a.image == "https://img.example.org/ferry-1600.jpg"
    assert (a.extra["image_width"], a.extra["image_height"]) == (1600, 1067)
    assert a.image_caption == "The first ferry leaves the pier."
    assert a.extra["image_credit"] == "FNA Photo"
    assert a.url == "/2025/03/01/ferry-service-resumes-after-storm/"


def test_ninjs_agency_html_is_sanitised(write_site):
    body = load(write_site, "one.json", NINJS_1)[0].body
    assert "<script" not in body and "alert" not in body
    assert "onclick" not in body and "javascript:" not in body and "<iframe" not in body
    assert 'href="https://example.org/timetable"' in body
    assert "<p>Ferries sail again.</p>" in body


def test_ninjs_2_headlines_bodies_and_by(write_site):
    a, _ = load(write_site, "two.json", NINJS_2)
    assert a.title == "Council debates budget"
    assert a.summary == "Talks go on"
    assert a.body == "<p>Rich <em>text</em>.</p>"  # html preferred to text; <section> unwrapped
    assert a.authors == ("Bo Example",)
    assert a.dateline == "LAKETOWN"
    assert a.urgency == 5 and not a.breaking


def test_ninjs_3_camel_case_embargo_expiry_and_text_body(write_site):
    a, _ = load(write_site, "three.json", NINJS_3)
    assert a.title == "Report on river levels"
    assert a.embargo == datetime(2025, 3, 4, 6, 0, tzinfo=UTC)
    assert a.expires == datetime(2025, 4, 4, 6, 0, tzinfo=UTC)
    assert a.body == "<p>Levels &lt;rose&gt;.</p>\n<p>They fell later.</p>"  # text is escaped, never markup
    assert a.authors == ("Cy Example", "Di Example")
    assert a.credit == "Fictional News Agency"
    assert a.image == "https://img.example.org/river.jpg"


@pytest.mark.parametrize("status", ["canceled", "withheld"])
def test_ninjs_kill_status(write_site, status):
    a, _ = load(write_site, "k.json", {**NINJS_3, "pubStatus": status})
    assert a.status == status


def test_staff_notes_are_never_read(write_site):
    for name, doc in (("one.json", NINJS_1), ("two.json", NINJS_2), ("n.xml", NITF_NS)):
        a, _ = load(write_site, name, doc)
        assert "STAFFNOTE" not in all_text(a)


def test_a_picture_only_item_is_skipped_with_a_note(write_site):
    a, warnings = load(
        write_site,
        "pic.json",
        {
            "uri": "urn:x:pic",
            "type": "picture",
            "versioncreated": "2025-03-01T09:00:00Z",
            "headline": "A picture",
        },
    )
    assert a.status == "skipped"
    assert [w.severity for w in warnings] == [Severity.WARNING]
    assert "a picture item, not a text story: skipped" in warnings[0].message


def test_nitf_with_namespace_maps_every_field(write_site):
    a, warnings = load(write_site, "n.xml", NITF_NS)
    assert warnings == []
    assert a.identity == "FNA-2025-0302-77"
    assert a.title == "Storm warning for the coast"
    assert a.summary == "Winds up to 100 km/h"
    assert a.authors == ("Eve Example",)  # byttl is not part of the name
    assert a.dateline == "SEATOWN"
    assert a.date == datetime(2025, 3, 2, 8, 0, tzinfo=UTC)
    assert a.updated == datetime(2025, 3, 2, 9, 30, tzinfo=UTC)
    assert a.expires == datetime(2025, 4, 2, 8, 0, tzinfo=UTC)
    assert a.embargo is None
    assert a.urgency == 1 and a.breaking
    assert a.tags == ("Weather", "storms")
    assert a.credit == "Fictional News Agency"
    assert a.copyright == "© Fictional News Agency Distributed under licence."
    body = a.body
    assert "<p>Strong <em>winds</em> are expected &amp; schools close.</p>" in body
    assert "<p>Inside a block.</p><h2>Forecast</h2>" in body
    assert "<th>Day</th>" in body and "<td>90</td>" in body
    # the first picture is the lead picture, out of the body
    assert a.image == "https://img.example.org/storm.jpg" and "storm.jpg" not in body
    assert a.image_caption == a.image_alt == "Clouds over the bay."
    assert a.extra == {"image_width": 800, "image_height": 600, "image_credit": "Photo: Fay Example"}


def test_nitf_later_pictures_stay_in_the_body_as_figures(write_site):
    second = (
        '<media media-type="image"><media-reference source="https://img.example.org/two.jpg" '
        'alternate-text="Second"/><media-caption>Boats.</media-caption>'
        "<media-producer>Photo: Gus Example</media-producer></media>"
        '<media media-type="image"><media-reference source="javascript:alert(1)"/></media>'
    )
    a, _ = load(write_site, "n.xml", NITF_NS.replace("<note>", second + "<note>"))
    assert a.image == "https://img.example.org/storm.jpg"
    assert '<figure><img src="https://img.example.org/two.jpg" alt="Second">' in a.body
    assert "<figcaption>Boats. Photo: Gus Example</figcaption></figure>" in a.body
    assert "javascript" not in a.body


def test_nitf_without_namespace_embargoed(write_site):
    a, _ = load(write_site, "p.xml", NITF_PLAIN)
    assert a.identity == "FNA-9" and a.status == "usable"
    assert a.embargo == datetime(2025, 3, 6, 10, 0, tzinfo=UTC)
    assert a.body == "<p>Embargoed text.</p>"


def test_nitf_kill_notice_names_the_story_it_withdraws(write_site):
    kill = NITF_PLAIN.replace(
        'management-status="embargoed"', 'management-status="canceled" management-doc-idref="FNA-8"'
    )
    a, _ = load(write_site, "k.xml", kill)
    assert a.status == "canceled" and a.kills == "FNA-8"


def test_nitf_identity_defaults_to_the_file_name(write_site):
    a, _ = load(write_site, "no-id.xml", NITF_PLAIN.replace('<doc-id id-string="FNA-9"/>', ""))
    assert a.identity == "no-id"


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<nitf><body><body.content><p>&lol3;</p></body.content></body></nitf>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE nitf [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>"""


@pytest.mark.parametrize("doc", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_hostile_xml_is_an_error_naming_the_file(write_site, doc):
    message = error_of(write_site, "evil.xml", doc)
    assert message.startswith("seeds/evil.xml")
    assert "entities" in message
    assert "root:" not in message  # nothing of /etc/passwd


@pytest.mark.parametrize(
    ("name", "doc", "expected"),
    [
        ("bad.xml", "<nitf>\n<head>\n</nitf>", "seeds/bad.xml:3:"),
        ("bad.xml", "<rss/>", "not a NITF document"),
        (
            "enc.xml",
            "<?xml version='1.0' encoding='ebcdic-x'?><nitf/>",
            "seeds/enc.xml:1: XML cannot be read: unknown encoding",
        ),
        (
            "deep.xml",
            "<nitf>" + "<block>" * 3000 + "</block>" * 3000 + "</nitf>",
            "nested deeper than 100 levels",
        ),
        ("bad.json", '{"uri": "x",\n "headline": }', "seeds/bad.json:2:"),
        ("bad.json", "[1, 2]", "one JSON object"),
        ("deep.json", '{"a":' + "[" * 500 + "]" * 500 + "}", "nested deeper than 64 levels"),
        ("nohl.json", {"uri": "x", "firstcreated": "2025-03-01T09:00:00Z"}, "no headline"),
        ("date.json", {"uri": "x", "headline": "H", "firstcreated": "soon"}, "date:"),
    ],
)
def test_malformed_files_are_errors_with_file_and_line(write_site, name, doc, expected):
    assert expected in error_of(write_site, name, doc)


def test_bad_date_error_names_its_line(write_site):
    text = '{\n  "uri": "x",\n  "headline": "H",\n  "firstcreated": "soon"\n}'
    assert "seeds/d.json:4: date:" in error_of(write_site, "d.json", text)


def test_oversized_wire_file_is_refused(write_site):
    site = write_site(
        {"seeds/big.json": json.dumps({**NINJS_1, "body_text": "x" * 5000})}, config="max_file_size: 1000\n"
    )
    cfg, _ = load_config(site)
    with pytest.raises(ContentError) as exc:
        load_article(Source(site / "seeds/big.json", "seeds/big.json", "ninjs"), cfg, MarkdownRenderer())
    assert "over the limit of 1000" in str(exc.value)


def test_agency_habits_seen_in_real_feeds(write_site):
    """As real EFE, AP and dpa files do: a dateline already in the text, hl2 repeating hl1,
    one subject spelt twice, a byline in the agency's language."""
    doc = """<nitf><head><tobject><tobject.subject tobject.subject.matter="Government"/>
    <tobject.subject tobject.subject.matter="GOVERNMENT"/></tobject><docdata><date.issue norm="20170102T222800+0000"/>
    </docdata></head><body><body.head><hedline><hl1>Cabinet changes</hl1><hl2>CABINET CHANGES</hl2></hedline>
    <byline>Von Gil Example</byline><dateline><location>NEW TOWN</location></dateline></body.head>
    <body.content><block><p>NEW TOWN (FNA) -- Text.</p></block></body.content></body></nitf>"""
    a, _ = load(write_site, "habits.xml", doc)
    assert a.dateline is None  # not shown twice
    assert a.summary == "NEW TOWN (FNA) -- Text."  # not the headline again
    assert a.tags == ("Government",)
    assert a.authors == ("Gil Example",)
    assert a.date == datetime(2017, 1, 2, 22, 28, tzinfo=UTC)


SECTIONS = """wire:
  sections:
    medtop:20000756: Transport
    "17000000": Weather
"""


def test_wire_sections_map_agency_codes_to_sections(write_site):
    a, _ = load(write_site, "one.json", NINJS_1, config=SECTIONS)
    assert a.section == "Transport"
    assert a.url == "/2025/03/01/ferry-service-resumes-after-storm/"
    b, _ = load(write_site, "n.xml", NITF_NS, config=SECTIONS)
    assert b.section == "Weather"
    c, _ = load(write_site, "two.json", NINJS_2, config=SECTIONS)
    assert c.section is None  # no code of its own in the map


def test_wire_sections_must_be_a_mapping(write_site):
    from newsgen.config import load_config
    from newsgen.errors import ConfigError

    site = write_site({}, config="wire:\n  sections: [Sport]\n")
    with pytest.raises(ConfigError) as exc:
        load_config(site)
    assert "newsgen.yaml:2:3:" in str(exc.value) and "wire.sections: expected a mapping" in str(exc.value)


def test_agency_html_documents_and_picture_renditions_as_tt_sends_them(write_site):
    """As a real TT ninjs 2.1 item: a whole HTML document repeating the headline in <title> and <h1>,
    an agency XML body listed first, and a print-size rendition beside web ones."""
    item = {
        "uri": "urn:x:tt",
        "versioncreated": "2025-03-01T09:00:00Z",
        "headlines": [{"role": "main", "value": "Exercise planned"}],
        "bodies": [
            {
                "role": "ttnitf",
                "contenttype": "application/xml",
                "value": "<TTNITF><P>Agency XML</P></TTNITF>",
            },
            {
                "role": "html5",
                "contenttype": "text/html",
                "value": "<html><head><title>Exercise planned</title></head><body><article><h1>Exercise planned</h1>"
                "<p>Text.</p><blockquote>A quote.</blockquote></article></body></html>",
            },
        ],
        "associations": [
            {
                "type": "picture",
                "renditions": [
                    {"href": "https://img.example.org/hires.jpg", "width": 4724, "height": 3149},
                    {"href": "https://img.example.org/preview.jpg", "width": 1024, "height": 683},
                    {"href": "https://img.example.org/thumb.jpg", "width": 256, "height": 171},
                ],
            }
        ],
    }
    a, _ = load(write_site, "tt.json", item)
    assert a.body == "<p>Text.</p><blockquote>A quote.</blockquote>"
    assert a.image == "https://img.example.org/preview.jpg"


def test_a_picture_at_a_web_address_is_preferred_and_its_line_is_kept(write_site):
    refs = (
        '<media media-type="image">\n<media-reference source="iJIJyyF0tiE" width="4000"/>\n'
        '<media-reference source="https://img.example.org/storm-web.jpg" width="800"/>\n</media>'
    )
    xml = NITF_NS.replace('<media media-type="image">', refs + '\n<media media-type="image">', 1)
    a, _ = load(write_site, "n.xml", xml)
    assert a.image == "https://img.example.org/storm-web.jpg" and a.extra["image_width"] == 800
    assert a.field_lines["image"] == xml.split("\n").index('<media-reference source="https://img.example.org/storm-web.jpg" width="800"/>') + 1  # fmt: skip
    assert '<img src="https://img.example.org/storm.jpg"' in a.body  # the next picture stays a figure

    item = dict(NINJS_1)
    item["associations"] = {"p": {"type": "picture", "renditions": {
        "print": {"href": "urn:fna:pic:77", "width": 1800},
        "web": {"href": "https://img.example.org/ferry-web.jpg", "width": 600}}}}  # fmt: skip
    text = json.dumps(item, indent=1)
    b, _ = load(write_site, "p.json", text)
    assert b.image == "https://img.example.org/ferry-web.jpg"
    assert b.field_lines["image"] == next(
        i for i, t in enumerate(text.split("\n"), 1) if "ferry-web.jpg" in t
    )


def test_nitf_body_pictures_at_other_schemes_are_left_out_with_a_warning(write_site):
    second = '<media media-type="image">\n<media-reference source="urn:fna:pic:9"/><media-caption>Gone.</media-caption></media>'  # fmt: skip
    xml = NITF_NS.replace("<note>", second + "<note>")
    a, warnings = load(write_site, "n.xml", xml)
    assert "urn:fna" not in a.body and "Gone." not in a.body
    line = next(i for i, t in enumerate(xml.split("\n"), 1) if "urn:fna:pic:9" in t)
    assert [(w.line, w.severity) for w in warnings if "urn:fna:pic:9" in w.message] == [
        (line, Severity.WARNING)
    ]


def test_ninjs_text_sent_as_a_description_is_the_body(write_site):
    # NTB (IPTC's ntb_text.json example): the whole text is a description of role "text"
    item = {
        "uri": "8d19cf88-b3ab-4972-8fec-1207599f2872",
        "type": "text",
        "firstcreated": "2019-08-09T09:30:04Z",
        "pubstatus": "usable",
        "descriptions": [
            {"role": "text", "contenttype": "text/plain", "value": "IT-giganten Google har kjøpt en tomt."}
        ],
        "headlines": [{"role": "main", "value": "Google har kjøpt giganttomt i Skien"}],
    }
    a, warnings = load(write_site, "ntb.json", item)
    assert a.body == "<p>IT-giganten Google har kjøpt en tomt.</p>" and warnings == []

    item["descriptions"] = [
        {"role": "summary", "value": "Short."},
        {"role": "lede", "contenttype": "text/html", "value": "<p>The <em>longest</em> one.</p>"},
    ]
    a, _ = load(write_site, "ntb.json", item)
    assert a.body == "<p>The <em>longest</em> one.</p>" and a.summary == "Short."


def test_ninjs_item_without_body_text_is_warned_about(write_site):
    item = {
        "uri": "urn:x:empty",
        "type": "text",
        "firstcreated": "2025-03-01T09:00:00Z",
        "headline": "Nothing but a headline",
        "descriptions": [{"role": "summary", "value": "Only a standfirst."}],
    }
    text = json.dumps(item, indent=1)
    a, warnings = load(write_site, "e.json", text)
    assert a.body == "" and a.summary == "Only a standfirst."  # not shown twice
    line = next(i for i, t in enumerate(text.split("\n"), 1) if '"headline"' in t)
    assert [(w.path, w.line) for w in warnings if "no body text" in w.message] == [("seeds/e.json", line)]
    _, killed = load(write_site, "k.json", {**item, "pubstatus": "canceled"})
    assert killed == []  # a kill notice has no text to give


def test_nitf_text_outside_paragraphs_becomes_paragraphs(write_site):
    bare = NITF_PLAIN.replace("<p>Embargoed text.</p>", "content")
    a, warnings = load(write_site, "bare.xml", bare)
    assert a.body == "<p>content</p>" and warnings == []

    mixed = NITF_PLAIN.replace(
        "<p>Embargoed text.</p>",
        "Lead <em>line</em><p>Second.</p> then <lang>a run</lang><block>In a block<p>Kept.</p></block>",
    )
    a, _ = load(write_site, "mixed.xml", mixed)
    assert a.body == ("<p>Lead <em>line</em></p><p>Second.</p><p>then a run</p><p>In a block</p><p>Kept.</p>")


def test_nitf_item_without_body_text_is_warned_about(write_site):
    empty = NITF_PLAIN.replace("<p>Embargoed text.</p>", "<p/>")
    a, warnings = load(write_site, "e.xml", empty)
    line = next(i for i, t in enumerate(empty.split("\n"), 1) if "<body.content>" in t)
    assert a.body in ("", "<p></p>")
    assert [(w.path, w.line) for w in warnings if "no body text" in w.message] == [("seeds/e.xml", line)]
