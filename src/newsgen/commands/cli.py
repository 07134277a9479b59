"""The ``newsgen`` command: arguments in, a module call, diagnostics and an exit status out.

Each command's work lives in its own module (build, serve, scaffold, check);
this file only parses arguments, prints and maps errors to exit codes.

Exit status: 0 success; 1 a content, config, template or build error (every
problem is printed as ``path:line:col: message``), findings from ``check``, or a
difference found by ``build --verify``; 2 a usage error; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from newsgen import __version__
from newsgen.config import load_config
from newsgen.errors import ConfigError, NewsgenError, Severity, display_path
from newsgen.report import ConsoleReporter

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

_MAIN_EPILOG = """\
commands:
  init DIR       start a new site in an empty folder
  new HEADLINE   start a new article file (a draft)
  serve          preview the site at http://127.0.0.1:8000/, rebuilt and reloaded as you edit
  check          find content, config and link problems without publishing
  build          build the site into public/

exit status:
  0  success
  1  a content, config or template error, a refused folder, or problems found by
     'check' (each printed as path:line:col: message)
  2  a usage error: unknown command or option, or a bad option value

Run 'newsgen COMMAND --help' for a command's options and examples.
"""

_BUILD_EXAMPLES = """\
examples:
  newsgen build                      build the site in this folder into public/
  newsgen build --site mysite        build another site folder
  newsgen build --output /tmp/site   write somewhere else
  newsgen build --base-url https://preview.example.com/pr-12/
  newsgen build --strict             fail on any warning (for CI)
  newsgen build --as-of 2025-04-20T06:00   build the site as it will be at that time
  newsgen build --drafts --output /tmp/preview   preview with drafts (marked, noindex)
  newsgen build --jobs 1             build in one process
  newsgen build --no-cache           ignore the incremental cache for this build
  newsgen build --verify             build twice, check the two are byte-identical, then publish

Every build also writes public/.newsgen-changes.json, the URLs added, changed
and removed since the previous build (for CDN invalidation; see docs/deploy.md).
"""

_SERVE_EXAMPLES = """\
examples:
  newsgen serve                      preview at http://127.0.0.1:8000/
  newsgen serve --port 0             use any free port (printed at start)
  newsgen serve --site mysite -v     another site; log every request
  newsgen serve --drafts             include draft stories (marked as drafts)
  newsgen serve --host 0.0.0.0 --allow-remote
                                     let other machines on the network see it (warns)

The preview is built into a temporary folder (removed when serve stops), never
into public/. When a rebuild fails, every page shows the errors until they are
fixed.
"""

_NEW_EXAMPLES = """\
examples:
  newsgen new "Council approves tram extension" --section Politics --author "Amara Diallo"
  newsgen new "Storm warning" --date 2025-04-21T06:00
"""

_INIT_EXAMPLES = """\
examples:
  newsgen init mysite
  newsgen init mysite --title "The Harbour Gazette" --base-url https://news.example.com/

Then: cd mysite && newsgen serve
"""

_CHECK_EXAMPLES = """\
examples:
  newsgen check                      check the site in this folder
  newsgen check --strict             warnings are errors too (exit 1)
  newsgen check --built              also check links and assets in the built public/
  newsgen check --built /tmp/site    ... in another built folder

Errors: anything that stops a build, links between articles that point to no
article. Warnings: headlines over 110 characters, missing summaries, images
without alt text, bylines missing from authors.yaml.
"""


def _port(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= n <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535 (0 picks a free port), got {n}")
    return n


def _seconds(text: str) -> float:
    try:
        n = float(text)
    except ValueError:
        n = -1.0
    if not 0.05 <= n <= 60:
        raise argparse.ArgumentTypeError(f"expected seconds between 0.05 and 60, got {text!r}")
    return n


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    talk = common.add_mutually_exclusive_group()
    talk.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="print more detail (each changed file, each request served)",
    )
    talk.add_argument("-q", "--quiet", action="store_true", help="print errors only")

    parser = argparse.ArgumentParser(
        prog="newsgen",
        description="newsgen turns a folder of news articles (Markdown with YAML front matter, "
        "and plain-text wire copy) into a complete static news site.",
        epilog=_MAIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def command(name: str, help_: str, description: str, epilog: str) -> argparse.ArgumentParser:
        wrapped = textwrap.fill(" ".join(description.split()), 79)  # the epilog keeps its layout
        return sub.add_parser(
            name,
            help=help_,
            description=wrapped,
            epilog=epilog,
            parents=[common],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    def site_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--site", metavar="DIR", default=".", help="site folder (default: the current folder)")

    b = command(
        "build",
        "build the site into the output folder",
        "Load every article in articles/ and seeds/, render the site with the templates, and "
        "write it to the output folder (public/ by default). Nothing is written unless the whole "
        "site builds: on any error the previous output stays as it was.",
        _BUILD_EXAMPLES,
    )
    site_option(b)
    b.add_argument("--output", metavar="DIR", help="output folder (default: paths.output, or public/)")
    b.add_argument("--base-url", metavar="URL", help="override base_url, e.g. for a preview deploy")
    b.add_argument(
        "--force",
        action="store_true",
        help="build into a non-empty folder that newsgen did not create (deletes nothing in it)",
    )
    b.add_argument(
        "-j",
        "--jobs",
        metavar="N",
        type=_jobs,
        help="processes for the expensive stages (default: every core; 1 for one process)",
    )
    b.add_argument(
        "--no-cache",
        action="store_true",
        help="ignore and do not update the incremental build cache (output is the same either way)",
    )
    b.add_argument(
        "--cache-dir",
        metavar="DIR",
        help="incremental build cache folder (default: paths.cache, or .newsgen-cache/ in the site "
        "folder; safe to delete)",
    )
    b.add_argument(
        "--verify",
        action="store_true",
        help="build twice (the second time in a fresh Python process with another hash seed, "
        "time zone and locale), report any byte that differs and exit 1; publish only "
        "when the two builds are identical",
    )
    b.add_argument(
        "--as-of",
        metavar="DATETIME",
        help="build the site as published at this time, e.g. 2025-04-20T06:00 (site timezone "
        "unless an offset is given); default: SOURCE_DATE_EPOCH if set, else now. Stories "
        "dated, embargoed or expiring after it are handled as at that time",
    )
    b.add_argument(
        "--drafts",
        action="store_true",
        help="include draft: true stories, each page marked with a draft banner and noindex "
        "(for previews; do not deploy)",
    )
    b.add_argument(
        "--strict",
        action="store_true",
        help="treat every warning (unknown author, tag spelling variants, ...) as an error",
    )

    n = command(
        "new",
        "start a new article file",
        "Write articles/YYYY-MM-DD-slug.md with complete front matter: the headline,\n"
        "the date (now, in the site timezone), a slug made from the headline, and\n"
        "draft: true so it is not published until you say so. Never overwrites a file.",
        _NEW_EXAMPLES,
    )
    n.add_argument("headline", help="the story's headline")
    n.add_argument("--section", metavar="S", help="its section, e.g. Politics")
    n.add_argument(
        "--author", metavar="A", action="append", default=[], help="a byline; repeat for several authors"
    )
    n.add_argument(
        "--date", metavar="DATETIME", help="its date and time (default: SOURCE_DATE_EPOCH if set, else now)"
    )
    site_option(n)
    n.add_argument("--strict", action="store_true", help="treat warnings (in newsgen.yaml) as errors")

    s = command(
        "serve",
        "preview the site locally, rebuilt and reloaded as you edit",
        "Build the site, serve it on this machine and rebuild it whenever an article, seed, "
        "template, static file or setting changes; open pages reload by themselves. Errors are "
        "shown in the browser until fixed. Only files of the preview are ever served.",
        _SERVE_EXAMPLES,
    )
    site_option(s)
    s.add_argument(
        "--port", type=_port, default=8000, help="port to listen on; 0 picks a free one (default 8000)"
    )
    s.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)"
    )
    s.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach (they can read your drafts)",
    )
    s.add_argument(
        "--output", metavar="DIR", help="preview folder (default: a temporary folder, removed on exit)"
    )
    s.add_argument(
        "--drafts", action="store_true", help="include draft: true stories, each marked with a draft banner"
    )
    s.add_argument("--strict", action="store_true", help="treat warnings as errors")
    s.add_argument(
        "--poll",
        type=_seconds,
        default=0.5,
        metavar="SECONDS",
        help="how often to look for changed files (default 0.5)",
    )

    i = command(
        "init",
        "start a new site in an empty folder",
        "Create a new site: newsgen.yaml with every setting explained, one example article, an "
        "empty templates/ for your overrides, a .gitignore, and a GitHub Actions workflow that "
        "checks, builds and publishes the site to GitHub Pages. Refuses a folder that is not empty.",
        _INIT_EXAMPLES,
    )
    i.add_argument("folder", metavar="DIR", help="folder to create (or an empty one)")
    i.add_argument("--title", default="My News Site", help="the site's name (default: My News Site)")
    i.add_argument(
        "--base-url",
        default="http://localhost:8000/",
        metavar="URL",
        help="the URL the site will be published at",
    )

    c = command(
        "check",
        "find problems without publishing",
        "Load, assemble and render the whole site in memory and report every error and warning "
        "with path:line; with --built, also check every link and asset in a built site. Writes "
        "nothing. Exits 1 when there are errors (or, with --strict, warnings).",
        _CHECK_EXAMPLES,
    )
    site_option(c)
    c.add_argument(
        "--built",
        nargs="?",
        const="",
        metavar="DIR",
        help="also check a built site: DIR, or the configured output folder",
    )
    c.add_argument(
        "--as-of",
        metavar="DATETIME",
        help="check the site as published at this time (default: SOURCE_DATE_EPOCH if set, else now)",
    )
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")
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
    reporter = ConsoleReporter(quiet=args.quiet, verbose=args.verbose)
    handlers = {"build": _build, "new": _new, "serve": _serve, "init": _init, "check": _check}
    args.raw_args = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--verify"]  # for --verify
    try:
        return handlers[args.command](args, reporter)
    except NewsgenError as exc:
        for d in exc.diagnostics:
            reporter.diagnostic(d)
        n = len(exc.diagnostics)
        print(f"newsgen {args.command} failed: {n} error{'s' if n != 1 else ''}", file=sys.stderr)
        return EXIT_ERROR


def _build(args: argparse.Namespace, reporter: ConsoleReporter) -> int:
    from newsgen.pipeline import (  # only the CLI and the dev server import it
        build,
        resolve_now,
        strict_errors,
    )

    try:
        config, warnings = load_config(
            Path(args.site),
            output=args.output,
            base_url=args.base_url,
            cache_dir=args.cache_dir,
            publishing=True,
        )
        if args.strict and warnings:
            raise ConfigError(strict_errors(warnings))
        for w in warnings:
            reporter.diagnostic(w)
        now = resolve_now(config, args.as_of, "--as-of")
        if args.verify:  # both builds see this "now", to the second (the second as --as-of)
            now = now.replace(microsecond=0)
        options = {
            "force": args.force,
            "now": now,
            "drafts": args.drafts,
            "strict": args.strict,
            "jobs": args.jobs,
        }
        if args.verify:
            from newsgen.commands.verify import verify_build

            if not verify_build(config, reporter, args.raw_args, build, **options):
                print(
                    "verify failed: the two builds differ; the output folder was left as it was",
                    file=sys.stderr,
                )
                return EXIT_ERROR
        else:
            build(config, reporter, use_cache=not args.no_cache, **options)
    except KeyboardInterrupt:
        print("interrupted: the output folder was left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    except NewsgenError as exc:
        for d in exc.diagnostics:
            reporter.diagnostic(d)
        n = len(exc.diagnostics)
        print(
            f"build failed: {n} error{'s' if n != 1 else ''}; nothing was written. Fix "
            f"{'it' if n == 1 else 'them'} and build again ('newsgen check' lists every problem "
            "without building)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    return EXIT_OK


def _serve(args: argparse.Namespace, reporter: ConsoleReporter) -> int:
    from newsgen.commands.serve import DevServer, ServeOptions, is_loopback

    if not is_loopback(args.host):
        if not args.allow_remote:
            print(
                f"newsgen serve: error: refusing to listen on {args.host}: other machines could read "
                "the preview, drafts included. Add --allow-remote if that is what you want.",
                file=sys.stderr,
            )
            return EXIT_USAGE
        print(
            f"warning: serving on {args.host}: anyone who can reach this machine can read the preview, "
            "drafts included",
            file=sys.stderr,
        )
    options = ServeOptions(
        site=Path(args.site),
        output=Path(args.output) if args.output else None,
        host=args.host,
        port=args.port,
        drafts=args.drafts,
        strict=args.strict,
        poll_interval=args.poll,
    )
    if not Path(args.site).is_dir():
        raise ConfigError(f"site folder {Path(args.site).absolute()} does not exist")
    try:
        server = DevServer(options, reporter, log=reporter.debug)
    except OSError as exc:
        print(
            f"newsgen serve: cannot listen on {args.host} port {args.port}: {exc.strerror or exc}. "
            "Choose another port with --port N, or --port 0 for any free port.",
            file=sys.stderr,
        )
        return EXIT_ERROR
    server.run()
    return EXIT_OK


def _new(args: argparse.Namespace, reporter: ConsoleReporter) -> int:
    from newsgen.commands.scaffold import new_article
    from newsgen.pipeline import resolve_now, strict_errors

    config, warnings = load_config(Path(args.site))
    if args.strict and warnings:
        raise ConfigError(strict_errors(warnings))
    for w in warnings:
        reporter.diagnostic(w)
    when = resolve_now(config, args.date, "--date")
    path = new_article(config, args.headline, when, section=args.section, authors=args.author)
    reporter.info(
        f"created {display_path(path, config.paths.site)} (draft: true; set it to false to publish)"
    )
    return EXIT_OK


def _init(args: argparse.Namespace, reporter: ConsoleReporter) -> int:
    from newsgen.commands.scaffold import init_site

    folder = Path(args.folder)
    written = init_site(folder, title=args.title, base_url=args.base_url)
    for path in written:
        reporter.debug(f"  created {path.as_posix()}")
    reporter.info(
        f"created a new site in {folder.as_posix()}/ ({len(written)} files). Next:\n"
        f"  cd {folder.as_posix()}\n"
        "  newsgen serve      preview it at http://127.0.0.1:8000/\n"
        "  newsgen build      build it into public/"
    )
    return EXIT_OK


def _check(args: argparse.Namespace, reporter: ConsoleReporter) -> int:
    from newsgen.commands.check import check
    from newsgen.pipeline import resolve_now, strict_errors

    config, warnings = load_config(Path(args.site), publishing=True)
    built = None
    if args.built is not None:
        built = Path(args.built) if args.built else config.paths.output
    now = resolve_now(config, args.as_of, "--as-of")
    report = check(config, now, output=built, config_warnings=warnings)
    findings = report.sorted()
    if args.strict:
        findings = [d if d.severity is Severity.ERROR else strict_errors([d])[0] for d in findings]
    for d in findings:
        reporter.diagnostic(d)
    errors = sum(d.severity is Severity.ERROR for d in findings)
    warns = len(findings) - errors
    checked = f"{report.articles} article{'s' if report.articles != 1 else ''}"
    if built is not None:
        checked += f" and {report.html_files} built page{'s' if report.html_files != 1 else ''}"
    summary = (
        f"checked {checked}: {errors} error{'s' if errors != 1 else ''}, "
        f"{warns} warning{'s' if warns != 1 else ''}"
    )
    if errors:
        print(summary, file=sys.stderr)
        return EXIT_ERROR
    reporter.info(summary)
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
