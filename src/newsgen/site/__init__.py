"""The site: every published story at the build's "now", grouped and related.

- ``assemble``: ``build_site`` makes the :class:`~newsgen.model.Site`: what is public
  now, sections, tags, authors, date archives, corrections, name merging, URL
  collisions and links between stories.
- ``wire``: agency updates (one story per identity, newest version wins) and kills.
- ``wirepics``: agency pictures that are neither at a web address nor a file of ``static/``, left out.
- ``live``: live coverage at "now": the updates already public, live or ended, scheduled updates.
- ``archives``: the date archives (years and months) and the corrections list.
- ``related``: More Stories, the ranking and its index.
- ``breaking``: the breaking-news banners showing now, and when each ends.
- ``feedlinks``: which feeds each page announces.
- ``assets``: a story folder's own files (Hugo's page bundles), placed beside its page.
"""

from typing import TYPE_CHECKING

from newsgen.core.lazy import lazy_exports

if TYPE_CHECKING:
    from newsgen.site.assemble import build_site
    from newsgen.site.related import RelatedIndex, rank_related

__all__ = ["RelatedIndex", "build_site", "rank_related"]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "build_site": "newsgen.site.assemble",
        "RelatedIndex": "newsgen.site.related",
        "rank_related": "newsgen.site.related",
    },
)
