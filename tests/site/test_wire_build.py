"""Agency wire copy through a whole build: updates, kills, embargoes, breaking,
attribution, and staff notes kept out of every output file. All fictional."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from newsgen.publish.deploy_manifest import CHANGES_FILE

CONFIG = "title: Wire desk\nbase_url: https://example.com/\n"
NOW = str(int(datetime(2025, 6, 1, tzinfo=UTC).timestamp()))


def ninjs(version: str, headline: str, status: str = "usable", uri: str = "urn:x:1", **more) -> str:
    return json.dumps(
        {
            "uri": uri,
            "type": "text",
            "firstcreated": "2025-03-01T09:00:00Z",
            "versioncreated": version,
            "pubstatus": status,
            "headline": headline,
            "body_text": f"{headline} body.",
            "ednote": "STAFFNOTE do not run before the lawyers call",
            "copyrightholder": "Fictional News Agency",
            "copyrightnotice": "(c) 2025 Fictional News Agency",
            "subjects": [{"name": "Harbour"}],
            **more,
        }
    )


NITF = """<nitf><head><docdata management-status="{status}"{ref}><doc-id id-string="{id}"/>
<date.issue norm="20250302T080000Z"/><date.release norm="{release}"/><ed-msg info="EDMSG keep off the site"/>
</docdata></head><body><body.head><hedline><hl1>{hl}</hl1></hedline></body.head>
<body.content><p>{hl} text.</p></body.content></body></nitf>"""


def nitf(
    hl: str, id: str = "N-1", status: str = "usable", release: str = "20250302T080000Z", ref: str = ""
) -> str:
    return NITF.format(
        hl=hl, id=id, status=status, release=release, ref=f' management-doc-idref="{ref}"' if ref else ""
    )


def build(cli, monkeypatch, site: Path, now: str = NOW):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", now)
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    return run


def outputs(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site / "public").as_posix(): p.read_text("utf-8", errors="replace")
        for p in (site / "public").rglob("*")
        if p.is_file()
    }


def test_updates_are_one_story_at_a_stable_url(write_site, cli, monkeypatch):
    site = write_site(
        {
            "seeds/v1.json": ninjs("2025-03-01T09:00:00Z", "Harbour closes"),
            "seeds/later/v3.json": ninjs("2025-03-01T15:00:00Z", "Harbour closes for a week"),
            "seeds/v2.json": ninjs("2025-03-01T12:00:00Z", "Harbour closes until Friday"),
        },
        config=CONFIG,
    )
    build(cli, monkeypatch, site)
    out = outputs(site)
    articles = [p for p in out if p.startswith("2025/03/01/")]
    assert articles == ["2025/03/01/harbour-closes/index.html"]  # the first version's URL
    page = out[articles[0]]
    assert "Harbour closes for a week" in page and "Harbour closes until Friday" not in page
    assert "Updated" in page and 'datetime="2025-03-01T15:00:00+00:00"' in page
    assert "<lastmod>2025-03-01T15:00:00+00:00</lastmod>" in out["sitemap.xml"]
    assert "Harbour closes for a week" in out["feed.xml"] and out["feed.xml"].count("<entry>") == 1


def test_equal_versions_are_one_story_with_a_warning(write_site, cli, monkeypatch):
    site = write_site(
        {
            "seeds/a.json": ninjs("2025-03-01T09:00:00Z", "Version A"),
            "seeds/b.json": ninjs("2025-03-01T09:00:00Z", "Version B"),
        },
        config=CONFIG,
    )
    run = build(cli, monkeypatch, site)
    assert "same version time" in run.err + run.out
    out = outputs(site)
    assert "Version B" in out["index.html"] and "Version A" not in out["index.html"]


def test_a_kill_withdraws_the_story_everywhere_and_its_url_says_so(write_site, cli, monkeypatch):
    site = write_site(
        {
            "seeds/story.json": ninjs("2025-03-01T09:00:00Z", "Harbour closes"),
            "seeds/other.json": ninjs("2025-03-01T09:00:00Z", "Market opens", uri="urn:x:2"),
        },
        config=CONFIG,
    )
    build(cli, monkeypatch, site)
    url_file = "2025/03/01/harbour-closes/index.html"
    assert "Harbour closes body." in outputs(site)[url_file]

    (site / "seeds/kill.json").write_text(ninjs("2025-03-02T09:00:00Z", "KILL", status="canceled"), "utf-8")
    build(cli, monkeypatch, site)
    out = outputs(site)
    page = out[url_file]
    assert "This story has been withdrawn" in page and '<meta name="robots" content="noindex">' in page
    assert "Harbour closes body." not in page
    for name, text in out.items():
        if name != url_file and not name.startswith(".newsgen-"):  # the manifests name every file
            assert "harbour-closes" not in text, name  # no list, feed, sitemap or More Stories link
            assert "Harbour closes" not in text, name
    changes = json.loads(out[CHANGES_FILE])
    assert "/2025/03/01/harbour-closes/" in {e["path"] for e in changes["changed"]}  # CDNs purge it


def test_a_nitf_kill_notice_refers_to_the_earlier_document(write_site, cli, monkeypatch):
    site = write_site(
        {
            "seeds/storm.xml": nitf("Storm warning"),
            "seeds/storm-kill.xml": nitf(
                "KILL Storm warning", id="N-1-K", status="canceled", release="20250302T100000Z", ref="N-1"
            ),
        },
        config=CONFIG,
    )
    build(cli, monkeypatch, site)
    out = outputs(site)
    assert "This story has been withdrawn" in out["2025/03/02/storm-warning/index.html"]
    assert "Storm" not in out["index.html"] and "storm" not in out["sitemap.xml"]
    assert not any("kill" in name for name in out)


def test_a_wire_embargo_holds_the_story_until_its_time(write_site, cli, monkeypatch):
    site = write_site(
        {"seeds/e.xml": nitf("Results due", status="embargoed", release="20250310T120000Z")}, config=CONFIG
    )
    before = str(int(datetime(2025, 3, 10, 11, 0, tzinfo=UTC).timestamp()))
    run = build(cli, monkeypatch, site, before)
    assert not any(p.startswith("2025/03/02/") for p in outputs(site))
    assert "2025-03-10" in run.out + run.err  # the next change is reported
    build(cli, monkeypatch, site, str(int(datetime(2025, 3, 10, 12, 0, tzinfo=UTC).timestamp())))
    assert "2025/03/02/results-due/index.html" in outputs(site)


def test_breaking_and_attribution_on_the_page_and_in_its_data(write_site, cli, monkeypatch):
    site = write_site(
        {"seeds/f.json": ninjs("2025-03-01T09:00:00Z", "Flash headline", urgency=1)}, config=CONFIG
    )
    build(cli, monkeypatch, site)
    page = outputs(site)["2025/03/01/flash-headline/index.html"]
    assert "Breaking" in page
    assert "Source: Fictional News Agency" in page and "(c) 2025 Fictional News Agency" in page
    data = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "Fictional News Agency"}
    assert data["provider"] == data["sourceOrganization"]
    assert data["copyrightNotice"] == "(c) 2025 Fictional News Agency"


def test_staff_notes_appear_in_no_output_file(write_site, cli, monkeypatch):
    site = write_site(
        {
            "seeds/a.json": ninjs("2025-03-01T09:00:00Z", "Harbour closes"),
            "seeds/b.xml": nitf("Storm warning"),
        },
        config=CONFIG + "search: false\n",
    )
    build(cli, monkeypatch, site)
    out = outputs(site)
    assert len(out) > 10
    for name, text in out.items():
        assert "STAFFNOTE" not in text and "EDMSG" not in text, name


def test_wire_stories_rebuild_the_same_from_the_cache(write_site, cli, monkeypatch):
    site = write_site(
        {
            "seeds/a.json": ninjs("2025-03-01T09:00:00Z", "Harbour closes", urgency=2),
            "seeds/b.xml": nitf("Storm"),
        },
        config=CONFIG,
    )
    build(cli, monkeypatch, site)
    (site / "seeds/a.json").write_text(
        ninjs("2025-03-01T10:00:00Z", "Harbour closes today", urgency=2), "utf-8"
    )
    run = build(cli, monkeypatch, site)
    assert "cache          1 articles" in run.out  # b.xml came back from the cache
    cached = outputs(site)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    assert cli("build", "--site", site, "--no-cache").code == 0
    fresh = outputs(site)
    for name in (CHANGES_FILE, ".newsgen-manifest.json"):
        cached.pop(name), fresh.pop(name)
    assert cached == fresh


def test_a_kill_notice_for_a_story_never_received_makes_no_page(write_site, cli, monkeypatch):
    kill = nitf("KILL Flood", id="N-9-K", status="canceled", release="20250302T100000Z", ref="N-9")
    site = write_site({"seeds/k.xml": kill, "seeds/s.xml": nitf("Storm warning")}, config=CONFIG)
    run = build(cli, monkeypatch, site)
    assert "nothing to withdraw" in run.err + run.out
    assert not any("kill" in name or "flood" in name for name in outputs(site))


def test_the_agency_picture_has_its_size_caption_and_credit(write_site, cli, monkeypatch):
    picture = {
        "type": "picture",
        "description_text": "Boats at the quay.",
        "creditline": "FNA Photo / Hal Example",
        "renditions": {"web": {"href": "https://img.example.org/quay.jpg", "width": 1200, "height": 800}},
    }
    site = write_site(
        {
            "seeds/p.json": ninjs(
                "2025-03-01T09:00:00Z", "Quay reopens", associations={"featureimage": picture}
            )
        },
        config=CONFIG,
    )
    build(cli, monkeypatch, site)
    page = outputs(site)["2025/03/01/quay-reopens/index.html"]
    assert (
        '<img src="https://img.example.org/quay.jpg" alt="Boats at the quay." width="1200" height="800"'
        in page
    )
    assert (
        '<figcaption>Boats at the quay. <span class="credit">FNA Photo / Hal Example</span></figcaption>'
        in page
    )


def test_agency_pictures_that_name_no_file_are_left_out_with_a_warning(write_site, cli, monkeypatch):
    # NTB's NITF sends its picture id, not an address (superdesk-core's nitf-ntb.xml fixture)
    media = (
        '\n<media media-type="image"><media-reference mime-type="image/jpeg" source="iJIJyyF0tiE"/>'
        "<media-caption>Foto: NTB / Scanpix</media-caption></media>\n"
        '<media media-type="image"><media-reference source="/images/kept.svg"/>'
        "<media-caption>Kept.</media-caption></media>\n"
        '<media media-type="image"><media-reference source="urn:pic:2"/></media>\n'
    )
    xml = nitf("Fact check").replace("</body.content>", media + "</body.content>")
    picture = {"type": "picture", "renditions": {"base": {"href": "AbC123", "width": 800}}}
    site = write_site(
        {
            "seeds/ntb.xml": xml,
            "seeds/p.json": ninjs("2025-03-01T09:00:00Z", "Quay reopens", associations={"p": picture}),
            "static/images/kept.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>',
        },
        config=CONFIG,
    )
    lines = xml.split("\n")
    lead = next(i for i, t in enumerate(lines, 1) if "iJIJyyF0tiE" in t)
    urn = next(i for i, t in enumerate(lines, 1) if "urn:pic:2" in t)
    href = next(i for i, t in enumerate((site / "seeds/p.json").read_text().split("\n"), 1) if "AbC123" in t)
    expected = [
        f"seeds/ntb.xml:{lead}: warning: picture 'iJIJyyF0tiE' is neither",
        f"seeds/ntb.xml:{urn}: warning: picture in the body 'urn:pic:2' is neither",
        f"seeds/p.json:{href}: warning: picture 'AbC123' is neither",
    ]
    monkeypatch.setenv("SOURCE_DATE_EPOCH", NOW)
    check = cli("check", "--site", site)
    assert check.code == 0, check.out + check.err
    assert all(w in check.out + check.err for w in expected), check.out + check.err
    run = build(cli, monkeypatch, site)  # before the fix: "image ... iJIJyyF0tiE is missing", nothing written
    assert all(w in run.out + run.err for w in expected), run.out + run.err
    out = outputs(site)
    page = out["2025/03/02/fact-check/index.html"]
    assert "iJIJyyF0tiE" not in page and "Foto: NTB" not in page and "urn:pic:2" not in page
    assert 'images/kept.svg" alt="Kept."' in page  # a file of the site stays
    assert "AbC123" not in out["2025/03/01/quay-reopens/index.html"]

    (site / "static/images").mkdir(exist_ok=True)  # the agency's file arrives: the next build shows it
    (site / "static/images/AbC123").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', "utf-8")
    picture["renditions"]["base"]["href"] = "/images/AbC123"
    (site / "seeds/p.json").write_text(
        ninjs("2025-03-01T09:00:00Z", "Quay reopens", associations={"p": picture}), "utf-8"
    )
    build(cli, monkeypatch, site)
    assert 'images/AbC123"' in outputs(site)["2025/03/01/quay-reopens/index.html"]
