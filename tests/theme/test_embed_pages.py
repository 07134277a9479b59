"""Embeds through a build: the article page shows a click-to-load facade (no iframe, no third-party
address it would load) and the script that loads it; feeds and a site with embeds off keep a plain link."""

from __future__ import annotations

import json
import re

from conftest import article
from newsgen.config.settings import EMBED_PROVIDERS
from newsgen.theme.embeds import with_embeds

BODY = """Before the video.

https://youtu.be/EXAMPLEvid1

[Turnout by ward](https://datawrapper.dwcdn.net/EXMPL/2/)

https://youtube.com.evil.example/watch?v=EXAMPLEvid1
"""


def build(write_site, cli, tmp_path, config="base_url: https://news.example/\n"):
    site = write_site({"articles/embeds.md": article("Embeds", body=BODY, slug="embeds")}, config=config)
    out = tmp_path / "public"
    assert cli("build", "--site", site, "--output", out, "--quiet").code == 0
    return out


def page_of(out):
    return (out / "2025/03/01/embeds/index.html").read_text("utf-8")


def test_the_page_has_a_facade_per_embed_and_loads_nothing_from_the_services(write_site, cli, tmp_path):
    page = page_of(build(write_site, cli, tmp_path))
    figures = re.findall(r'<figure class="embed [^"]*"[^>]*>', page)
    assert len(figures) == 2
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/EXAMPLEvid1?autoplay=1"' in figures[0]
    assert 'data-embed-src="https://datawrapper.dwcdn.net/EXMPL/2/"' in figures[1]
    assert 'data-embed-title="Turnout by ward"' in figures[1]
    assert '<a href="https://www.youtube.com/watch?v=EXAMPLEvid1">Watch on YouTube</a>' in page
    assert '<button type="button" class="embed__load">Play the video</button>' in page
    # nothing a browser would fetch from a service before the click: no iframe, img, preconnect or script
    assert "<iframe" not in page
    elsewhere = r'\s(?:src|href)="https://(?!news\.example/|www\.youtube\.com/watch|datawrapper\.dwcdn\.net/EXMPL/2/")'
    assert not re.search(elsewhere, page)  # links to the originals are the only other addresses
    assert page.count('<script src="../../../../js/embeds.js" defer></script>') == 1
    assert "youtube.com.evil.example" in page and "evil.example" not in " ".join(figures)


def test_the_script_is_published(write_site, cli, tmp_path):
    script = (build(write_site, cli, tmp_path) / "js/embeds.js").read_text("utf-8")
    assert 'setAttribute("sandbox", SANDBOX)' in script


def test_feeds_carry_a_plain_link(write_site, cli, tmp_path):
    out = build(write_site, cli, tmp_path)
    entry = json.loads((out / "feed.json").read_text("utf-8"))["items"][0]["content_html"]
    assert (
        '<p class="embed-link"><a class="embed" data-embed="youtube" '
        'href="https://www.youtube.com/watch?v=EXAMPLEvid1">Video on YouTube</a></p>'
    ) in entry
    for feed in ("feed.json", "feed.xml", "rss.xml"):
        text = (out / feed).read_text("utf-8")
        for facade in ("<figure", "&lt;figure", "iframe", "embeds.js", "data-embed-src", "youtube-nocookie"):
            assert facade not in text, (feed, facade)


def test_embeds_off_leaves_the_urls_as_written(write_site, cli, tmp_path):
    page = page_of(build(write_site, cli, tmp_path, config="embeds: false\n"))
    assert "<p>https://youtu.be/EXAMPLEvid1</p>" in page
    assert "<figure" not in page and "embeds.js" not in page


def test_a_list_of_services_embeds_only_those(write_site, cli, tmp_path):
    page = page_of(build(write_site, cli, tmp_path, config="embeds: [datawrapper]\n"))
    assert page.count('<figure class="embed ') == 1 and "embed--datawrapper" in page


def test_an_unknown_service_in_the_setting_is_an_error_with_its_line(write_site, cli):
    site = write_site({}, config="title: T\nembeds: [youtube, youtub]\n")
    run = cli("build", "--site", site, "--quiet")
    assert run.code != 0
    assert "newsgen.yaml:2" in run.err and "youtub" in run.err and "did you mean 'youtube'" in run.err


def test_a_hand_written_embed_link_is_checked_again():
    forged = (
        '<p class="embed-link"><a class="embed" data-embed="youtube" '
        'href="https://youtube.com.evil.example/watch?v=EXAMPLEvid1">x</a></p>'
    )
    assert with_embeds(forged, EMBED_PROVIDERS) == forged
    other = forged.replace("youtube.com.evil.example", "www.youtube.com").replace('"youtube"', '"vimeo"')
    assert with_embeds(other, EMBED_PROVIDERS) == other
    real = forged.replace("youtube.com.evil.example", "www.youtube.com")
    assert "<figure" in with_embeds(real, EMBED_PROVIDERS)
    assert with_embeds(real, ("vimeo",)) == real
