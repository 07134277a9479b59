"""The ``newsgen`` command: arguments in, a module call, diagnostics and an exit status out.

Each command's work lives in its own module (build, serve, scaffold, check);
this file only parses arguments, prints and maps errors to exit codes.

Exit status: 0 success; 1 a content, config, template or build error (every
problem is printed as ``path:line:col: message``), findings from ``check``, or a
difference found by ``build --verify``; 2 a usage error; 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from newsgen.commands.parser import build_parser
from newsgen.config import load_config
from newsgen.errors import ConfigError, NewsgenError, Severity, display_path
from newsgen.report import ConsoleReporter

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def run() -> None:
    """The ``newsgen`` command's entry point: :func:`main`, then exit at once.

    Once the output is published and every line printed, tearing down the
    interpreter (freeing a large site's objects one by one) is wasted time:
    measured at 0.45 s of a 10,000-article rebuild. So this flushes the
    output streams and ends the process with ``os._exit``. Every file newsgen
    writes is closed by then (the build's stages close their own), and worker
    processes are stopped when their stage ends. Under a profiler, tracer or
    coverage tool (``python -m cProfile -m newsgen build``) the interpreter exits
    as usual, so the tool can write what it measured.

    For the same reason ``newsgen build`` leaves the cyclic garbage collector paused
    when the build returns (``exits_after``), instead of letting it walk the heap once
    more just before the process ends."""
    code = main(exits_after=True)
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, OSError):  # e.g. `newsgen build | head`: nothing more to say
        code = code or EXIT_ERROR
    os._exit(code)


def main(argv: list[str] | None = None, *, exits_after: bool = False) -> int:
    """Run one command; its exit status. ``exits_after``: the process ends as soon as this
    returns (:func:`run`), so a build may leave the garbage collector paused (the build pauses
    it anyway, :func:`newsgen.pipeline.pause_collector`); every other command keeps it."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help/--version exit 0, usage errors exit 2
        return int(exc.code or 0)
    reporter = ConsoleReporter(quiet=args.quiet, verbose=args.verbose)
    handlers = {
        "build": _build,
        "new": _new,
        "serve": _serve,
        "init": _init,
        "check": _check,
        "import": _import,
    }
    args.raw_args = [a for a in (sys.argv[1:] if argv is None else argv) if a != "--verify"]  # for --verify
    if exits_after and args.command == "build":
        gc.disable()
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

    config, warnings = load_config(Path(args.site), base_url=args.base_url, publishing=True)
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
    if report.site_pages:
        checked += f", {report.site_pages} site page{'s' if report.site_pages != 1 else ''}"
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


def _import(args: argparse.Namespace, reporter: ConsoleReporter) -> int:
    from newsgen.commands.importers import import_wordpress

    export = Path(args.export)
    if not export.is_file():
        raise ConfigError(f"{export.as_posix()}: no such file (export it from WordPress: Tools > Export)")
    result = import_wordpress(export, Path(args.site), force=args.force)
    for d in result.notes:
        reporter.diagnostic(d)
    counts = ", ".join(f"{n} {what}" for what, n in sorted(result.counts.items()))
    files = ", ".join(f"{n} {what}" for what, n in sorted(result.written.items())) or "no files"
    reporter.info(f"imported WordPress export (WXR {result.version}): {counts}")
    reporter.info(f"articles: {files}" + ("; wrote newsgen.yaml" if result.created_config else ""))
    reporter.info("Next: newsgen check, then newsgen build")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
