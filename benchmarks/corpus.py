"""Generate a deterministic corpus of fictional news articles for benchmarks.

    python benchmarks/corpus.py N DIR [--seed S]

writes a newsgen site to DIR: ``newsgen.yaml`` and ``articles/YYYY/MM/<slug>.md``
for N articles. Every run with the same N and seed gives byte-identical files.

Each article is realistic news copy in shape: YAML front matter (title, date
and time with offset, one of 40 authors, one of 12 sections, 2-5 tags from a
pool of 300, a summary), then a 400-1,200 word Markdown body of paragraphs,
one or two subheadings, an occasional quotation, bulleted list, link and
emphasis. The text is generated from a fixed vocabulary: it is fictional and
reads as filler, but Python-Markdown does the same work on it as on real copy.
Dates are spread over the years before 2025-06-30, a few a day, newest last.
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

SECTIONS = [
    "News",
    "Politics",
    "Business",
    "World",
    "Science",
    "Health",
    "Education",
    "Environment",
    "Culture",
    "Sport",
    "Technology",
    "Opinion",
]

_FIRST = [
    "Amara",
    "Bruno",
    "Chiara",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kofi",
    "Lena",
    "Mateus",
    "Nadia",
    "Oskar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tove",
]
_LAST = [
    "Achebe",
    "Bergström",
    "Castillo",
    "Dubois",
    "Eriksen",
    "Fontaine",
    "García",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Lindqvist",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrova",
    "Quintero",
    "Rossi",
    "Santos",
    "Tanaka",
]

_TOPIC_A = [
    "housing",
    "transport",
    "energy",
    "water",
    "health",
    "schools",
    "budget",
    "climate",
    "trade",
    "tourism",
    "policing",
    "courts",
    "elections",
    "farming",
    "fisheries",
    "ports",
    "rail",
    "aviation",
    "banking",
    "jobs",
    "pensions",
    "tax",
    "libraries",
    "museums",
    "music",
    "football",
    "cycling",
    "sailing",
    "tennis",
    "science",
]
_TOPIC_B = [
    "policy",
    "costs",
    "workers",
    "investment",
    "safety",
    "research",
    "planning",
    "reform",
    "protest",
    "strike",
]

WORDS = [
    "council",
    "city",
    "harbour",
    "plan",
    "vote",
    "budget",
    "year",
    "week",
    "report",
    "minister",
    "residents",
    "people",
    "school",
    "hospital",
    "project",
    "million",
    "cost",
    "rise",
    "fall",
    "service",
    "public",
    "local",
    "national",
    "government",
    "officials",
    "spokesperson",
    "said",
    "would",
    "could",
    "should",
    "after",
    "before",
    "during",
    "under",
    "over",
    "new",
    "old",
    "first",
    "last",
    "second",
    "third",
    "meeting",
    "decision",
    "proposal",
    "scheme",
    "support",
    "opposition",
    "members",
    "board",
    "committee",
    "district",
    "street",
    "quay",
    "market",
    "station",
    "line",
    "route",
    "traffic",
    "funding",
    "contract",
    "company",
    "workers",
    "union",
    "talks",
    "agreement",
    "deal",
    "study",
    "data",
    "figures",
    "survey",
    "results",
    "trial",
    "test",
    "season",
    "match",
    "team",
    "club",
    "coach",
    "players",
    "fans",
    "weather",
    "storm",
    "flood",
    "heat",
    "summer",
    "winter",
    "spring",
    "autumn",
    "morning",
    "evening",
    "announced",
    "confirmed",
    "expected",
    "warned",
    "argued",
    "claimed",
    "denied",
    "welcomed",
    "criticised",
    "approved",
    "rejected",
    "delayed",
    "launched",
    "opened",
    "closed",
    "reopened",
    "extended",
    "reduced",
    "increased",
    "doubled",
    "the",
    "a",
    "an",
    "and",
    "but",
    "or",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "from",
    "by",
    "about",
    "against",
    "between",
    "into",
    "through",
    "across",
]


def _author_pool() -> list[str]:
    return [f"{_FIRST[i % 20]} {_LAST[(i * 7 + i // 20) % 20]}" for i in range(40)]


def _tag_pool() -> list[str]:
    return [f"{a} {b}" for a in _TOPIC_A for b in _TOPIC_B]  # 30 x 10 = 300


def _sentence(rng: random.Random, lo: int = 8, hi: int = 24) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    r = rng.random()
    if r < 0.08:
        i = rng.randrange(len(words))
        words[i] = f"*{words[i]}*"
    elif r < 0.12:
        i = rng.randrange(len(words) - 1)
        words[i] = f"[{words[i]} {words[i + 1]}](https://example.org/{words[i]}-{rng.randrange(10**6)})"
        del words[i + 1]
    elif r < 0.16:
        words.insert(rng.randrange(len(words)), f"{rng.randint(2, 980)} per cent")
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))


def _body(rng: random.Random, target: int) -> str:
    blocks: list[str] = []
    words = 0
    headings = rng.randint(1, 2)
    while words < target:
        r = rng.random()
        if blocks and headings and r < 0.1:
            blocks.append("## " + " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6))).capitalize())
            headings -= 1
            continue
        if blocks and r < 0.16:
            p = f"> “{_sentence(rng)} {_sentence(rng)}”"
        elif blocks and r < 0.2:
            p = "\n".join(f"- {_sentence(rng, 4, 10)}" for _ in range(rng.randint(3, 5)))
        else:
            p = _paragraph(rng)
        blocks.append(p)
        words += len(p.split())
    return "\n\n".join(blocks) + "\n"


def _yaml_text(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def generate(n: int, root: Path, seed: int = 20250630) -> list[Path]:
    """Write the site and return the article paths, oldest first."""
    rng = random.Random(seed)
    authors = _author_pool()
    tags = _tag_pool()
    root.mkdir(parents=True, exist_ok=True)
    (root / "newsgen.yaml").write_text(
        "# Benchmark corpus: generated, fictional filler text.\n"
        "title: The Benchmark Gazette\n"
        "description: Generated articles for measuring build speed.\n"
        "base_url: https://bench.example.com/\n"
        "timezone: Europe/London\n"
        "per_page: 20\n"
        "more_stories: 5\n",
        "utf-8",
    )
    end = datetime(2025, 6, 30, 18, 0, tzinfo=UTC)
    # Six stories a day on average, so 10,000 stories span about 4.5 years.
    start = end - timedelta(minutes=240 * n)
    paths = []
    used: set[str] = set()
    for i in range(n):
        when = start + timedelta(minutes=240 * i + rng.randint(0, 200))
        title_words = [rng.choice(WORDS) for _ in range(rng.randint(6, 11))]
        title = " ".join(title_words).capitalize()
        slug = "-".join(w for w in title_words[:7])
        while slug in used:
            slug += f"-{rng.randint(2, 99)}"
        used.add(slug)
        section = SECTIONS[rng.randrange(len(SECTIONS))]
        chosen = rng.sample(tags, rng.randint(2, 5))
        author = authors[rng.randrange(len(authors))]
        summary = _sentence(rng, 15, 30)
        body = _body(rng, rng.randint(400, 1200))
        text = (
            "---\n"
            f"title: {_yaml_text(title)}\n"
            f"date: {when.isoformat()}\n"
            f"author: {_yaml_text(author)}\n"
            f"section: {section}\n"
            f"tags: [{', '.join(chosen)}]\n"
            f"summary: {_yaml_text(summary)}\n"
            "---\n\n" + body
        )
        p = root / "articles" / f"{when:%Y}" / f"{when:%m}" / f"{slug}.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, "utf-8")
        paths.append(p)
    return paths


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("dir", type=Path, help="site folder to create")
    ap.add_argument("--seed", type=int, default=20250630)
    args = ap.parse_args(argv)
    generate(args.n, args.dir, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
