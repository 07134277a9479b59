"""The cost of photos: a corpus where every article has a 3000x2000 camera JPEG.

    python benchmarks/photos.py                # 1,000 articles, 1,000 photos (slow: ~15 encodes a photo)
    python benchmarks/photos.py --photos 40    # a quick look
    python benchmarks/photos.py --site DIR     # keep the corpus in DIR; photos already drawn there are reused

Measures, each build in a fresh process with the cache in its default place: the cold build (wall and CPU
seconds, the build and its workers); a no-change rebuild; a rebuild after one article's text changed (every photo reused from the cache); a rebuild after one
photo was replaced (only that photo's files made again); and last, the Pillow floor (the same decodes, resizes
and encodes newsgen makes, done directly with Pillow on the same number of processes, in the same run;
wall and CPU seconds). On a shared machine read the CPU ratio: other work stretches wall times unevenly.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import generate  # noqa: E402
from run import newsgen_env  # noqa: E402
from sample_photos import jpeg  # noqa: E402


def _draw(args: tuple[Path, int]) -> None:
    folder, i = args
    (folder / f"p{i:05d}.jpg").write_bytes(jpeg(i, 3000, 2000))


def make_site(n_articles: int, n_photos: int, root: Path, jobs: int = 1) -> None:
    """The corpus with a photo for each of the first ``n_photos`` articles; a complete photo
    already in ``root`` (drawn by an earlier run: they are deterministic) is kept."""
    for stale in ("articles", "public", ".newsgen-cache"):
        shutil.rmtree(root / stale, ignore_errors=True)
    files = generate(n_articles, root)
    images = root / "static" / "images"
    images.mkdir(parents=True, exist_ok=True)
    todo = [
        (images, i)
        for i in range(n_photos)
        if not (p := images / f"p{i:05d}.jpg").is_file() or not p.read_bytes().endswith(b"\xff\xd9")
    ]
    with get_context("fork").Pool(jobs) as pool:  # drawing them is slower than encoding them
        pool.map(_draw, todo, chunksize=8)
    for i, f in enumerate(sorted(files)[:n_photos]):
        text = f.read_text("utf-8")
        text = text.replace("---\n", f"---\nimage: /images/p{i:05d}.jpg\nimage_alt: A fictional harbour\n", 1)
        f.write_text(text, "utf-8")


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's children that have ended and been waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def build(site: Path, jobs: int) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (the build and its workers) and the build's photos line."""
    env = newsgen_env()  # compiled modules, as a user's install has them
    t, cpu = time.perf_counter(), _children_cpu()
    run = subprocess.run(
        [sys.executable, "-m", "newsgen", "build", "--site", str(site), "--jobs", str(jobs), "--base-url",
         "https://example.com/"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    seconds, cpu = time.perf_counter() - t, _children_cpu() - cpu
    if run.returncode:
        sys.exit(run.stderr)
    line = next((x for x in run.stdout.splitlines() if x.startswith("photos:")), "photos: none")
    return seconds, cpu, line


def _floor_one(path: str) -> int:
    sys.path.insert(0, str(HERE.parent / "src"))
    from newsgen.config.settings import Images
    from newsgen.theme.photos import PhotoJob, make_photo

    settings = Images()
    with tempfile.TemporaryDirectory() as tmp:
        job = PhotoJob(Path(path), "x.jpg", settings.widths, settings.formats, settings.quality,
                       settings.keep_originals, Path(tmp))  # fmt: skip
        record = make_photo(job)  # an empty folder: every file is encoded
    return int(record["encoded"])


def pillow_floor(site: Path, jobs: int) -> tuple[float, float]:
    """The photos' own work (newsgen's encoder, no build around it) on ``jobs`` processes:
    wall seconds and CPU seconds (the workers')."""
    paths = sorted(str(p) for p in (site / "static" / "images").glob("*.jpg"))
    t, cpu = time.perf_counter(), _children_cpu()
    pool = get_context("fork").Pool(jobs)
    pool.map(_floor_one, paths, chunksize=1)
    pool.close()
    pool.join()  # the workers are waited for, so their CPU time is counted
    return time.perf_counter() - t, _children_cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--photos", type=int, default=1000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument(
        "--site", type=Path, help="build the corpus in this folder and keep it (default: a temporary one)"
    )
    args = ap.parse_args(argv)
    if args.site is not None:
        return run(args, args.site.resolve())
    with tempfile.TemporaryDirectory(prefix="newsgen-photos-bench-") as tmp:
        return run(args, Path(tmp) / "site")


def _load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def run(args: argparse.Namespace, site: Path) -> int:
    make_site(args.articles, args.photos, site, args.jobs)
    print(f"{_load()} before the cold build", flush=True)
    cold, cold_cpu, line = build(site, args.jobs)
    print(f"cold build:        {cold:7.2f} s, {cold_cpu:7.1f} CPU-s   {line}", flush=True)
    again, _, line = build(site, args.jobs)
    print(f"no-change rebuild: {again:7.2f} s   {line}", flush=True)
    first = sorted((site / "articles").rglob("*.md"))[-1]
    first.write_text(first.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    edit, _, line = build(site, args.jobs)
    print(f"one article edited:{edit:7.2f} s   {line}", flush=True)
    (site / "static/images/p00000.jpg").write_bytes(jpeg(999_999, 3000, 2000))
    replaced, _, line = build(site, args.jobs)
    made = re.search(r"\((\d+) made", line)
    print(f"one photo replaced:{replaced:7.2f} s   {line}", flush=True)
    print(f"{_load()} before the floor", flush=True)
    floor, floor_cpu = pillow_floor(site, args.jobs)
    print(
        f"Pillow floor:      {floor:7.2f} s, {floor_cpu:7.1f} CPU-s   "
        f"(cold / floor = {cold / floor:.2f}x wall, {cold_cpu / floor_cpu:.2f}x CPU; {_load()})",
        flush=True,
    )
    (site / "static/images/p00000.jpg").write_bytes(jpeg(0, 3000, 2000))  # as drawn, for a later --site run
    return 0 if made and made.group(1) == "1" else 1


if __name__ == "__main__":
    sys.exit(main())
