"""``newsgen serve``: preview a site locally, rebuilt and reloaded as you edit.

What it does:

1. Builds the site into a private temporary folder, removed when the
   server stops (or into ``--output DIR``), with ``base_url`` set to the
   local address, so a preview never touches the ``public/`` you deploy.
   The incremental build cache makes every build after the first fast.
2. Serves that folder over HTTP on 127.0.0.1 (``--port``, default 8000;
   ``--port 0`` picks a free port and prints it). Listening on another
   interface needs ``--host ADDR --allow-remote`` and prints a warning:
   anyone who can reach the machine can then read unpublished drafts.
   ``--drafts`` includes ``draft: true`` stories, each marked as a draft.
3. Watches the articles, seeds, templates and static folders and every
   ``*.yaml`` file in the site folder (``newsgen.yaml``, ``authors.yaml``)
   by polling modification times (every ``--poll`` seconds, less often when
   a large site takes long to scan), and rebuilds when something changes.
   The build itself skips unchanged files, so only what changed is rewritten.
4. Reloads open browser tabs after a rebuild: every HTML page it *serves*
   (never the built files) gets a small script that long-polls
   ``/__newsgen__/build`` for the build number.
5. When a rebuild fails (a content, config or template error), it keeps
   serving: every page shows the errors, with file, line and the offending
   source lines, until a rebuild succeeds. Stylesheets and images of the last
   good build are still served.

Safety: only files inside the preview folder are served. A request whose
decoded path contains ``..``, a backslash or a NUL, a path through a symbolic
link, and any hidden file (``.newsgen-manifest.json``) are refused; so is
anything but GET and HEAD. Malformed requests get a 400 and the server goes
on; a client that stops talking is dropped after a timeout.

The dev server and the CLI are the only modules that import the build
orchestrator (``newsgen.pipeline``).
"""

from __future__ import annotations

import html
import ipaddress
import json
import mimetypes
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from newsgen.config import CONFIG_FILE, Config, load_config
from newsgen.errors import ConfigError, Diagnostic, NewsgenError, Severity
from newsgen.pipeline import build, strict_errors
from newsgen.report import Reporter

INTERNAL = "/__newsgen__/"
LONG_POLL_SECONDS = 25.0
DEFAULT_PORT = 8000

_RELOAD_JS = b"""\
/* newsgen serve: reload this tab when the site is rebuilt (not part of the built site). */
(function () {
  var me = document.currentScript;
  var build = me ? me.getAttribute("data-build") : "0";
  function poll(delay) {
    setTimeout(function () {
      fetch("/__newsgen__/build?since=" + encodeURIComponent(build), {cache: "no-store"})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          if (String(s.build) !== String(build)) { location.reload(); } else { poll(0); }
        })
        .catch(function () { poll(Math.min((delay || 500) * 2, 5000)); });
    }, delay);
  }
  poll(0);
})();
"""


# --------------------------------------------------------------------------- build state


class BuildState:
    """The build number and the errors of the latest build, shared with the HTTP threads."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self.number = 0
        self.errors: tuple[Diagnostic, ...] = ()
        self.closed = False

    def publish(self, errors: Iterable[Diagnostic] = ()) -> None:
        with self._cond:
            self.number += 1
            self.errors = tuple(errors)
            self._cond.notify_all()

    def wait_for_change(self, since: int, timeout: float) -> tuple[int, bool]:
        """Block until the build number differs from ``since`` (or timeout, or shutdown)."""
        with self._cond:
            self._cond.wait_for(lambda: self.number != since or self.closed, timeout=timeout)
            return self.number, not self.errors

    def snapshot(self) -> tuple[int, tuple[Diagnostic, ...]]:
        with self._cond:
            return self.number, self.errors

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()


# --------------------------------------------------------------------------- paths


@dataclass(frozen=True)
class Resolved:
    """How to answer a request path: a status, and a file or a redirect location."""

    status: int
    file: Path | None = None
    location: str | None = None


def resolve_request(root: Path, target: str) -> Resolved:
    """Map a request target to a file inside ``root`` (an absolute, resolved folder).

    Refuses (403) ``..`` segments, backslashes and NULs in the decoded path and
    any path through a symbolic link; hidden files are not found (404). A
    folder without a trailing slash redirects (301) to one with it.
    """
    parts = urlsplit(target)
    raw = parts.path
    if not raw.startswith("/"):
        return Resolved(HTTPStatus.BAD_REQUEST)
    try:
        decoded = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return Resolved(HTTPStatus.BAD_REQUEST)
    if "\x00" in decoded or "\\" in decoded or "\x00" in raw:
        return Resolved(HTTPStatus.FORBIDDEN)
    segments = [s for s in decoded.split("/") if s not in ("", ".")]
    if any(s == ".." for s in segments):
        return Resolved(HTTPStatus.FORBIDDEN)
    if any(s.startswith(".") for s in segments):
        return Resolved(HTTPStatus.NOT_FOUND)
    here = root
    for s in segments:
        here = here / s
        if here.is_symlink():
            return Resolved(HTTPStatus.FORBIDDEN)
    try:
        real = here.resolve(strict=False)
    except (OSError, RuntimeError):
        return Resolved(HTTPStatus.FORBIDDEN)
    if real != root and root not in real.parents:
        return Resolved(HTTPStatus.FORBIDDEN)
    if here.is_dir():
        if not raw.endswith("/"):
            query = f"?{parts.query}" if parts.query else ""
            # one leading slash: "//host/x" must not become a redirect to another host
            return Resolved(HTTPStatus.MOVED_PERMANENTLY, location="/" + raw.lstrip("/") + "/" + query)
        index = here / "index.html"
        if index.is_symlink():
            return Resolved(HTTPStatus.FORBIDDEN)
        return Resolved(HTTPStatus.OK, file=index) if index.is_file() else Resolved(HTTPStatus.NOT_FOUND)
    if here.is_file():
        return Resolved(HTTPStatus.OK, file=here)
    return Resolved(HTTPStatus.NOT_FOUND)


def inject_reload(page: bytes, build_number: int) -> bytes:
    """Add the live-reload script to an HTML page, before ``</body>`` when there is one."""
    tag = f'<script src="{INTERNAL}livereload.js" data-build="{build_number}"></script>\n'.encode()
    at = page.lower().rfind(b"</body>")
    return page[:at] + tag + page[at:] if at >= 0 else page + tag


# --------------------------------------------------------------------------- pages


def _excerpt(site: Path, d: Diagnostic) -> str:
    """A few source lines around the problem, when the file is in the site folder."""
    if not d.path or d.line is None:
        return ""
    path = (site / d.path).resolve()
    if not path.is_file() or (site.resolve() not in path.parents):
        return ""
    try:
        lines = path.read_text("utf-8", errors="replace").split("\n")
    except OSError:
        return ""
    first, last = max(1, d.line - 2), min(len(lines), d.line + 2)
    rows = []
    for n in range(first, last + 1):
        mark = "row here" if n == d.line else "row"
        rows.append(f'<span class="{mark}"><b>{n:>4}</b>  {html.escape(lines[n - 1])}</span>')
    return "<pre>" + "".join(rows) + "</pre>"  # each row is a block: no newlines between them


def error_page(site: Path, errors: Iterable[Diagnostic], build_number: int) -> bytes:
    """The page shown instead of every page while the site does not build."""
    items = []
    for d in errors:
        kind = "warning" if d.severity is Severity.WARNING else "error"
        items.append(
            f'<li><p><code class="where">{html.escape(d.location)}</code> '
            f'<span class="{kind}">{kind}</span> {html.escape(d.message)}</p>{_excerpt(site, d)}</li>'
        )
    body = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Build failed · newsgen serve</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ color: #8b1a1a; }} li {{ margin-bottom: 1.5rem; }} .where {{ font-weight: bold; }}
.error {{ background: #8b1a1a; color: #fff; padding: 0 .4rem; border-radius: .2rem; }}
.warning {{ background: #8a6d00; color: #fff; padding: 0 .4rem; border-radius: .2rem; }}
pre {{ background: #f4f4f4; padding: .5rem; overflow-x: auto; }} .row {{ display: block; }}
.here {{ background: #ffe0e0; }}
</style></head>
<body>
<h1>The site did not build</h1>
<p>newsgen is still serving, and will reload this page when the problem is fixed.
The last good build is not shown so that you do not mistake it for your latest edit.</p>
<ol>
{"".join(items)}
</ol>
</body>
</html>
"""
    return inject_reload(body.encode("utf-8"), build_number)


def _simple_page(title: str, text: str, build_number: int) -> bytes:
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"</head><body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>\n"
    )
    return inject_reload(page.encode("utf-8"), build_number)


# --------------------------------------------------------------------------- HTTP


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address, handler, *, root: Path, site: Path, state: BuildState, log: Callable[[str], None]
    ):
        self.root = root
        self.site = site
        self.state = state
        self.log = log
        super().__init__(address, handler)

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError, socket.timeout)):
            return
        self.log("newsgen serve: error while answering a request:\n" + traceback.format_exc())


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "newsgen-serve"
    sys_version = ""
    timeout = 30  # seconds a client may take to send its request

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args) -> None:
        self.server.log(f"{self.address_string()} {format % args}")

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _refuse_method(self) -> None:
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, "newsgen serve only answers GET and HEAD")

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_TRACE = do_CONNECT = _refuse_method

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        send_body: bool,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _answer(self, send_body: bool) -> None:
        state = self.server.state
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute-form request target
            target = urlsplit(target)._replace(scheme="", netloc="").geturl() or "/"
        if target.startswith(INTERNAL):
            self._internal(target, send_body)
            return
        number, errors = state.snapshot()
        found = resolve_request(self.server.root, target)
        html_type = "text/html; charset=utf-8"
        if found.status == HTTPStatus.MOVED_PERMANENTLY:
            self._send(found.status, b"", html_type, send_body, [("Location", found.location or "/")])
            return
        if found.status in (HTTPStatus.BAD_REQUEST, HTTPStatus.FORBIDDEN):
            reason = "Bad request" if found.status == HTTPStatus.BAD_REQUEST else "Forbidden"
            self._send(
                found.status,
                _simple_page(reason, "newsgen serve only serves files inside the preview folder.", number),
                html_type,
                send_body,
            )
            return
        is_page = found.file is None or found.file.suffix.lower() in (".html", ".htm")
        if errors and is_page:
            self._send(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                error_page(self.server.site, errors, number),
                html_type,
                send_body,
            )
            return
        if found.file is None:
            custom = self.server.root / "404.html"
            body = (
                inject_reload(custom.read_bytes(), number)
                if custom.is_file() and not custom.is_symlink()
                else _simple_page(
                    "Not found", f"Nothing is published at {unquote(urlsplit(target).path)}.", number
                )
            )
            self._send(HTTPStatus.NOT_FOUND, body, html_type, send_body)
            return
        try:
            data = found.file.read_bytes()
        except OSError:  # removed by a rebuild between resolving and reading
            self._send(
                HTTPStatus.NOT_FOUND,
                _simple_page("Not found", "The file was just removed.", number),
                html_type,
                send_body,
            )
            return
        ctype = mimetypes.guess_type(found.file.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in (
            "application/javascript",
            "application/json",
            "application/xml",
            "image/svg+xml",
        ):
            ctype += "; charset=utf-8"
        if is_page:
            data = inject_reload(data, number)
        self._send(HTTPStatus.OK, data, ctype, send_body)

    def _internal(self, target: str, send_body: bool) -> None:
        parts = urlsplit(target)
        name = parts.path[len(INTERNAL) :]
        state = self.server.state
        if name == "livereload.js":
            self._send(HTTPStatus.OK, _RELOAD_JS, "text/javascript; charset=utf-8", send_body)
        elif name == "build":
            since = parse_qs(parts.query).get("since", [""])[0]
            if since.isdigit():
                number, ok = state.wait_for_change(int(since), LONG_POLL_SECONDS)
            else:
                number, errors = state.snapshot()
                ok = not errors
            body = json.dumps({"build": number, "ok": ok}).encode()
            self._send(HTTPStatus.OK, body, "application/json", send_body)
        else:
            self._send(HTTPStatus.NOT_FOUND, b"{}", "application/json", send_body)


# --------------------------------------------------------------------------- watching


def watched_paths(site: Path, config: Config | None) -> tuple[list[Path], list[Path]]:
    """(folders, files) whose changes trigger a rebuild."""
    if config is not None:
        p = config.paths
        folders = [p.articles, p.seeds, p.templates, p.static]
    else:
        folders = [site / "articles", site / "seeds", site / "templates", site / "static"]
    files = sorted(site.glob("*.yaml")) + sorted(site.glob("*.yml")) + [site / CONFIG_FILE]
    return folders, files


def snapshot(folders: Iterable[Path], files: Iterable[Path]) -> dict[str, tuple[int, int, int]]:
    """(mtime, size, inode) of every watched file; hidden files and folders are skipped."""
    seen: dict[str, tuple[int, int, int]] = {}

    def add(path: str) -> None:
        try:
            st = os.stat(path)
        except OSError:
            return
        seen[path] = (st.st_mtime_ns, st.st_size, st.st_ino)

    for f in files:
        add(str(f))
    for folder in folders:
        if not folder.is_dir():
            continue
        add(str(folder))
        for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            add(dirpath)
            for name in filenames:
                if not name.startswith("."):
                    add(os.path.join(dirpath, name))
    return seen


# --------------------------------------------------------------------------- the server


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class ServeOptions:
    site: Path
    output: Path | None = None
    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    drafts: bool = False
    strict: bool = False
    poll_interval: float = 0.5


class DevServer:
    """Builds, serves and watches one site; :meth:`run` blocks until stopped."""

    def __init__(self, options: ServeOptions, reporter: Reporter, log: Callable[[str], None] | None = None):
        self.options = options
        self.reporter = reporter
        self.site = options.site.absolute()
        # A private temporary folder unless --output names one: a preview (drafts, a
        # localhost base_url) never lands where a deploy could pick it up.
        self._preview_tmp = None if options.output else tempfile.mkdtemp(prefix="newsgen-preview-")
        # The site goes one level down, so the writer's staging folder and spare, which sit
        # beside the output folder, are inside the temporary folder and go with it.
        self.output = Path(options.output or Path(self._preview_tmp) / "site").absolute()
        self.state = BuildState()
        self.config: Config | None = None
        self._stop = threading.Event()
        self._pid = os.getpid()
        server_class = _Server6 if ":" in options.host else _Server
        try:
            self.httpd = server_class(
                (options.host, options.port),
                _Handler,
                root=self.output.resolve(),
                site=self.site,
                state=self.state,
                log=log or (lambda message: None),
            )
        except OSError:  # the port is taken, say: leave nothing behind
            self._remove_preview()
            raise
        self.port = self.httpd.server_address[1]

    def _remove_preview(self) -> None:
        if self._preview_tmp is not None:
            shutil.rmtree(self._preview_tmp, ignore_errors=True)
            self._preview_tmp = None

    @property
    def url(self) -> str:
        host = self.options.host
        if host in ("0.0.0.0", "::", ""):
            host = "localhost"
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/"

    def rebuild(self) -> bool:
        """One build; publishes the result to the HTTP threads. True when it succeeded."""
        previous_number, previous_errors = self.state.snapshot()
        try:
            config, warnings = load_config(self.site, output=self.output, base_url=self.url)
            self.config = config
            if self.options.strict and warnings:
                raise ConfigError(strict_errors(warnings))
            for w in warnings:
                self.reporter.diagnostic(w)
            result = build(config, self.reporter, drafts=self.options.drafts, strict=self.options.strict)
        except NewsgenError as exc:
            for d in exc.diagnostics:
                self.reporter.diagnostic(d)
            self.reporter.info(
                f"build failed with {len(exc.diagnostics)} error(s); "
                "still serving, and the browser shows them until they are fixed"
            )
            self.state.publish(exc.diagnostics)
            return False
        except Exception as exc:  # a bug must not take the preview down
            tb = traceback.format_exc()
            print(tb, file=sys.stderr)
            self.state.publish(
                [Diagnostic(None, None, None, f"internal error in newsgen: {type(exc).__name__}: {exc}")]
            )
            return False
        changed = result.changes is None or result.changes.any
        if changed or previous_errors or previous_number == 0:
            self.state.publish()
        return True

    def stop(self) -> None:
        self._stop.set()

    def _on_sigterm(self, signum, frame) -> None:
        if os.getpid() != self._pid:  # a forked child (a build worker): die as SIGTERM means
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        self.stop()

    def run(self) -> None:
        """Build, then serve and watch until :meth:`stop`, SIGTERM or Ctrl-C."""
        thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="newsgen-http", daemon=True
        )
        previous_term = None
        if threading.current_thread() is threading.main_thread():
            previous_term = signal.signal(signal.SIGTERM, self._on_sigterm)
        try:
            try:  # know the configured folders before the first snapshot
                self.config = load_config(self.site, output=self.output, base_url=self.url)[0]
            except NewsgenError:
                pass
            last = self._snapshot()
            self.rebuild()
            thread.start()
            self.reporter.info(
                f"serving {self.url} (preview folder {self.output}); watching for changes, Ctrl-C to stop"
            )
            pause = self.options.poll_interval
            while not self._stop.wait(pause):
                started = time.perf_counter()
                current = self._snapshot()
                # A large site takes a while to scan: keep watching to ~20% of one core at most.
                pause = max(self.options.poll_interval, 4 * (time.perf_counter() - started))
                if current == last:
                    continue
                # Let a burst of saves settle, then build what is on disk now.
                while not self._stop.wait(min(self.options.poll_interval, 0.2)):
                    settled = self._snapshot()
                    if settled == current:
                        break
                    current = settled
                last = current
                self.reporter.info("change detected; rebuilding")
                self.rebuild()
        except KeyboardInterrupt:
            pass
        finally:
            self.state.close()
            if thread.is_alive():
                self.httpd.shutdown()
            self.httpd.server_close()
            if previous_term is not None:
                signal.signal(signal.SIGTERM, previous_term)
            self._remove_preview()

    def _snapshot(self) -> dict[str, tuple[int, int, int]]:
        return snapshot(*watched_paths(self.site, self.config))
