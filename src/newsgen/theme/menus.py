"""What templates see as ``menus``: the site pages listed in the header and the
footer, and the publisher's trust links (``publisher.correctionsPolicy`` ...).

``menus.header`` and ``menus.footer`` hold :class:`MenuLink` items in a
stable order: ``menu_order`` (lower first), then title, then URL.
``menus.trust`` holds the trust links whose address no footer page has
already, in the order of :data:`newsgen.config.settings.TRUST_LABELS`, each
labelled by its page's title when it names a site page.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsgen.model import Site


@dataclass(frozen=True)
class MenuLink:
    """One menu entry: ``url`` is a site path, or an http(s) URL when ``external``."""

    title: str
    url: str
    external: bool = False


@dataclass(frozen=True)
class Menus:
    header: tuple[MenuLink, ...] = ()
    footer: tuple[MenuLink, ...] = ()
    trust: tuple[MenuLink, ...] = ()

    @classmethod
    def of(cls, site: Site) -> Menus:
        ordered = sorted(site.pages, key=lambda p: (p.menu_order, p.title.casefold(), p.url))
        menu = {
            name: tuple(MenuLink(p.title, p.url) for p in ordered if p.menu == name)
            for name in ("header", "footer")
        }
        shown = {link.url for link in menu["footer"]}
        titles = {p.url: p.title for p in site.pages}
        trust: list[MenuLink] = []
        for t in site.config.publisher.trust:
            if t.target in shown:
                continue
            shown.add(t.target)
            external = t.target.startswith(("http://", "https://"))
            trust.append(MenuLink(t.label if external else titles.get(t.target, t.label), t.target, external))
        return cls(header=menu["header"], footer=menu["footer"], trust=tuple(trust))
