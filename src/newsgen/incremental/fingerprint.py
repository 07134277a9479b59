"""Page fingerprints: a digest of everything a page's template reads.

A page whose key is unchanged since the last build, and whose output file is
still what that build wrote, is not rendered again. The key digests the
page's context with :class:`Fingerprinter`, leaving out the two *deep* values
(a story's body, a group's story list); those are digested only when the
page read them while rendering (recorded by
:class:`newsgen.core.recording.DependencyRecorder`).
"""

from __future__ import annotations

import dataclasses
import enum
import operator
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from newsgen.core.digests import digest
from newsgen.model import Article, Group


class Unfingerprintable(TypeError):
    """A template input whose content cannot be summarised; the page is always rendered."""


#: Fields a page key leaves out unless the page's templates read them
#: (recorded while rendering, see ``newsgen.incremental.stages``): a story's body,
#: and the story list of a section, tag, author or archive. So fixing a typo
#: in one body does not re-render every page whose navigation names its
#: section, and a new story re-renders only the pages that list its groups.
DEEP_FIELDS = {Article: "body", Group: "stories"}


def deep_field(obj: Any) -> str | None:
    if isinstance(obj, Article):
        return "body"
    if isinstance(obj, Group):
        return "stories"
    return None


#: Values digested by their ``repr``, which names their type and is unambiguous.
_BY_REPR = frozenset({str, int, float, bool, type(None), datetime, date, time, timedelta, bytes})


class Fingerprinter:
    """Digests of template inputs. Dataclasses are digested once per build
    (memoised by identity), so a page listing twenty stories costs twenty
    look-ups. Articles and groups are digested without their deep field
    (:data:`DEEP_FIELDS`); :meth:`deep` digests that field.

    A value is digested as a text that spells it unambiguously: ``repr`` for
    plain values (so ``'1'``, ``1`` and ``Markup('1')`` differ), brackets
    around containers, ``@`` and a digest for a dataclass."""

    def __init__(self) -> None:
        self._memo: dict[int, str] = {}
        self._keep: list[Any] = []  # keeps memoised objects alive so ids stay unique
        self._fields: dict[type, Any] = {}  # dataclass -> how to spell its fields

    def article(self, a: Article, key: str) -> None:
        """Use ``key`` (which determines every field of ``a``) as its digest."""
        self._memo[id(a)] = "@" + key
        self._keep.append(a)

    def digest(self, value: Any) -> str:
        return digest(self._text(value))

    def deep(self, obj: Any) -> str:
        """Digest of the deep field of an article or group. A body kept in
        the cache is digested by its key, without loading it."""
        name = deep_field(obj)
        if name is None:
            return self.digest(obj)
        value = getattr(obj, name)
        if not isinstance(value, (str, tuple)):
            return digest("lazy", value.key)
        return self.digest(value)

    def deep_token(self, obj: Any) -> str:
        """A short text that determines :meth:`deep` of ``obj`` (equal tokens, equal
        digests): a kept body's key as it is, without digesting it; else the digest."""
        value = getattr(obj, deep_field(obj) or "", None)
        if value is not None and not isinstance(value, (str, tuple)):
            return "lazy:" + value.key
        return "=" + self.deep(obj)

    def _text(self, v: Any) -> str:
        t = type(v)
        if t in _BY_REPR:
            return repr(v)
        memo = self._memo.get(id(v))
        if memo is not None:
            return memo
        if t is tuple or t is list or (isinstance(v, (list, tuple)) and not isinstance(v, str)):
            by_repr, memo_get, text = _BY_REPR, self._memo.get, self._text
            return (
                t.__name__
                + "["
                + ",".join([repr(x) if type(x) in by_repr else (memo_get(id(x)) or text(x)) for x in v])
                + "]"
            )
        if isinstance(v, str):  # Markup and other str types: repr names the type
            return f"{t.__name__}({v!r})"
        if isinstance(v, Mapping):  # insertion order is part of what a template sees
            by_repr, memo_get, text = _BY_REPR, self._memo.get, self._text
            return (
                t.__name__
                + "{"
                + ",".join(
                    [
                        (repr(k) if type(k) in by_repr else text(k))
                        + ":"
                        + (repr(x) if type(x) in by_repr else (memo_get(id(x)) or text(x)))
                        for k, x in v.items()
                    ]
                )
                + "}"
            )
        if isinstance(v, (set, frozenset)):
            return "set{" + ",".join(sorted(self._text(x) for x in v)) + "}"
        shape = self._fields.get(t)
        if shape is None and dataclasses.is_dataclass(v) and not isinstance(v, type):
            skip = deep_field(v)
            names = tuple(f.name for f in dataclasses.fields(v) if f.name != skip)
            shape = self._fields[t] = (
                f"{t.__module__}.{t.__qualname__}(",
                tuple(n + "=" for n in names),
                operator.attrgetter(*names) if names else None,
                len(names),
            )
        if shape is not None:
            by_repr, memo_get, to_text = _BY_REPR, self._memo.get, self._text
            prefix, labels, get, count = shape
            values = get(v) if count > 1 else (get(v),) if count else ()
            text = (
                prefix
                + ",".join(
                    [
                        n + (repr(x) if type(x) in by_repr else (memo_get(id(x)) or to_text(x)))
                        for n, x in zip(labels, values, strict=False)
                    ]
                )
                + ")"
            )
            memo = "@" + digest(text) if len(text) > 200 else text  # short: spelt out, not hashed
            self._memo[id(v)] = memo
            self._keep.append(v)
            return memo
        if isinstance(v, (datetime, date, time, PurePath, enum.Enum, ZoneInfo)):
            return repr(v)
        raise Unfingerprintable(f"{t.__module__}.{t.__qualname__}")
