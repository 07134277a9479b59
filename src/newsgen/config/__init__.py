"""Site configuration: ``newsgen.yaml`` read into a typed, frozen :class:`Config`.

A site is a folder. ``newsgen.yaml`` in it is optional: with none, every
setting takes its default and ``newsgen build`` still works. Every problem in
the file is reported at once; an unknown key is a warning that suggests the
closest known key (``titel`` -> ``title``).

Settings (defaults in brackets)::

    title:        site name shown in the header and feeds      [News]
    description:  one line about the site                      [""]
    base_url:     absolute URL the site is served from         [http://localhost:8000/]
                  (build and check warn when it is not set)
    language:     BCP 47 language tag, e.g. en, en-GB, es-MX    [en]
    timezone:     IANA zone for dates written without offset   [UTC]
    per_page:     stories per front-page page                  [20]
    more_stories: links in each article's More Stories block   [5]
    permalink:    article URL pattern; {year} {month} {day}
                  {slug} {section}; ends in / or .html         [/{year}/{month}/{day}/{slug}/]
    default_date: date given to an article that has no date
                  in front matter or filename (wire copy)      [1970-01-01, with a warning]
    unsafe_html:  let raw HTML in Markdown through             [false]
    redirects:    old site path -> new site path or URL, each
                  answered by a redirect page (and a line of
                  _redirects for Netlify / Cloudflare Pages)   [{}]
    max_file_size: largest article file accepted, in bytes     [4000000]
    search:       build a search index with Pagefind and add a
                  /search/ page; needs the optional extra:
                  pip install 'newsgen[search]'. The only setting
                  that makes newsgen run another program.      [false]
    embeds:       a URL of these services alone in a paragraph
                  becomes a click-to-load embed: true (all),
                  false (none) or a list of youtube, vimeo,
                  twitter, bluesky, instagram, tiktok,
                  datawrapper, flourish, documentcloud,
                  soundcloud, spotify, apple_podcasts          [true]
    feeds:        syndication feeds, for the whole site at /feed.xml,
                  /rss.xml and /feed.json (and per section, tag and
                  author next to each list page)
      entries:    stories in each feed                         [20]
      formats:    which feeds to write: a list of atom
                  (feed.xml), rss (rss.xml), json (feed.json,
                  JSON Feed 1.1); [] writes none       [[atom, rss, json]]
      content:    full (the whole story) or summary            [full]
    publisher:    who publishes the site, for NewsArticle and
                  Organization structured data
      name:       organisation name                            [title]
      url:        its home page                                [base_url]
      logo:       logo image, a site path (/images/logo.png)
                  or an absolute URL                           [none]
      same_as:    list of the organisation's profile URLs      [[]]
      publishingPrinciples, correctionsPolicy, ethicsPolicy,
      masthead, diversityPolicy, ownershipFundingInfo,
      actionableFeedbackPolicy (or snake_case: corrections_policy):
                  trust information: an http(s) URL, a site path
                  (/about/) or a site page (page:about); makes
                  the publisher a NewsMediaOrganization and is
                  linked from the footer                       [none]
    social:       link previews (Open Graph, Twitter cards)
      image:      share image for pages without their own,
                  a site path or an absolute URL               [none]
      twitter:    the site's Twitter/X handle, e.g. "@courier" [none]
    news_sitemap: Google News sitemap (news-sitemap.xml) of the
                  stories published in the two days before the
                  build's "now"
      enabled:    write it                                     [true]
      name:       publication name as registered with Google
                  News                                 [publisher.name]
      language:   ISO 639 code (en, es, zh-cn, zh-tw)
                                       [language's first part, e.g. en]
    wire:         agency wire files (ninjs, NITF) in seeds/
      sections:   agency subject or genre codes (or names) to
                  section names, e.g. medtop:15000000: Sport;
                  the first of a story's codes found wins  [{}]
    paths:        folders, relative to the site folder
      articles: [articles]  seeds: [seeds]  templates: [templates]
      static: [static]      output: [public]
      pages: [pages]  the site pages (About, Masthead ...)
      cache: [.newsgen-cache]  the incremental build cache: safe to
                  delete, keep it out of git; must not be inside output

The package, one module a job:

- ``settings``: the frozen dataclasses (:class:`Config`, :class:`Paths`,
  :class:`Publisher`, :class:`Social`, :class:`NewsSitemap`) and constants;
- ``values``: the problem collector and the checks of one value, shared by
  the parsers;
- ``basics``, ``syndication``, ``paths``: one parser per setting or section;
- ``trust``: the publisher's trust properties (``correctionsPolicy`` ...);
- ``loader``: :func:`load_config`, which reads the file, warns about unknown
  keys and applies the command line's overrides.
"""

from __future__ import annotations

from newsgen.config.loader import load_config
from newsgen.config.settings import (
    CONFIG_FILE,
    DEFAULT_BASE_URL,
    FEED_FORMATS,
    PERMALINK_TOKENS,
    Config,
    NewsSitemap,
    Paths,
    Publisher,
    Social,
)

__all__ = [
    "CONFIG_FILE",
    "DEFAULT_BASE_URL",
    "FEED_FORMATS",
    "PERMALINK_TOKENS",
    "Config",
    "NewsSitemap",
    "Paths",
    "Publisher",
    "Social",
    "load_config",
]
