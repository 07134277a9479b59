"""``newsgen check``: find every problem in a site without publishing it.

Checking the sources (always; nothing is written):

Errors (``newsgen build`` would fail, or readers would hit a dead link)
    * everything the build refuses: config errors, files that do not load,
      two stories with one URL, template errors (every page is rendered in
      memory and thrown away);
    * a link in an article body to a page of this site that does not exist,
      e.g. ``[budget](/2025/03/01/budgte/)`` (a site path: under
      ``base_url: https://example.com/news/`` it is served at
      ``/news/2025/...``), a relative ``../other/`` or
      ``https://example.com/news/2025/...`` under ``base_url``;
    * a link to an article's source file (``other-story.md``): newsgen does
      not rewrite those, so the published link would be dead; the message
      names the URL to link to instead.

    * an image that is not a file of the site (the lead ``image`` or one
      in the body).

Warnings (errors with ``--strict``)
    * a headline longer than 110 characters (search engines cut it off);
    * a Markdown article with no ``summary``, or an empty one (the first
      paragraph is used);
    * a body image ``![](x.jpg)`` with empty alt text (screen readers cannot
      describe it);
    * every warning the build itself gives, among them a lead ``image``
      without ``image_alt``, a byline with no entry in ``authors.yaml`` (when
      that file exists), a link to a story that is not yet published,
      unknown config keys and undated articles.

Every article is checked, drafts and scheduled stories included; the site
is assembled as published at the build's "now" (``--as-of``).

Checking a built site (``newsgen check --built DIR``, or ``--built`` alone
for the configured output folder): every HTML file is read and every internal
``href``/``src``/``srcset`` must name a file in the folder. A link that does
not is a *broken internal link*; an image, stylesheet, script or other
embedded file that does not is a *missing asset*. Both are errors, reported
as ``public/2025/03/01/x/index.html:12: ...``.

Wire copy (``.txt`` seeds) is exempt from the summary check: the agency
format has no summary field.

Modules: ``sources`` (the sources, rendered in memory), ``built`` (a built
site's links and assets), ``findings`` (the report, and how a link resolves to
a file of the site).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from newsgen.commands.check.built import check_output
from newsgen.commands.check.findings import CheckReport, content_link_path, site_path_of_link
from newsgen.commands.check.sources import HEADLINE_LIMIT, check_sources
from newsgen.config import Config
from newsgen.errors import Diagnostic

__all__ = [
    "HEADLINE_LIMIT",
    "CheckReport",
    "check",
    "check_output",
    "check_sources",
    "content_link_path",
    "site_path_of_link",
]


def check(
    config: Config, now: datetime, *, output: Path | None = None, config_warnings: Iterable[Diagnostic] = ()
) -> CheckReport:
    """Check the sources as published at ``now``, and the built site in ``output`` when given."""
    report = CheckReport()
    report.add(config_warnings)
    check_sources(config, report, now)
    if output is not None:
        check_output(config, output, report)
    return report
