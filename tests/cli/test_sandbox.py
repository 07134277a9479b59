"""While building, newsgen runs no programs, opens no network connection, reads no environment
variable beyond the documented ones, and touches no file outside the site, its output and
Python's own libraries."""

from __future__ import annotations

import ast
import os
import sys
import sysconfig
import zoneinfo
from collections.abc import MutableMapping
from pathlib import Path

import pytest

import newsgen
from conftest import REPO
from newsgen.theme.render import theme_dir

#: Every environment variable newsgen reads, each explained in SECURITY.md.
DOCUMENTED_ENV = {"SOURCE_DATE_EPOCH", "HOME", "PYTHONHASHSEED", "TZ", "LANG", "LC_ALL"}
# Forking worker processes of newsgen itself (newsgen.core.parallel) starts no program: it is allowed.
PROCESS_EVENTS = (
    "subprocess.Popen",
    "os.system",
    "os.exec",
    "os.posix_spawn",
    "os.spawn",
    "os.forkpty",
    "pty.spawn",
    "os.startfile",
)
NETWORK_EVENTS = ("socket.", "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect")

_events: list[tuple[str, tuple]] | None = None


def _hook(event: str, args: tuple) -> None:
    if _events is not None:
        _events.append((event, args))


sys.addaudithook(_hook)  # audit hooks cannot be removed; this one records only inside `watching`


_HELPERS = {"os", "posixpath", "genericpath", "pathlib", "ntpath"}


def _newsgen_is_asking() -> bool:
    """True when the code reading the environment is newsgen's (through os/path helpers such as
    Path.home), not a library reading a variable for its own purposes."""
    frame = sys._getframe(3)  # 0 this, 1 _saw, 2 the mapping method, 3 its caller
    while frame is not None and frame.f_globals.get("__name__") in _HELPERS:
        frame = frame.f_back
    return frame is not None and str(frame.f_globals.get("__name__", "")).startswith("newsgen")


class RecordingEnviron(MutableMapping):
    """``os.environ`` that remembers which variables newsgen's own code reads."""

    def __init__(self, real):
        self.real, self.read = real, set()

    def _saw(self, key):
        if _newsgen_is_asking():
            self.read.add(key)

    def __getitem__(self, key):
        self._saw(key)
        return self.real[key]

    def get(self, key, default=None):
        self._saw(key)
        return self.real.get(key, default)

    def __contains__(self, key):
        self._saw(key)
        return key in self.real

    def __setitem__(self, key, value):
        self.real[key] = value

    def __delitem__(self, key):
        del self.real[key]

    def __iter__(self):
        self._saw("*")  # listing the whole environment
        return iter(self.real)

    def __len__(self):
        return len(self.real)

    def copy(self):
        self._saw("*")
        return self.real.copy()


@pytest.fixture
def watching(monkeypatch):
    global _events
    env = RecordingEnviron(os.environ)
    monkeypatch.setattr(os, "environ", env)
    _events = []
    yield _events, env
    _events = None


def _allowed_roots(site: Path, out: Path) -> list[Path]:
    roots = [site, out.parent, theme_dir(), Path(newsgen.__file__).parent]
    roots += [
        Path(p)
        for p in {
            sysconfig.get_path("stdlib"),
            sysconfig.get_path("platstdlib"),
            sysconfig.get_path("purelib"),
            sysconfig.get_path("platlib"),
            sys.prefix,
            sys.base_prefix,
            sys.exec_prefix,
        }
    ]
    roots += [Path(p) for p in zoneinfo.TZPATH]  # the system time zone database
    roots += [Path(p) for p in sys.path if p]
    return [r.resolve() for r in roots]


def test_a_build_runs_no_programs_uses_no_network_and_stays_in_its_folders(
    write_site, cli, watching, tmp_path
):
    site = write_site(
        {
            "articles/a.md": "---\ntitle: A\ndate: 2025-03-01\ntags: [x]\n---\n\n[link](https://example.com/) "
            "![img](https://example.com/i.png) <https://example.com/auto>\n",
            "articles/wire.txt": "HEADLINE\n\nText.\n",
            "templates/partials/footer.html": "<footer>site footer</footer>\n",
            "static/robots.txt": "User-agent: *\n",
        },
        config="title: T\nbase_url: https://example.com/\ntimezone: Europe/Berlin\n",
    )
    events, env = watching
    run = cli("build", "--site", site)
    assert run.code == 0, run.err
    names = [e for e, _ in events]
    assert not [e for e in names if e.startswith(PROCESS_EVENTS)], "started a program"
    assert not [e for e in names if e.startswith(NETWORK_EVENTS)], "used the network"
    roots = _allowed_roots(site, site / "public")
    opened = {
        Path(os.fsdecode(args[0])).resolve()
        for e, args in events
        if e in ("open", "os.listdir", "os.scandir") and args and isinstance(args[0], (str, bytes, Path))
    }
    outside = sorted(str(p) for p in opened if not any(p == r or r in p.parents for r in roots))
    assert outside == []
    assert any(site.resolve() in p.parents for p in opened)  # the hook really saw the build's files
    assert "HOME" in env.read  # the recorder sees newsgen's reads (the home folder check)
    assert env.read <= DOCUMENTED_ENV, f"read undocumented environment variables: {env.read - DOCUMENTED_ENV}"


def _environment_reads(tree: ast.AST) -> set[str]:
    """Names of environment variables a module's source reads."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = ast.unparse(f)
            if (
                name in ("os.getenv", "os.environ.get", "environ.get", "os.environ.pop", "env.get")
                and node.args
            ):
                arg = node.args[0]
                found.add(arg.value if isinstance(arg, ast.Constant) else f"<dynamic in {name}>")
            if name.endswith(("Path.home", "expanduser")):
                found.add("HOME")
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) in ("os.environ", "env"):
            key = node.slice
            found.add(key.value if isinstance(key, ast.Constant) else "<dynamic os.environ[...]>")
    return found


def test_the_source_reads_only_documented_environment_variables():
    read: dict[str, set[str]] = {}
    for path in sorted((REPO / "src" / "newsgen").rglob("*.py")):
        for name in _environment_reads(ast.parse(path.read_text("utf-8"))):
            read.setdefault(name, set()).add(path.name)
    undocumented = {k: v for k, v in read.items() if k not in DOCUMENTED_ENV}
    assert undocumented == {}
    security = (REPO / "SECURITY.md").read_text("utf-8")
    for name in DOCUMENTED_ENV:
        assert f"`{name}`" in security, f"{name} is not explained in SECURITY.md"


FORBIDDEN_MODULES = {
    "subprocess",
    "socket",
    "urllib.request",
    "http",
    "ftplib",
    "smtplib",
    "asyncio",
    "requests",
    "httpx",
    "pty",
    "webbrowser",
    "urllib3",
    "ssl",
}
FORBIDDEN_CALLS = (
    "os.system",
    "os.popen",
    "os.exec",
    "os.spawn",
    "os.posix_spawn",
    "os.fork",
    "os.startfile",
)


def test_programs_and_network_are_used_only_where_documented():
    users = set()
    for path in sorted((REPO / "src" / "newsgen").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Call) and ast.unparse(node.func).startswith(FORBIDDEN_CALLS):
                users.add((path.name, ast.unparse(node.func)))
                continue
            else:
                continue
            users |= {
                (path.name, n)
                for n in names
                if n in FORBIDDEN_MODULES or n.split(".")[0] in FORBIDDEN_MODULES
            }
    assert users == {
        ("verify.py", "subprocess"),  # build --verify: its second build, in the same Python (SECURITY.md)
        ("search.py", "subprocess"),  # Pagefind, only when the (trusted) config sets search: true
        ("http.py", "socket"),
        ("http.py", "http"),
        ("http.py", "http.server"),  # the preview server
    }
