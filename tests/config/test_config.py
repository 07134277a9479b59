"""Config: defaults, validation of every key at once, suggestions, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgen.config import load_config
from newsgen.errors import ConfigError


def test_no_config_file_gives_defaults(write_site):
    site = write_site({})
    cfg, warnings = load_config(site)
    assert warnings == []
    assert cfg.title == "News"
    assert cfg.per_page == 20 and cfg.more_stories == 5
    assert cfg.permalink == "/{year}/{month}/{day}/{slug}/"
    assert cfg.paths.output == site / "public"
    assert cfg.paths.articles == site / "articles"


def test_every_setting_is_read(write_site):
    site = write_site(
        {},
        config="""\
title: The Courier
description: Local news
base_url: https://example.github.io/news
language: es-MX
timezone: America/Mexico_City
per_page: 7
more_stories: 3
permalink: /{section}/{slug}.html
default_date: 2025-01-01
unsafe_html: true
max_file_size: 1000
feeds:
  entries: 5
paths:
  articles: stories
  seeds: wire
  templates: theme
  static: assets
  output: _site
""",
    )
    cfg, warnings = load_config(site)
    assert warnings == []
    assert (cfg.title, cfg.description, cfg.language, cfg.timezone) == (
        "The Courier",
        "Local news",
        "es-MX",
        "America/Mexico_City",
    )
    assert cfg.base_url == "https://example.github.io/news/"
    assert cfg.base_path == "/news/"
    assert cfg.absolute_url("/a/b/") == "https://example.github.io/news/a/b/"
    assert (cfg.per_page, cfg.more_stories, cfg.feed_entries, cfg.max_file_size) == (7, 3, 5, 1000)
    assert cfg.permalink == "/{section}/{slug}.html"
    assert cfg.unsafe_html is True
    assert cfg.paths.articles == site / "stories"
    assert cfg.paths.seeds == site / "wire"
    assert cfg.paths.templates == site / "theme"
    assert cfg.paths.static == site / "assets"
    assert cfg.paths.output == site / "_site"


def test_unknown_keys_warn_with_closest_known_key(write_site):
    site = write_site({}, config="titel: X\npaths:\n  outptu: out\n")
    _, warnings = load_config(site)
    text = [str(w) for w in warnings]
    assert text[0] == "newsgen.yaml:1:1: warning: unknown key 'titel' is ignored; did you mean 'title'?"
    assert (
        text[1] == "newsgen.yaml:3:3: warning: unknown key 'paths.outptu' is ignored; did you mean 'output'?"
    )


def test_all_errors_reported_at_once(write_site):
    site = write_site(
        {},
        config="""\
per_page: 0
more_stories: lots
timezone: Mars/Olympus
base_url: example.com
permalink: /{year}/{title}
unsafe_html: maybe
""",
    )
    with pytest.raises(ConfigError) as exc:
        load_config(site)
    messages = [str(d) for d in exc.value.diagnostics]
    assert messages[0].startswith("newsgen.yaml:1:11: per_page: expected a whole number >= 1")
    assert messages[1].startswith("newsgen.yaml:2:15: more_stories:")
    assert messages[2].startswith("newsgen.yaml:3:11: timezone: unknown time zone 'Mars/Olympus'")
    assert any("permalink: unknown placeholder {title}" in m for m in messages)
    assert any("permalink: must end with" in m for m in messages)
    assert any("unsafe_html: expected true or false" in m for m in messages)
    assert any(
        m.startswith("newsgen.yaml:4:11: base_url: expected an absolute http(s) URL") for m in messages
    )


def test_yaml_syntax_error_in_config_names_line(write_site):
    site = write_site({}, config="title: [unclosed\nper_page: 3\n")
    with pytest.raises(ConfigError) as exc:
        load_config(site)
    assert str(exc.value).startswith("newsgen.yaml:2:")


def test_overrides_win(write_site, tmp_path):
    site = write_site({}, config="base_url: https://a.example/\npaths:\n  output: out\n")
    cfg, _ = load_config(site, output=tmp_path / "elsewhere", base_url="https://preview.example/pr-1")
    assert cfg.paths.output == tmp_path / "elsewhere"
    assert cfg.base_url == "https://preview.example/pr-1/"


def test_missing_site_folder(tmp_path):
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(tmp_path / "nope")


def test_config_is_frozen(write_site):
    cfg, _ = load_config(write_site({}))
    with pytest.raises(AttributeError):
        cfg.title = "x"  # type: ignore[misc]
    assert isinstance(cfg.paths.site, Path)


@pytest.mark.parametrize(
    "value, hint",
    [
        ("twiter", "did you mean 'twitter'?"),
        ("x", "did you mean 'twitter'?"),  # X is the service's name now; its key is twitter
        ("X", "did you mean 'twitter'?"),
        ("YouTube", "did you mean 'youtube'?"),
        ("Apple Podcasts", "did you mean 'apple_podcasts'?"),
        ("myspace", "known services: apple_podcasts, bluesky, datawrapper"),
    ],
)
def test_an_unknown_embed_service_suggests_the_closest_known_one(write_site, value, hint):
    site = write_site({}, config=f"embeds: [vimeo, {value}]\n")
    with pytest.raises(ConfigError) as exc:
        load_config(site)
    assert str(exc.value.diagnostics[0]).startswith(
        f"newsgen.yaml:1:9: embeds: unknown service {value!r}; {hint}"
    )


def test_an_unknown_embed_service_in_a_block_list_is_reported_at_its_line(write_site):
    site = write_site({}, config="title: T\nembeds:\n  - vimeo\n  - youtube\n  - twiter\n")
    with pytest.raises(ConfigError) as exc:
        load_config(site)
    assert [str(d) for d in exc.value.diagnostics] == [
        "newsgen.yaml:5:3: embeds: unknown service 'twiter'; did you mean 'twitter'?"
    ]
