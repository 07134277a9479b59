"""The cache's record codec: values to JSON and back, for an allow-list of types.

Records are JSON with a few tagged types (tuples, dates, paths, ...): every JSON
object in a record is a one-key tag, so a record decodes as it is parsed. The only
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
from collections.abc import Callable, Mapping
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
    types below are wrapped in a one-key object naming their type. That is the
    only kind of JSON object an encoded value holds (a dataclass's fields and a
    mapping's items are lists of pairs, a time zone is its name or its offset), so
    a record decodes innermost first, as ``json.loads`` parses it (:func:`loads`)."""
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
        fields = [[f.name, encode(getattr(v, f.name))] for f in dataclasses.fields(v) if f.init]
        return {"dc": [name, fields]}
    raise Uncacheable(f"cannot cache a value of type {t.__module__}.{t.__qualname__}")


def _encode_tz(tz: Any) -> str | float | None:
    """A named zone as its name, a fixed offset as its seconds east of UTC."""
    if tz is None:
        return None
    if isinstance(tz, ZoneInfo):
        return str(tz.key)
    if type(tz) is timezone and tz.tzname(None) == _offset_name(tz.utcoffset(None)):
        return tz.utcoffset(None).total_seconds()
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
    """The inverse of :func:`encode`, for a value already parsed as plain JSON: every
    object in it is a tagged value, decoded innermost first (:func:`_tagged`)."""
    t = type(e)
    if t is dict:
        return _tagged([(k, decode(x)) for k, x in e.items()])
    if t is list:
        return [decode(x) for x in e]
    return e


def loads(text: str | bytes) -> Any:
    """:func:`decode` of the JSON ``text``, each object decoded as it is parsed (the
    parser hands it over as its list of key-value pairs, not as a dict: a record
    holds about a dozen of them, and a build reads 10,000 records).

    A record (text with no white space around it, as :func:`json.dumps` writes it) goes to
    a decoder made once (``raw_decode``): 7.7 us a record instead of 10. Any other text, or
    a damaged record, takes ``json.loads`` itself, which says what is wrong."""
    if type(text) is str:
        try:
            value, end = _RAW_DECODE(text)
        except ValueError:
            pass
        else:
            if end == len(text):
                return value
    return json.loads(text, object_pairs_hook=_tagged)


def _tagged(pairs: list[tuple[str, Any]]) -> Any:
    """One tagged value (an object's key-value pairs) whose contents are decoded already.
    The tags an article record holds most are tested first; empty tuples and mappings,
    and fixed-offset time zones, are shared, not made anew. An object of more or less than
    one key, or of an unknown tag, is a damaged or foreign record (ValueError, TypeError);
    one naming a type the cache never stores is refused."""
    ((tag, v),) = pairs
    if tag == "t":
        return tuple(v) if v else ()
    if tag == "dt":
        naive, fold, tz = v
        d = datetime.fromisoformat(naive)
        if tz is None:
            return d.replace(fold=fold) if fold else d
        return d.replace(fold=fold, tzinfo=ZoneInfo(tz) if type(tz) is str else _offset_zone(tz))
    if tag == "m":
        return MappingProxyType(dict(v)) if v else _EMPTY_MAPPING
    if tag == "l":
        if type(v) is not list:
            raise ValueError("a list in a cache record that is not a list")
        return v
    if tag == "d":
        return dict(v)
    if tag == "p":
        return Path(v)
    if tag == "s":
        return set(v)
    if tag == "fs":
        return frozenset(v)
    if tag == "f":
        return float(v)
    if tag == "b":
        return bytes.fromhex(v)
    if tag == "da":
        return date.fromisoformat(v)
    if tag == "ti":
        return time.fromisoformat(v)
    if tag == "e":
        name, value = v
        return _stored_type(name, tag)(value)
    if tag == "dc":
        name, fields = v
        return _stored_type(name, tag)(**dict(fields))
    raise ValueError(f"unknown tag {str(tag)[:20]!r} in a cache record")


#: The decoder of :func:`loads`: a value and where it ends.
_RAW_DECODE = json.JSONDecoder(object_pairs_hook=_tagged).raw_decode

#: The empty read-only mapping every decoded empty mapping shares (nothing can change it).
_EMPTY_MAPPING: Mapping[Any, Any] = MappingProxyType({})


@lru_cache(maxsize=64)
def _offset_zone(seconds: float) -> timezone:
    """The fixed-offset time zone ``seconds`` east of UTC, made once per offset."""
    return timezone(timedelta(seconds=seconds))


_ARTICLE_FIELDS = tuple(f.name for f in dataclasses.fields(Article))
_BODY_AT = _ARTICLE_FIELDS.index("body")
_SOURCE_PATH_AT = _ARTICLE_FIELDS.index("source_path")


def _article_maker() -> Callable[[list[Any]], Article]:
    """``Article(*values)`` in a third of the time of its ``__init__``: every field is given, so
    a function made for Article's fields (as dataclasses makes ``__init__``) unpacks the values
    and sets each slot directly; only ``__post_init__`` runs (a build reads 10,000 records).
    Raises ValueError when ``values`` is not one value a field."""
    names = [f"v_{name}" for name in _ARTICLE_FIELDS]
    space: dict[str, Any] = {"new": object.__new__, "Article": Article}
    lines = ["def make(values):", "    article = new(Article)", f"    ({', '.join(names)},) = values"]
    for name, value in zip(_ARTICLE_FIELDS, names, strict=True):
        space[f"set_{name}"] = getattr(Article, name).__set__  # the slot's own setter
        lines.append(f"    set_{name}(article, {value})")
    lines += ["    article.__post_init__()", "    return article"]
    exec("\n".join(lines), space)  # made from Article's own field names
    return space["make"]


_article = _article_maker()


def article_record(article: Article, warnings: list[Diagnostic], body_key: str | None = None) -> str:
    """An article and its warnings as JSON text: the fields in their declared
    order (the engine key changes with newsgen's code, so the order cannot
    differ between writer and reader), the source's path as plain text. With
    ``body_key`` the body HTML is left out: it is stored once, in ``bodies``, under that key."""
    values = [
        None if name == "body" and body_key is not None else encode(getattr(article, name))
        for name in _ARTICLE_FIELDS
    ]
    values[_SOURCE_PATH_AT] = str(article.source_path)
    return json.dumps([values, encode(list(warnings))], ensure_ascii=False)


def read_article_record(
    record: str, body: str | LazyText | None = None, source_path: Path | None = None
) -> tuple[Article, list[Diagnostic]]:
    """The inverse of :func:`article_record`; ``body`` is the body stored
    apart (its HTML, or a :class:`BodyRef` that loads it when read).
    ``source_path``, when it is the one recorded, is used as it is.
    Raises ValueError or TypeError for a damaged or foreign record, :class:`RefusedRecord`
    for one naming a type the cache never stores."""
    values, warnings = loads(record)
    if type(values) is not list or len(values) != len(_ARTICLE_FIELDS) or type(warnings) is not list:
        raise ValueError("article record of another layout")
    if not all(type(w) is Diagnostic for w in warnings):
        raise ValueError("article record with warnings that are not diagnostics")
    path = values[_SOURCE_PATH_AT]
    if type(path) is not str:
        raise ValueError("article record without its source's path")
    values[_SOURCE_PATH_AT] = (
        source_path if source_path is not None and path == str(source_path) else Path(path)
    )
    if values[_BODY_AT] is None:
        if body is None:
            raise ValueError("article record without its body")
        values[_BODY_AT] = body
    return _article(values), warnings
