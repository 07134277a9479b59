"""Publishing a build into the output folder: all of the new site at once, or nothing.

Entry points: :func:`prepare_output` checks the output folder and reads the
output manifest before anything is built; :func:`write_output` publishes the
rendered files atomically; :func:`write_unchanged` publishes a site whose pages
did not change; :class:`DeployManifest` adds the deploy manifest to either.

Modules, in the order a publish uses them:

- ``outdir``: which folders may receive the output; the output manifest
  (``.newsgen-manifest.json``, what newsgen owns); names of newsgen's folders.
- ``write``: ``write_output``, a build's files streamed into a publication and published.
- ``publication``: :class:`~newsgen.publish.publication.Publication`, one
  build's files staged in a folder of their own, then published.
- ``folders``: the folders of a first build's pages, made in its staging folder while they render.
- ``staging``: making a staging folder (fresh name, marker, lock), placing files in it.
- ``spare``: the previous site's pages, kept in the build cache and recycled as
  the next staging folder; ``twins``: which of them are the output's own files.
- ``swap``: the atomic exchange of the staging folder and the output folder.
- ``listings``: folder listings remembered between builds, so the walks of the
  swap and of the retirement read only the folders that changed.
- ``in_place``: the fallback, moving files into the output folder one by one.
- ``one_change``: a build that changed one file of the site publishes it with one
  rename in place (its staging folder waits for a second change).
- ``retire``: disposing of old trees and of what interrupted builds left.
- ``unchanged``: ``write_unchanged``.
- ``deploy_manifest``: the deploy manifest (``.newsgen-changes.json``), which
  URLs a build added, changed and removed.

Path checks are :mod:`newsgen.core.paths`; file operations :mod:`newsgen.core.fsops`.
"""

from newsgen.publish.deploy_manifest import CHANGES_FILE, Changes, DeployManifest
from newsgen.publish.outdir import prepare_output, read_manifest
from newsgen.publish.publication import WriteResult
from newsgen.publish.unchanged import write_unchanged
from newsgen.publish.write import write_output

__all__ = [
    "CHANGES_FILE",
    "Changes",
    "DeployManifest",
    "WriteResult",
    "prepare_output",
    "read_manifest",
    "write_output",
    "write_unchanged",
]
