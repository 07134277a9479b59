"""Small, general tools every other layer may use; they know nothing of articles or sites.

- ``yamlio``: safe YAML with the line and column of every key.
- ``flatyaml``: the flat ``key: value`` front matter most files have, read without the YAML parser.
- ``dates``: dates as newsrooms write them; the build's one reading of "now" (``build_now``).
- ``urls``: slugs, permalinks, output paths, relative links.
- ``sitepaths``: hand-written site paths (explicit URLs, old URLs to redirect), kept inside the output.
- ``paths``: the one owner of path checks (inside a folder, real folders on the way).
- ``fsops``: low-level file operations (exclusive writes, atomic replace, locks, trees).
- ``digests``: the cache's short digest and the manifests' SHA-256.
- ``parallel``: ``ordered_map``, work on every core with results in order.
- ``words``: ``count_words``, the words of a body of HTML.
- ``xmltext``: ``escape`` and ``quoteattr`` for XML written by hand (the feeds).
- ``lazy``: ``lazy_exports``, a package's entry points imported when first used (start-up).
- ``recording``: ``DependencyRecorder``, what a piece of work reads, for the incremental build.
- ``quickinit``: ``quick_init``, a faster ``__init__`` for frozen dataclasses made by the thousand.

Nothing here imports from another newsgen package but ``newsgen.errors``.
"""
