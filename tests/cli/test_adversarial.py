"""The adversarial fixture suite: one small hostile site per case.

Every case starts from a site that built successfully, adds the hostile
input, and builds again through the command line. Each asserts:

* the exit code;
* the place in the message: ``path:line:`` where the problem has a line,
  the path alone where it is a property of the whole file (a symbolic link,
  the file's size) or of the output folder;
* that no file outside the output folder changed (every file, folder and link
  under the test's folder is compared, the site and an "outside" folder with
  secrets included);
* for a refused build, that the previous output is byte-identical; for a
  build that succeeds after neutralising the input, that the previously
  published pages are byte-identical and the new page is where it belongs.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import cpu_seconds, tree_digest
from newsgen.publish import outdir
from newsgen.publish.spare import SPARE_NAME

BASE_CONFIG = """\
title: Adversarial
base_url: https://example.com/
more_stories: 0
default_date: 2025-01-01
"""
FIRST = "---\ntitle: First story\ndate: 2025-03-01T09:00:00Z\n---\n\nA quiet first story.\n"
SECOND = "---\ntitle: Second story\ndate: 2025-03-02T09:00:00Z\n---\n\nA quiet second story.\n"
SECRET = "TOP-SECRET-7f3a outside the site"


def fm(*lines: str, body: str = "Body text.") -> str:
    """An article whose front matter lines start at line 2 (after the opening ---)."""
    return "\n".join(["---", *lines, "---", "", body, ""])


def snapshot(root: Path, skip: Path | None = None) -> dict[str, str]:
    """Every entry under ``root`` (links not followed): type and content hash or link target.

    ``skip`` is the output folder; the incremental build cache (``.newsgen-cache`` in the
    site folder, which also keeps the previous build's pages to recycle) is skipped too:
    it is newsgen's own and safe to delete.
    """
    out: dict[str, str] = {}
    skipped = {root / "site" / ".newsgen-cache"}
    if skip is not None:
        skipped.add(skip)
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        if any(here == s or s in here.parents for s in skipped):
            dirnames[:] = []
            continue
        for name in dirnames + filenames:
            p = here / name
            if p in skipped:
                continue
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = "link:" + os.readlink(p)
            elif p.is_dir():
                out[rel] = "dir"
            elif p.is_file():
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:
                out[rel] = "special"
    return out


@dataclass
class Case:
    id: str
    files: dict[str, str | bytes] = field(default_factory=dict)
    code: int = 1
    where: str = ""  # expected in the output, e.g. "articles/evil.md:4:"
    says: str = ""  # expected words of the message
    config: str = ""  # appended to newsgen.yaml
    prepare: Callable[[Path, Path], None] | None = None  # (site, tmp) -> None, e.g. make links
    output: Callable[[Path, Path], str] | None = None  # (site, tmp) -> the --output argument
    args: tuple[str, ...] = ()
    check: Callable[[Path, Result], None] | None = None  # extra checks on a successful build
    seconds: float = 20.0  # CPU seconds the build may use (hostile input must not hang it; wide margin)
    new_names: bool = False  # adds a section or tags, which the theme lists on every page


@dataclass
class Result:
    code: int
    text: str
    out: Path
    before: dict[str, str]


def run_case(case: Case, tmp_path: Path, cli, monkeypatch) -> Result:
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_ed25519").write_text(SECRET)
    monkeypatch.setenv("HOME", str(home))
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "secret.md").write_text(fm("title: Secret", body=SECRET))
    (outside / "secret.txt").write_text(SECRET)
    (outside / "folder" / "leak.md").write_text(fm("title: Leak", body=SECRET))
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "newsgen.yaml").write_text(BASE_CONFIG + case.config)
    (site / "articles" / "first.md").write_text(FIRST)
    (site / "articles" / "second.md").write_text(SECOND)
    monkeypatch.chdir(site)
    first = cli("build", "--site", site)
    assert first.code == 0, first.err
    out = site / "public"
    before = tree_digest(out)

    for rel, content in case.files.items():
        p = site / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    if case.prepare:
        case.prepare(site, tmp_path)
    output_arg = case.output(site, tmp_path) if case.output else None
    watched = snapshot(tmp_path, skip=None if output_arg else out)

    started = cpu_seconds()
    args = ["build", "--site", site, *case.args] + (["--output", output_arg] if output_arg else [])
    run = cli(*args)
    elapsed = cpu_seconds() - started  # CPU time: a loaded machine does not make a case fail
    text = run.out + run.err

    assert elapsed < case.seconds, f"took {elapsed:.1f}s"
    assert run.code == case.code, text
    assert "Traceback" not in text
    if case.where:
        assert case.where in text, text
    if case.says:
        assert case.says.lower() in text.lower(), text
    assert snapshot(tmp_path, skip=None if output_arg else out) == watched, (
        "something outside the output changed"
    )
    if run.code != 0:
        assert tree_digest(out) == before, "the previous output changed"
        assert "nothing was written" in run.err or "left as it was" in run.err
    else:
        after = tree_digest(out)
        unchanged = {k: v for k, v in before.items() if "/first/" in k or "/second/" in k}
        assert len(unchanged) == 2
        if not case.new_names:
            assert {k: after.get(k) for k in unchanged} == unchanged, "previously published pages changed"
        assert set(unchanged) <= set(after)
        for p in out.rglob("*"):
            assert out.resolve() in p.resolve().parents or p.is_symlink()
        assert SECRET not in "".join(p.read_text("utf-8", "replace") for p in out.rglob("*") if p.is_file())
    spare = site / ".newsgen-cache" / SPARE_NAME
    if spare.exists():  # the previous pages newsgen keeps in the cache: its own files only
        listed = set(outdir.read_manifest(spare) or {}) | {outdir.MANIFEST}
        assert {p.relative_to(spare).as_posix() for p in spare.rglob("*") if not p.is_dir()} <= listed
    result = Result(run.code, text, out, before)
    if case.check:
        case.check(site, result)
    return result


def page(out: Path, rel: str) -> str:
    p = out / rel
    assert p.is_file(), f"expected {rel} in the output; have {sorted(tree_digest(out))}"
    return p.read_text("utf-8")


def has_page(rel: str) -> Callable[[Path, Result], None]:
    return lambda site, r: page(r.out, rel)


# --------------------------------------------------------------------------- slugs

NFC = unicodedata.normalize("NFC", "한국 café")
NFD = unicodedata.normalize("NFD", "한국 café")
assert NFC != NFD

SLUG_CASES = [
    Case(
        "slug-dotdot",
        {"articles/evil.md": fm("title: Evil", "date: 2025-03-03", "slug: ../../x")},
        code=0,
        where="articles/evil.md:4:",
        says="not a safe URL segment",
        check=has_page("2025/03/03/x/index.html"),
    ),
    Case(
        "slug-percent-encoded",
        {"articles/evil.md": fm("title: Evil", "date: 2025-03-03", "slug: '%2e%2e%2f'")},
        code=0,
        where="articles/evil.md:4:",
        check=has_page("2025/03/03/2e-2e-2f/index.html"),
    ),
    Case(
        "slug-absolute",
        {"articles/evil.md": fm("title: Evil", "date: 2025-03-03", "slug: /etc/x")},
        code=0,
        where="articles/evil.md:4:",
        check=has_page("2025/03/03/etc-x/index.html"),
    ),
    Case(
        "slug-backslash",
        {"articles/evil.md": fm("title: Evil", "date: 2025-03-03", "slug: '..\\x'")},
        code=0,
        where="articles/evil.md:4:",
        check=has_page("2025/03/03/x/index.html"),
    ),
    Case(
        "slug-nul",
        {"articles/evil.md": fm("title: Evil", "date: 2025-03-03", 'slug: "a\\0b"')},
        code=0,
        where="articles/evil.md:4:",
        check=has_page("2025/03/03/a-b/index.html"),
    ),
    Case(
        "slug-300-characters",
        {"articles/evil.md": fm("title: Evil", "date: 2025-03-03", "slug: " + "a" * 300)},
        code=0,
        where="articles/evil.md:4:",
        check=has_page(f"2025/03/03/{'a' * 80}/index.html"),
    ),
    Case(
        "slug-nfd-is-published-nfc",
        {"articles/evil.md": fm("title: Evil", "date: 2025-03-03", f"slug: {NFD}")},
        code=0,
        check=has_page(f"2025/03/03/{unicodedata.normalize('NFC', '한국-cafe')}/index.html"),
    ),
    Case(
        "slug-nfc-and-nfd-collide",
        {
            "articles/nfc.md": fm("title: One", "date: 2025-03-03", f"slug: {NFC}"),
            "articles/nfd.md": fm("title: Two", "date: 2025-03-03", f"slug: {NFD}"),
        },
        code=1,
        where="articles/nfc.md",
        says="articles/nfd.md",
    ),
    Case(
        "filename-dotdot-backslash",
        {"articles/a..\\x.md": fm("title: Evil", "date: 2025-03-03")},
        code=0,
        check=has_page("2025/03/03/a-x/index.html"),
    ),
    Case(
        "filename-percent",
        {"articles/%2e%2e%2f.md": fm("title: Evil", "date: 2025-03-03")},
        code=0,
        check=has_page("2025/03/03/2e-2e-2f/index.html"),
    ),
    Case(
        "filename-long",
        {"articles/" + "b" * 250 + ".md": fm("title: Evil", "date: 2025-03-03")},
        code=0,
        check=has_page(f"2025/03/03/{'b' * 80}/index.html"),
    ),
    Case(
        "section-in-permalink",
        {"articles/evil.md": fm("title: Evil", "date: 2025-03-03", "section: ../../../etc")},
        code=0,
        config="permalink: /{section}/{slug}/\n",
        check=has_page("etc/evil/index.html"),
        new_names=True,
    ),
    Case(
        "tags-and-authors-with-paths",
        {
            "articles/evil.md": fm(
                "title: Evil",
                "date: 2025-03-03",
                "tags: [../../x, /etc/passwd, '..\\y', '%2e%2e']",
                "author: ../../../root",
            )
        },
        code=0,
        check=has_page("2025/03/03/evil/index.html"),
        new_names=True,
    ),
]


# --------------------------------------------------------------------------- symbolic links


def link(rel: str, target: Callable[[Path, Path], Path]):
    def prepare(site: Path, tmp: Path) -> None:
        p = site / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.symlink_to(target(site, tmp))

    return prepare


OUTWARD_LINKS = [  # (case, link in the site, where it points)
    ("symlinked-article-file-out", "articles/link.md", lambda s, t: t / "outside" / "secret.md"),
    ("symlinked-article-folder-out", "articles/more", lambda s, t: t / "outside" / "folder"),
    ("symlinked-relative-escape", "articles/rel.md", lambda s, t: Path("../../outside/secret.md")),
    ("symlinked-template-out", "templates/partials/footer.html", lambda s, t: t / "outside" / "secret.txt"),
    ("symlinked-static-file-out", "static/robots.txt", lambda s, t: t / "outside" / "secret.txt"),
    ("symlinked-static-folder-out", "static/docs", lambda s, t: t / "outside" / "folder"),
    ("symlinked-static-to-root", "static/etc", lambda s, t: Path("/etc")),
    ("symlink-to-home-secret", "articles/key.md", lambda s, t: t / "home" / ".ssh" / "id_ed25519"),
]
SYMLINK_CASES = [
    Case(
        name, prepare=link(rel, target), where=f"{rel}:", says="symbolic link points outside the site folder"
    )
    for name, rel, target in OUTWARD_LINKS
] + [
    Case(
        "symlink-inside-the-site-is-fine",
        files={"drafts/shared.md": fm("title: Shared", "date: 2025-03-03")},
        prepare=link("articles/shared.md", lambda s, t: s / "drafts" / "shared.md"),
        code=0,
        check=has_page("2025/03/03/shared/index.html"),
    ),
]


def loop(*rels: str):
    """Symbolic links that go round in a loop: each of ``rels`` points to the next, the last to the first
    (one alone points to itself)."""

    def prepare(site: Path, tmp: Path) -> None:
        for rel, to in zip(rels, rels[1:] + rels[:1], strict=True):
            p = site / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.symlink_to(os.path.relpath(site / to, p.parent))

    return prepare


LOOP_CASES = [  # a traceback before (RuntimeError "Symlink loop from ...": ELOOP); a clean error now
    Case(name, prepare=loop(*rels), where=f"{rels[-1]}:", says="its links go round in a loop")
    for name, rels in [
        ("loop-article-to-itself", ("articles/loop-link.md",)),
        ("loop-two-articles", ("articles/ping.md", "articles/pong.md")),
        ("loop-seed", ("seeds/loop.txt",)),
        ("loop-seeds-folder", ("seeds",)),
        ("loop-template", ("templates/partials/footer.html",)),
        ("loop-templates-folder", ("templates",)),
        ("loop-static-file", ("static/loop.css",)),
        ("loop-static-subfolder", ("static/assets",)),
        ("loop-static-folder", ("static",)),
    ]
]


def fifo(rel: str):
    def prepare(site: Path, tmp: Path) -> None:
        os.mkfifo(site / rel)

    return prepare


SPECIAL_FILE_CASES = [
    Case(
        "fifo-article", prepare=fifo("articles/pipe.md"), where="articles/pipe.md:", says="not a regular file"
    ),
    Case(
        "fifo-static",
        files={"static/keep.txt": "x"},
        prepare=fifo("static/pipe.txt"),
        where="static/pipe.txt:",
        says="not a regular file",
    ),
]


# --------------------------------------------------------------------------- YAML

YAML_CASES = [
    Case(
        f"yaml-{name}",
        {"articles/evil.md": fm("title: Evil", f"extra: {value}")},
        where="articles/evil.md:3:",
        says=says,
    )
    for name, value, says in [
        (
            "python-object-apply",
            "!!python/object/apply:os.system ['touch pwned']",
            "unsafe or unknown YAML tag",
        ),
        ("python-object-new", "!!python/object/new:os.system ['touch pwned']", "unsafe or unknown YAML tag"),
        ("python-name", "!!python/name:os.system", "unsafe or unknown YAML tag"),
        ("python-module", "!!python/module:os", "unsafe or unknown YAML tag"),
        (
            "python-verbatim-tag",
            "!<tag:yaml.org,2002:python/object/apply:os.system> ['touch pwned']",
            "unsafe or unknown YAML tag",
        ),
        ("local-tag", "!include /etc/passwd", "unsafe or unknown YAML tag"),
        ("huge-integer", "9" * 5000, "cannot be read"),
        ("deep-nesting", "[" * 50_000, "nested more than"),
        ("deep-block-sequence", "- " * 2_000 + "x", "nested more than"),
    ]
] + [
    Case(
        "yaml-alias-bomb",
        {
            "articles/evil.md": fm(
                "title: Evil",
                "a: &a [x, x, x, x, x, x, x, x, x]",
                "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
                "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
                "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
                "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
                "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e]",
            )
        },
        where="articles/evil.md:",
        says="expands to more than",
    ),
    Case(
        "yaml-front-matter-over-cap",
        {"articles/evil.md": fm("title: Evil", "summary: " + "x" * 70_000)},
        where="articles/evil.md:2:",
        says="over the limit",
    ),
    Case(
        "yaml-bad-timestamp-tag",
        {"articles/evil.md": fm("title: Evil", "extra: !!timestamp nope")},
        where="articles/evil.md:3:",
        says="cannot be read",
    ),
    Case(
        "yaml-date-out-of-range",
        {"articles/evil.md": fm("title: Evil", "date: 9999-12-31T23:00:00-05:00")},
        where="articles/evil.md:3:",
        says="out of range",
    ),
]


# --------------------------------------------------------------------------- encodings

ARTICLE = fm("title: Encoded", "date: 2025-03-03", body="Caf\u00e9 society.\n\nSecond paragraph.")
ENCODING_CASES = [
    Case(
        "utf16-le-bom",
        {"articles/enc.md": ARTICLE.encode("utf-16")},
        where="articles/enc.md:1:1:",
        says="UTF-16 (byte order mark at byte offset 0)",
    ),
    Case(
        "utf16-be-bom",
        {"articles/enc.md": b"\xfe\xff" + ARTICLE.encode("utf-16-be")},
        where="articles/enc.md:1:1:",
        says="UTF-16",
    ),
    Case(
        "utf16-no-bom",
        {"articles/enc.md": ARTICLE.encode("utf-16-le")},
        where="articles/enc.md:1:",
        says="byte offset 1",
    ),
    Case(
        "latin-1",
        {"articles/enc.md": ARTICLE.encode("latin-1")},
        where="articles/enc.md:6:4:",
        says=f"byte offset {ARTICLE.encode('utf-8').index('é'.encode())}",
    ),
    Case(
        "invalid-utf8-mid-file",
        {"articles/enc.md": b"---\ntitle: T\n---\n\nok\n\nbad \xff byte\n"},
        where="articles/enc.md:7:5:",
        says="byte 0xff at byte offset 26",
    ),
    Case(
        "nul-byte",
        {"articles/enc.md": b"---\ntitle: T\n---\n\nnul \x00 here\n"},
        where="articles/enc.md:5:5:",
        says="NUL byte at byte offset 22",
    ),
    Case(
        "error-line-in-crlf-file",
        {"articles/enc.md": b"---\r\ntitle: T\r\ndate: 2025-02-30\r\n---\r\n\r\nx\r\n"},
        where="articles/enc.md:3:7:",
        says="not a valid date",
    ),
    Case(
        "error-line-in-lone-cr-file",
        {"articles/enc.md": b"---\rtitle: T\rdate: 2025-02-30\r---\r\rx\r"},
        where="articles/enc.md:3:7:",
        says="not a valid date",
    ),
    Case(
        "bom-crlf-and-lone-cr-are-fine",
        {
            "articles/enc.md": b"\xef\xbb\xbf---\r\ntitle: Encoded\r\ndate: 2025-03-03\r\n---\r\n\r\nOne\rtwo\r\n"
        },
        code=0,
        check=lambda site, r: _no_cr(page(r.out, "2025/03/03/enc/index.html")),
    ),
]


def _no_cr(html: str) -> None:
    assert "\r" not in html and "\ufeff" not in html and '<h1 class="article__title">Encoded</h1>' in html


# --------------------------------------------------------------------------- size and pathological Markdown


def md_case(name: str, body: str, line: int, says: str, config: str = "") -> Case:
    """Body starts on line 5 of the file (front matter is lines 1-3, a blank line 4)."""
    return Case(
        f"markdown-{name}",
        {"articles/evil.md": "---\ntitle: Evil\n---\n\n" + body},
        where=f"articles/evil.md:{line}:",
        says=says,
        config=config,
        seconds=20.0,
    )


SIZE_CASES = [
    Case(
        "file-over-size-cap",
        {"articles/big.md": fm("title: Big", body="x" * 5000)},
        config="max_file_size: 2000\n",
        where="articles/big.md:",
        says="over the limit of 2000",
    ),
    md_case("cdata-openers-50k", "Intro.\n\n" + "<![" * 50_000, 7, "unbalanced"),
    md_case("nested-quotes-5000", "Intro.\n\n" + ">" * 5000 + " deep", 7, "nested 5000 levels deep"),
    md_case("brackets-50k", "[" * 50_000, 5, "unbalanced"),
    md_case("images-20k", "![" * 20_000, 5, "unbalanced"),
    md_case("link-targets-20k", "[a](" * 20_000, 5, "unbalanced"),
    md_case("footnote-refs-10k", "[^1]" * 10_000 + "\n\n[^1]: note", 5, "referenced more than"),
    md_case("nested-lists-500", "\n".join("    " * i + "- x" for i in range(500)), 37, "nested 33 levels"),
    md_case("unclosed-fences", "".join("`" * (3 + i) + "\nline\n" for i in range(1000)), 5, "never closed"),
    md_case("markup-dense-paragraph", "*a " * 100_000, 5, "split it into shorter paragraphs"),
    md_case("unsafe-cdata-sections", "<![x " * 20_000, 5, "too long", config="unsafe_html: true\n"),
    md_case("unsafe-unclosed-comments", "<!--" * 50_000, 5, "too long", config="unsafe_html: true\n"),
    md_case("unsafe-unclosed-tags", "<a " * 50_000, 5, "too long", config="unsafe_html: true\n"),
    md_case(
        "unsafe-unclosed-tags-many-paragraphs",
        "<a x\n\n" * 5_000,
        5,
        "raw HTML with unclosed tags",
        config="unsafe_html: true\n",
    ),
    Case(
        "markdown-lone-cdata-opener-is-fine",
        {"articles/ok.md": fm("title: Ok", "date: 2025-03-03", body="A <![ in text.")},
        code=0,
        check=lambda site, r: _contains(r, "2025/03/03/ok/index.html", "A &lt;![ in text."),
    ),
    Case(
        "markdown-lone-cdata-opener-unsafe",
        {"articles/ok.md": fm("title: Ok", "date: 2025-03-03", body="<![\n\ntext <![CDATA[ x")},
        code=0,
        config="unsafe_html: true\n",
        check=has_page("2025/03/03/ok/index.html"),
    ),
]


def _contains(r: Result, rel: str, *needles: str) -> None:
    html = page(r.out, rel)
    for n in needles:
        assert n in html, n


# --------------------------------------------------------------------------- refused output folders


def out_at(fn: Callable[[Path, Path], Path | str]) -> Callable[[Path, Path], str]:
    return lambda site, tmp: str(fn(site, tmp))


def symlink_to(name: str, target: Callable[[Path, Path], Path]) -> Callable[[Path, Path], str]:
    def make(site: Path, tmp: Path) -> str:
        p = tmp / name
        p.symlink_to(target(site, tmp))
        return str(p)

    return make


OUTPUT_CASES = [
    Case(f"output-{name}", output=fn, where="refusing to write output to", says=says)
    for name, fn, says in [
        ("dot", out_at(lambda s, t: "."), "it is the site folder"),  # the build runs in the site folder
        ("dotdot", out_at(lambda s, t: ".."), "it contains"),
        ("root", out_at(lambda s, t: "/"), "it is the file system root"),
        ("home", out_at(lambda s, t: t / "home"), "it is your home folder"),
        ("tilde-like-home-parent", out_at(lambda s, t: t), "it contains your home folder"),
        ("site-folder", out_at(lambda s, t: s), "it is the site folder"),
        ("articles", out_at(lambda s, t: s / "articles"), "it is the articles folder"),
        ("templates", out_at(lambda s, t: s / "templates"), "it is the templates folder"),
        ("static", out_at(lambda s, t: s / "static"), "it is the static folder"),
        ("seeds", out_at(lambda s, t: s / "seeds"), "it is the seeds folder"),
        ("inside-articles", out_at(lambda s, t: s / "articles" / "out"), "inside the articles folder"),
        ("symlink-to-site", symlink_to("site-link", lambda s, t: s), "it is the site folder"),
        (
            "current-folder-elsewhere",
            out_at(lambda s, t: os.chdir(t / "outside") or "."),
            "it is the current folder",
        ),
        ("symlink-to-home", symlink_to("home-link", lambda s, t: t / "home"), "it is your home folder"),
        ("symlink-to-root", symlink_to("root-link", lambda s, t: Path("/")), "it is the file system root"),
        (
            "symlink-to-articles",
            symlink_to("art-link", lambda s, t: s / "articles"),
            "it is the articles folder",
        ),
    ]
] + [
    Case(  # a traceback before (RuntimeError "Symlink loop from ...")
        "output-symlink-loop",
        output=symlink_to("loop-out", lambda s, t: t / "loop-out"),
        where="loop-out is a symbolic link",
        says="go round in a loop",
    ),
    Case(
        "cache-folder-symlink-loop",
        prepare=loop("cache-loop"),
        args=("--cache-dir", "cache-loop"),
        where="cache-loop is a symbolic link",
        says="go round in a loop",
    ),
    Case(
        "output-not-empty-without-manifest",
        prepare=lambda s, t: (t / "theirs").mkdir() or (t / "theirs" / "index.html").write_text("theirs"),
        output=out_at(lambda s, t: t / "theirs"),
        where="not empty and was not written by newsgen",
        says="--force",
    ),
]


def _force_keeps_foreign(site: Path, r: Result) -> None:
    theirs = site.parent / "theirs"
    assert (theirs / ".git" / "HEAD").read_text() == "ref: refs/heads/main\n"
    assert (theirs / "CNAME").read_text() == "news.example.com\n"
    assert (theirs / "notes.txt").read_text() == "mine\n"
    assert (theirs / "index.html").read_text() != "theirs"  # a path the site produces is replaced
    assert (theirs / ".newsgen-manifest.json").is_file()


def _foreign_folder(site: Path, tmp: Path) -> None:
    theirs = tmp / "theirs"
    (theirs / ".git").mkdir(parents=True)
    (theirs / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (theirs / "CNAME").write_text("news.example.com\n")
    (theirs / "notes.txt").write_text("mine\n")
    (theirs / "index.html").write_text("theirs")


FORCE_CASE = Case(
    "output-force-keeps-foreign-files",
    prepare=_foreign_folder,
    output=out_at(lambda s, t: t / "theirs"),
    args=("--force",),
    code=0,
    check=_force_keeps_foreign,
)


ALL = (
    SLUG_CASES
    + SYMLINK_CASES
    + LOOP_CASES
    + SPECIAL_FILE_CASES
    + YAML_CASES
    + ENCODING_CASES
    + SIZE_CASES
    + OUTPUT_CASES
)


@pytest.mark.parametrize("case", ALL, ids=[c.id for c in ALL])
def test_adversarial(case, tmp_path, cli, monkeypatch):
    run_case(case, tmp_path, cli, monkeypatch)
    assert not (tmp_path / "site" / "pwned").exists()


def test_force_keeps_foreign_files(tmp_path, cli, monkeypatch):
    """--force builds into a folder newsgen did not make; everything already there survives."""
    case = FORCE_CASE
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "newsgen.yaml").write_text(BASE_CONFIG)
    (site / "articles" / "first.md").write_text(FIRST)
    case.prepare(site, tmp_path)
    watched = snapshot(tmp_path, skip=tmp_path / "theirs")
    run = cli("build", "--site", site, "--output", tmp_path / "theirs", "--force")
    assert run.code == 0, run.err
    assert snapshot(tmp_path, skip=tmp_path / "theirs") == watched
    case.check(site, Result(run.code, run.out + run.err, tmp_path / "theirs", {}))
