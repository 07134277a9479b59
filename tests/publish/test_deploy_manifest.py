"""The deploy manifest (.newsgen-changes.json) across add, edit and delete builds."""

from __future__ import annotations

import json

import pytest

from conftest import article
from newsgen import load_config
from newsgen.publish.deploy_manifest import (
    CHANGES_FILE,
    Changes,
    changes_document,
    compute_changes,
    site_path,
)
from newsgen.publish.publication import WriteResult


def _changes(site):
    return json.loads((site / "public" / CHANGES_FILE).read_text("utf-8"))


def _paths(doc, kind):
    return {e["path"] for e in doc[kind]}


def test_first_build_lists_everything_as_added(write_site, cli):
    site = write_site(
        {"articles/a.md": article("Alpha", "2025-03-01T09:00:00Z")},
        config="base_url: https://example.com/news/\n",
    )
    assert cli("build", "--site", site, "-q").code == 0
    doc = _changes(site)
    assert doc["first_build"] is True
    assert "/news/2025/03/01/a/" in _paths(doc, "added")
    assert "/news/" in _paths(doc, "added") and "/news/feed.xml" in _paths(doc, "added")
    entry = next(e for e in doc["added"] if e["file"] == "2025/03/01/a/index.html")
    assert entry == {
        "file": "2025/03/01/a/index.html",
        "path": "/news/2025/03/01/a/",
        "url": "https://example.com/news/2025/03/01/a/",
    }
    assert doc["changed"] == [] and doc["removed"] == []
    assert doc["counts"]["added"] == len(doc["added"])


def test_add_edit_delete_then_nothing(write_site, cli):
    site = write_site(
        {
            "articles/a.md": article("Alpha", "2025-03-01T09:00:00Z"),
            "articles/b.md": article("Beta", "2025-03-02T09:00:00Z"),
        }
    )
    assert cli("build", "--site", site, "-q").code == 0

    # edit a, delete b, add c
    (site / "articles/a.md").write_text(article("Alpha", "2025-03-01T09:00:00Z", body="New body."), "utf-8")
    (site / "articles/b.md").unlink()
    (site / "articles/c.md").write_text(article("Gamma", "2025-03-03T09:00:00Z"), "utf-8")
    run = cli("build", "--site", site, "-v")
    assert run.code == 0
    doc = _changes(site)
    assert doc["first_build"] is False
    assert _paths(doc, "added") == {"/2025/03/03/c/"}
    assert "/2025/03/01/a/" in _paths(doc, "changed")
    assert "/" in _paths(doc, "changed")  # the front page lists different stories
    assert "/2025/03/02/b/" not in _paths(doc, "changed")
    assert _paths(doc, "removed") == {"/2025/03/02/b/"}
    assert "/css/newsgen.css" not in _paths(doc, "changed")  # untouched files are not listed
    assert doc["counts"]["unchanged"] >= 2
    assert "1 added" in run.out and "1 removed" in run.out
    assert "added: 2025/03/03/c/index.html" in run.out  # -v lists each file

    # nothing changed: nothing listed
    assert cli("build", "--site", site, "-q").code == 0
    doc = _changes(site)
    assert doc["added"] == doc["changed"] == doc["removed"] == []
    assert doc["counts"]["unchanged"] > 0


def test_failed_build_keeps_the_last_manifest(write_site, cli):
    site = write_site({"articles/a.md": article("Alpha")})
    assert cli("build", "--site", site, "-q").code == 0
    before = (site / "public" / CHANGES_FILE).read_bytes()
    (site / "articles/a.md").write_text("---\ntitle: [broken\n---\n", "utf-8")
    assert cli("build", "--site", site, "-q").code == 1
    assert (site / "public" / CHANGES_FILE).read_bytes() == before


def test_manifest_is_deterministic(write_site, cli):
    site = write_site({"articles/a.md": article("Alpha")})
    cli("build", "--site", site, "--output", site / "one", "-q")
    cli("build", "--site", site, "--output", site / "two", "-q")
    assert (site / "one" / CHANGES_FILE).read_bytes() == (site / "two" / CHANGES_FILE).read_bytes()


def test_compute_changes_counts_files_the_writer_could_not_find_as_removed():
    previous = {"a.html": "1", "b.html": "2", "gone.html": "3"}
    result = WriteResult(written=["a.html", "new.html"], unchanged=["b.html"], removed=[])
    changes = compute_changes(previous, result)
    assert changes.added == ("new.html",)
    assert changes.changed == ("a.html",)
    assert changes.removed == ("gone.html",)
    assert changes.unchanged == 1 and not changes.first_build


def test_site_path():
    assert site_path("index.html") == "/"
    assert site_path("2025/x/index.html", "/news/") == "/news/2025/x/"
    assert site_path("feed.xml") == "/feed.xml"


def test_deploy_manifest_is_published_with_the_site_it_describes(write_site, cli):
    """It is part of the atomic publication: listed in the manifest, never left half-written,
    and a failed build leaves the previous one in place together with the previous site."""
    site = write_site({"articles/a.md": article("Alpha", "2025-03-01T09:00:00Z")})
    assert cli("build", "--site", site, "-q").code == 0
    out = site / "public"
    manifest = json.loads((out / ".newsgen-manifest.json").read_text("utf-8"))
    assert CHANGES_FILE in manifest["files"]
    doc = _changes(site)
    assert not any(e["file"] == CHANGES_FILE for kind in ("added", "changed", "removed") for e in doc[kind])
    before = (out / CHANGES_FILE).read_bytes()
    (site / "articles/b.md").write_text("---\ntitle: B\ndate: 2024-02-30\n---\n", "utf-8")
    assert cli("build", "--site", site, "-q").code == 1
    assert (out / CHANGES_FILE).read_bytes() == before
    assert [
        p.name
        for p in out.iterdir()
        if p.name.startswith(".newsgen-") and p.name not in (CHANGES_FILE, ".newsgen-manifest.json")
    ] == []


def _as_json_writes_it(changes: Changes, config) -> bytes:
    """The deploy manifest as ``json.dumps`` of the whole document makes it (what
    newsgen wrote before it spelt the lists out)."""

    def entries(files):
        out = []
        for f in files:
            path = site_path(f, config.base_path)
            out.append({"file": f, "path": path, "url": config.absolute_url(path[len(config.base_path) :])})
        return out

    doc = {
        "generator": "newsgen",
        "format": 1,
        "base_url": config.base_url,
        "first_build": changes.first_build,
        "counts": {
            "added": len(changes.added),
            "changed": len(changes.changed),
            "removed": len(changes.removed),
            "unchanged": changes.unchanged,
        },
        "added": entries(changes.added),
        "changed": entries(changes.changed),
        "removed": entries(changes.removed),
    }
    return (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


@pytest.mark.parametrize(
    ("added", "changed", "removed", "first"),
    [
        ((), (), (), False),
        (("index.html",), (), (), True),
        (("a/index.html", "é/ü.html"), ('q"uote\\/index.html',), ("tab\there.txt", "\u2028/x.xml"), False),
        (tuple(f"{i:05}/index.html" for i in range(2 * 4096 + 3)), (), ("gone.html",), True),
    ],
)
def test_the_deploy_manifest_is_the_json_it_always_was(write_site, added, changed, removed, first):
    site = write_site({"newsgen.yaml": "title: T\nbase_url: https://example.com/news/\n"})
    config, _ = load_config(site)
    changes = Changes(added, changed, removed, unchanged=7, first_build=first)
    assert changes_document(changes, config) == _as_json_writes_it(changes, config)
