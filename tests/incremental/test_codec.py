"""The cache's record codec decodes only the types it stores: a crafted row can never run code."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest
from test_incremental import NOW, _site_files

from conftest import article, tree_digest
from newsgen import BufferReporter, load_config
from newsgen.core import urls
from newsgen.errors import Diagnostic, Severity
from newsgen.incremental.codec import RefusedRecord, decode, encode, loads
from newsgen.incremental.schema import CACHE_FILE
from newsgen.model import Correction
from newsgen.pipeline import build


def test_allowed_types_round_trip():
    d = Diagnostic("articles/a.md", 3, 7, "something", Severity.WARNING)
    assert decode(encode(d)) == d
    assert decode(encode(Severity.ERROR)) is Severity.ERROR
    c = Correction(NOW, "A name was misspelt.")
    assert decode(encode(c)) == c


def test_times_and_empty_containers_round_trip_with_their_zone_fold_and_type():
    """Dates keep their zone (named or fixed offset) and their fold (the second 01:30 of a
    night the clocks go back); empty tuples and mappings come back as such, read-only."""
    from datetime import UTC, datetime, timedelta, timezone
    from types import MappingProxyType
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    values = [
        datetime(2025, 10, 26, 1, 30, tzinfo=london, fold=1),  # 01:30 GMT, after the change
        datetime(2025, 10, 26, 1, 30, tzinfo=london),  # 01:30 BST, an hour earlier
        datetime(2025, 3, 1, 9, 0, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        datetime(2025, 3, 1, 9, 0, fold=1),
        (),
        MappingProxyType({}),
        {"l": [()]},
    ]
    for value in values:
        again = decode(encode(value))
        assert again == value and type(again) is type(value)
        parsed = loads(json.dumps(encode(value)))  # decoded while parsed, as article records are
        assert parsed == value and type(parsed) is type(value)
        if isinstance(value, datetime):
            assert (again.fold, again.tzinfo, again.utcoffset()) == (
                value.fold,
                value.tzinfo,
                value.utcoffset(),
            )
    first, second = (decode(encode(v)) for v in values[:2])
    assert second - first == timedelta(0) and first.timestamp() - second.timestamp() == 3600


def test_an_article_record_reads_back_as_the_article(write_site):
    """Every field of a stored article (read without its constructor, see
    codec._article) is what the loader made, and it behaves as one: equal fields,
    its derived properties, ``dataclasses.replace``."""
    import dataclasses

    from newsgen.content.loader import load_all
    from newsgen.content.sources import discover
    from newsgen.incremental.codec import article_record, read_article_record

    site = write_site(
        {
            "articles/a.md": article(
                title="A", date="2025-02-01T09:00:00+01:00", body="Text.\n", tags="[x, y]"
            ),
            "articles/b.md": "---\ntitle: B\ndate: 2025-02-02\nupdated: 2025-02-03\nsummary: S\n"
            "corrections:\n  - date: 2025-02-03\n    text: Fixed.\nextra_field: 3\n---\nBody.\n",
        }
    )
    config, _ = load_config(site)
    sources, _ = discover(config)
    articles, _ = load_all(sources, config)
    assert len(articles) == 2
    for original in articles:
        again, warnings = read_article_record(article_record(original, []))
        assert type(again) is type(original) and warnings == []
        for f in dataclasses.fields(original):
            value, expected = getattr(again, f.name), getattr(original, f.name)
            assert value == expected and type(value) is type(expected), f.name
        assert again.modified == original.modified
        assert dataclasses.replace(again, title="New").title == "New"
        with pytest.raises(dataclasses.FrozenInstanceError):
            again.title = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    "record",
    [
        {"e": ["newsgen.core.urls:slugify", "Hello World"]},  # a function
        {"dc": ["newsgen.core.urls:slugify", [["text", "Hello World"]]]},
        {"e": ["slugify", "Hello World"]},
        {"dc": ["newsgen.__main__:main", []]},  # a module whose import runs the CLI
        {"e": ["newsgen.__main__", "x"]},
        {"dc": ["newsgen.model:Article", []]},  # a newsgen class the cache does not store this way
        {"dc": ["Article", []]},
        {"dc": ["builtins:eval", [["source", "1"]]]},
        {"dc": ["Severity", [["value", "error"]]]},  # an allowed enum spelt as a dataclass
        {"e": ["Diagnostic", "x"]},  # an allowed dataclass spelt as an enum
        {"e": [["Severity"], "error"]},  # a name that is not text
        {"l": [{"dc": ["os:system", [["command", "true"]]]}]},  # nested
    ],
)
def test_crafted_records_are_refused_and_nothing_is_imported_or_called(record, monkeypatch):
    from newsgen.incremental.codec import read_article_record

    called = []
    monkeypatch.setattr(urls, "slugify", lambda *a, **k: called.append(a))
    monkeypatch.delitem(sys.modules, "newsgen.__main__", raising=False)
    with pytest.raises(RefusedRecord):
        decode(record)
    with pytest.raises(RefusedRecord):
        loads(json.dumps(record))
    with pytest.raises(RefusedRecord):  # in an article record, as the load stage reads one
        read_article_record(json.dumps([[record], {"l": []}]))
    assert called == []
    assert "newsgen.__main__" not in sys.modules


@pytest.mark.parametrize(
    "text",
    [
        '[[1, "a", null, true], {"l": [{"t": [1, 2]}]}]',
        '{"t": []}',
        '"text"',
        "[1] ",  # white space around a value is JSON too
        " [1]",
        "[NaN, Infinity]",  # what json.dumps writes for them
        "[1] [2]",  # more after the value
        "[1]]",
        "1]",
        "[1",
        "",
        "]",
        '"unclosed',
        '{"t": [1]} x}',
    ],
)
def test_records_decode_exactly_as_json_loads_decodes_them(text):
    """``loads`` takes a shorter way for a record as json.dumps writes it; every text decodes to
    what ``json.loads`` gives, or fails as it fails."""
    from newsgen.incremental.codec import _tagged

    try:
        expected = json.loads(text, object_pairs_hook=_tagged)
    except ValueError as exc:
        with pytest.raises(type(exc)):
            loads(text)
    else:
        got = loads(text)
        assert repr(got) == repr(expected) and type(got) is type(expected)


@pytest.mark.parametrize(
    "record",
    [
        '[["a"], {"l": []}]',  # too few fields
        '{"a": [], "w": {"l": []}}',  # another layout
        '[[], {"l": []}, 3]',
        "FIELDS",  # every field there, but a warning that is not a diagnostic
        '{"zz": [1]}',  # an unknown tag
        '{"t": [1], "l": [2]}',  # an object that is not one tag
        '{"t": [1], "t": [2]}',  # the same key twice
        '{"dt": ["2025-01-01T00:00:00", 0, {"z": "Europe/London"}]}',  # a zone not as newsgen writes it
    ],
)
def test_damaged_or_foreign_article_records_are_misses(record):
    """What ``load_articles`` treats as a miss (the file is loaded again): ValueError or TypeError."""
    import dataclasses

    from newsgen.incremental.codec import read_article_record
    from newsgen.model import Article

    if record == "FIELDS":
        fields = ["articles/a.md" if f.name == "source_path" else None for f in dataclasses.fields(Article)]
        record = json.dumps([fields, {"l": ["not a diagnostic"]}])
    with pytest.raises((ValueError, TypeError)):
        read_article_record(record, "<p>body</p>")


def test_a_tampered_cache_is_a_miss_with_one_warning(write_site, monkeypatch):
    files = {
        f"articles/s{i}.md": article(
            title=f"Story {i}",
            date=f"2025-03-0{i + 1}T09:00:00+00:00",
            corrections="[{date: 2025-03-09, text: Fixed a name.}]",
        )
        for i in range(3)
    }
    site = write_site(files, config="base_url: https://example.com/\n")

    def run(out: str):
        config, _ = load_config(site, output=site / out)
        reporter = BufferReporter()
        build(config, reporter, jobs=1, now=NOW)
        return reporter

    run("public")
    clean = _site_files(site / "public")
    db = sqlite3.connect(site / ".newsgen-cache" / CACHE_FILE)
    crafted = '{"dc": ["newsgen.__main__:main", []]}'
    stamp = db.execute("SELECT v FROM meta WHERE k='record:stamp'").fetchone()[0]
    assert '["warnings", {"l": []}]' in stamp
    rows = db.execute("SELECT key, record FROM articles").fetchall()
    assert len(rows) == 3 and all('"dc": ["Correction"' in r for _k, r in rows)
    for key, record in rows:
        db.execute(
            "UPDATE articles SET record=? WHERE key=?",
            (record.replace('"dc": ["Correction"', '"dc": ["newsgen.core.urls:slugify"'), key),
        )
    db.execute(
        "UPDATE meta SET v=? WHERE k='record:stamp'",
        (stamp.replace('["warnings", {"l": []}]', f'["warnings", {{"l": [{crafted}]}}]'),),
    )
    db.commit()
    db.close()
    called = []
    monkeypatch.setattr(urls, "slugify", lambda *a, **k: called.append(a))
    monkeypatch.delitem(sys.modules, "newsgen.__main__", raising=False)

    reporter = run("public")
    warnings = [d for d in reporter.diagnostics if "never stores" in d.message]
    assert len(warnings) == 1, reporter.diagnostics
    assert "newsgen.__main__:main" in warnings[0].message  # the stamp, read first
    assert "0 articles and" in reporter.summaries[0].cache  # every article record was a miss too
    assert "3 loaded" in reporter.summaries[0].cache
    assert called == [] and "newsgen.__main__" not in sys.modules
    assert _site_files(site / "public") == clean
    assert tree_digest(site / "public")  # the site was published
