"""``newsgen import``: bring an existing archive into a newsgen site.

- ``wxr``: a WordPress export (WXR 1.0-1.2) parsed with defusedxml into plain values.
- ``convert``: a WordPress body (HTML, shortcodes, block comments) to Markdown.
- ``wordpress``: the export's posts and pages planned as article files.
- ``sitefiles``: writing the plan into the site folder (confined, idempotent, never
  overwriting a file the importer did not write).

``import_wordpress`` runs the whole import.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from newsgen.commands.importers.sitefiles import write_authors, write_config, write_plan
from newsgen.commands.importers.wordpress import plan_import
from newsgen.commands.importers.wxr import parse_export
from newsgen.config import load_config
from newsgen.errors import ConfigError, ContentError, Diagnostic, Severity, display_path


@dataclass
class ImportResult:
    version: str
    counts: Counter[str]
    written: Counter[str]
    notes: list[Diagnostic]
    created_config: bool


def import_wordpress(export: Path, site: Path, *, force: bool = False) -> ImportResult:
    """Import ``export`` into ``site`` (created when missing); raises ContentError on bad input."""
    shown = display_path(export, None)
    parsed = parse_export(export, shown)
    if site.exists() and not site.is_dir():
        raise ConfigError(f"{site}: not a folder")
    from newsgen.commands.scaffold import skeleton_files

    base_url = (parsed.link.rstrip("/") + "/") if parsed.link.startswith(("http://", "https://")) else ""
    skeleton = skeleton_files(
        parsed.title or "My News Site",
        base_url or "http://localhost:8000/",
        datetime.now(UTC),
        description=parsed.description,
        language=parsed.language or "en",
    )["newsgen.yaml"]
    if (site / "newsgen.yaml").exists():
        config, _ = load_config(site)
    else:  # plan with the settings the new newsgen.yaml will have; write nothing yet
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "newsgen.yaml").write_text(skeleton, "utf-8")
            config, _ = load_config(Path(tmp))
    plan = plan_import(parsed, config, shown)
    if plan.errors:
        raise ContentError(plan.errors)
    site.mkdir(parents=True, exist_ok=True)
    written = write_plan(site, plan, force)  # refuses before writing anything
    created = write_config(site, skeleton)
    notes = list(plan.notes)
    if plan.uploads:
        example = sorted(plan.uploads)[0]
        notes.append(
            Diagnostic(
                shown,
                None,
                None,
                f"{len(plan.uploads)} images and files of the articles are under /wp-content/uploads/ on "
                f"the WordPress site (e.g. {example}): copy that folder from the WordPress server into "
                "static/wp-content/uploads/ so they keep their addresses ('newsgen check' lists any missing)",
                Severity.WARNING,
            )
        )
    kept = write_authors(site, plan.authors)
    if kept:
        notes.append(Diagnostic("authors.yaml", None, None, kept, Severity.WARNING))
    return ImportResult(parsed.version, plan.counts, written, notes, created)


__all__ = ["ImportResult", "import_wordpress"]
