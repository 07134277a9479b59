"""The preview's HTTP side: a handler confined to the preview folder, the live-reload script, the error page.

Only files inside the preview folder are served. A request whose decoded path
contains ``..``, a backslash or a NUL, a path through a symbolic link, and any
hidden file (``.newsgen-manifest.json``) are refused; so is anything but GET
and HEAD. Every HTML page served gets the live-reload script; while the site
does not build, every page is the error page. The handler reads the build's
number and errors through :class:`BuildStatus` (the serve loop's
:class:`~newsgen.commands.serve.server.BuildState`).
"""

from __future__ import annotations

import html
import json
import mimetypes
import socket
import sys
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from newsgen.core.paths import is_within
from newsgen.errors import Diagnostic, Severity

INTERNAL = "/__newsgen__/"
LONG_POLL_SECONDS = 25.0

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


class BuildStatus(Protocol):
    """What the HTTP threads read of the latest build."""

    def snapshot(self) -> tuple[int, tuple[Diagnostic, ...]]:
        """The build number and the errors of the latest build."""
        ...

    def wait_for_change(self, since: int, timeout: float) -> tuple[int, bool]:
        """The build number once it differs from ``since`` (or at timeout), and whether that build succeeded."""
        ...


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
    if not is_within(real, root):
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
    if not path.is_file() or not is_within(path.parent, site.resolve()):
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


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address, handler, *, root: Path, site: Path, state: BuildStatus, log: Callable[[str], None]
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


class _PreviewHTTPServer6(PreviewHTTPServer):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
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


def open_server(
    host: str, port: int, *, root: Path, site: Path, state: BuildStatus, log: Callable[[str], None]
) -> PreviewHTTPServer:
    """A server listening on ``host`` (IPv4, or IPv6 when it has a colon) and ``port`` (0: any free one)
    that serves ``root``; raises OSError when it cannot listen."""
    server_class = _PreviewHTTPServer6 if ":" in host else PreviewHTTPServer
    return server_class((host, port), _Handler, root=root, site=site, state=state, log=log)
