"""Publishing a site whose pages did not change: only the notes about the build are replaced.

When the caller knows that every page is exactly the one already published
(the build stamp of :mod:`newsgen.incremental.stamp`), :func:`write_unchanged`
checks that each is still in place as the manifest says (a regular file of
the recorded size, every folder on the way a real folder:
:func:`newsgen.core.paths.plain_file`; unless the caller did, ``Unchanged.found``) and replaces only the small files that
describe the build (the deploy manifest, :mod:`newsgen.publish.deploy_manifest`)
and the output manifest, each atomically, in place. The pages are not
touched, so no staging folder is needed. If any check fails it does nothing
and the caller publishes in full (:func:`newsgen.publish.write.write_output`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from newsgen.core.digests import sha256 as digest
from newsgen.core.fsops import lstat_mode, replace_file
from newsgen.core.paths import plain_file, valid_rel
from newsgen.errors import BuildError
from newsgen.payloads import Unchanged
from newsgen.publish.outdir import MANIFEST, manifest_bytes
from newsgen.publish.publication import WriteResult


def write_unchanged(
    out: Path,
    previous: dict[str, str],
    files: Iterable[tuple[str, Unchanged]],
    finish: Callable[[WriteResult], Iterable[tuple[str, bytes]]] | None = None,
) -> WriteResult | None:
    """Publish ``files`` when each is already in ``out`` as the manifest says
    (see the module docstring). Returns None, having changed nothing, when that
    is not so: the caller then uses :func:`~newsgen.publish.write.write_output`.

    ``finish`` is as for ``write_output``: it returns the notes about the
    build, which are written (when their bytes changed) beside the pages."""
    result = WriteResult(mode="unchanged")
    base = str(out)
    real: set[str] = set()  # folders of `out` found real, not links
    seen: set[str] = set()
    for rel, page in files:
        if not valid_rel(rel) or rel.startswith("/") or rel == MANIFEST or previous.get(rel) != page.digest:
            return None
        if page.found is None and plain_file(base, rel, page.size, real) is None:
            return None  # (a page found by the caller was checked the same way: not again)
        seen.add(rel)
        result.unchanged.append(rel)
    notes = list(finish(result)) if finish is not None else []
    if set(previous) - seen - {rel for rel, _ in notes}:
        return None  # something would be removed: that is a change
    if any(not valid_rel(rel) or "/" in rel or rel in seen or rel == MANIFEST for rel, _ in notes):
        return None
    current = {rel: previous[rel] for rel in result.unchanged}
    try:
        for rel, data in notes:
            h = digest(data)
            current[rel] = h
            target = out / rel
            if previous.get(rel) != h or lstat_mode(target) is None or target.read_bytes() != data:
                replace_file(target, data)
        manifest = manifest_bytes(current)
        if (out / MANIFEST).read_bytes() != manifest:
            replace_file(out / MANIFEST, manifest)
    except OSError as exc:
        raise BuildError(f"cannot write to the output folder {out}: {exc.strerror or exc}") from None
    return result
