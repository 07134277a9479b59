"""The ``paths`` section: the site's folders, made absolute, with the command line's overrides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsgen.config.settings import Paths
from newsgen.config.values import Collector
from newsgen.core.yamlio import Entry

PATH_KEYS = ("articles", "seeds", "templates", "static", "output", "cache", "pages")
_PATH_DEFAULTS = {"output": "public", "cache": ".newsgen-cache"}


def resolve_paths(
    site: Path,
    given: dict[str, Any],
    output_override: Path | None,
    c: Collector,
    e: Entry | None,
    cache_override: Path | None = None,
) -> Paths:
    """Every folder of ``site``: ``given`` (the checked ``paths:`` mapping at ``e``) over the defaults,
    relative ones under ``site``; the overrides win over both."""
    values: dict[str, Path] = {}
    for key in PATH_KEYS:
        raw = given.get(key, _PATH_DEFAULTS.get(key, key))
        if not isinstance(raw, str) or not raw.strip():
            c.error(e.line if e else None, e.col if e else None, f"paths.{key}: expected a folder name")
            raw = _PATH_DEFAULTS.get(key, key)
        values[key] = Path(raw) if Path(raw).is_absolute() else site / raw
    if output_override is not None:
        values["output"] = output_override
    if cache_override is not None:
        values["cache"] = cache_override
    return Paths(site=site, **{k: Path(v).absolute() for k, v in values.items()})
