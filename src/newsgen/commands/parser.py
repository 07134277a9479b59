"""The ``newsgen`` command line: every command, option and example of ``--help``."""

from __future__ import annotations

import argparse
import textwrap

from newsgen import __version__

_MAIN_EPILOG = """\
commands:
  init DIR       start a new site in an empty folder
  new HEADLINE   start a new article file (a draft)
  serve          preview the site at http://127.0.0.1:8000/, rebuilt and reloaded as you edit
  check          find content, config and link problems without publishing
  build          build the site into public/
  import         bring an existing archive in (import wordpress EXPORT.xml)

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
  newsgen check --built --base-url https://preview.example.com/pr-12/   a preview built with that base

Errors: anything that stops a build, links between articles that point to no
article. Warnings: headlines over 110 characters, missing summaries, images
without alt text, bylines missing from authors.yaml.
"""


_IMPORT_EXAMPLES = """\
examples:
  newsgen import wordpress export.xml                 into the site in this folder
  newsgen import wordpress export.xml --site mysite   into mysite/ (created when missing)
  newsgen import wordpress export.xml --force         also replace files the importer did not write

Export from WordPress with Tools > Export > All content. Posts and pages become
articles/wordpress/*.md (drafts stay drafts, scheduled posts keep their future date,
private and password-protected posts are left out with a note); authors go to
authors.yaml; each post's old address becomes redirect_from. Importing again
updates the same files (matched by wordpress_id), never duplicates them.
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


def build_parser() -> argparse.ArgumentParser:
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
    c.add_argument(
        "--base-url",
        metavar="URL",
        help="override base_url as the build did (a preview built with --base-url: its links resolve there)",
    )
    c.add_argument("--strict", action="store_true", help="treat warnings as errors")

    imp = command(
        "import",
        "bring an existing archive in (WordPress)",
        "Write a newsgen site from another system's export. Only WordPress for now: "
        "'newsgen import wordpress EXPORT.xml'.",
        _IMPORT_EXAMPLES,
    )
    imp.add_argument("source", choices=["wordpress"], help="the system the export comes from")
    imp.add_argument("export", metavar="EXPORT.xml", help="the WordPress export file (WXR 1.0-1.2)")
    site_option(imp)
    imp.add_argument(
        "--force",
        action="store_true",
        help="replace files at the importer's paths that it did not write (it never writes outside --site)",
    )
    return parser


def _jobs(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 process, got {n}")
    return n
