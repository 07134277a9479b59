"""Content: from files in ``articles/`` and ``seeds/`` to immutable :class:`~newsgen.model.Article` values.

- ``sources``: finding the source files (``discover``), reading them, bounded and decoded, and
  loading each with every file's errors collected (``load_each``).
- ``confine``: symbolic links and folders kept inside the site.
- ``fmformats``: front matter as YAML, TOML (``+++``), JSON or Pelican's ``Title:`` header.
- ``genkeys``: the keys of Jekyll, Hugo, Zola, Eleventy and Pelican read as newsgen's.
- ``leftovers``: Liquid, Nunjucks and Hugo shortcodes left in bodies: converted or reported.
- ``frontmatter``: typed front matter values, each with its line and column.
- ``loader``: one file into one ``Article`` (``load_article``), or all of them (``load_all``).
- ``live``: live coverage: ``live``/``live_until`` and the update files of a live story's folder.
- ``wiretext``: plain-text agency copy (headline, paragraphs, the ``MORE STORIES`` marker).
- ``wiredoc``: agency wire documents into ``Article`` values; agency HTML sanitised (nh3).
- ``ninjs``: IPTC ninjs 1.x, 2.x and 3.x JSON news items.
- ``nitf``: IPTC NITF 3.x XML documents, parsed with defusedxml.
- ``markup``: Markdown and wire copy to safe HTML.
- ``embeds``: a URL of a known service alone in a paragraph into an embed link (strict ids, no network).
- ``access``: members-only stories: ``access:``, the ``<!--more-->`` line and the paywall element.
- ``mdguard``: refusing Markdown built to be slow.
- ``mdgates``: Python-Markdown's slowest searches skipped where they cannot match (same output).
- ``mdbrackets``: Python-Markdown 3.11.4's bracket scan of link text, per run between brackets (same result).
- ``authors``: ``authors.yaml``, the bylines' profiles.
- ``pages``: the site pages of ``pages/`` (About, Masthead) into ``SitePage`` values.
"""

from typing import TYPE_CHECKING

from newsgen.core.lazy import lazy_exports

if TYPE_CHECKING:
    from newsgen.content.authors import load_authors
    from newsgen.content.loader import load_all, load_article
    from newsgen.content.sources import Source, discover

__all__ = ["Source", "discover", "load_all", "load_article", "load_authors"]
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Source": "newsgen.content.sources",
        "discover": "newsgen.content.sources",
        "load_all": "newsgen.content.loader",
        "load_article": "newsgen.content.loader",
        "load_authors": "newsgen.content.authors",
    },
)
