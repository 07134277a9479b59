"""The publisher's trust information: ``publisher.correctionsPolicy`` and the other
schema.org ``NewsMediaOrganization`` policy properties.

Each is written with its schema.org name (``correctionsPolicy``) or in snake
case (``corrections_policy``), and its value is an http(s) URL, a site path
(``/about/``) or a site page written ``page:about`` (read as ``/about/``; the
build checks that the page exists). Errors point at the value's own line.
"""

from __future__ import annotations

import re
from typing import Any

from newsgen.config.settings import TRUST_LABELS, TrustLink
from newsgen.config.values import Collector, is_url_or_path
from newsgen.core.sitepaths import SitePathProblem, clean_site_path
from newsgen.core.yamlio import Entry

#: Every spelling of a trust property -> its schema.org name.
TRUST_KEYS: dict[str, str] = {
    **{name: name for name in TRUST_LABELS},
    **{re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower(): name for name in TRUST_LABELS},
}
_PAGE_REF = re.compile(r"^page:\s*(\S+)$")


def trust_links(c: Collector, e: Entry, sub: dict[str, Any]) -> tuple[TrustLink, ...]:
    """The trust properties of the ``publisher`` section at ``e`` (``sub``: its checked keys)."""
    where = {key: (line, col) for key, line, col, _, _ in e.value_positions}
    found: dict[str, TrustLink] = {}
    for key, value in sub.items():
        prop = TRUST_KEYS.get(key)
        if prop is None:
            continue
        line, col = where.get(key, (e.line, e.col))
        name = f"publisher.{key}"
        if prop in found:
            c.error(line, col, f"{name}: {prop} is already given on line {found[prop].line}; keep one")
            continue
        if not isinstance(value, str) or not value.strip():
            c.error(
                line, col, f"{name}: expected a URL, a site path such as /about/ or page:about, got {value!r}"
            )
            continue
        text = value.strip()
        ref = _PAGE_REF.match(text)
        try:
            if ref is not None:
                slug = ref.group(1).strip("/")
                found[prop] = TrustLink(prop, clean_site_path(f"/{slug}/"), line, col, page=True)
            elif re.match(r"^[a-z][a-z0-9+.-]*:|^//", text, re.I) and not re.match(r"^https?://", text):
                raise SitePathProblem(f"{text[:100]!r} is neither an http(s) URL nor a site path")
            elif re.match(r"^https?://", text):
                if not is_url_or_path(text, path_ok=False):
                    raise SitePathProblem(f"{text!r} is not an http(s) URL")
                found[prop] = TrustLink(prop, text, line, col)
            else:  # a fragment (/about/#corrections) is kept
                path, mark, fragment = text.partition("#")
                found[prop] = TrustLink(prop, clean_site_path(path) + mark + fragment, line, col)
        except SitePathProblem as p:
            c.error(line, col, f"{name}: {p}; expected a URL, a site path such as /about/ or page:about")
    return tuple(found[p] for p in TRUST_LABELS if p in found)
