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
from .errors import NewsgenError
from .report import ConsoleReporter

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

_BUILD_EXAMPLES = """\
examples:
  newsgen build                      build the site in this folder into public/
  newsgen build --site mysite        build another site folder
  newsgen build --output /tmp/site   write somewhere else
  newsgen build --base-url https://preview.example.com/pr-12/
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
    b.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    reporter = ConsoleReporter(quiet=getattr(args, "quiet", False))
    if args.command == "build":
        return _build(args, reporter)
    parser.error(f"unknown command {args.command}")  # pragma: no cover
    return EXIT_USAGE


def _build(args: argparse.Namespace, reporter: ConsoleReporter) -> int:
    from .build import build  # only the CLI imports the orchestrator

    try:
        config, warnings = load_config(Path(args.site), output=args.output, base_url=args.base_url)
        for w in warnings:
            reporter.diagnostic(w)
        build(config, reporter, force=args.force)
    except NewsgenError as exc:
        for d in exc.diagnostics:
            reporter.diagnostic(d)
        n = len(exc.diagnostics)
        print(f"build failed: {n} error{'s' if n != 1 else ''}; nothing was written", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
