#!/usr/bin/env python3
"""Lighthouse scores of the default theme, on the sample site, in Debian's Chromium.

Builds this repository's sample site with its base URL set to a local server on
127.0.0.1 (so canonical links point at the pages being audited), serves it, and
runs Lighthouse on the front page, an article, an article with a lead photo,
an article with click-to-load embeds, a section front, a tag page, a site page (pages/)
and a live story's page.
Prints the four category scores (performance, accessibility, best practices,
SEO) per page type, and every audit that cost points.

    python3 benchmarks/lighthouse.py                 # mobile (Lighthouse's default), 3 runs each
    python3 benchmarks/lighthouse.py --preset desktop --runs 1
    python3 benchmarks/lighthouse.py --check         # exit 1 unless 100/100/100 and performance >= 95
    python3 benchmarks/lighthouse.py --runs 1 --page members=/2025/04/03/harbour-pilots-overtime-review/

Needs: Chromium at /usr/bin/chromium (``apt-get install chromium``) and Node.js
with npx; Lighthouse itself comes from the npm registry (``npx lighthouse@12.2.3``,
the last release for Node 20). Not a CI test: scores vary a little between runs
and machines, so the median of ``--runs`` runs is reported.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LIGHTHOUSE = "lighthouse@12.2.3"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# photo/embed: an article with a lead photo/embeds; page: a site page of pages/; live: a live story
PAGE_TYPES = ("index", "article", "photo", "embed", "section", "tag", "page", "live")
_KIND = re.compile(r'<body\b[^>]*\bclass="[^"]*\bpage-([a-z0-9_-]+)')


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def pick_pages(root: Path) -> dict[str, str]:
    """URL path of one page per audited type: the largest page of that type (the most to show)."""
    best: dict[str, tuple[int, str]] = {}
    for page in sorted(root.rglob("*.html")):
        text = page.read_text("utf-8")
        m = _KIND.search(text)
        if not m or m.group(1) not in PAGE_TYPES:
            continue
        rel = page.relative_to(root).as_posix()
        path = "/" + rel.removesuffix("index.html")
        size = page.stat().st_size
        kinds = [m.group(1)]
        if m.group(1) == "article" and 'class="article__image"><picture>' in text.replace("\n    ", ""):
            kinds.append("photo")
        if m.group(1) == "article" and '<figure class="embed ' in text:
            kinds.append("embed")
        for kind in kinds:
            if kind not in best or size > best[kind][0]:
                best[kind] = (size, path)
    return {kind: best[kind][1] for kind in PAGE_TYPES if kind in best}


def run_lighthouse(url: str, preset: str | None) -> dict:
    cmd = [
        "npx",
        "--yes",
        LIGHTHOUSE,
        url,
        "--output=json",
        "--output-path=stdout",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    if preset:
        cmd.append(f"--preset={preset}")
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", CHROMIUM))
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300)
    if proc.returncode != 0:
        raise SystemExit(f"lighthouse failed on {url}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout)


METRICS = (
    ("FCP", "first-contentful-paint"),
    ("LCP", "largest-contentful-paint"),
    ("TBT", "total-blocking-time"),
    ("CLS", "cumulative-layout-shift"),
    ("SI", "speed-index"),
)


def metrics(report: dict) -> str:
    """The performance metrics behind the score, as Lighthouse shows them."""
    return " · ".join(
        f"{short} {report['audits'][key].get('displayValue', '?')}".replace("\u00a0", " ")
        for short, key in METRICS
    )


def lost_points(report: dict) -> list[str]:
    """Audits that scored below 1 in a category that is not 100."""
    lost = []
    for cat in report["categories"].values():
        if cat["score"] is not None and cat["score"] >= 1:
            continue
        for ref in cat["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] > 0 and audit.get("score") is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                lost.append(
                    f"{cat['id']}: {audit['title']} ({audit['score']:.2f}{', ' + value if value else ''})"
                )
    return lost


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=3, help="runs per page; the median is reported (default 3)")
    ap.add_argument("--preset", choices=["desktop"], help="Lighthouse's desktop preset instead of mobile")
    ap.add_argument(
        "--check",
        action="store_true",
        help="exit 1 unless every page scores 100 for accessibility, best practices and SEO "
        "and at least 95 for performance",
    )
    ap.add_argument("--json", metavar="FILE", help="also write the scores as JSON to FILE")
    ap.add_argument("--site", default=str(REPO), help="the site to build (default: the sample site)")
    ap.add_argument(
        "--as-of", metavar="TIME", help="build the site as published at TIME (newsgen build --as-of)"
    )
    ap.add_argument(
        "--page",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="also audit the page at URL path PATH, reported as NAME (repeatable)",
    )
    args = ap.parse_args(argv)
    if not os.access(os.environ.get("CHROME_PATH", CHROMIUM), os.X_OK):
        return print(f"Chromium not found at {CHROMIUM}: apt-get install chromium", file=sys.stderr) or 2
    if shutil.which("npx") is None:
        return print("npx not found: install Node.js", file=sys.stderr) or 2

    with tempfile.TemporaryDirectory(prefix="newsgen-lighthouse-") as tmp:
        out = Path(tmp) / "public"
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        sock.close()
        base = f"http://127.0.0.1:{port}"
        build = subprocess.run(
            [
                sys.executable,
                "-m",
                "newsgen",
                "build",
                "--site",
                args.site,
                "--output",
                str(out),
                "--base-url",
                base + "/",
                "--quiet",
                *(["--as-of", args.as_of] if args.as_of else []),
            ],
            capture_output=True,
            text=True,
        )
        if build.returncode != 0:
            print(build.stderr, file=sys.stderr)
            return 1
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", port), functools.partial(_Quiet, directory=str(out))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            pages = pick_pages(out)
            pages.update(dict(p.split("=", 1) for p in args.page))
            results: dict[str, dict[str, int]] = {}
            notes: dict[str, list[str]] = {}
            for kind, path in pages.items():
                runs = [run_lighthouse(base + path, args.preset) for _ in range(args.runs)]
                scores = {
                    c: round(statistics.median(r["categories"][c]["score"] * 100 for r in runs))
                    for c in CATEGORIES
                }
                results[kind] = scores
                median_run = sorted(runs, key=lambda r: r["categories"]["performance"]["score"])[
                    len(runs) // 2
                ]
                notes[kind] = [metrics(median_run)] + lost_points(median_run)
                print(
                    f"  {kind:8} {path:45} " + " ".join(f"{scores[c]:3d}" for c in CATEGORIES),
                    file=sys.stderr,
                )
        finally:
            server.shutdown()
            server.server_close()

    version = run_version()
    print(
        f"Lighthouse {version}, {args.preset or 'mobile'} preset, median of {args.runs} run(s), "
        f"Chromium {chromium_version()}"
    )
    print(f"{'page type':12} {'path':45} perf  a11y  best   seo")
    for kind, scores in results.items():
        print(f"{kind:12} {pages[kind]:45} " + "  ".join(f"{scores[c]:4d}" for c in CATEGORIES))
        for note in notes[kind]:
            print(f"{'':12}   {note}")
    if args.json:
        Path(args.json).write_text(json.dumps({"pages": pages, "scores": results}, indent=2) + "\n", "utf-8")
    missing = [k for k in PAGE_TYPES if k not in results]
    if missing:
        print("no page of type: " + ", ".join(missing))
    ok = not missing and all(
        s["performance"] >= 95 and all(s[c] == 100 for c in CATEGORIES[1:]) for s in results.values()
    )
    return 0 if ok or not args.check else 1


def run_version() -> str:
    p = subprocess.run(["npx", "--yes", LIGHTHOUSE, "--version"], capture_output=True, text=True)
    return p.stdout.strip() or LIGHTHOUSE


def chromium_version() -> str:
    p = subprocess.run([os.environ.get("CHROME_PATH", CHROMIUM), "--version"], capture_output=True, text=True)
    return p.stdout.strip().removeprefix("Chromium ").split()[0] if p.stdout else "?"


if __name__ == "__main__":
    sys.exit(main())
