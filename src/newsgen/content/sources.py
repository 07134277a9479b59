"""Find article source files and read them: bytes (bounded), text (UTF-8,
checked), and the split between YAML front matter and body.

Which files are sources, and in which order, is :func:`discover`'s rule;
turning one into an :class:`~newsgen.model.Article` is :mod:`newsgen.content.loader`'s.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar

from newsgen.config import Config
from newsgen.core.paths import is_within, loop_message, resolved
from newsgen.core.quickinit import quick_init
from newsgen.errors import ContentError, Diagnostic, Severity, display_path

MARKDOWN_SUFFIXES = (".md", ".markdown")
INDEX_NAMES = ("index.md", "index.markdown")  # a folder with one is a story and its updates
WIRE_SUFFIXES = (".txt",)
#: Agency wire formats, read in ``seeds/`` only: IPTC ninjs (JSON) and NITF (XML).
AGENCY_KINDS = {".json": "ninjs", ".xml": "nitf"}
#: Posts other generators read and newsgen does not (Pelican's reStructuredText, Jekyll's HTML
#: posts...): outside a story folder (where such a file is one of the story's own) they are left
#: out with a warning, so an archive never loses a story without a word.
UNREAD_POSTS = {
    ".rst": "a reStructuredText",
    ".html": "an HTML",
    ".htm": "an HTML",
    ".textile": "a Textile",
    ".adoc": "an AsciiDoc",
    ".asciidoc": "an AsciiDoc",
    ".org": "an Org",
    ".ipynb": "a Jupyter notebook",
}
#: A translation beside a story folder's ``index.md`` (Hugo's and Zola's ``index.fr.md``,
#: ``index.pt-br.md``): newsgen publishes one language per site, so it is left out, with a warning.
_TRANSLATION = re.compile(r"^index\.[a-z]{2,3}(?:[-_][a-z]{2,4})?\.(?:md|markdown)$", re.IGNORECASE)
#: Folders read although their names start with ``_``: Jekyll keeps its posts in ``_posts/``
#: (also below a category folder, ``news/_posts/``), and a newsroom moving in copies it as it is.
POST_FOLDERS = frozenset({"_posts"})
_SOURCE_SUFFIXES = frozenset(MARKDOWN_SUFFIXES + WIRE_SUFFIXES)  # in either folder
_FENCE_OPEN = re.compile(r"^---[ \t]*$")
#: A line closing front matter, searched for in the whole text.
_FENCE_LINE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


@quick_init
@dataclass(frozen=True)
class Source:
    """A file that will become an article."""

    path: Path  # absolute
    display: str  # as shown to the user, relative to the site folder
    kind: str  # "markdown", "wire" (plain text), "ninjs" or "nitf"
    #: A live story's ``index.md``: the other Markdown files of its folder, its
    #: updates (:mod:`newsgen.content.live`), sorted by path
    updates: tuple[Source, ...] = ()
    #: A story folder's other files (its photos, a PDF...), as Hugo's page bundles and Zola's
    #: colocated assets keep them beside ``index.md``: published beside the story's page,
    #: at the same place relative to it (:func:`newsgen.site.assets.colocated`); sorted by path
    assets: tuple[Path, ...] = ()


def discover(config: Config) -> tuple[list[Source], list[Diagnostic]]:
    """Every article source under the articles and seeds folders, sorted by path:
    Markdown and plain-text wire copy in either, ninjs ``.json`` and NITF
    ``.xml`` in ``seeds/``.

    In a folder under ``articles/``, an ``index.md`` makes the folder one story: its other
    Markdown files are that story's live updates (``Source.updates``), not
    stories of their own (:mod:`newsgen.content.live`). ``articles/index.md``
    itself is an ordinary story.

    Hidden files and folders and names starting with ``_`` are skipped (a copied site's
    ``_layouts``, ``_includes``, ``_drafts``...), but for :data:`POST_FOLDERS`: Jekyll's
    ``_posts`` is read, wherever it is, as the posts it holds.
    A story folder's files that are not sources are its :attr:`Source.assets`, with those of
    its subfolders (``img/``) but a subfolder that is a story folder itself.
    Symbolic links are followed only while they stay inside the site folder;
    one that points outside, or whose links loop, is an error naming the link.
    """
    site = config.paths.site
    site_real = site.resolve()
    found: dict[str, Source] = {}
    errors: list[Diagnostic] = []
    seen_dirs: set[Path] = set()
    others: dict[Path, list[Path]] = {}  # each folder under articles/: its files that are no source
    stories: dict[Path, str] = {}  # each story folder under articles/: its index.md (shown)

    def bad_link(p: Path) -> bool:
        """Is ``p`` a symbolic link that must not be followed? Reports it when so."""
        if not p.is_symlink():
            return False
        real = resolved(p)
        if real is None:
            message = loop_message(p)
        elif not is_within(real, site_real):
            message = f"symbolic link points outside the site folder (to {os.readlink(p)})"
        else:
            return False
        errors.append(Diagnostic(display_path(p, site), None, None, message))
        return True

    for folder in (config.paths.articles, config.paths.seeds):
        if bad_link(folder) or not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in _walk(str(folder)):
            here = Path(dirpath)
            real = here.resolve()
            if real in seen_dirs:  # a symlink loop or a folder reached twice
                dirnames[:] = []
                continue
            seen_dirs.add(real)
            dirnames[:] = sorted(
                d
                for d in dirnames
                if (d in POST_FOLDERS or not d.startswith((".", "_"))) and not bad_link(here / d)
            )
            shown_here = display_path(here, site)
            here_md: list[str] = []  # this folder's Markdown sources, in order
            for name in sorted(filenames):
                if name.startswith((".", "_")):
                    continue
                # os.path.splitext's suffix, for a name that does not start with a dot
                dot = name.rfind(".")
                suffix = name[dot:].lower() if dot > 0 else ""
                agency = AGENCY_KINDS.get(suffix) if folder == config.paths.seeds else None
                if filenames[name] and bad_link(here / name):
                    continue
                if suffix not in _SOURCE_SUFFIXES and agency is None:
                    if folder == config.paths.articles:
                        others.setdefault(here, []).append(here / name)
                    continue
                shown = name if shown_here == "." else f"{shown_here}/{name}"
                kind = agency or ("markdown" if suffix in MARKDOWN_SUFFIXES else "wire")
                if shown not in found:
                    found[shown] = Source(here / name, shown, kind)
                    if kind == "markdown":
                        here_md.append(shown)
            if folder == config.paths.articles and dirpath != str(folder):  # a story folder, not articles/
                index = _bundle_updates(found, here_md, errors)
                if index is not None:
                    stories[here] = index
    for path in _attach_assets(found, stories, others, config.paths.articles):
        unread = UNREAD_POSTS.get(path.suffix.lower())
        if unread is not None:
            errors.append(_left_out(display_path(path, site), f"{unread} post is not read"))
    return [found[k] for k in sorted(found)], errors


def _left_out(shown: str, why: str) -> Diagnostic:
    return Diagnostic(
        shown,
        None,
        None,
        f"left out: {why}; newsgen reads Markdown (.md, .markdown) and plain-text wire copy (.txt), "
        "so convert it to Markdown (pandoc -t markdown does) or remove it",
        Severity.WARNING,
    )


def _walk(top: str) -> Iterator[tuple[str, list[str], dict[str, bool]]]:
    """Like ``os.walk(top, followlinks=True)`` (top down; the caller may prune the subfolders
    it is given), but the files come with whether each is a symbolic link, known from the
    folder's listing without one ``lstat`` per file."""
    stack = [top]
    while stack:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                entries = list(it)
        except OSError:
            continue
        dirnames: list[str] = []
        files: dict[str, bool] = {}
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                dirnames.append(entry.name)
            else:
                try:
                    files[entry.name] = entry.is_symlink()
                except OSError:
                    files[entry.name] = True  # looked at again, and reported, by the caller
        yield here, dirnames, files
        stack.extend(os.path.join(here, d) for d in reversed(dirnames))


def _bundle_updates(found: dict[str, Source], shown: list[str], notes: list[Diagnostic]) -> str | None:
    """A folder whose Markdown files include ``index.md`` (or ``index.markdown``) is one
    story: its other Markdown files become the index's ``updates``, but its translations
    (:data:`_TRANSLATION`), left out with a warning in ``notes``. Returns the index (shown)."""
    index = next((s for s in shown if s.rsplit("/", 1)[-1] in INDEX_NAMES), None)
    if index is None:
        return None
    for s in [s for s in shown if _TRANSLATION.match(s.rsplit("/", 1)[-1])]:
        del found[s]
        shown.remove(s)
        notes.append(
            Diagnostic(
                s,
                None,
                None,
                f"left out: a translation of {index.rsplit('/', 1)[-1]} (newsgen publishes one "
                "language per site); build each language as a site of its own, or remove it",
                Severity.WARNING,
            )
        )
    if len(shown) < 2:
        return index
    updates = tuple(found.pop(s) for s in shown if s != index)
    found[index] = replace(found[index], updates=updates)
    return index


def _attach_assets(
    found: dict[str, Source], stories: dict[Path, str], others: dict[Path, list[Path]], top: Path
) -> list[Path]:
    """Give each story folder's index the files below it that are no source (its assets),
    but those in a story folder of their own; returns the files in no story folder."""
    assets: dict[str, list[Path]] = {}
    loose: list[Path] = []
    for here, files in others.items():
        folder = here
        while folder not in stories and folder != top:  # (every folder walked is below top)
            folder = folder.parent
        if folder in stories:
            assets.setdefault(stories[folder], []).extend(files)
        else:
            loose += files
    for index, files in assets.items():
        found[index] = replace(found[index], assets=tuple(sorted(files)))
    return sorted(loose)


def read_source(source: Source, limit: int) -> bytes:
    """The bytes of a source file: a regular file of at most ``limit`` bytes.

    Reads at most ``limit + 1`` bytes, so a file that grows while it is read,
    a FIFO or a device never makes the build hang or run out of memory.
    """
    try:
        fd = os.open(source.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ContentError(
            Diagnostic(source.display, None, None, f"cannot read file: {exc.strerror}")
        ) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ContentError(
                Diagnostic(
                    source.display, None, None, "not a regular file (a FIFO, socket or device); remove it"
                )
            )
        if st.st_size > limit:
            raise ContentError(
                Diagnostic(
                    source.display,
                    None,
                    None,
                    f"file is {st.st_size} bytes, over the limit of {limit} (max_file_size in newsgen.yaml)",
                )
            )
        chunks = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise ContentError(
                Diagnostic(
                    source.display,
                    None,
                    None,
                    f"file is over the limit of {limit} bytes (max_file_size in newsgen.yaml)",
                )
            )
        return b"".join(chunks)
    except OSError as exc:
        raise ContentError(
            Diagnostic(source.display, None, None, f"cannot read file: {exc.strerror}")
        ) from None
    finally:
        os.close(fd)


def decode(data: bytes, display: str) -> str:
    """UTF-8 (BOM allowed) to text with ``\\n`` line ends, or a ContentError
    naming the line, column and byte offset of the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError(
            Diagnostic(display, 1, 1, "file is UTF-16 (byte order mark at byte offset 0); save it as UTF-8")
        )
    base = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # a UTF-8 byte order mark is dropped
    sample = data[base : base + 64]
    if sample and sample.count(b"\x00") * 3 >= len(sample):
        at = data.index(b"\x00", base)
        raise _encoding_problem(
            data,
            display,
            at,
            f"file looks like UTF-16 (NUL bytes, the first at byte offset {at}); save it as UTF-8",
        )
    try:
        text = data[base:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = base + exc.start
        raise _encoding_problem(
            data,
            display,
            at,
            f"not valid UTF-8: byte 0x{data[at]:02x} at byte offset {at}; the file may be "
            "Latin-1 or Windows-1252: save it as UTF-8",
        ) from None
    at = data.find(b"\x00", base)  # the bytes, not the text: a byte search is a memchr
    if at >= 0:
        raise _encoding_problem(
            data, display, at, f"file contains a NUL byte at byte offset {at}; is it a text file?"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n") if b"\r" in data else text


def _encoding_problem(data: bytes, display: str, at: int, message: str) -> ContentError:
    """An error about the byte at offset ``at``, placed at its line and column."""
    line, col = _byte_position(data, at)
    return ContentError(Diagnostic(display, line, col, message))


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of ``offset``."""
    before = data[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def split_front_matter(text: str, display: str) -> tuple[str | None, int, str, int]:
    """Split text into (front matter, its first line, body, body's first line): the front
    matter is the lines between a first line ``---`` and the next line ``---`` or ``...``."""
    opened = text.find("\n")
    if not _FENCE_OPEN.match(text if opened < 0 else text[:opened]):
        return None, 0, text, 1
    close = _FENCE_LINE.search(text, opened + 1) if opened >= 0 else None
    if close is None:
        raise ContentError(
            Diagnostic(
                display,
                1,
                1,
                "front matter opened with '---' is never closed; add a line '---' after it",
            )
        )
    start, end = close.span()
    front = text[opened + 1 : max(opened + 1, start - 1)]  # without the line break before the fence
    return front, 2, text[end + 1 :], text.count("\n", 0, start) + 2


T = TypeVar("T")


def load_each(
    sources: list[Source], load_one: Callable[[Source], tuple[T | None, list[Diagnostic]]]
) -> tuple[list[T], list[Diagnostic], list[Diagnostic]]:
    """``load_one`` on every source, in order: the values (a ``None`` is left out), the warnings, and
    the errors of every file that raised :class:`ContentError` (collected, so one build reports them all)."""
    values: list[T] = []
    warnings: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    for source in sources:
        try:
            value, warns = load_one(source)
        except ContentError as exc:
            errors.extend(exc.diagnostics)
            continue
        warnings.extend(warns)
        if value is not None:
            values.append(value)
    return values, warnings, errors


def discover_pages(config: Config) -> list[Source]:
    """Every Markdown file under the pages folder (:mod:`newsgen.content.pages` loads them),
    sorted by path; hidden files and names starting with ``_`` are skipped, symbolic links
    leaving the site too."""
    root = config.paths.pages_dir
    site = config.paths.site
    if not root.is_dir() or not is_within(root.resolve(), site.resolve()):
        return []
    found: list[Source] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        here = Path(dirpath)
        for name in sorted(filenames):
            path = here / name
            if name.startswith((".", "_")) or path.suffix.lower() not in MARKDOWN_SUFFIXES:
                continue
            if path.is_symlink() and not is_within(path.resolve(), site.resolve()):
                continue
            found.append(Source(path, display_path(path, site), "markdown"))
    return sorted(found, key=lambda s: s.display)
