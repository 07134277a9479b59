"""Same input, same bytes: across hash seeds, time zones, locales, folders and file creation order."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from conftest import REPO, tree_digest

EXTRA = {
    "articles/2025-03-04-zoe-sorensen.md": "---\ntitle: Zoë Sørensen's café review\nauthors: [Zoë Sørensen, Ana]\n"
    "tags: [food, culture, Café, Ünïcode]\nsection: Culture\n"
    "extra_map: {b: 2, a: 1}\nextra_set: !!set {zeta, alpha, mu, beta}\n"
    "---\n\nA fictional review [with a link](https://example.com/).\n",
    "articles/tz.md": "---\ntitle: Late night vote\ndate: 2025-03-05 23:30\ntags: [council]\n---\n\nFictional.\n",
    "articles/москва.md": "---\ntitle: Новости\ndate: 2025-03-06\ntags: [мир]\n---\n\nВымышленный текст.\n",
}


def make_site(root: Path, order_seed: int) -> Path:
    """A copy of the sample site plus a few articles, files created in a shuffled order."""
    files: dict[str, bytes] = {}
    for folder in ("articles", "seeds", "pages", "media"):  # media/: the photos the sample stories use
        for p in (REPO / folder).rglob("*"):
            if p.is_file():
                files[p.relative_to(REPO).as_posix()] = p.read_bytes()
    files["newsgen.yaml"] = (REPO / "newsgen.yaml").read_bytes()
    files.update({k: v.encode() for k, v in EXTRA.items()})
    names = sorted(files)
    random.Random(order_seed).shuffle(names)
    for i, name in enumerate(names):
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(files[name])
        os.utime(p, (1_600_000_000 + i * 977 * order_seed, 1_600_000_000 + i * 977 * order_seed))
    return root


def build(
    site: Path, cwd: Path, env_changes: dict[str, str], extra: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1741651200", **env_changes)
    return subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--site", str(site), *extra],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_two_builds_in_different_environments_are_byte_identical(tmp_path):
    a = make_site(tmp_path / "a" / "site", order_seed=1)
    b = make_site(tmp_path / "b" / "elsewhere" / "site", order_seed=2)
    first = build(
        a, cwd=a, env_changes={"PYTHONHASHSEED": "1", "TZ": "UTC", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    )
    second = build(
        b,
        cwd=tmp_path,
        env_changes={
            "PYTHONHASHSEED": "4242",
            "TZ": "Pacific/Chatham",
            "LANG": "tr_TR.UTF-8",
            "LC_ALL": "tr_TR.UTF-8",
        },
    )
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    da, db = tree_digest(a / "public"), tree_digest(b / "public")
    assert len(da) > 20
    assert da == db
    for rel in da:  # byte for byte, not only by hash
        assert (a / "public" / rel).read_bytes() == (b / "public" / rel).read_bytes()


def test_verify_builds_twice_and_publishes_when_identical(tmp_path):
    site = make_site(tmp_path / "site", order_seed=3)
    run = build(site, cwd=tmp_path, env_changes={"PYTHONHASHSEED": "0"}, extra=("--verify",))
    assert run.returncode == 0, run.stderr
    assert "verified: two builds are byte-identical" in run.stdout
    assert (site / "public" / "index.html").is_file()
    assert [
        p.name for p in site.iterdir() if p.name.startswith(".public.newsgen-")
    ] == []  # temporary folders removed
    normal = make_site(tmp_path / "normal", order_seed=4)
    assert build(normal, cwd=tmp_path, env_changes={}).returncode == 0
    assert tree_digest(site / "public") == tree_digest(normal / "public")


def test_verify_reports_differences_and_leaves_the_output_alone(tmp_path):
    site = make_site(tmp_path / "site", order_seed=5)
    assert build(site, cwd=tmp_path, env_changes={}).returncode == 0
    (site / "public" / "notes.txt").write_text("foreign\n")
    before = tree_digest(site / "public")
    partials = site / "templates" / "partials"
    partials.mkdir(parents=True)
    footer = (REPO / "templates" / "partials" / "footer.html").read_text()
    (partials / "footer.html").write_text(footer + "<!-- build {{ range(1000000) | random }} -->\n")
    run = build(site, cwd=tmp_path, env_changes={}, extra=("--verify",))
    assert run.returncode == 1
    assert re.search(
        r"not reproducible: (\S+/)?index\.html: differs between the two builds, first at byte", run.stderr
    )
    assert "the output folder was left as it was" in run.stderr
    assert tree_digest(site / "public") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".public.newsgen-")] == []


def test_the_sample_site_is_reproducible_when_copied(tmp_path):
    """Absolute paths never leak into the output: the same site in two folders builds the same."""
    a = make_site(tmp_path / "one", order_seed=6)
    b = tmp_path / "two" / "deeper"
    shutil.copytree(a, b)
    assert build(a, cwd=a, env_changes={}).returncode == 0
    assert build(b, cwd=b, env_changes={}).returncode == 0
    assert tree_digest(a / "public") == tree_digest(b / "public")
    text = "".join(p.read_text() for p in (a / "public").rglob("*.html"))
    assert str(tmp_path) not in text


def test_verify_gives_both_builds_one_clock_as_a_parameter(tmp_path, cli, monkeypatch):
    """--verify hands the second build the first one's "now" as --as-of; it sets no environment variable."""
    site = make_site(tmp_path / "site", order_seed=5)
    (site / "articles" / "soon.md").write_text(
        "---\ntitle: Scheduled for later\ndate: 2099-01-01T00:00:00Z\n---\n\nFictional.\n", "utf-8"
    )
    calls = []
    real_run = subprocess.run

    def spy(cmd, *args, **kwargs):
        calls.append(list(cmd))
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    run = cli("build", "--site", site, "--verify", "--jobs", "1")
    assert run.code == 0, run.err
    assert "SOURCE_DATE_EPOCH" not in os.environ
    (child,) = [c for c in calls if "newsgen" in c]
    as_of = child[child.index("--as-of") + 1]
    when = datetime.fromisoformat(as_of)  # the first build's now, to the second
    assert when.tzinfo is not None and when.microsecond == 0


def test_the_second_build_of_verify_is_asked_to_die_with_the_first(tmp_path, cli, monkeypatch):
    """kill -9 of `newsgen build --verify` leaves no second build running: it is started with the
    kernel's parent-death request (tested itself in tests/core/test_parallel.py)."""
    site = make_site(tmp_path / "site", order_seed=5)
    given = []
    real_run = subprocess.run

    def spy(cmd, *args, **kwargs):
        given.append(kwargs.get("preexec_fn"))
        return real_run(cmd, *args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    run = cli("build", "--site", site, "--verify", "--jobs", "1")
    assert run.code == 0, run.err
    (request,) = given
    if sys.platform.startswith("linux"):
        assert request.__qualname__ == "dies_with_this_process.<locals>.request"
