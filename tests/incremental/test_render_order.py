"""The render takes pages in order of the stories they show (newsgen.incremental.render), so
a story's card on the list pages (newsgen.theme.reuse.StoryCards) is drawn about once and
reused on the next pages that show it, even when the cards kept are far fewer than the
site's. (More Stories cards show related stories from any time: not covered here.)"""

from __future__ import annotations

import pytest

from conftest import article, pages_digest
from newsgen.theme import reuse

TAGS = ["harbour", "budget", "rail", "schools", "weather", "housing", "energy", "courts"]


@pytest.fixture
def cards_drawn(monkeypatch):
    """Every card drawn in this process: (story's URL, switches)."""
    drawn: list[tuple] = []
    real = reuse.StoryCards._render

    def render(self, key, story, page):
        if type(page) is reuse.LinkMarks:
            drawn.append((story.url, *key[1:]))
        return real(self, key, story, page)

    monkeypatch.setattr(reuse.StoryCards, "_render", render)
    return drawn


def _site(write_site, n: int):
    files = {}
    for i in range(n):
        tags = f"[{TAGS[i % 8]}, {TAGS[(i + 3) % 8]}, {TAGS[(i + 5) % 8]}]"
        day = f"2025-{1 + i // 28:02d}-{1 + i % 28:02d}T09:00:00+00:00"
        files[f"articles/s{i:03d}.md"] = article(f"Story {i}", day, f"Body {i}.", tags=tags)
    return write_site(files, config="title: T\nbase_url: https://example.com/\nper_page: 5\n")


def test_a_card_is_drawn_about_once_though_few_are_kept(write_site, cli, cards_drawn, monkeypatch, tmp_path):
    site = _site(write_site, 168)
    assert cli("build", "--site", site, "--jobs", "1", "--no-cache").code == 0
    everything = len(set(cards_drawn))  # every card the site shows, drawn while all are kept
    monkeypatch.setattr(reuse, "MAX_CARDS", everything // 8)
    cards_drawn.clear()
    out = tmp_path / "few"
    assert cli("build", "--site", site, "--output", out, "--jobs", "1", "--no-cache").code == 0
    assert len(set(cards_drawn)) == everything
    # the cards of the list pages (their stories are neighbours in time): about once each
    listed = [card for card in cards_drawn if card[1:] == (2, True, True, True)]
    assert len(listed) < 1.25 * len(set(listed))  # in order of output path: 5.9 times
    assert pages_digest(out) == pages_digest(site / "public")
