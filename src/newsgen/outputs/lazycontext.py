"""Page contexts made when first read.

An article page's context (its ``PageInfo``, bylines, section, tags, More
Stories, ...) costs tens of microseconds to assemble, and at 10,000 articles
that was a third of the plan. Yet a rebuild that keeps a page without
fingerprinting its context (:mod:`newsgen.incremental.sameplan`) never reads
it. :class:`LazyContext` is a read-only mapping whose items are made by a
function on the first read that needs them, then kept; a few items known up
front (the ``article``, which the plan's own checks read) are served without
making the rest. Whoever reads it (the fingerprinter, the template, in this
process or a forked worker) sees exactly the mapping the function returns.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any


class LazyContext(Mapping[str, Any]):
    """The mapping ``make(*args)`` returns, made when first read; ``known`` items
    (which must be the same objects the made mapping holds) are served before that."""

    __slots__ = ("_args", "_known", "_made", "_make")

    def __init__(self, make: Callable[..., Mapping[str, Any]], *args: Any, known: Mapping[str, Any]):
        self._make, self._args, self._known = make, args, known
        self._made: Mapping[str, Any] | None = None

    def _items(self) -> Mapping[str, Any]:
        made = self._made
        if made is None:
            made = self._made = self._make(*self._args)
            self._args = ()
        return made

    def __getitem__(self, key: str) -> Any:
        if self._made is None and key in self._known:
            return self._known[key]
        return self._items()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items())

    def __len__(self) -> int:
        return len(self._items())

    def __contains__(self, key: object) -> bool:
        return key in self._known or key in self._items()

    def __repr__(self) -> str:
        return f"LazyContext({dict(self._items())!r})"


def make_contexts(pages: Iterable[Any]) -> None:
    """Make every page's context that is still unmade, here and now.

    For a stage that forks workers which will all read the contexts (keying every
    page, then rendering them): made once in the parent, the workers inherit
    them; left unmade, the keying worker and then the render worker of each page
    would each make it again."""
    for page in pages:
        context = page.context
        if type(context) is LazyContext:
            context._items()
