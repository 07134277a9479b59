"""``newsgen build --verify``: prove that the build is reproducible, then publish it.

The site is built twice, into two folders inside a temporary folder created
beside the output folder (``.public.newsgen-verify-XXXXXXXX``):

1. the first build runs in this process;
2. the second runs in a fresh Python interpreter (``sys.executable -m
   newsgen build``: the same Python and the same newsgen) with a different
   ``PYTHONHASHSEED``, ``TZ``, ``LC_ALL``/``LANG`` and working folder, so
   output that depends on hash order, the machine's time zone or locale, or
   the current folder shows up as a difference. This is the only time
   newsgen starts a program.

Both builds see the same clock (the first build's "now", to the second, is
passed to the second as ``--as-of``) and neither
uses the incremental cache, so every stage really runs twice. The two trees
are compared byte for byte. If they are identical, the first one is published to the output folder
exactly as a normal build would publish it (atomically, keeping the
modification time of unchanged files, with the deploy notes
``.newsgen-changes.json`` describing what changed). Otherwise every difference is
reported, the output folder is left alone, and the command exits with 1.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from newsgen.config import Config
from newsgen.core.fsops import lock_folder, remove_tree, unlock_folder
from newsgen.core.parallel import dies_with_this_process
from newsgen.errors import BuildError, Diagnostic
from newsgen.publish import CHANGES_FILE, DeployManifest, prepare_output, read_manifest, write_output
from newsgen.publish.outdir import STAGING_MARK, outer_prefix
from newsgen.report import BufferReporter, Reporter

MAX_LISTED = 20


def tree_files(root: Path) -> dict[str, Path]:
    """Every file under ``root`` (relative POSIX path -> path); links are not followed."""
    found: dict[str, Path] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        here = Path(dirpath)
        for name in sorted(filenames):
            found[(here / name).relative_to(root).as_posix()] = here / name
    return found


def compare_trees(a: Path, b: Path) -> list[str]:
    """Human-readable differences between two folders (empty when byte-identical)."""
    fa, fb = tree_files(a), tree_files(b)
    out: list[str] = []
    for rel in sorted(set(fa) | set(fb)):
        if rel not in fb:
            out.append(f"{rel}: only in the first build")
        elif rel not in fa:
            out.append(f"{rel}: only in the second build")
        else:
            da, db = fa[rel].read_bytes(), fb[rel].read_bytes()
            if da != db:
                at = next(
                    (i for i, (x, y) in enumerate(zip(da, db, strict=False)) if x != y), min(len(da), len(db))
                )
                out.append(f"{rel}: differs between the two builds, first at byte {at}")
    return out


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "2" if env.get("PYTHONHASHSEED") == "1" else "1"
    env["TZ"] = "America/St_Johns" if env.get("TZ") == "Pacific/Chatham" else "Pacific/Chatham"
    env["LC_ALL"] = env["LANG"] = (
        "C.UTF-8" if env.get("LC_ALL", env.get("LANG")) == "tr_TR.UTF-8" else "tr_TR.UTF-8"
    )
    return env


def verify_build(
    config: Config,
    reporter: Reporter,
    build_args: list[str],
    build: Callable[..., Any],
    *,
    now: datetime,
    force: bool = False,
    **options: Any,
) -> bool:
    """Build twice, compare, publish if identical. Returns True when the builds agree.

    ``build`` is :func:`newsgen.pipeline.build` (passed in by the command line,
    the only importer of the orchestrator). ``build_args`` are the
    command-line arguments of this ``newsgen build`` without ``--verify``;
    the second build runs with them plus an absolute ``--site`` and its own
    ``--output``, and ``now`` as its ``--as-of``: both builds see the same
    clock, given as a parameter. ``options`` are passed to both builds
    (``drafts``, ``strict``, ``jobs``).
    """
    out, previous = prepare_output(config, force=force)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.parent / f"{outer_prefix(out)}verify-{os.urandom(4).hex()}"
    work.mkdir()
    (work / STAGING_MARK).write_bytes(b"newsgen --verify folder; safe to delete\n")
    lock = lock_folder(work)
    try:
        first, second = work / "first", work / "second"
        buffered = BufferReporter()
        result = build(
            replace(config, paths=replace(config.paths, output=first)),
            buffered,
            use_cache=False,
            now=now,
            **options,
        )
        for d in buffered.diagnostics:
            reporter.diagnostic(d)
        args = [
            *build_args,
            "--site",
            str(config.paths.site),
            "--output",
            str(second),
            "--quiet",
            "--no-cache",
            "--as-of",
            now.isoformat(),
        ]
        child = subprocess.run(
            [sys.executable, "-m", "newsgen", *args],
            cwd=work,
            env=_child_env(),
            stdin=subprocess.DEVNULL,
            preexec_fn=dies_with_this_process(),  # the second build dies with this one
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            raise BuildError(
                f"--verify: the second build failed (exit {child.returncode}): {child.stderr.strip()[-2000:]}"
            )
        differences = compare_trees(first, second)
        if differences:
            for line in differences[:MAX_LISTED]:
                reporter.diagnostic(Diagnostic(None, None, None, f"not reproducible: {line}"))
            if len(differences) > MAX_LISTED:
                reporter.diagnostic(
                    Diagnostic(
                        None, None, None, f"not reproducible: ... and {len(differences) - MAX_LISTED} more"
                    )
                )
            return False
        # The site's files; the deploy notes are made again against the real previous build.
        files = sorted(f for f in (read_manifest(first) or {}) if f != CHANGES_FILE)
        written = write_output(
            out,
            previous,
            ((rel, (first / rel).read_bytes()) for rel in files),
            finish=DeployManifest(previous, config),
        )
        for w in written.warnings:
            reporter.diagnostic(w)
        reporter.info(
            f"verified: two builds are byte-identical ({len(files)} files); published "
            f"{result.articles} articles into {config.paths.output} ({len(written.written)} written, "
            f"{len(written.unchanged)} unchanged, {len(written.removed)} removed)"
        )
        return True
    finally:
        unlock_folder(lock)
        remove_tree(work)
