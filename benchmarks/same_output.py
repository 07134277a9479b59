"""Show that two revisions of newsgen build byte-identical sites.

    python benchmarks/same_output.py [--before REV] [--after REV] [--articles N]

Builds the bundled sample site (this repository) and a generated corpus of N
articles (benchmarks/corpus.py, default 1,000) with each revision, each in a
fresh process without the cache, at the same "now", and compares every output
file byte for byte. ``--before`` defaults to ``HEAD``; ``--after`` defaults to
the working tree. Prints the files that differ and exits 1 if any do.

A refactoring that must not change what newsgen publishes (a package move, a
speed-up) runs this against the revision before it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
AS_OF = "2025-07-01T00:00:00+00:00"
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402


def checkout(rev: str | None, into: Path) -> Path:
    """The source tree of ``rev`` (None: the working tree as it is)."""
    if rev is None:
        return REPO
    subprocess.run(
        ["git", "-C", str(REPO), "worktree", "add", "--detach", str(into), rev],
        check=True,
        capture_output=True,
    )
    return into


def build(tree: Path, site: Path, output: Path) -> None:
    """Build ``site`` into ``output`` with the newsgen of ``tree``."""
    env = {**os.environ, "PYTHONPATH": str(tree / "src"), "SOURCE_DATE_EPOCH": "1751328000"}
    cmd = [
        sys.executable,
        "-m",
        "newsgen",
        "build",
        "--site",
        str(site),
        "--output",
        str(output),
        "--no-cache",
        "--as-of",
        AS_OF,
        "-q",
    ]
    # the sample site's theme is the tree's own templates/ and static/
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"build with {tree} failed:\n{proc.stdout}{proc.stderr}")


def digests(folder: Path) -> dict[str, str]:
    found = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            p = Path(dirpath) / name
            found[p.relative_to(folder).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return found


def compare(label: str, a: Path, b: Path) -> int:
    da, db = digests(a), digests(b)
    differ = sorted(p for p in da.keys() | db.keys() if da.get(p) != db.get(p))
    if differ:
        print(f"{label}: {len(differ)} of {len(da | db)} files differ")
        for p in differ[:50]:
            state = "missing before" if p not in da else "missing after" if p not in db else "bytes differ"
            print(f"  {p}: {state}")
        return 1
    print(f"{label}: {len(da)} files, byte-identical")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default="HEAD", help="revision to compare with (default HEAD)")
    ap.add_argument("--after", default=None, help="revision to check (default: the working tree)")
    ap.add_argument("--articles", type=int, default=1000, help="size of the generated corpus")
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsgen-same-"))
    trees: list[Path] = []
    try:
        corpus = work / "corpus"
        generate(args.articles, corpus)
        failed = 0
        before = checkout(args.before, work / "before")
        after = checkout(args.after, work / "after")
        trees = [t for t in (before, after) if t != REPO]
        for label, site in (("sample site", None), (f"{args.articles}-article corpus", corpus)):
            outs = []
            for name, tree in (("before", before), ("after", after)):
                out = work / f"{name}-{label.split()[0]}"
                build(tree, site or tree, out)
                outs.append(out)
            failed |= compare(label, *outs)
        return failed
    finally:
        for t in trees:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(t)], capture_output=True
            )
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
