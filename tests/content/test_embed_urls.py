"""Embeds: which URLs become embeds (strictly: https, exact hosts, ids by pattern), what the player and
the link to the original are (built from the ids), and which Markdown paragraphs are embeds at all."""

from __future__ import annotations

import pytest

from newsgen.config.settings import EMBED_PROVIDERS
from newsgen.content.embeds import recognise
from newsgen.content.markup import MarkdownRenderer, first_paragraph_text
from newsgen.theme.embeds import with_embeds

YT = "https://www.youtube-nocookie.com/embed/EXAMPLEvid1?autoplay=1"

#: url -> (provider, link to the original, player)
ACCEPTED = {
    "https://www.youtube.com/watch?v=EXAMPLEvid1": (
        "youtube",
        "https://www.youtube.com/watch?v=EXAMPLEvid1",
        YT,
    ),
    "https://youtube.com/watch?feature=share&v=EXAMPLEvid1": (
        "youtube",
        "https://www.youtube.com/watch?v=EXAMPLEvid1",
        YT,
    ),
    "https://m.youtube.com/watch?v=EXAMPLEvid1&t=90s": (
        "youtube",
        "https://www.youtube.com/watch?v=EXAMPLEvid1&t=90s",
        YT + "&start=90",
    ),
    "https://youtu.be/EXAMPLEvid1": ("youtube", "https://www.youtube.com/watch?v=EXAMPLEvid1", YT),
    "https://youtu.be/EXAMPLEvid1?si=tracking123": (
        "youtube",
        "https://www.youtube.com/watch?v=EXAMPLEvid1",
        YT,
    ),
    "https://youtu.be/EXAMPLEvid1?t=75": (
        "youtube",
        "https://www.youtube.com/watch?v=EXAMPLEvid1&t=75s",
        YT + "&start=75",
    ),
    # YouTube's own h/m/s form, from "Copy video URL at current time" and older share links
    "https://www.youtube.com/watch?v=EXAMPLEvid1&t=1m30s": (
        "youtube",
        "https://www.youtube.com/watch?v=EXAMPLEvid1&t=90s",
        YT + "&start=90",
    ),
    "https://youtu.be/EXAMPLEvid1?t=1h2m3s": (
        "youtube",
        "https://www.youtube.com/watch?v=EXAMPLEvid1&t=3723s",
        YT + "&start=3723",
    ),
    "https://www.youtube.com/live/EXAMPLEvid1": (
        "youtube",
        "https://www.youtube.com/watch?v=EXAMPLEvid1",
        YT,
    ),
    "https://www.youtube.com/shorts/EXAMPLEvid1": (
        "youtube",
        "https://www.youtube.com/shorts/EXAMPLEvid1",
        YT,
    ),
    "https://vimeo.com/123456789": (
        "vimeo",
        "https://vimeo.com/123456789",
        "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1",
    ),
    "https://vimeo.com/123456789/abcdef1234": (
        "vimeo",
        "https://vimeo.com/123456789/abcdef1234",
        "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1&h=abcdef1234",
    ),
    # a video seen in a channel or a group
    "https://vimeo.com/channels/staffpicks/123456789": (
        "vimeo",
        "https://vimeo.com/123456789",
        "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1",
    ),
    "https://vimeo.com/groups/example-group/videos/123456789/": (
        "vimeo",
        "https://vimeo.com/123456789",
        "https://player.vimeo.com/video/123456789?dnt=1&autoplay=1",
    ),
    "https://x.com/example_desk/status/1234567890123456789": (
        "twitter",
        "https://x.com/example_desk/status/1234567890123456789",
        "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789&dnt=true",
    ),
    # a photo or video of a post, and the form without the account's name: the post's id is what counts
    "https://x.com/example_desk/status/1234567890123456789/photo/1": (
        "twitter",
        "https://x.com/example_desk/status/1234567890123456789",
        "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789&dnt=true",
    ),
    "https://twitter.com/example_desk/status/1234567890/video/1": (
        "twitter",
        "https://twitter.com/example_desk/status/1234567890",
        "https://platform.twitter.com/embed/Tweet.html?id=1234567890&dnt=true",
    ),
    "https://twitter.com/i/web/status/1234567890123456789": (
        "twitter",
        "https://twitter.com/i/web/status/1234567890123456789",
        "https://platform.twitter.com/embed/Tweet.html?id=1234567890123456789&dnt=true",
    ),
    "https://twitter.com/example_desk/status/1234567890?s=20": (
        "twitter",
        "https://twitter.com/example_desk/status/1234567890",
        "https://platform.twitter.com/embed/Tweet.html?id=1234567890&dnt=true",
    ),
    "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/3kexampleabcd": (
        "bluesky",
        "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx/post/3kexampleabcd",
        "https://embed.bsky.app/embed/did:plc:abcdefghijklmnopqrstuvwx/app.bsky.feed.post/3kexampleabcd",
    ),
    "https://www.instagram.com/p/Cexample12/?igsh=abc": (
        "instagram",
        "https://www.instagram.com/p/Cexample12/",
        "https://www.instagram.com/p/Cexample12/embed/",
    ),
    "https://www.instagram.com/reel/Cexample12/": (
        "instagram",
        "https://www.instagram.com/reel/Cexample12/",
        "https://www.instagram.com/reel/Cexample12/embed/",
    ),
    # the reels viewer's address, and an IGTV video's (a post now, with the post's player)
    "https://www.instagram.com/reels/Cexample12/": (
        "instagram",
        "https://www.instagram.com/reel/Cexample12/",
        "https://www.instagram.com/reel/Cexample12/embed/",
    ),
    "https://www.instagram.com/tv/Cexample12/?igsh=abc": (
        "instagram",
        "https://www.instagram.com/tv/Cexample12/",
        "https://www.instagram.com/p/Cexample12/embed/",
    ),
    "https://www.tiktok.com/@example.desk/video/7000000000000000001": (
        "tiktok",
        "https://www.tiktok.com/@example.desk/video/7000000000000000001",
        "https://www.tiktok.com/embed/v2/7000000000000000001",
    ),
    "https://datawrapper.dwcdn.net/EXMPL/3/": (
        "datawrapper",
        "https://datawrapper.dwcdn.net/EXMPL/3/",
        "https://datawrapper.dwcdn.net/EXMPL/3/",
    ),
    "https://www.datawrapper.de/_/EXMPL/": (
        "datawrapper",
        "https://www.datawrapper.de/_/EXMPL/",
        "https://datawrapper.dwcdn.net/EXMPL/",
    ),
    "https://public.flourish.studio/visualisation/1234567/": (
        "flourish",
        "https://public.flourish.studio/visualisation/1234567/",
        "https://flo.uri.sh/visualisation/1234567/embed",
    ),
    "https://public.flourish.studio/story/98765/": (
        "flourish",
        "https://public.flourish.studio/story/98765/",
        "https://flo.uri.sh/story/98765/embed",
    ),
    # older DocumentCloud addresses keep the title's capitals and end in .html
    "https://www.documentcloud.org/documents/3031639-07-Introduction-to-BADDECISION-Redacted.html": (
        "documentcloud",
        "https://www.documentcloud.org/documents/3031639-07-Introduction-to-BADDECISION-Redacted/",
        "https://embed.documentcloud.org/documents/3031639-07-Introduction-to-BADDECISION-Redacted/"
        "?embed=1&responsive=1",
    ),
    "https://www.documentcloud.org/documents/20000001-example-council-report": (
        "documentcloud",
        "https://www.documentcloud.org/documents/20000001-example-council-report/",
        "https://embed.documentcloud.org/documents/20000001-example-council-report/?embed=1&responsive=1",
    ),
    "https://soundcloud.com/example-radio/harbour-hour-1": (
        "soundcloud",
        "https://soundcloud.com/example-radio/harbour-hour-1",
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fexample-radio%2Fharbour-hour-1"
        "&visual=false",
    ),
    "https://soundcloud.com/example-radio/sets/season-one": (
        "soundcloud",
        "https://soundcloud.com/example-radio/sets/season-one",
        "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fexample-radio%2Fsets%2Fseason-one"
        "&visual=false",
    ),
    "https://open.spotify.com/episode/0123456789abcdefABCDEF?si=xyz": (
        "spotify",
        "https://open.spotify.com/episode/0123456789abcdefABCDEF",
        "https://open.spotify.com/embed/episode/0123456789abcdefABCDEF",
    ),
    "https://open.spotify.com/intl-de/album/0123456789abcdefABCDEF": (
        "spotify",
        "https://open.spotify.com/album/0123456789abcdefABCDEF",
        "https://open.spotify.com/embed/album/0123456789abcdefABCDEF",
    ),
    "https://podcasts.apple.com/gb/podcast/the-example-hour/id1000000001?i=1000600000001": (
        "apple_podcasts",
        "https://podcasts.apple.com/gb/podcast/the-example-hour/id1000000001?i=1000600000001",
        "https://embed.podcasts.apple.com/gb/podcast/the-example-hour/id1000000001?i=1000600000001",
    ),
}

REFUSED = [
    "http://www.youtube.com/watch?v=EXAMPLEvid1",  # not https
    "https://youtube.com.evil.example/watch?v=EXAMPLEvid1",  # lookalike hosts
    "https://evil-youtube.com/watch?v=EXAMPLEvid1",
    "https://www.youtube.com.evil.example/shorts/EXAMPLEvid1",
    "https://youtu.be.evil.example/EXAMPLEvid1",
    "https://www.youtube.com:8443/watch?v=EXAMPLEvid1",  # a port
    "https://user@www.youtube.com/watch?v=EXAMPLEvid1",  # a user
    "https://www.youtube.com./watch?v=EXAMPLEvid1",  # trailing dot
    "https://www.youtube.com/watch?v=EXAMPLEvid",  # 10 characters
    "https://www.youtube.com/watch?v=EXAMPLEvid1x",  # 12
    'https://www.youtube.com/watch?v=EXAMPLE"d1',  # a quote
    "https://www.youtube.com/watch?v=EXAMPLE%22d1",
    "https://www.youtube.com/watch?v=<script>aa",
    "https://www.youtube.com/channel/UCexample",  # not a video
    "https://www.youtube.com/playlist?list=PLexample",
    "https://youtu.be/EXAMPLEvid1/extra",
    "https://vimeo.com/channels/staffpicks",
    "https://vimeo.com/12345abc",
    "https://vimeo.com/channels/staffpicks/12345abc",
    "https://vimeo.com/groups/example-group/123456789",  # a group's video is under /videos/
    "https://vimeo.com/channels/staff/picks/123456789",
    "https://x.com/example_desk",  # a profile, not a post
    "https://x.com/example_desk/status/12ab",
    "https://x.com/example_desk/likes",
    "https://x.com/example_desk/status/1234567890/photo/x",
    "https://x.com/example_desk/status/1234567890/analytics",
    "https://x.com/i/web/status/12ab",
    "https://x.com/a/web/status/1234567890",
    "https://bsky.app/profile/example.bsky.social/post/3kexampleabcd",  # a handle: needs a network lookup
    "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx",
    "https://www.instagram.com/example_desk/",
    "https://www.instagram.com/reels/",
    "https://www.instagram.com/tv/C<x>ample12/",
    "https://www.tiktok.com/@example.desk",
    "https://datawrapper.dwcdn.net/EXAMPLE/1/",  # ids are five characters
    "https://datawrapper.dwcdn.net/EXMPL/1/plain.html",
    "https://public.flourish.studio/visualisation/abc/",
    "https://flourish.studio/visualisation/1234567/",
    "https://www.documentcloud.org/documents/example",
    "https://soundcloud.com/example-radio",
    "https://soundcloud.com/example-radio/tracks",
    "https://open.spotify.com/artist/0123456789abcdefABCDEF",
    "https://open.spotify.com/track/short",
    "https://podcasts.apple.com/gb/podcast/the-example-hour",
    "https://example.org/video.mp4",
    "javascript:alert(1)//https://youtu.be/EXAMPLEvid1",
    "https://www.youtube.com/watch?v=EXAMPLEvid1 onmouseover=alert(1)",
    "https://www.youtube.com/watch?v=EXAMPLEvid1\n",
    "https://ｙoutube.com/watch?v=EXAMPLEvid1",  # non-ASCII lookalike
    "",
]


@pytest.mark.parametrize("url", sorted(ACCEPTED))
def test_each_service_url_form_is_recognised_and_rebuilt_from_its_ids(url):
    embed = recognise(url)
    assert embed is not None, url
    assert (embed.provider, embed.url, embed.player) == ACCEPTED[url]


def test_every_service_has_an_accepted_example():
    assert {v[0] for v in ACCEPTED.values()} == set(EMBED_PROVIDERS)


@pytest.mark.parametrize("url", REFUSED)
def test_other_urls_are_no_embed(url):
    assert recognise(url) is None


def test_a_service_left_out_of_the_setting_is_no_embed():
    assert recognise("https://youtu.be/EXAMPLEvid1", enabled=("vimeo",)) is None
    assert recognise("https://vimeo.com/123456789", enabled=("vimeo",)) is not None


def md(text: str, embeds=EMBED_PROVIDERS, unsafe_html=False) -> str:
    return MarkdownRenderer(unsafe_html=unsafe_html, embeds=embeds).convert(text)


def test_a_url_alone_in_its_paragraph_becomes_an_embed_link():
    out = md("Before.\n\nhttps://youtu.be/EXAMPLEvid1\n\nAfter.")
    assert out == (
        "<p>Before.</p>\n"
        '<p class="embed-link"><a class="embed" data-embed="youtube" '
        'href="https://www.youtube.com/watch?v=EXAMPLEvid1">Video on YouTube</a></p>\n'
        "<p>After.</p>"
    )


def test_an_autolink_or_a_titled_link_alone_is_an_embed_too():
    assert ">Chart on Datawrapper</a>" in md("<https://datawrapper.dwcdn.net/EXMPL/1/>")
    out = md("[Turnout by ward <live>](https://datawrapper.dwcdn.net/EXMPL/1/)")
    assert 'data-embed="datawrapper"' in out
    assert ">Turnout by ward &lt;live&gt;</a>" in out


@pytest.mark.parametrize(
    "text",
    [
        "Watch https://youtu.be/EXAMPLEvid1 now.",  # inside a sentence
        "See [the video](https://youtu.be/EXAMPLEvid1) first.",
        "    https://youtu.be/EXAMPLEvid1",  # code block
        "```\nhttps://youtu.be/EXAMPLEvid1\n```",
        "`https://youtu.be/EXAMPLEvid1`",
        "- https://youtu.be/EXAMPLEvid1",  # in a list
        "> https://youtu.be/EXAMPLEvid1",  # in a quote
        "https://youtu.be/EXAMPLEvid1\nhttps://example.org/a-story/",  # a line that is no embed
        "Watch this:\nhttps://youtu.be/EXAMPLEvid1",  # text before it in the paragraph
        "https://youtube.com.evil.example/watch?v=EXAMPLEvid1",
        "http://youtu.be/EXAMPLEvid1",
        "https://example.org/a-story/",
    ],
)
def test_other_paragraphs_are_left_as_they_were(text):
    assert md(text) == md(text, embeds=())
    assert "embed" not in md(text)


def test_a_paragraph_of_embeddable_urls_one_a_line_becomes_one_embed_each():
    out = md("https://youtu.be/EXAMPLEvid1\nhttps://vimeo.com/123456789\n\nAfter.")
    assert out.count('<p class="embed-link">') == 2
    assert out.index('data-embed="youtube"') < out.index('data-embed="vimeo"') < out.index("<p>After.</p>")


@pytest.mark.parametrize(
    "text",
    [
        "https://youtu.be/EXAMPLEvid1  \nhttps://vimeo.com/123456789",  # two spaces: a line break
        "<https://youtu.be/EXAMPLEvid1>\n<https://vimeo.com/123456789>",
        "[The crossing](https://youtu.be/EXAMPLEvid1)  \n<https://vimeo.com/123456789>",
    ],
)
def test_embeddable_urls_one_a_line_embed_each_whatever_ends_the_lines(text):
    out = md(text)
    assert out.count('<p class="embed-link">') == 2, out
    assert out.index('data-embed="youtube"') < out.index('data-embed="vimeo"')
    assert "<br" not in out
    assert "<p>" not in out


@pytest.mark.parametrize(
    "text",
    [
        "https://youtu.be/EXAMPLEvid1  \nThe ferry's first crossing.",  # a line of text
        "The ferry's first crossing:  \nhttps://youtu.be/EXAMPLEvid1",
        "https://youtu.be/EXAMPLEvid1  \nhttps://example.org/a-story/",
        "<https://youtu.be/EXAMPLEvid1> <https://vimeo.com/123456789>",  # two on one line
        "<https://youtu.be/EXAMPLEvid1> and\n<https://vimeo.com/123456789>",
        "*<https://youtu.be/EXAMPLEvid1>*  \n<https://vimeo.com/123456789>",
    ],
)
def test_a_paragraph_with_anything_but_embeddable_links_on_its_lines_is_no_embed(text):
    assert md(text) == md(text, embeds=())
    assert "embed" not in md(text)


def test_raw_html_line_breaks_and_links_stay_as_they_were_with_or_without_unsafe_html():
    text = (
        '<a href="https://youtu.be/EXAMPLEvid1">x</a><br>\n'
        '<a href="https://vimeo.com/123456789" onclick="alert(1)">y</a><br>\n'
        '<iframe src="https://vimeo.com/123456789"></iframe>'
    )
    for unsafe in (False, True):
        out = md(text, unsafe_html=unsafe)
        assert out == md(text, embeds=(), unsafe_html=unsafe)
        assert "embed-link" not in out
        assert with_embeds(out, EMBED_PROVIDERS) == out


def test_embeds_off_leaves_the_url_as_written():
    assert md("https://youtu.be/EXAMPLEvid1", embeds=()) == "<p>https://youtu.be/EXAMPLEvid1</p>"


def test_raw_html_in_the_shape_of_an_embed_link_stays_text_without_unsafe_html():
    raw = '<p class="embed-link"><a class="embed" href="https://youtu.be/EXAMPLEvid1" data-embed="youtube">x</a></p>'
    out = md(raw)
    assert '<p class="embed-link">' not in out
    assert with_embeds(out, EMBED_PROVIDERS) == out  # the page makes no facade of it either


def test_a_story_that_opens_with_an_embed_takes_its_summary_from_the_first_text_paragraph():
    out = md("https://youtu.be/EXAMPLEvid1\n\nThe ferry crossed in eleven minutes.")
    assert first_paragraph_text(out) == "The ferry crossed in eleven minutes."
