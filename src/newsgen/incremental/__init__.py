"""The incremental build, a sidecar to the plain pipeline.

:class:`IncrementalBuild` stands in for the expensive stages (load, More
Stories, render) with methods of the same signatures: it does their work on
every core and, with the cache on, skips whatever did not change since the
last build. The pieces:

* :mod:`~newsgen.incremental.session`: one build's cache and accelerated stages;
* :mod:`~newsgen.incremental.sourcekeys`: the check stage, each source's cache key;
* :mod:`~newsgen.incremental.load`, :mod:`~newsgen.incremental.related`,
  :mod:`~newsgen.incremental.keying` and :mod:`~newsgen.incremental.render`: the stages
  (keying decides which pages render; :mod:`~newsgen.incremental.spool`: where rendered
  pages wait to be published);
* :mod:`~newsgen.incremental.store`: the cache itself (one SQLite file),
  :mod:`~newsgen.incremental.schema`: its tables, what each holds and is keyed by, and
  :mod:`~newsgen.incremental.entries`: what it hands out (a story body kept in it, what it
  remembers of each page), :mod:`~newsgen.incremental.notes`: what it notes of each body
  (an image shown, its words) so that nobody reads the body to learn it;
* :mod:`~newsgen.incremental.codec`: its records (JSON, an allow-list of types);
* :mod:`~newsgen.incremental.keys`: the engine, config and templates keys;
* :mod:`~newsgen.incremental.templatecode`: compiled templates kept for the next build;
* :mod:`~newsgen.incremental.fingerprint`: digests of what a page's template reads;
* :mod:`~newsgen.incremental.stamp`: recognising a rebuild in which nothing changed;
* :mod:`~newsgen.incremental.sameplan`: when only story bodies changed, each page's
  own key is the last build's, so no context is fingerprinted;
* :mod:`~newsgen.incremental.counts`: what the cache saved, for the build summary.

Dependencies read while rendering are recorded with
:class:`newsgen.core.recording.DependencyRecorder`.
"""

from newsgen.incremental.session import IncrementalBuild, cache_folder
from newsgen.incremental.stamp import Stamp, unchanged_files

__all__ = ["IncrementalBuild", "Stamp", "cache_folder", "unchanged_files"]
