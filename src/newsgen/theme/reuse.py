"""Theme fragments made once a build and reused on every page that shows them.

A story appears as a card on its section, each of its tags, each author, its
archives, the front page and its neighbours' More Stories: a dozen pages or
more, each rendering ``partials/story_card.html`` again to the same text but
for its links, which are relative to the page (``../../2025/03/01/vote/``).
Every page's header and footer are the same text in the same way.

A fragment is rendered once with a *marking* page (:class:`LinkMarks`): the
``link`` filter writes a mark in place of each link and remembers its site path
(see :func:`newsgen.theme.render.link_on`). Each page then joins the
fragment's text with its own links, escaped as the template would have escaped
them, so the bytes are those of the include.

- :class:`StoryCards` is the ``card_once`` global: one card per story and set of
  switches (``heading_level``, ``with_kicker``, ``with_image``, ``with_summary``).
- :class:`Fragments` is the ``fragment_once`` global: ``partials/header.html``,
  ``partials/footer.html`` and the empty ``partials/breaking.html`` slot (``{% if NAME in fragment_once %}{{ fragment_once(NAME) }}``), once for the pages they mark as current
  (``aria-current``: the front page, the sections, the menus' pages) and once for
  every other page.

Each is used only while the site's ``templates/`` overrides none of the files it
draws (an override may read anything of the page, so it is included as written):
``card_once`` is None then, and ``fragment_once`` leaves the name out; the theme
includes the partial as before. A
fragment whose text holds the mark character itself (a control character in a
headline) is rendered each time with the page. What a fragment reads that the
incremental build records (:mod:`newsgen.core.recording`) is recorded again on
every page that reuses it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import jinja2
from markupsafe import Markup

from newsgen.core.recording import Dependency, DependencyRecorder, record_dependency
from newsgen.theme.environment import escape_text

#: The templates a card is drawn with: a site override of either turns card reuse off.
CARD_TEMPLATES = ("partials/story_card.html", "partials/picture.html")
#: Each reusable fragment with the templates it draws.
FRAGMENT_TEMPLATES = {
    "partials/header.html": ("partials/header.html", "partials/nav.html", "partials/header_menu.html"),
    "partials/footer.html": ("partials/footer.html", "partials/footer_menu.html"),
    "partials/breaking.html": ("partials/breaking.html",),  # its empty slot: every page but the front
}
#: At most this many cards are kept (about 1 KB each); when full, the one used longest ago goes. The
#: render takes pages in order of the stories they show (:mod:`newsgen.incremental.render`), so a
#: story's cards are reused while its neighbours' pages render.
MAX_CARDS = 20_000

_MARK = "\x00"
#: page -> (site path -> what ``site path | link`` gives on that page): asked once a join.
Linker = Callable[[Any], Callable[[str], str]]


def overridden(site_templates: Path | None, names: Iterable[str]) -> bool:
    """Whether the site's own templates folder holds any of ``names``."""
    return site_templates is not None and any((site_templates / n).exists() for n in names)


class LinkMarks:
    """What ``page`` is while a fragment is made: the ``link`` filter asks it for a mark."""

    root_links = False

    def __init__(self, url: str | None = None) -> None:
        self.url = url  # compared by the theme's menus (aria-current) only
        self.targets: list[str] = []

    def mark(self, target: str) -> str:
        self.targets.append(target)
        return f"{_MARK}{len(self.targets) - 1}{_MARK}"


@dataclass(frozen=True)
class _Marked:
    held: Any  # what the key's id() names, held so no other object takes that id while kept
    parts: tuple[str, ...] | None  # text, site path, text, ..., text; None: render each time
    dependencies: frozenset[Dependency]


def _split(text: str, targets: list[str]) -> tuple[str, ...] | None:
    parts = text.split(_MARK)
    if len(parts) != 2 * len(targets) + 1:
        return None
    for i, target in enumerate(targets):
        if parts[2 * i + 1] != str(i):
            return None
        parts[2 * i + 1] = target
    return tuple(parts)


def _marked(held: Any, render: Callable[[Any], str], marks: LinkMarks) -> _Marked:
    with DependencyRecorder() as recorder:
        text = render(marks)
    return _Marked(held, _split(text, marks.targets), frozenset(recorder.dependencies))


class Scope(Protocol):
    """Which pages share the links of a set of targets (:class:`newsgen.theme.render.LinkScope`)."""

    def folders(self, targets: Iterable[str]) -> frozenset[str] | None: ...

    def of(self, page: Any, folders: frozenset[str]) -> Hashable | None: ...


def _joined(marked: _Marked, page: Any, link: Linker) -> str:
    for dependency in marked.dependencies:
        record_dependency(dependency)
    return _join(marked, page, link)


def _join(marked: _Marked, page: Any, link: Linker) -> str:
    parts = marked.parts
    assert parts is not None
    on_page = link(page)
    out = list(parts)  # text, link, text, ..., text: each site path replaced by its link on the page
    out[1::2] = [escape_text(on_page(target)) for target in parts[1::2]]
    return "".join(out)


@dataclass(init=False, eq=False)
class StoryCards:
    """``card_once(story, heading_level, with_kicker, with_image, with_summary)``: the card's
    markup for the page being rendered.

    Its one field is what the incremental build digests of it, as of every template global:
    the templates it draws (their text is in the templates key); the environment, the link
    function and the memory are no fields."""

    drawn: tuple[str, ...]

    def __init__(self, env: jinja2.Environment, link: Linker):
        self.drawn = CARD_TEMPLATES
        self.env, self.link = env, link
        self._marks = LinkMarks()  # one for every card made, so the picture macro is made once
        self._template: jinja2.Template | None = None
        self._picture: Any = None
        self._cards: OrderedDict[tuple[int, Any, bool, bool, bool], _Marked] = OrderedDict()

    @jinja2.pass_context
    def __call__(
        self,
        ctx: jinja2.runtime.Context,
        story: Any,
        heading_level: Any = 2,
        with_kicker: Any = True,
        with_image: Any = True,
        with_summary: Any = True,
    ) -> Markup:
        key = (id(story), heading_level, bool(with_kicker), bool(with_image), bool(with_summary))
        card = self._cards.get(key)
        if card is not None and card.held is story:
            self._cards.move_to_end(key)
        else:
            self._marks.targets = []
            card = _marked(story, lambda page: self._render(key, story, page), self._marks)
            self._cards[key] = card
            if len(self._cards) > MAX_CARDS:
                self._cards.popitem(last=False)
        page = ctx.get("page")
        if card.parts is None:
            return Markup(self._render(key, story, page))
        return Markup(_joined(card, page, self.link))

    def _render(self, key: tuple[int, Any, bool, bool, bool], story: Any, page: Any) -> str:
        _, level, kicker, image, summary = key
        if self._template is None:
            self._template = self.env.get_template(CARD_TEMPLATES[0])
        context = {
            "story": story,
            "heading_level": level,
            "with_kicker": kicker,
            "with_image": image,
            "with_summary": summary,
            "page": page,
        }
        if page is self._marks:  # the card imports the macro with its page unless given it
            if self._picture is None:
                module: Any = self.env.get_template(CARD_TEMPLATES[1]).make_module({"page": page})
                self._picture = module.picture
            context["picture"] = self._picture
        return self._template.render(context)


@dataclass(init=False, eq=False)
class Fragments:
    """``fragment_once(name)``: the header or footer (a key of :data:`FRAGMENT_TEMPLATES`) for
    the page being rendered. ``current`` is every site path the fragment may mark as the
    current page; any other page's fragment is made once for all of them. Its fields are what
    the incremental build digests of it (as of :class:`StoryCards`).

    With a ``scope``, the fragment joined with its links is also kept for each set of pages
    that ``scope`` says have the same links (the pages of one folder, say): most pages then
    take their header and footer whole, without a link made."""

    names: tuple[str, ...]
    current: tuple[str, ...]

    def __init__(
        self,
        env: jinja2.Environment,
        link: Linker,
        names: Iterable[str],
        current: Iterable[str],
        scope: Scope | None = None,
    ):
        self.env, self.link, self._scope = env, link, scope
        self.names = tuple(sorted(names))
        self.current = tuple(sorted(current))
        self._current = frozenset(self.current)
        self._made: dict[tuple[str, str | None], _Marked] = {}
        self._folders: dict[tuple[str, str | None], frozenset[str] | None] = {}
        self._joins: dict[tuple[tuple[str, str | None], Hashable], str] = {}

    def __contains__(self, name: object) -> bool:
        return name in self.names

    @jinja2.pass_context
    def __call__(self, ctx: jinja2.runtime.Context, name: str) -> Markup:
        page = ctx.get("page")
        if name not in self.names:
            raise jinja2.TemplateRuntimeError(f"fragment_once: {name} is not made once (a site override)")
        url = getattr(page, "url", None)
        key = (name, url if url in self._current else None)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = _marked(name, lambda marks: self._render(name, marks), LinkMarks(key[1]))
            if self._scope is not None and made.parts is not None:
                self._folders[key] = self._scope.folders(made.parts[1::2])
        if made.parts is None:
            return Markup(self._render(name, page))
        folders = self._folders.get(key)
        scope = self._scope.of(page, folders) if self._scope is not None and folders is not None else None
        if scope is None:
            return Markup(_joined(made, page, self.link))
        for dependency in made.dependencies:
            record_dependency(dependency)
        text = self._joins.get((key, scope))
        if text is None:
            if len(self._joins) >= MAX_CARDS:
                self._joins.clear()
            text = self._joins[(key, scope)] = _join(made, page, self.link)
        return Markup(text)

    def _render(self, name: str, page: Any) -> str:
        return self.env.get_template(name).render(page=page)
