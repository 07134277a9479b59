"""The plan's layout of the front page (``front`` in index.html): lead, rail, sections, the rest."""

from __future__ import annotations

from types import SimpleNamespace

from conftest import article
from newsgen.outputs.front import LATEST_RAIL, front_page


def _story(n: int, section: str | None) -> SimpleNamespace:
    return SimpleNamespace(title=f"Story {n}", section=section)


def test_front_page_groups_the_rest_by_section_in_order_of_their_newest_story():
    site = SimpleNamespace(sections=(SimpleNamespace(name="Politics", url="/politics/"),))
    stories = [_story(i, "Politics") for i in range(1 + LATEST_RAIL)]
    stories += [
        _story(10, "Sport"),
        _story(11, None),
        _story(12, "Politics"),
        _story(13, ""),
        _story(14, "Sport"),
    ]
    front = front_page(site, stories)  # type: ignore[arg-type]
    assert front is not None
    assert front.lead is stories[0] and front.latest == tuple(stories[1 : 1 + LATEST_RAIL])
    assert [(s.name, s.url, [a.title for a in s.articles]) for s in front.sections] == [
        ("Sport", None, ["Story 10", "Story 14"]),  # no section front of that name: no link
        ("Politics", "/politics/", ["Story 12"]),
    ]
    assert [a.title for a in front.more] == ["Story 11", "Story 13"]
    assert front_page(site, []) is None  # type: ignore[arg-type]


def test_only_the_first_front_page_is_laid_out(write_site, cli):
    files = {
        f"articles/s{i}.md": article(
            title=f"Story {i}", date=f"2025-03-{i + 1:02d}T10:00:00Z", section="Port"
        )
        for i in range(8)
    }
    files["articles/loose.md"] = article(title="Loose", date="2025-02-01T10:00:00Z")
    site = write_site(files, config="per_page: 7\n")
    assert cli("build", "--site", site).code == 0
    first = (site / "public/index.html").read_text("utf-8")
    assert first.count('class="front-section"') == 1  # Port; the loose story is on page 2
    assert '<h2 class="section-heading" id="section-1"><a href="port/">Port</a></h2>' in first
    second = (site / "public/page/2/index.html").read_text("utf-8")
    assert "front-section" not in second and "lead-story" not in second
    assert "Loose" in second
