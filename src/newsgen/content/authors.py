"""The optional author registry, ``authors.yaml`` in the site folder.

It gives each byline a profile on its author page. One entry per reporter,
keyed by the name as it appears in bylines (matched ignoring case, accents
and spacing, like every name in newsgen)::

    Amara Diallo:
      role: Science and education reporter
      bio: Amara has covered the estuary and its schools since 2019.
      url: https://example.com/amara          # their own site, optional
      image: /images/authors/amara-diallo.jpg # optional
      social:                                 # label: URL, optional
        Mastodon: https://example.social/@amara

Every key of an entry is optional; an entry may even be empty
(``Amara Diallo:``). When the file exists, a byline with no entry still gets
its author page, with a warning (an error with ``newsgen build --strict``).
Without the file, no byline is warned about.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from newsgen.config import Config
from newsgen.content.markup import is_dangerous_url
from newsgen.content.sources import decode
from newsgen.core.urls import name_key
from newsgen.core.yamlio import YamlProblem, parse_mapping
from newsgen.errors import ContentError, Diagnostic, Severity, display_path
from newsgen.model import AuthorProfile, Link

AUTHORS_FILE = "authors.yaml"
_KEYS = ("role", "bio", "url", "image", "social")


def authors_path(config: Config) -> Path:
    return config.paths.site / AUTHORS_FILE


def load_authors(config: Config) -> tuple[Mapping[str, AuthorProfile] | None, list[Diagnostic]]:
    """Profiles keyed by :func:`~newsgen.core.urls.name_key`, or None when there is no
    ``authors.yaml``; and the file's warnings. Raises ContentError listing every error."""
    path = authors_path(config)
    if not path.is_file():
        return None, []
    shown = display_path(path, config.paths.site)
    text = decode(path.read_bytes(), shown)
    try:
        entries = parse_mapping(text) or []
    except YamlProblem as p:
        raise ContentError(Diagnostic(shown, p.line, p.col, p.message)) from None
    errors: list[Diagnostic] = []
    warnings: list[Diagnostic] = []
    profiles: dict[str, AuthorProfile] = {}
    for e in entries:
        name = " ".join(e.key.split())

        def error(msg: str, line: int = e.key_line, name: str = name) -> None:
            errors.append(Diagnostic(shown, line, None, f"{name}: {msg}"))

        fields: dict[str, Any] = {}
        if e.value is None:
            pass
        elif not isinstance(e.value, dict):
            error(f"expected a mapping of {', '.join(_KEYS)}, got {e.raw!r}")
            continue
        else:
            fields = e.value
        for k in fields:
            if k not in _KEYS:
                close = difflib.get_close_matches(str(k), _KEYS, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(_KEYS)}"
                warnings.append(
                    Diagnostic(
                        shown,
                        e.key_line,
                        None,
                        f"{name}: unknown key '{k}' is ignored{hint}",
                        Severity.WARNING,
                    )
                )
        text_of: dict[str, str] = {}
        for k in ("role", "bio", "url", "image"):
            v = fields.get(k)
            if v is None:
                continue
            if not isinstance(v, str):
                error(f"{k}: expected text, got {v!r}")
                continue
            text_of[k] = v.strip()
            if k in ("url", "image") and is_dangerous_url(v):
                error(f"{k}: javascript:, vbscript: and data: URLs are not allowed")
        social: list[Link] = []
        raw_social = fields.get("social")
        if raw_social is not None:
            if not isinstance(raw_social, dict):
                error("social: expected a mapping of label: URL, e.g. 'Mastodon: https://...'")
            else:
                for label, url in raw_social.items():
                    if not isinstance(url, str) or not url.strip():
                        error(f"social: {label}: expected a URL")
                    elif is_dangerous_url(url):
                        error(f"social: {label}: javascript:, vbscript: and data: URLs are not allowed")
                    else:
                        social.append(Link(str(label), url.strip()))
        key = name_key(name)
        if key in profiles:
            error(
                f"is the same author as '{profiles[key].name}' on line {profiles[key].line}; keep one entry"
            )
            continue
        profiles[key] = AuthorProfile(
            name=name,
            source=shown,
            line=e.key_line,
            role=" ".join(text_of.get("role", "").split()),
            bio=" ".join(text_of.get("bio", "").split()),
            url=text_of.get("url") or None,
            image=text_of.get("image") or None,
            social=tuple(social),
        )
    if errors:
        raise ContentError(errors)
    return profiles, warnings
