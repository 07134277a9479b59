"""Outputs: every file the build will write, planned before anything is rendered.

- ``plan``: ``plan(site, renderer)``, the entry point (``from newsgen.outputs.plan import plan``):
  one :class:`~newsgen.model.OutputPage` per output file, with collision checks; article
  pages, 404, static files.
- ``lazycontext``: page contexts made when first read (an article page's: a rebuild that
  keeps the page never makes it).
- ``front``, ``listing``: the front page and every paginated list page.
- ``feeds``: Atom, RSS and JSON Feed; ``feedentries``: each story's entry in them, made once a
  build; ``sitemaps``: sitemaps, news sitemap, robots.txt.
- ``structured``: JSON-LD and the meta tags of pages.
- ``live``: a live story's updates on its page, its ``LiveBlogPosting`` and its Atom feed of updates.
- ``redirects``: redirect pages at old URLs (aliases, redirect_from, ``redirects``) and ``_redirects``.
- ``pictures``: photos in a story's body drawn as responsive ``<picture>``s.
- ``search``: Pagefind's index (``search: true``).
- ``sitepages``: the site pages of ``pages/`` and the check of the publisher's trust links.
- ``breaking``: ``breaking.json``, the breaking-news banners for the theme's script.
- ``status``: ``newsgen-status.json`` and the next scheduled change.

Nothing is imported with the package itself: its modules bring the theme (Jinja) with
them, and a module such as ``sitemaps`` is often wanted alone (see :mod:`newsgen.core.lazy`).
"""
