"""The ``newsgen`` command.

Exit status: 0 success; 1 a content, config, template or build error (every
problem is printed as ``path:line:col: message``); 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import __version__
from .config import load_config
from .errors import ConfigError, NewsgenError, display_path
from .report import ConsoleReporter

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

_BUILD_EXAMPLES = """\
examples:
  newsgen build                      build the site in this folder into public/
  newsgen build --site mysite        build another site folder
  newsgen build --output /tmp/site   write somewhere else
  newsgen build --base-url https://preview.example.com/pr-12/
  newsgen build --as-of 2025-04-20T06:00   build the site as it will be at that time
  newsgen build --drafts --output /tmp/preview   preview with drafts (marked, noindex)
  newsgen build --jobs 1             build in one process
  newsgen build --no-cache           ignore the incremental cache for this build
"""

_NEW_EXAMPLES = """\
examples:
  newsgen new "Council approves tram extension" --section Politics --author "Amara Diallo"
  newsgen new "Storm warning" --date 2025-04-21T06:00
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsgen",
        description="newsgen turns a folder of news articles (Markdown with YAML front matter, "
                    "and plain-text wire copy) into a complete static news site.",
        epilog="Exit status: 0 ok, 1 content/config/template error, 2 usage error. "
               "Run 'newsgen COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"newsgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    b = sub.add_parser(
        "build",
        help="build the site into the output folder",
        description="Load every article in articles/ and seeds/, render the site with the "
                    "templates, and write it to the output folder (public/ by default). Nothing is "
                    "written unless the whole site builds: on any error the previous output stays "
                    "as it was.",
        epilog=_BUILD_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("--site", metavar="DIR", default=".", help="site folder (default: the current folder)")
    b.add_argument("--output", metavar="DIR", help="output folder (default: paths.output, or public/)")
    b.add_argument("--base-url", metavar="URL", help="override base_url, e.g. for a preview deploy")
    b.add_argument("--force", action="store_true",
                   help="build into a non-empty folder that newsgen did not create (deletes nothing in it)")
    b.add_argument("-j", "--jobs", metavar="N", type=_jobs,
                   help="processes for the expensive stages (default: every core; 1 for one process)")
    b.add_argument("--no-cache", action="store_true",
                   help="ignore and do not update the incremental build cache (output is the same either way)")
    b.add_argument("--cache-dir", metavar="DIR",
                   help="incremental build cache folder (default: paths.cache, or .newsgen-cache/ in the site "
                        "folder; safe to delete)")
    b.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    b.add_argument("--as-of", metavar="DATETIME",
                   help="build the site as published at this time, e.g. 2025-04-20T06:00 (site timezone "
                        "unless an offset is given); default: SOURCE_DATE_EPOCH if set, else now. Stories "
                        "dated, embargoed or expiring after it are handled as at that time")
    b.add_argument("--drafts", action="store_true",
                   help="include draft: true stories, each page marked with a draft banner and noindex "
                        "(for previews; do not deploy)")
    b.add_argument("--strict", action="store_true",
                   help="treat every warning (unknown author, tag spelling variants, ...) as an error")

    n = sub.add_parser(
        "new",
        help="start a new article file",
        description="Write articles/YYYY-MM-DD-slug.md with complete front matter: the headline,\n"
                    "the date (now, in the site timezone), a slug made from the headline, and\n"
                    "draft: true so it is not published until you say so. Never overwrites a file.",
        epilog=_NEW_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    n.add_argument("headline", help="the story's headline")
    n.add_argument("--section", metavar="S", help="its section, e.g. Politics")
    n.add_argument("--author", metavar="A", action="append", default=[],
                   help="a byline; repeat for several authors")
    n.add_argument("--date", metavar="DATETIME",
                   help="its date and time (default: SOURCE_DATE_EPOCH if set, else now)")
    n.add_argument("--site", metavar="DIR", default=".", help="site folder (default: the current folder)")
    return parser


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 process, got {n}")
    return n


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    reporter = ConsoleReporter(quiet=getattr(args, "quiet", False))
    if args.command == "build":
        return _build(args, reporter)
    if args.command == "new":
        return _new(args, reporter)
    parser.error(f"unknown command {args.command}")  # pragma: no cover
    return EXIT_USAGE


def _build(args: argparse.Namespace, reporter: ConsoleReporter) -> int:
    from .build import build, resolve_now, strict_errors  # only the CLI imports the orchestrator

    try:
        config, warnings = load_config(Path(args.site), output=args.output, base_url=args.base_url,
                                       cache_dir=args.cache_dir)
        if args.strict and warnings:
            raise ConfigError(strict_errors(warnings))
        for w in warnings:
            reporter.diagnostic(w)
        now = resolve_now(config, args.as_of, "--as-of")
        build(config, reporter, force=args.force, now=now, drafts=args.drafts, strict=args.strict,
              jobs=args.jobs, use_cache=not args.no_cache)
    except NewsgenError as exc:
        for d in exc.diagnostics:
            reporter.diagnostic(d)
        n = len(exc.diagnostics)
        print(f"build failed: {n} error{'s' if n != 1 else ''}; nothing was written", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def _new(args: argparse.Namespace, reporter: ConsoleReporter) -> int:
    from .build import resolve_now
    from .scaffold import new_article

    try:
        config, warnings = load_config(Path(args.site))
        for w in warnings:
            reporter.diagnostic(w)
        when = resolve_now(config, args.date, "--date")
        path = new_article(config, args.headline, when, section=args.section, authors=args.author)
    except NewsgenError as exc:
        for d in exc.diagnostics:
            reporter.diagnostic(d)
        return EXIT_ERROR
    reporter.info(f"created {display_path(path, config.paths.site)} (draft: true; set it to false to publish)")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
