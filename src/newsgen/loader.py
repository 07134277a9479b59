"""Find source files and load each into an :class:`~newsgen.model.Article`.

Two formats:

Markdown (``.md``, ``.markdown``)
    Optional YAML front matter between a first line ``---`` and a closing
    ``---`` (or ``...``) line, then a Markdown body.

Wire copy (``.txt``)
    The format news agencies send: the first non-empty line is the headline,
    then paragraphs separated by blank lines; a last line reading
    ``MORE STORIES`` (any case) is the agency's marker and is dropped. Text is
    escaped, never interpreted. Optional front matter works as for Markdown; a
    front matter ``title`` replaces the headline line.

Front matter keys understood, as Jekyll, Hugo and Eleventy sites write them:

    title                      headline (required)
    date / publishDate         when published; a date or a date and time
    updated / last_modified / lastmod    when last updated
    author / authors           one name, or a list of names
    section / category / categories      the first is the section
    tags                       a list, or comma-separated text
    summary / excerpt / description      standfirst; else the first paragraph
    slug                       URL segment; else the filename (Markdown) or
                               the headline (wire copy)
    draft (or published: false)          not published
    image                      lead image URL
    image_alt                  text alternative of the lead image (warning when
                               an image has none)
    image_caption              caption shown under the lead image
    dateline                   place the story was filed from, e.g. MEXICO CITY;
                               shown before the first paragraph
    embargo                    date and time before which the story appears
                               nowhere (no page, list, feed or link)
    expires / expiryDate       date and time from which the story appears nowhere
    corrections                a list of entries, each a ``date`` and a ``text``:
                                   corrections:
                                     - date: 2025-04-03T12:00
                                       text: An earlier version misspelt ...

Every other key is kept in ``Article.extra`` for templates.

Dating: ``date`` in front matter; else a ``YYYY-MM-DD-`` filename prefix
(midnight, site timezone); else the site's ``default_date`` (1970-01-01 when
unset, with a warning). Never the file's modification time, which differs
between clones.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .config import Config
from .dates import DateProblem, midnight, parse_datetime
from .errors import ContentError, Diagnostic, Severity, display_path
from .markup import (
    MarkdownRenderer, count_words, first_paragraph_text, is_dangerous_url, truncate, wire_to_html,
)
from .mdguard import MarkdownProblem
from .model import Article, Correction
from .urls import article_url, output_path, slugify
from .yamlio import MAX_FRONT_MATTER, Entry, YamlProblem, parse_mapping

MARKDOWN_SUFFIXES = (".md", ".markdown")
WIRE_SUFFIXES = (".txt",)
_FENCE_OPEN = re.compile(r"^---[ \t]*$")
_FENCE_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_UNSAFE_SLUG = re.compile(r"[/\\%.\x00-\x1f\x7f]|^.{81}", re.S)  # path-like, or too long for a slug
_DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
_MORE_STORIES = re.compile(r"^\s*more\s+stories\s*$", re.I)
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")

# Front matter key -> canonical field. Earlier aliases win.
_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "date": ("date", "publishDate"),
    "updated": ("updated", "last_modified", "lastmod"),
    "authors": ("authors", "author"),
    "section": ("section", "category", "categories"),
    "tags": ("tags",),
    "summary": ("summary", "excerpt", "description"),
    "slug": ("slug",),
    "draft": ("draft",),
    "image": ("image",),
    "image_alt": ("image_alt",),
    "image_caption": ("image_caption",),
    "dateline": ("dateline",),
    "embargo": ("embargo",),
    "expires": ("expires", "expiryDate"),
    "corrections": ("corrections",),
}


@dataclass(frozen=True)
class Source:
    """A file that will become an article."""

    path: Path  # absolute
    display: str  # as shown to the user, relative to the site folder
    kind: str  # "markdown" or "wire"


# --------------------------------------------------------------------------- discover


def discover(config: Config) -> tuple[list[Source], list[Diagnostic]]:
    """Every article source under the articles and seeds folders, sorted by path.

    Hidden files and folders and names starting with ``_`` are skipped.
    Symbolic links are followed only while they stay inside the site folder;
    one that points outside is an error naming the link.
    """
    site = config.paths.site
    site_real = site.resolve()
    found: dict[str, Source] = {}
    errors: list[Diagnostic] = []
    seen_dirs: set[Path] = set()

    def outside(p: Path) -> bool:
        if p.is_symlink() and not _inside(p.resolve(), site_real):
            errors.append(Diagnostic(display_path(p, site), None, None,
                                     f"symbolic link points outside the site folder (to {os.readlink(p)})"))
            return True
        return False

    for folder in (config.paths.articles, config.paths.seeds):
        if not folder.is_dir() or outside(folder):
            continue
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=True):
            here = Path(dirpath)
            real = here.resolve()
            if real in seen_dirs:  # a symlink loop or a folder reached twice
                dirnames[:] = []
                continue
            seen_dirs.add(real)
            dirnames[:] = sorted(d for d in dirnames
                                 if not d.startswith((".", "_")) and not outside(here / d))
            shown_here = display_path(here, site)
            for name in sorted(filenames):
                if name.startswith((".", "_")):
                    continue
                suffix = os.path.splitext(name)[1].lower()
                if suffix not in MARKDOWN_SUFFIXES + WIRE_SUFFIXES:
                    continue
                if os.path.islink(os.path.join(dirpath, name)) and outside(here / name):
                    continue
                shown = name if shown_here == "." else f"{shown_here}/{name}"
                kind = "markdown" if suffix in MARKDOWN_SUFFIXES else "wire"
                if shown not in found:
                    found[shown] = Source(here / name, shown, kind)
    return [found[k] for k in sorted(found)], errors


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


# --------------------------------------------------------------------------- read


class _FileErrors:
    """Collects the problems of one file."""

    def __init__(self, source: Source):
        self.source = source
        self.errors: list[Diagnostic] = []
        self.warnings: list[Diagnostic] = []

    def error(self, line: int | None, col: int | None, message: str) -> None:
        self.errors.append(Diagnostic(self.source.display, line, col, message))

    def warn(self, line: int | None, col: int | None, message: str) -> None:
        self.warnings.append(Diagnostic(self.source.display, line, col, message, Severity.WARNING))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ContentError(self.errors)


def decode(data: bytes, display: str) -> str:
    """UTF-8 (BOM allowed) to text with ``\\n`` line ends, or a ContentError
    naming the line, column and byte offset of the first bad byte."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ContentError(Diagnostic(display, 1, 1, "file is UTF-16 (byte order mark at byte offset 0); "
                                                     "save it as UTF-8"))
    base = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # a UTF-8 byte order mark is dropped
    sample = data[base:base + 64]
    if sample and sample.count(b"\x00") * 3 >= len(sample):
        at = data.index(b"\x00", base)
        line, col = _byte_position(data, at)
        raise ContentError(Diagnostic(display, line, col, f"file looks like UTF-16 (NUL bytes, the first at "
                                                          f"byte offset {at}); save it as UTF-8"))
    try:
        text = data[base:].decode("utf-8")
    except UnicodeDecodeError as exc:
        at = base + exc.start
        line, col = _byte_position(data, at)
        raise ContentError(Diagnostic(
            display, line, col,
            f"not valid UTF-8: byte 0x{data[at]:02x} at byte offset {at}; the file may be "
            "Latin-1 or Windows-1252: save it as UTF-8",
        )) from None
    if "\x00" in text:
        at = data.index(b"\x00", base)
        line, col = _byte_position(data, at)
        raise ContentError(Diagnostic(display, line, col, f"file contains a NUL byte at byte offset {at}; "
                                                          "is it a text file?"))
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in bytes) of ``offset``."""
    before = data[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def split_front_matter(text: str, display: str) -> tuple[str | None, int, str, int]:
    """Split text into (front matter, its first line, body, body's first line)."""
    if not _FENCE_OPEN.match(text.split("\n", 1)[0]):
        return None, 0, text, 1
    lines = text.split("\n")
    for i in range(1, len(lines)):
        if _FENCE_CLOSE.match(lines[i]):
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1:]), i + 2
    raise ContentError(Diagnostic(
        display, 1, 1, "front matter opened with '---' is never closed; add a line '---' after it",
    ))


# --------------------------------------------------------------------------- fields


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _as_text(f: _FileErrors, e: Entry, value: Any = None, what: str | None = None) -> str | None:
    """Text from a scalar; numbers keep the spelling the author wrote."""
    v = e.value if value is None else value
    name = what or e.key
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        shown = e.raw if e.raw is not None and value is None else str(v).lower()
        f.error(e.line, e.col, f"{name}: expected text, got a boolean ({shown}); "
                               f"YAML reads yes/no/on/off/true/false as booleans, so put it in quotes: \"{shown}\"")
        return None
    if isinstance(v, (int, float)):
        return e.raw if value is None and e.raw is not None else str(v)
    f.error(e.line, e.col, f"{name}: expected text, got {_kind_of(v)}")
    return None


def _as_datetime(f: _FileErrors, e: Entry, tz) -> datetime | None:
    text = e.raw if isinstance(e.value, (str, int, float)) and e.raw is not None else None
    if text is None or isinstance(e.value, bool):
        f.error(e.line, e.col, f"{e.key}: expected a date such as 2025-03-01 or 2025-03-01T09:30:00+01:00, "
                               f"got {_kind_of(e.value)}")
        return None
    try:
        return parse_datetime(str(text), tz)
    except DateProblem as p:
        f.error(e.line, e.col, f"{e.key}: {p}")
        return None


def _as_name_list(f: _FileErrors, e: Entry, split_commas: bool) -> list[str] | None:
    v = e.value
    if v is None:
        return []
    if isinstance(v, str):
        items = v.split(",") if split_commas else [v]
    elif isinstance(v, list):
        items = []
        for item in v:
            if isinstance(item, bool) or item is None or isinstance(item, (list, dict)):
                f.error(e.line, e.col, f"{e.key}: every item must be text, found {_kind_of(item)}")
                return None
            items.append(str(item))
    else:
        expected = "a list or comma-separated text" if split_commas else "a name or a list of names"
        f.error(e.line, e.col, f"{e.key}: expected {expected}, got {_kind_of(v)} ({e.raw if e.raw is not None else v})")
        return None
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        name = " ".join(item.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            out.append(name)
    return out


def _optional_text(f: _FileErrors, e: Entry | None) -> str | None:
    """Text with its spacing folded; empty or missing gives None."""
    if e is None or e.value is None:
        return None
    text = _as_text(f, e)
    if text is None:
        return None
    return " ".join(text.split()) or None


_CORRECTION_KEYS = ("date", "text")


def _as_corrections(f: _FileErrors, e: Entry, tz) -> list[Correction]:
    """A ``corrections:`` list; positions are those of the ``corrections:`` key."""
    v = e.value
    if v is None:
        return []
    example = "a list of entries such as '- date: 2025-04-03' / '  text: An earlier version ...'"
    if not isinstance(v, list):
        f.error(e.line, e.col, f"corrections: expected {example}, got {_kind_of(v)}")
        return []
    out: list[Correction] = []
    for i, item in enumerate(v, start=1):
        where = f"corrections: entry {i}"
        if not isinstance(item, dict):
            f.error(e.line, e.col, f"{where}: expected 'date' and 'text', got {_kind_of(item)}")
            continue
        unknown = sorted(str(k) for k in item if k not in _CORRECTION_KEYS)
        if unknown:
            f.error(e.line, e.col, f"{where}: unknown key {', '.join(map(repr, unknown))}; "
                                   "each entry has only 'date' and 'text'")
        raw_date, text = item.get("date"), item.get("text")
        when = None
        if raw_date is None or isinstance(raw_date, (bool, list, dict)):
            f.error(e.line, e.col, f"{where}: 'date' is missing; give the date of the correction")
        else:
            try:
                when = parse_datetime(str(raw_date), tz)
            except DateProblem as p:
                f.error(e.line, e.col, f"{where}: date: {p}")
        if not isinstance(text, str) or not text.strip():
            f.error(e.line, e.col, f"{where}: 'text' is missing or not text; say what was corrected")
            text = None
        if when is not None and text is not None:
            out.append(Correction(date=when, text=" ".join(text.split())))
    return out


def _pick(entries: dict[str, Entry], field: str) -> Entry | None:
    for key in _ALIASES[field]:
        if key in entries:
            return entries[key]
    return None


# --------------------------------------------------------------------------- load


def _wire_parts(body: str) -> tuple[str | None, list[str]]:
    """The headline line and the paragraphs of wire copy."""
    blocks = []
    for block in _BLANK_LINES.split(body.strip("\n")):
        lines = [ln.strip() for ln in block.split("\n")]
        text = "\n".join(ln for ln in lines if ln)
        if text:
            blocks.append(text)
    if blocks and _MORE_STORIES.match(blocks[-1].split("\n")[-1]):
        last = blocks.pop().split("\n")[:-1]
        if last:
            blocks.append("\n".join(last))
    headline = None
    if blocks:
        first_lines = blocks[0].split("\n")
        headline = first_lines[0]
        rest = "\n".join(first_lines[1:])
        blocks = ([rest] if rest else []) + blocks[1:]
    return headline, blocks


def read_source(source: Source, limit: int) -> bytes:
    """The bytes of a source file: a regular file of at most ``limit`` bytes.

    Reads at most ``limit + 1`` bytes, so a file that grows while it is read,
    a FIFO or a device never makes the build hang or run out of memory.
    """
    try:
        fd = os.open(source.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ContentError(Diagnostic(source.display, None, None, f"cannot read file: {exc.strerror}")) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ContentError(Diagnostic(source.display, None, None,
                                          "not a regular file (a FIFO, socket or device); remove it"))
        if st.st_size > limit:
            raise ContentError(Diagnostic(source.display, None, None,
                                          f"file is {st.st_size} bytes, over the limit of {limit} "
                                          "(max_file_size in newsgen.yaml)"))
        chunks = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:
            raise ContentError(Diagnostic(source.display, None, None,
                                          f"file is over the limit of {limit} bytes (max_file_size in "
                                          "newsgen.yaml)"))
        return b"".join(chunks)
    except OSError as exc:
        raise ContentError(Diagnostic(source.display, None, None, f"cannot read file: {exc.strerror}")) from None
    finally:
        os.close(fd)


def load_article(source: Source, config: Config, md: MarkdownRenderer) -> tuple[Article, list[Diagnostic]]:
    """Load one source file. Returns the article and its warnings; raises
    :class:`ContentError` listing every problem found in the file."""
    f = _FileErrors(source)
    data = read_source(source, config.max_file_size)
    text = decode(data, source.display)
    fm_text, fm_line, body, body_line = split_front_matter(text, source.display)

    entries: dict[str, Entry] = {}
    if fm_text is not None:
        try:
            parsed = parse_mapping(fm_text, first_line=fm_line, max_chars=MAX_FRONT_MATTER) or []
        except YamlProblem as p:
            raise ContentError(Diagnostic(source.display, p.line, p.col, p.message)) from None
        entries = {e.key: e for e in parsed}
    consumed: set[str] = set()
    for aliases in _ALIASES.values():
        consumed.update(aliases)
    tz = config.tz

    # title
    title: str | None = None
    e = _pick(entries, "title")
    if e is not None and e.value is not None:
        title = _as_text(f, e)
        if title is not None and not title.strip():
            f.error(e.line, e.col, "title: is empty; every article needs a headline")
            title = None
        elif title is not None:
            title = " ".join(title.split())
    elif e is not None:
        f.error(e.line, e.col, "title: is empty; every article needs a headline")

    # body
    if source.kind == "wire":
        # The first line is always the headline; a front matter title replaces it.
        headline, paragraphs = _wire_parts(body)
        if title is None and e is None:
            if headline is None:
                f.error(body_line, 1, "wire copy is empty; expected a headline line, then paragraphs")
            else:
                title = " ".join(headline.split())
        body_html = wire_to_html(paragraphs)
    else:
        if e is None:
            f.error(1 if fm_text is None else fm_line - 1, 1,
                    "title: missing; add 'title: ...' to the front matter")
        try:
            body_html = md.convert(body)
        except MarkdownProblem as p:
            f.error(body_line + p.line - 1, 1, p.message)
            body_html = ""
        except RecursionError:
            f.error(body_line, 1, "Markdown is nested too deeply to convert")
            body_html = ""
        except Exception as exc:  # Python-Markdown bug on crafted input
            f.error(body_line, 1, f"Markdown could not be converted ({type(exc).__name__}: {exc})")
            body_html = ""

    # date
    date_from = "front matter"
    e = _pick(entries, "date")
    date = _as_datetime(f, e, tz) if e is not None and e.value is not None else None
    stem = source.path.stem
    prefix = _DATE_PREFIX.match(stem)
    if prefix:
        stem = prefix.group(2)
    if date is None and (e is None or e.value is None):
        if prefix:
            try:
                date = parse_datetime(prefix.group(1), tz)
                date_from = "filename"
            except DateProblem as p:
                f.error(None, None, f"filename: {p}")
        if date is None and not f.errors:
            date_from = "default_date"
            if config.default_date is not None:
                date = midnight(config.default_date, tz)
            else:
                date = datetime(1970, 1, 1, tzinfo=tz)
                f.warn(None, None, "no date in front matter or filename; dated 1970-01-01. Add 'date:' or "
                                   "set default_date in newsgen.yaml")

    # updated
    updated = None
    e = _pick(entries, "updated")
    if e is not None and e.value is not None:
        updated = _as_datetime(f, e, tz)

    # authors
    authors: list[str] = []
    e = _pick(entries, "authors")
    if e is not None:
        authors = _as_name_list(f, e, split_commas=False) or []

    # section
    section: str | None = None
    e = _pick(entries, "section")
    if e is not None and e.value is not None:
        if isinstance(e.value, list):
            names = _as_name_list(f, e, split_commas=False) or []
            section = names[0] if names else None
        else:
            section = _as_text(f, e)
            section = " ".join(section.split()) if section else None

    # tags
    tags: list[str] = []
    e = _pick(entries, "tags")
    if e is not None:
        tags = _as_name_list(f, e, split_commas=True) or []

    # summary
    summary = ""
    e = _pick(entries, "summary")
    if e is not None and e.value is not None:
        summary = " ".join((_as_text(f, e) or "").split())
    if not summary:
        summary = first_paragraph_text(body_html)

    # slug
    slug_source = stem if source.kind == "markdown" else (title or stem)
    e = _pick(entries, "slug")
    if e is not None and e.value is not None:
        slug_source = _as_text(f, e) or slug_source
    slug = slugify(slug_source)
    if e is not None and isinstance(e.value, str) and _UNSAFE_SLUG.search(e.value):
        f.warn(e.line, e.col, f"slug: {e.value[:100]!r} is not a safe URL segment; using {slug!r} "
                              "(letters, digits and '-', at most 80 characters)")

    # draft (Jekyll: published: false)
    draft = False
    e = _pick(entries, "draft")
    if e is not None and e.value is not None:
        if isinstance(e.value, bool):
            draft = e.value
        else:
            f.error(e.line, e.col, f"draft: expected true or false, got {e.raw or _kind_of(e.value)}")
    pub = entries.get("published")
    if pub is not None and pub.value is False:
        draft = True

    # image
    image = None
    e = _pick(entries, "image")
    if e is not None and e.value is not None:
        image = (_as_text(f, e) or "").strip() or None
        if image is not None and is_dangerous_url(image):
            f.error(e.line, e.col, "image: javascript:, vbscript: and data: URLs are not allowed")
            image = None
    image_alt = _optional_text(f, _pick(entries, "image_alt"))
    image_caption = _optional_text(f, _pick(entries, "image_caption"))
    if image is not None and image_alt is None and e is not None:
        f.warn(e.key_line, e.key_col, "image: has no image_alt; add a short description of the picture "
                                      "for readers who cannot see it")

    dateline = _optional_text(f, _pick(entries, "dateline"))

    # embargo, expires
    clock: dict[str, datetime | None] = {}
    for key in ("embargo", "expires"):
        e = _pick(entries, key)
        clock[key] = _as_datetime(f, e, tz) if e is not None and e.value is not None else None
    embargo, expires = clock["embargo"], clock["expires"]
    e = _pick(entries, "expires")
    if expires is not None and date is not None and e is not None:
        starts = max(date, embargo) if embargo is not None else date
        if expires <= starts:
            f.warn(e.line, e.col, f"{e.key}: {expires.isoformat()} is not after the story is published "
                                  f"({starts.isoformat()}); it will never appear")

    corrections: list[Correction] = []
    e = _pick(entries, "corrections")
    if e is not None:
        corrections = _as_corrections(f, e, tz)

    f.raise_if_any()
    assert title is not None and date is not None

    extra = {k: v.value for k, v in entries.items() if k not in consumed}
    cats = entries.get("categories")
    if cats is not None and isinstance(cats.value, list):
        extra["categories"] = [str(c) for c in cats.value]
    if "description" in entries and entries["description"] is not _pick(entries, "summary"):
        extra["description"] = entries["description"].value

    local_date = date.astimezone(tz)
    url = article_url(config.permalink, local_date, slug, section)
    article = Article(
        source=source.display,
        source_path=source.path,
        kind=source.kind,
        title=title,
        slug=slug,
        date=date,
        updated=updated,
        authors=tuple(authors),
        section=section,
        tags=tuple(tags),
        summary=truncate(summary, 600),
        body_html=body_html,
        word_count=count_words(body_html),
        url=url,
        output_path=output_path(url),
        draft=draft,
        image=image,
        date_from=date_from,
        extra=extra,
        image_alt=image_alt,
        image_caption=image_caption,
        dateline=dateline,
        embargo=embargo,
        expires=expires,
        corrections=tuple(corrections),
        field_lines={name: e.key_line for name in _ALIASES if (e := _pick(entries, name)) is not None},
    )
    return article, f.warnings


def load_all(sources: list[Source], config: Config) -> tuple[list[Article], list[Diagnostic]]:
    """Load every source; collect every file's errors before raising."""
    md = MarkdownRenderer(unsafe_html=config.unsafe_html)
    articles: list[Article] = []
    warnings: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    for source in sources:
        try:
            article, warns = load_article(source, config, md)
        except ContentError as exc:
            errors.extend(exc.diagnostics)
            continue
        articles.append(article)
        warnings.extend(warns)
    if errors:
        raise ContentError(errors)
    return articles, warnings
