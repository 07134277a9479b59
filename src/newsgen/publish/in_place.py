"""In-place mode: the fallback when the output folder cannot be exchanged atomically.

A warning says when and why this mode is used (:func:`in_place_warning`). The
exchange (:mod:`newsgen.publish.swap`) is impossible when the output folder is
a mount point or on another file system than its parent folder, when the
parent folder is not writable, when the platform or file system has no atomic
exchange, or when a foreign file cannot be hard-linked (another user's file
under ``fs.protected_hardlinks``).

newsgen then stages the new files in a hidden folder *inside* the output
folder (``.newsgen-staging-XXXXXXXX``, :mod:`newsgen.publish.staging`), so
nothing visible changes until every page has been rendered and written. Only
then (:func:`move_into_place`) are the changed files moved into place one by
one, each with an atomic rename (a reader never sees half a page), and files
the previous manifest lists but the new site lacks are removed. Before the
first move, the manifest is rewritten to list the old and new files together
(each file to move marked ``pending``), so a build killed during this short phase
leaves no file that the next build would not own or would wrongly take as up
to date; the next build repairs the folder. The whole-site guarantee is
weaker here: a crash in the move phase can leave a mix of old and new pages.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from newsgen.core.fsops import write_new
from newsgen.core.paths import blocking_folder, is_real_folder, is_within
from newsgen.errors import BuildError, Diagnostic, Severity
from newsgen.publish.outdir import MANIFEST, manifest_bytes

#: The digest the manifest gives a file while it is being moved into place: no file has it.
PENDING = "pending"


def in_place_warning(out: Path, reason: str) -> Diagnostic:
    """The warning that ``out`` is published in place, and why (``reason``)."""
    return Diagnostic(
        str(out),
        None,
        None,
        f"the output folder cannot be replaced atomically ({reason}); publishing "
        "in place, one file at a time, after the whole site was rendered",
        Severity.WARNING,
    )


def move_into_place(
    out: Path,
    staging: Path,
    previous: Mapping[str, str],
    current: Mapping[str, str],
    written: list[str],
    removed: list[str],
) -> None:
    """Publish the staged files into ``out`` (see the module docstring).

    ``staging`` holds the ``written`` files and the new manifest; ``removed``
    are the files of the ``previous`` manifest that the ``current`` site lacks.
    The caller removes the staging folder afterwards, whatever happened."""
    try:
        for rel in written:  # find every obstacle before touching anything
            check_target(out, rel)
        tmp_manifest = staging / (MANIFEST + ".next")
        # Own every file that may appear, but claim no content for those about to move: after a
        # crash, one moved or not must not look unchanged to the next build (whatever its bytes).
        pending = {rel: previous.get(rel, PENDING) for rel in current}
        pending.update(dict.fromkeys(written, PENDING))
        write_new(tmp_manifest, manifest_bytes({**previous, **pending}))
        os.replace(tmp_manifest, out / MANIFEST)
        for rel in written:
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if not is_within(target.parent.resolve(), out):
                raise BuildError(f"output path {rel!r} resolves outside the output folder")
            os.replace(staging / rel, target)
        for rel in removed:
            target = out / rel
            if not is_within(target.parent.resolve(), out):
                continue  # a tampered manifest never makes us delete outside the folder
            if target.is_symlink() or target.is_file():
                target.unlink()
                prune_empty_dirs(target.parent, out)
        os.replace(staging / MANIFEST, out / MANIFEST)
    except OSError as exc:
        raise BuildError(f"cannot publish into {out}: {exc.strerror or exc}") from None


def check_target(out: Path, rel: str) -> None:
    """Refuse to publish ``rel`` in place when something of another kind is in its way."""
    shown = blocking_folder(out, rel.rpartition("/")[0], missing_ok=True)
    if shown is not None:
        raise BuildError(
            f"output folder: {shown} is in the way (the site needs a folder there); move it away"
        )
    if is_real_folder(out / rel):
        raise BuildError(f"output folder: {rel} is a folder, but the site has a file there; move it away")


def prune_empty_dirs(folder: Path, root: Path) -> None:
    """Remove ``folder`` and its parents up to (not including) ``root`` while they are empty."""
    while folder != root and is_within(folder, root):
        try:
            folder.rmdir()  # only succeeds when empty
        except OSError:
            return
        folder = folder.parent
