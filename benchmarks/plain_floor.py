"""The Markdown floor two ways: every body of a site converted by newsgen's renderer, and by
plain Python-Markdown with the same extensions (the renderer with its fast paths taken off,
as ``tests/content/test_mdgates.py`` compares them), each in this one process.

    python benchmarks/plain_floor.py SITE      # e.g. a corpus made by benchmarks/corpus.py

``run.py``'s floor is the first; issue 18 described its floor as Python-Markdown itself,
the second. Needs the test dependencies (``pip install -e ".[test]"``): the fast paths are
taken off by the tests' own helper.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent / "tests" / "content"), str(HERE.parent / "tests")]

from test_mdgates import ungated  # noqa: E402

from newsgen.content.markup import MarkdownRenderer  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path, help="a site folder with articles/ (its Markdown bodies are read)")
    args = parser.parse_args(argv)
    bodies = [
        p.read_text("utf-8").split("\n---\n", 1)[1] for p in sorted((args.site / "articles").rglob("*.md"))
    ]
    gc.disable()  # as a build does while it converts
    for name, md in (
        ("newsgen's renderer", MarkdownRenderer()),
        ("plain Python-Markdown", ungated(MarkdownRenderer())),
    ):
        wall, cpu = time.perf_counter(), time.process_time()
        for body in bodies:
            md.convert(body)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{name}: {wall:.1f} s wall, {cpu:.1f} CPU-s for {len(bodies):,} bodies", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
