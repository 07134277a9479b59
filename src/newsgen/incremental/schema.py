"""The tables of the incremental build cache (:mod:`newsgen.incremental.store`).

What is stored, and what each entry is keyed by (every key also includes the
*engine key*, see :mod:`newsgen.incremental.keys`):

``bodies``
    Markdown body text -> HTML. Keyed by the body text, ``unsafe_html`` and ``embeds``.
    Python-Markdown is the dominant cost of a build; a body converted once is
    never converted again, whatever else changed (config, templates, the file's
    front matter or name). A build keeps bodies here, not in memory: an
    article's ``body`` is a :class:`~newsgen.incremental.entries.BodyRef` that reads its body when a
    page or feed shows it, so memory grows with the number of stories, not
    with their text.
``files``
    Source path -> its size, times, inode and device when last seen, and the
    digest of its bytes: a file whose stat signature is unchanged is not read
    again. A file changed in the two seconds before it was looked at is not
    recorded (its time may not show a second change in the same tick).
``articles``
    Source file -> the loaded :class:`~newsgen.model.Article` and its
    warnings. Keyed by the file's bytes and path and by every config setting
    the loader can read (see :data:`~newsgen.incremental.keys.RENDER_ONLY_SETTINGS` for the ones it
    cannot; a test keeps that list honest). With each record, its digest (the *meta*:
    every field but the body, see :mod:`~newsgen.incremental.sameplan`), which each
    rebuild needs for every story and would otherwise hash again (0.5 s at 100,000).
``related``
    Article -> its More Stories (their URLs, one per line). Keyed by the ranking inputs of that article
    only: its own date, tags and section and those of every story the ranking
    looks at (see :meth:`newsgen.site.related.RelatedIndex.inputs`; the key sums
    digests over each window, so it costs as much for 100 as for 100,000
    stories).
``pages``
    Output path -> (page key, SHA-256 and size of the bytes written). The page
    key is a digest of the templates, the config, the template globals, the
    static files' names, sizes and times (templates read picture sizes) and the
    page's whole context (see :class:`Fingerprinter`). A page whose key and
    output file are unchanged is not rendered at all. Feeds are pages too
    (made by a function instead of a template), so an unchanged feed is not
    made again either.
``body_images``
    Body key -> does its HTML hold ``<img`` (:data:`IMAGE_NEEDLE`), noted when
    the body is stored (or first read), so the photos stage learns which
    stories show an image without reading every body.
``body_words``
    Body key -> its words (:func:`~newsgen.core.words.count_words`), counted by the
    load worker that converted it (or when first read), so a rebuild that renders
    every page (a template change) neither reads nor counts every body again for
    the JSON-LD ``wordCount`` and the reading time (at 100,000 stories, 17 CPU-s).
``plan``, ``plan_reads``
    Output path -> the page's own key and page key in the last build, and deep
    read -> its token: the record of :mod:`newsgen.incremental.sameplan`, whose
    plan key and window are in ``meta``. Stored with ``pages``, in one
    transaction, and only the rows that changed.
``meta``
    The cache format, and the build stamp of :mod:`newsgen.incremental.stamp`: when
    nothing the output depends on changed, the next build publishes the same
    files without loading or rendering anything.
"""

#: The cache's file, in the cache folder.
CACHE_FILE = "cache.sqlite3"

#: The tables, made when missing (a cache of another :data:`~newsgen.incremental.keys.FORMAT` is emptied first).
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS bodies(key TEXT PRIMARY KEY, html TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles(key TEXT PRIMARY KEY, record TEXT NOT NULL, body_key TEXT,
                                    meta TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS related(url TEXT PRIMARY KEY, key TEXT NOT NULL, urls TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages(path TEXT PRIMARY KEY, key TEXT NOT NULL, digest TEXT NOT NULL,
                                 size INTEGER NOT NULL, deps TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, sig TEXT NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS body_images(key TEXT PRIMARY KEY, img INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS body_words(key TEXT PRIMARY KEY, words INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS plan(path TEXT PRIMARY KEY, own TEXT NOT NULL, key TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS plan_reads(name TEXT PRIMARY KEY, token TEXT NOT NULL);
"""
#: The tables emptied when the cache format changes (``meta`` is rewritten instead).
TABLES = (
    "bodies",
    "articles",
    "related",
    "pages",
    "files",
    "body_images",
    "body_words",
    "plan",
    "plan_reads",
)

#: The ``meta`` record of the sameplan record's plan key and window (:mod:`newsgen.incremental.sameplan`).
PLAN_META = "own-keys"

#: The text whose presence in each body ``body_images`` notes (an ``<img`` tag).
IMAGE_NEEDLE = "<img"
