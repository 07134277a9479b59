"""The cache's record codec: values to JSON and back, for an allow-list of types.

Records are JSON with a few tagged types (tuples, dates, paths, ...). The only
newsgen types a record may hold are those in :data:`STORED_TYPES`, named by a
fixed label; decoding looks the label up there and nowhere else, so a cache
restored from somewhere untrusted can never make newsgen import a module or
call anything but those constructors. A record naming anything else raises
:class:`RefusedRecord`, which the stages treat as a cache miss.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import math
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from pathlib import Path, PurePath
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

from newsgen.errors import Diagnostic, Severity
from newsgen.model import Article, Correction, LazyText, LiveUpdate


class Uncacheable(TypeError):
    """A value has a type the cache cannot store faithfully."""


class RefusedRecord(ValueError):
    """A cache record names a type the cache never stores: it was written by
    something other than newsgen, and is treated as a miss."""


#: Every newsgen type a cache record may hold, by the name records give it.
#: Decoding looks names up here and nowhere else: a record cannot make the
#: cache import a module or call anything but these constructors.
STORED_TYPES: Mapping[str, type] = MappingProxyType(
    {
        "Diagnostic": Diagnostic,
        "Severity": Severity,
        "Correction": Correction,
        "LiveUpdate": LiveUpdate,
    }
)
_STORED_NAMES = {t: name for name, t in STORED_TYPES.items()}


def encode(v: Any) -> Any:
    """A JSON-ready form of ``v`` that :func:`decode` turns back into an equal
    value of the same type. Plain JSON types pass through; containers and the
    types below are wrapped in a one-key object naming their type."""
    t = type(v)
    if v is None or t is bool or t is str or t is int:
        return v
    if t is float:
        return v if not math.isnan(v) and v not in (float("inf"), float("-inf")) else {"f": repr(v)}
    if t is list:
        return {"l": [encode(x) for x in v]}
    if t is tuple:
        return {"t": [encode(x) for x in v]}
    if t is dict or t is MappingProxyType:
        return {"d" if t is dict else "m": [[encode(k), encode(x)] for k, x in v.items()]}
    if t is set or t is frozenset:
        items = sorted((encode(x) for x in v), key=lambda e: json.dumps(e, sort_keys=True))
        return {"s" if t is set else "fs": items}
    if t is bytes:
        return {"b": v.hex()}
    if t is datetime:
        return {"dt": [v.replace(tzinfo=None).isoformat(), v.fold, _encode_tz(v.tzinfo)]}
    if t is date:
        return {"da": v.isoformat()}
    if t is time and v.tzinfo is None:
        return {"ti": v.isoformat()}
    if isinstance(v, PurePath):
        return {"p": str(v)}
    name = _STORED_NAMES.get(t)
    if name is not None and isinstance(v, enum.Enum):
        return {"e": [name, encode(v.value)]}
    if name is not None:
        fields = {f.name: encode(getattr(v, f.name)) for f in dataclasses.fields(v) if f.init}
        return {"dc": [name, fields]}
    raise Uncacheable(f"cannot cache a value of type {t.__module__}.{t.__qualname__}")


def _encode_tz(tz: Any) -> Any:
    if tz is None:
        return None
    if isinstance(tz, ZoneInfo):
        return {"z": tz.key}
    if type(tz) is timezone and tz.tzname(None) == _offset_name(tz.utcoffset(None)):
        return {"o": tz.utcoffset(None).total_seconds()}
    raise Uncacheable(f"cannot cache time zone {tz!r}")


def _offset_name(off: timedelta) -> str:
    return timezone(off).tzname(None)


def _stored_type(name: Any, kind: str) -> Any:
    """The allowed type a record names (see :data:`STORED_TYPES`)."""
    cls = STORED_TYPES.get(name) if type(name) is str else None
    if cls is None or (kind == "e") != issubclass(cls, enum.Enum):
        raise RefusedRecord(f"a cache record names {str(name)[:80]!r}, which the cache never stores")
    return cls


def decode(e: Any) -> Any:
    """The inverse of :func:`encode`. The tags an article record holds most are tested
    first (a build decodes about a dozen values for each of 10,000 records); empty
    tuples and mappings, and fixed-offset time zones, are shared, not made anew."""
    if not isinstance(e, dict):
        return e
    ((tag, v),) = e.items()
    if tag == "t":
        return tuple([decode(x) if type(x) is dict else x for x in v]) if v else ()
    if tag == "dt":
        naive, fold, tz = v
        d = datetime.fromisoformat(naive)
        if tz is None:
            return d.replace(fold=fold) if fold else d
        return d.replace(fold=fold, tzinfo=ZoneInfo(tz["z"]) if "z" in tz else _offset_zone(tz["o"]))
    if tag == "m":
        if not v:
            return _EMPTY_MAPPING
        return MappingProxyType(
            {decode(k) if type(k) is dict else k: decode(x) if type(x) is dict else x for k, x in v}
        )
    if tag == "l":
        return [decode(x) if type(x) is dict else x for x in v]
    if tag == "d":
        return {decode(k) if type(k) is dict else k: decode(x) if type(x) is dict else x for k, x in v}
    if tag == "p":
        return Path(v)
    if tag == "s":
        return {decode(x) for x in v}
    if tag == "fs":
        return frozenset(decode(x) for x in v)
    if tag == "f":
        return float(v)
    if tag == "b":
        return bytes.fromhex(v)
    if tag == "da":
        return date.fromisoformat(v)
    if tag == "ti":
        return time.fromisoformat(v)
    if tag == "e":
        return _stored_type(v[0], tag)(decode(v[1]))
    if tag == "dc":
        return _stored_type(v[0], tag)(**{k: decode(x) for k, x in v[1].items()})
    raise ValueError(f"unknown tag {tag!r} in a cache record")


#: The empty read-only mapping every decoded empty mapping shares (nothing can change it).
_EMPTY_MAPPING: Mapping[Any, Any] = MappingProxyType({})


@lru_cache(maxsize=64)
def _offset_zone(seconds: float) -> timezone:
    """The fixed-offset time zone ``seconds`` east of UTC, made once per offset."""
    return timezone(timedelta(seconds=seconds))


_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_BODY_AT = _ARTICLE_FIELDS.index("body")
#: The setter of each field's slot, in field order.
_ARTICLE_SLOTS = tuple(getattr(Article, name).__set__ for name in _ARTICLE_FIELDS)


def article_record(article: Article, warnings: list[Diagnostic], body_key: str | None = None) -> str:
    """An article and its warnings as JSON text: the fields in their declared
    order (the engine key changes with newsgen's code, so the order cannot
    differ between writer and reader). With ``body_key`` the body HTML is left
    out: it is stored once, in ``bodies``, under that key."""
    values = [
        None if name == "body" and body_key is not None else encode(getattr(article, name))
        for name in _ARTICLE_FIELDS
    ]
    return json.dumps({"a": values, "w": encode(list(warnings))}, ensure_ascii=False)


_SOURCE_PATH_AT = _ARTICLE_FIELDS.index("source_path")


def read_article_record(
    record: str, body: str | LazyText | None = None, source_path: Path | None = None
) -> tuple[Article, list[Diagnostic]]:
    """The inverse of :func:`article_record`; ``body`` is the body stored
    apart (its HTML, or a :class:`BodyRef` that loads it when read).
    ``source_path``, when it is the one recorded, is used as it is."""
    data = json.loads(record)
    encoded = data["a"]
    if source_path is not None and encoded[_SOURCE_PATH_AT] == {"p": str(source_path)}:
        encoded[_SOURCE_PATH_AT] = None
    else:
        source_path = None
    values = [decode(e) if type(e) is dict else e for e in encoded]
    if source_path is not None:
        values[_SOURCE_PATH_AT] = source_path
    if len(values) != len(_ARTICLE_FIELDS):
        raise ValueError("article record of another layout")
    if values[_BODY_AT] is None:
        if body is None:
            raise ValueError("article record without its body")
        values[_BODY_AT] = body
    return _article(values), decode(data["w"])


def _article(values: list[Any]) -> Article:
    """``Article(*values)``, in half the time: every field is given, so the instance's
    slots are set directly and only ``__post_init__`` runs (a build reads 10,000 records)."""
    article = object.__new__(Article)
    for put, value in zip(_ARTICLE_SLOTS, values, strict=True):
        put(article, value)
    article.__post_init__()
    return article
