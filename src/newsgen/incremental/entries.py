"""What the build cache hands out besides its records: a story body kept in it
(:class:`BodyRef`), and what it remembers of each output page (:class:`PageEntry`), with how
a page's deep reads are spelt in the ``pages`` table (:func:`reads_text`, :func:`read_needle`)
so that the pages reading a story can be found without loading every page's reads."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from typing import Protocol

from newsgen.core.quickinit import quick_init
from newsgen.core.words import count_words
from newsgen.errors import BuildError
from newsgen.incremental.schema import IMAGE_NEEDLE

#: A deep read: ``("article", url)``, ``("Tag", url)``, ... (:func:`newsgen.model.deep_ident`).
Read = tuple[str, str]


class BodyStore(Protocol):
    """What a :class:`BodyRef` reads from (:class:`~newsgen.incremental.store.BuildCache`)."""

    def body(self, key: str) -> str | None: ...
    def has_image(self, key: str) -> bool | None: ...
    def note_image(self, key: str, found: bool) -> bool: ...
    def body_words(self, key: str) -> int | None: ...
    def note_words(self, key: str, words: int) -> None: ...


class BodyRef:
    """A Markdown body kept in the cache: loaded from it each time it is read,
    so a build holds no more than a page's worth of story HTML at a time
    (see :attr:`newsgen.model.Article.body_html`)."""

    __slots__ = ("cache", "key")

    def __init__(self, key: str, cache: BodyStore):
        self.key, self.cache = key, cache

    def text(self) -> str:
        html = self.cache.body(self.key)
        if html is None:
            raise BuildError(
                f"the build cache lost a story body ({self.key}); build again, or with --no-cache"
            )
        return html

    def contains(self, needle: str) -> bool:
        """``needle in self.text()``; for :data:`IMAGE_NEEDLE`, from the cache's note when it has one."""
        if needle != IMAGE_NEEDLE:
            return needle in self.text()
        known = self.cache.has_image(self.key)
        if known is None:
            known = self.cache.note_image(self.key, IMAGE_NEEDLE in self.text())
        return known

    def words(self) -> int:
        """``count_words(self.text())``: from the cache's note when it has one (counted when the
        body was converted), else counted now and noted."""
        words = self.cache.body_words(self.key)
        if words is None:
            words = count_words(self.text())
            self.cache.note_words(self.key, words)
        return words

    def __repr__(self) -> str:
        return f"BodyRef({self.key!r})"


@quick_init
@dataclasses.dataclass(frozen=True)
class PageEntry:
    """What the cache remembers about one output file. ``deps`` is None when the build did
    not load the page's reads (:meth:`~newsgen.incremental.store.BuildCache.pages`): the
    entry is then only ever kept as it is stored, never written."""

    key: str
    digest: str
    size: int
    deps: tuple[Read, ...] | None = ()  # deep reads: ("article", url) / ("Tag", url) ...


def shared_reads(reads: Iterable[Read], pool: dict[Read, Read]) -> tuple[Read, ...]:
    """``reads`` (a page's deep reads, :attr:`PageEntry.deps`) as a tuple, each read the equal one
    already in ``pool`` if any (then added to it). The pages of a site read the same stories
    over and over (at 1,000 articles: 15,436 reads of 1,346 distinct ones); each read that comes
    from a worker or from the cache is a new tuple of new strings, and a 100,000-article build
    would hold about ten copies of each until it ends."""
    return tuple([pool.setdefault(r, r) for r in reads])


def reads_text(reads: Iterable[Read]) -> str:
    """A page's reads as the ``pages`` table stores them: ``[["article", "/a/"], ...]`` (JSON
    spells a tuple as an array: no copy of each read is made)."""
    return json.dumps(tuple(reads))


def read_needle(read: Read) -> str:
    """The text that :func:`reads_text` of a page holds exactly when the page has ``read``
    among its reads: the read's own JSON array. (JSON escapes every quote inside a string,
    so the array cannot begin or end inside one of the strings of another read.)"""
    return json.dumps(list(read))
