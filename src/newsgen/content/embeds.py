"""Embeds: a link to a video, post, chart, document or audio alone in its paragraph.

A paragraph that holds nothing but one URL (written bare, as ``<https://...>``
or as ``[title](https://...)``) of a known service becomes an *embed*. Nothing
is fetched at build time (no oEmbed): everything comes from the URL itself.

Recognition is strict, so a reader-supplied URL never reaches the page as it
was written: ``https`` only, the host one of the service's exact names (no
port, no user, so ``youtube.com.evil.example`` is just a link), and the ids
taken by patterns that allow only the characters the service uses. The link
to the original and the player's address are both built from those ids.

The body HTML keeps the embed as a plain link, which is what feeds, search
data and a page without JavaScript show::

    <p class="embed-link"><a class="embed" href="https://www.youtube.com/watch?v=ID"
    data-embed="youtube">Video on YouTube</a></p>

An article page turns it into a click-to-load facade (:mod:`newsgen.theme.embeds`),
which finds it again with :func:`recognise` (so even hand-written HTML in that
shape embeds only what the rules allow).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Collection
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlsplit

from markdown import Markdown
from markdown.treeprocessors import Treeprocessor

from newsgen.config.settings import EMBED_PROVIDERS


@dataclass(frozen=True)
class Embed:
    """One recognised embed: everything the page, the feed and the player need."""

    provider: str  # the key: "youtube", "datawrapper", ...
    name: str  # the service as readers know it: "YouTube"
    kind: str  # video, post, chart, document or audio: the player's shape
    url: str  # the original, rebuilt from the ids
    player: str  # the iframe's src, built from the ids

    @property
    def label(self) -> str:
        """The generic title: "Video on YouTube", "Chart on Datawrapper"."""
        return f"{_KIND_WORD[self.kind]} on {self.name}"


_KIND_WORD = {"video": "Video", "post": "Post", "chart": "Chart", "document": "Document", "audio": "Audio"}
_NAMES = {
    "youtube": ("YouTube", "video"),
    "vimeo": ("Vimeo", "video"),
    "twitter": ("X (Twitter)", "post"),
    "bluesky": ("Bluesky", "post"),
    "instagram": ("Instagram", "post"),
    "tiktok": ("TikTok", "video"),
    "datawrapper": ("Datawrapper", "chart"),
    "flourish": ("Flourish", "chart"),
    "documentcloud": ("DocumentCloud", "document"),
    "soundcloud": ("SoundCloud", "audio"),
    "spotify": ("Spotify", "audio"),
    "apple_podcasts": ("Apple Podcasts", "audio"),
}
assert tuple(_NAMES) == EMBED_PROVIDERS

Query = dict[str, str]
Matcher = Callable[[str, Query], tuple[str, str] | None]  # path, query -> (original, player)


def _embed(provider: str, found: tuple[str, str]) -> Embed:
    name, kind = _NAMES[provider]
    return Embed(provider, name, kind, found[0], found[1])


# --------------------------------------------------------------------------- the services

_YT_ID = r"[A-Za-z0-9_-]{11}"
_YT_PATH = re.compile(rf"/(shorts|live|embed)/({_YT_ID})/?")
#: ``t=90``, ``t=90s`` or YouTube's own ``t=1m30s`` / ``t=1h2m3s`` (what "Copy video URL at current time" gave)
_YT_START = re.compile(r"(\d{1,6})s?|(?:(\d{1,2})h)?(?:(\d{1,3})m)?(?:(\d{1,2})s)?")


def _yt_start(value: str) -> int | None:
    """The start time in seconds of a ``t`` or ``start`` value, or None."""
    m = _YT_START.fullmatch(value)
    if m is None or not value:
        return None
    if m[1] is not None:
        return int(m[1])
    return int(m[2] or 0) * 3600 + int(m[3] or 0) * 60 + int(m[4] or 0)


def _yt(vid: str, q: Query, shorts: bool = False) -> tuple[str, str]:
    """The video's page and its privacy-enhanced player, both starting at ``t`` when it is given."""
    start = _yt_start(q.get("t", "") or q.get("start", ""))
    page = f"https://www.youtube.com/shorts/{vid}" if shorts else f"https://www.youtube.com/watch?v={vid}"
    player = f"https://www.youtube-nocookie.com/embed/{vid}?autoplay=1"
    if start and not shorts:
        page, player = f"{page}&t={start}s", f"{player}&start={start}"
    return page, player


def _youtube(path: str, q: Query) -> tuple[str, str] | None:
    if path == "/watch":
        return _yt(q["v"], q) if re.fullmatch(_YT_ID, q.get("v", "")) else None
    m = _YT_PATH.fullmatch(path)
    return _yt(m[2], q, shorts=m[1] == "shorts") if m else None


def _youtu_be(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(rf"/({_YT_ID})", path)
    return _yt(m[1], q) if m else None


_VIMEO_HASH = re.compile(r"[0-9a-f]{6,20}")


def _vimeo_player(vid: str, secret: str | None) -> str:
    return f"https://player.vimeo.com/video/{vid}?dnt=1&autoplay=1" + (f"&h={secret}" if secret else "")


#: a video seen in a channel or a group (``/channels/staffpicks/ID``, ``/groups/NAME/videos/ID``): the id is the video's
_VIMEO_IN = re.compile(r"/(?:channels/[A-Za-z0-9_-]{1,100}|groups/[A-Za-z0-9_-]{1,100}/videos)/(\d{1,12})/?")


def _vimeo(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(r"/(\d{1,12})(?:/([0-9a-f]{6,20}))?/?", path)
    if m is None:
        m = _VIMEO_IN.fullmatch(path)
        return (f"https://vimeo.com/{m[1]}", _vimeo_player(m[1], None)) if m else None
    return f"https://vimeo.com/{m[1]}" + (f"/{m[2]}" if m[2] else ""), _vimeo_player(m[1], m[2])


def _vimeo_player_url(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(r"/video/(\d{1,12})/?", path)
    if m is None:
        return None
    secret = q.get("h") if _VIMEO_HASH.fullmatch(q.get("h", "")) else None
    return f"https://vimeo.com/{m[1]}" + (f"/{secret}" if secret else ""), _vimeo_player(m[1], secret)


_TWEET = re.compile(r"/(?:([A-Za-z0-9_]{1,15})|i/web)/status(?:es)?/(\d{1,20})(?:/(?:photo|video)/[1-4])?/?")


def _twitter_on(host: str) -> Matcher:
    def match(path: str, q: Query) -> tuple[str, str] | None:
        # ``/USER/status/ID`` (``/photo/1`` or ``/video/1`` after it: a picture of the same post),
        # or ``/i/web/status/ID`` (the form without the account's name)
        m = _TWEET.fullmatch(path)
        if m is None:
            return None
        user = m[1] or "i/web"
        return (
            f"https://{host}/{user}/status/{m[2]}",
            f"https://platform.twitter.com/embed/Tweet.html?id={m[2]}&dnt=true",
        )

    return match


#: Bluesky's embed page needs the account's DID: a handle would need a lookup over the network.
_BSKY = re.compile(r"/profile/(did:plc:[a-z2-7]{24}|did:web:[a-z0-9.-]{1,200})/post/([a-z2-7]{13})/?")


def _bluesky(path: str, q: Query) -> tuple[str, str] | None:
    m = _BSKY.fullmatch(path)
    if m is None:
        return None
    return (
        f"https://bsky.app/profile/{m[1]}/post/{m[2]}",
        f"https://embed.bsky.app/embed/{m[1]}/app.bsky.feed.post/{m[2]}",
    )


def _instagram(path: str, q: Query) -> tuple[str, str] | None:
    # one shortcode names the post whatever the prefix: ``/reels/CODE/`` is the address of a reel in the
    # reels viewer (its page is ``/reel/CODE/``), ``/tv/CODE/`` an IGTV video's (now a post like any
    # other, so its player is the post's, ``/p/CODE/embed/``)
    m = re.fullmatch(r"/(?:[A-Za-z0-9_.]{1,30}/)?(p|reels?|tv)/([A-Za-z0-9_-]{5,40})/?", path)
    if m is None:
        return None
    kind = {"reels": "reel", "tv": "p"}.get(m[1], m[1])
    page = f"https://www.instagram.com/{'tv' if m[1] == 'tv' else kind}/{m[2]}/"
    return page, f"https://www.instagram.com/{kind}/{m[2]}/embed/"


def _tiktok(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(r"/@([A-Za-z0-9_.]{1,24})/video/(\d{1,20})/?", path)
    if m is None:
        return None
    return f"https://www.tiktok.com/@{m[1]}/video/{m[2]}", f"https://www.tiktok.com/embed/v2/{m[2]}"


def _datawrapper(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(r"/([A-Za-z0-9]{5})(?:/(\d{1,4}))?/?", path)
    if m is None:
        return None
    chart = f"https://datawrapper.dwcdn.net/{m[1]}/" + (f"{m[2]}/" if m[2] else "")
    return chart, chart


def _datawrapper_share(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(r"/_/([A-Za-z0-9]{5})/?", path)
    if m is None:
        return None
    return f"https://www.datawrapper.de/_/{m[1]}/", f"https://datawrapper.dwcdn.net/{m[1]}/"


def _flourish(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(r"/(visualisation|story)/(\d{1,12})/?", path)
    if m is None:
        return None
    return f"https://public.flourish.studio/{m[1]}/{m[2]}/", f"https://flo.uri.sh/{m[1]}/{m[2]}/embed"


def _documentcloud(path: str, q: Query) -> tuple[str, str] | None:
    # the slug is the title's words as written in older URLs (``/documents/3031639-07-Introduction.html``)
    m = re.fullmatch(r"/documents/(\d{1,12})(-[A-Za-z0-9-]{1,200})?(?:\.html)?/?", path)
    if m is None:
        return None
    doc = m[1] + (m[2] or "")
    return (
        f"https://www.documentcloud.org/documents/{doc}/",
        f"https://embed.documentcloud.org/documents/{doc}/?embed=1&responsive=1",
    )


def _soundcloud(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(r"/([a-z0-9_-]{1,100})/((?:sets/)?[a-z0-9_-]{1,200})/?", path)
    if m is None or m[2] in ("tracks", "sets", "albums", "likes", "reposts", "followers", "following"):
        return None
    original = f"https://soundcloud.com/{m[1]}/{m[2]}"
    return original, "https://w.soundcloud.com/player/?url=" + quote(original, safe="") + "&visual=false"


def _spotify(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(
        r"(?:/intl-[a-z]{2}(?:-[A-Za-z]{2})?)?/(track|episode|show|playlist|album)/([A-Za-z0-9]{22})/?", path
    )
    if m is None:
        return None
    return f"https://open.spotify.com/{m[1]}/{m[2]}", f"https://open.spotify.com/embed/{m[1]}/{m[2]}"


def _apple_podcasts(path: str, q: Query) -> tuple[str, str] | None:
    m = re.fullmatch(r"/([a-z]{2})/podcast/([A-Za-z0-9%_-]{1,200}/)?id(\d{1,12})/?", path)
    if m is None:
        return None
    episode = q.get("i", "")
    tail = f"podcast/{m[2] or ''}id{m[3]}" + (f"?i={episode}" if re.fullmatch(r"\d{1,15}", episode) else "")
    return f"https://podcasts.apple.com/{m[1]}/{tail}", f"https://embed.podcasts.apple.com/{m[1]}/{tail}"


_YOUTUBE: list[tuple[str, Matcher]] = [("youtube", _youtube)]
_VIMEO: list[tuple[str, Matcher]] = [("vimeo", _vimeo)]
_X: list[tuple[str, Matcher]] = [("twitter", _twitter_on("x.com"))]
_TWITTER: list[tuple[str, Matcher]] = [("twitter", _twitter_on("twitter.com"))]
_INSTAGRAM: list[tuple[str, Matcher]] = [("instagram", _instagram)]
_TIKTOK: list[tuple[str, Matcher]] = [("tiktok", _tiktok)]
_DATAWRAPPER: list[tuple[str, Matcher]] = [("datawrapper", _datawrapper_share)]
_DOCUMENTCLOUD: list[tuple[str, Matcher]] = [("documentcloud", _documentcloud)]
_SOUNDCLOUD: list[tuple[str, Matcher]] = [("soundcloud", _soundcloud)]

#: Exact host names (lower case, no port) and what each can hold.
_HOSTS: dict[str, list[tuple[str, Matcher]]] = {
    "youtube.com": _YOUTUBE,
    "www.youtube.com": _YOUTUBE,
    "m.youtube.com": _YOUTUBE,
    "youtu.be": [("youtube", _youtu_be)],
    "vimeo.com": _VIMEO,
    "www.vimeo.com": _VIMEO,
    "player.vimeo.com": [("vimeo", _vimeo_player_url)],
    "x.com": _X,
    "www.x.com": _X,
    "mobile.x.com": _X,
    "twitter.com": _TWITTER,
    "www.twitter.com": _TWITTER,
    "mobile.twitter.com": _TWITTER,
    "bsky.app": [("bluesky", _bluesky)],
    "instagram.com": _INSTAGRAM,
    "www.instagram.com": _INSTAGRAM,
    "tiktok.com": _TIKTOK,
    "www.tiktok.com": _TIKTOK,
    "datawrapper.dwcdn.net": [("datawrapper", _datawrapper)],
    "datawrapper.de": _DATAWRAPPER,
    "www.datawrapper.de": _DATAWRAPPER,
    "public.flourish.studio": [("flourish", _flourish)],
    "documentcloud.org": _DOCUMENTCLOUD,
    "www.documentcloud.org": _DOCUMENTCLOUD,
    "embed.documentcloud.org": _DOCUMENTCLOUD,
    "soundcloud.com": _SOUNDCLOUD,
    "www.soundcloud.com": _SOUNDCLOUD,
    "m.soundcloud.com": _SOUNDCLOUD,
    "open.spotify.com": [("spotify", _spotify)],
    "podcasts.apple.com": [("apple_podcasts", _apple_podcasts)],
}

#: Anything outside these characters (spaces, quotes, angle brackets, backslashes, non-ASCII) is no embed.
_URL_CHARS = re.compile(r"https://[A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]{1,2000}")


def recognise(url: str, enabled: Collection[str] | None = None) -> Embed | None:
    """The embed ``url`` names, or None for any other URL (or a service not ``enabled``)."""
    if _URL_CHARS.fullmatch(url) is None:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    host = parts.hostname or ""
    if port is not None or parts.netloc.lower() != host:  # user:password@, :443
        return None
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for provider, match in _HOSTS.get(host, ()):
        if enabled is not None and provider not in enabled:
            continue
        found = match(parts.path, query)
        if found is not None:
            return _embed(provider, found)
    return None


# --------------------------------------------------------------------------- Markdown


class EmbedParagraphs(Treeprocessor):
    """Top-level paragraphs that are one embeddable URL (or several, one a line) become embed links.

    Runs after the inline patterns, so it sees finished paragraphs: a URL in
    a code block, in a list, in a quote or inside a sentence is left alone.
    """

    def __init__(self, md: Markdown, enabled: Collection[str] | None):
        super().__init__(md)
        self.enabled = enabled

    def run(self, root: etree.Element) -> None:
        for i, p in reversed(list(enumerate(root))):
            if p.tag != "p" or p.attrib:
                continue
            found = self._embeds_of(p)
            if not found:
                continue
            root.remove(p)
            for j, (embed, title) in enumerate(found):
                new = etree.Element("p", {"class": "embed-link"})
                a = etree.SubElement(
                    new, "a", {"class": "embed", "href": embed.url, "data-embed": embed.provider}
                )
                a.text = title or embed.label
                new.tail = "\n"
                root.insert(i + j, new)

    def _embeds_of(self, p: etree.Element) -> list[tuple[Embed, str | None]]:
        """The embeds of a paragraph that is nothing but embeddable links, one a line; else none.

        A line ends at a newline or at a Markdown line break (a line ending in two spaces, an
        ``<br>`` of the paragraph's own), and holds one bare URL, one ``<URL>`` or one ``[title](URL)``.
        """
        head = (p.text or "").lstrip().split("\n", 1)[0]
        if head and "//" not in head:
            return []  # its first line is text, not a URL: most paragraphs, found at once
        lines: list[list[str | etree.Element]] = [[]]

        def add_text(text: str) -> None:
            for k, piece in enumerate(text.split("\n")):
                if k:
                    lines.append([])
                if piece.strip():
                    lines[-1].append(piece.strip())

        add_text(p.text or "")
        for child in p:
            if child.tag == "br" and not child.attrib and not len(child) and not child.text:
                lines.append([])
            else:
                lines[-1].append(child)
            add_text(child.tail or "")
        found: list[tuple[Embed, str | None]] = []
        for line in lines:
            if not line:
                continue  # the newline after a line break
            one = self._embed_of(line[0]) if len(line) == 1 else None
            if one is None:
                return []
            found.append(one)
        return found

    def _embed_of(self, item: str | etree.Element) -> tuple[Embed, str | None] | None:
        """The embed of one line's bare URL or link (``<URL>`` or ``[title](URL)``), or None."""
        if isinstance(item, str):
            found = recognise(item, self.enabled)
            return (found, None) if found else None
        a = item
        if a.tag != "a" or len(a) or set(a.attrib) - {"href", "title"}:
            return None
        embed = recognise(a.get("href", ""), self.enabled)
        if embed is None:
            return None
        label = " ".join((a.text or "").split())
        # <https://...> shows the URL as its text: that is no title
        return embed, (label if label and label != a.get("href") and "\x02" not in label else None)
