"""``newsgen serve`` as a real subprocess: pages over HTTP, rebuilds, the error page, live reload, refusals."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import article
from newsgen.commands.serve.http import inject_reload, resolve_request

START_TIMEOUT = 30.0
BUILD_TIMEOUT = 20.0


class Served:
    """A running ``newsgen serve`` on a free port, talked to over raw sockets."""

    def __init__(self, site: Path, *args: str):
        self.site = site
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsgen",
                "serve",
                "--site",
                str(site),
                "--port",
                "0",
                "--poll",
                "0.1",
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=os.environ,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.err.append), daemon=True).start()
        deadline = time.monotonic() + START_TIMEOUT
        self.port = None
        while time.monotonic() < deadline and self.port is None:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            m = re.search(r"serving http://127\.0\.0\.1:(\d+)/ \(preview folder (.+?)\);", line)
            if m:
                self.port, self.preview = int(m.group(1)), Path(m.group(2))
        if self.port is None:
            self.stop()
            printed = "".join(self.lines.get_nowait() for _ in range(self.lines.qsize()))
            raise AssertionError(f"newsgen serve did not start:\n{printed}{''.join(self.err)}")

    @staticmethod
    def _pump(stream, sink) -> None:
        for line in stream:
            sink(line)

    def raw(self, data: bytes, timeout: float = 10.0) -> bytes:
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as s:
            s.sendall(data)
            chunks = []
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
        return b"".join(chunks)

    def get(self, path: str, method: str = "GET", timeout: float = 10.0) -> tuple[int, dict[str, str], str]:
        reply = self.raw(f"{method} {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode("latin-1"), timeout)
        head, _, body = reply.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        headers = {k.lower(): v.strip() for k, _, v in (ln.partition(":") for ln in lines[1:])}
        return status, headers, body.decode("utf-8", errors="replace")

    def build_number(self) -> int:
        return json.loads(self.get("/__newsgen__/build")[2])["build"]

    def wait_for_build_after(self, number: int) -> dict:
        """Long-poll until the build number moves past ``number`` (bounded)."""
        deadline = time.monotonic() + BUILD_TIMEOUT
        while time.monotonic() < deadline:
            state = json.loads(self.get(f"/__newsgen__/build?since={number}", timeout=BUILD_TIMEOUT)[2])
            if state["build"] != number:
                return state
        raise AssertionError(f"no rebuild within {BUILD_TIMEOUT}s: {''.join(self.err)}")

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode


@pytest.fixture
def serve():
    running: list[Served] = []

    def start(site: Path, *args: str) -> Served:
        s = Served(site, *args)
        running.append(s)
        return s

    yield start
    for s in running:
        s.stop()


def _change(s: Served, path: Path, text: str, ok: bool) -> None:
    """Edit a watched file and wait (bounded) until a rebuild ends with the expected outcome."""
    n = s.build_number()
    _edit(path, text)
    deadline = time.monotonic() + BUILD_TIMEOUT
    while time.monotonic() < deadline:
        state = s.wait_for_build_after(n)
        if state["ok"] is ok:
            return
        n = state["build"]
    raise AssertionError(f"the rebuild after editing {path.name} did not end with ok={ok}")


def _edit(path: Path, text: str) -> None:
    """Write ``text`` so that the watcher sees a new mtime even on coarse clocks."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, "utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


STORY_URL = "/2025/03/01/story/"


@pytest.fixture
def site(write_site):
    return write_site(
        {"articles/story.md": article("First headline", "2025-03-01T09:00:00Z", body="Hello.")},
        config="title: Preview Test\n",
    )


def test_serves_rebuilds_shows_errors_and_recovers(site, serve):
    s = serve(site)
    status, headers, body = s.get("/")
    assert status == 200 and headers["content-type"] == "text/html; charset=utf-8"
    assert "Preview Test" in body
    status, _, body = s.get(STORY_URL)
    assert status == 200 and "First headline" in body
    assert '<script src="/__newsgen__/livereload.js" data-build="1"></script>' in body
    # the script is added to served pages only, never to the built files
    built = s.preview / STORY_URL.strip("/") / "index.html"
    assert "__newsgen__" not in built.read_text("utf-8")
    assert not (site / "public").exists()  # a preview never touches the deploy folder
    assert s.get("/css/newsgen.css")[1]["content-type"].startswith("text/css")
    assert s.get("/2025/03/01/story")[0] == 301  # folder without slash
    status, _, body = s.get("/2025/03/01/nothing/")
    assert status == 404 and "livereload.js" in body

    # edit: the change is served
    story = site / "articles/story.md"
    _change(s, story, article("Second headline", "2025-03-01T09:00:00Z", body="Hello."), ok=True)
    status, _, body = s.get(STORY_URL)
    assert status == 200 and "Second headline" in body and "First headline" not in body

    # break the article: every page shows the error with file, line and the source line
    _change(s, story, "---\ntitle: Broken\ndate: 2025-02-30\n---\nHello.\n", ok=False)
    status, _, body = s.get(STORY_URL)
    assert status == 500
    assert "articles/story.md:3:7" in body and "2025-02-30" in body
    assert '<span class="row here"><b>   3</b>  date: 2025-02-30</span>' in body  # the offending line
    assert "livereload.js" in body  # and the page reloads itself once fixed
    assert s.get("/")[0] == 500
    assert s.get("/css/newsgen.css")[0] == 200  # assets of the last good build are still served
    assert s.proc.poll() is None

    # fix it: the page is back
    _change(s, story, article("Third headline", "2025-03-01T09:00:00Z", body="Hello."), ok=True)
    status, _, body = s.get(STORY_URL)
    assert status == 200 and "Third headline" in body

    # a template error names the template and line; a config error names newsgen.yaml
    (site / "templates").mkdir()
    broken = "{% extends 'base.html' %}\n{% block content %}{{ oops(\n{% endblock %}\n"
    _change(s, site / "templates/article.html", broken, ok=False)
    status, _, body = s.get(STORY_URL)
    assert status == 500 and "templates/article.html:" in body
    n = s.build_number()
    (site / "templates/article.html").unlink()
    assert s.wait_for_build_after(n)["ok"] is True
    _change(s, site / "newsgen.yaml", "title: Preview Test\nper_page: lots\n", ok=False)
    status, _, body = s.get("/")
    assert status == 500 and "newsgen.yaml:2:11" in body and "per_page" in body
    _change(s, site / "newsgen.yaml", "title: Renamed Site\n", ok=True)
    assert "Renamed Site" in s.get("/")[2]

    assert s.stop() == 0
    assert not s.preview.exists()  # the temporary preview is removed on exit


def test_a_preview_does_not_warn_about_base_url(site, serve):
    """serve's pages are local: no base_url warning, so --strict previews a site that does not set it."""
    s = serve(site, "--strict")
    status, _, body = s.get(STORY_URL)
    assert status == 200 and "First headline" in body
    assert "base_url" not in "".join(s.err)


def test_drafts_are_previewed_only_with_the_flag(write_site, serve):
    site = write_site({"articles/story.md": article("Draft story", "2025-03-01T09:00:00Z", draft="true")})
    assert serve(site).get(STORY_URL)[0] == 404
    status, _, body = serve(site, "--drafts").get(STORY_URL)
    assert status == 200 and "Draft story" in body and 'class="draft-banner"' in body


def test_traversal_and_hidden_files_are_refused(site, serve, tmp_path):
    (site / "secret.txt").write_text("TOP SECRET", "utf-8")
    (tmp_path / "outside.txt").write_text("TOP SECRET", "utf-8")
    s = serve(site)
    preview = s.preview
    (preview / "leak.txt").symlink_to(site / "secret.txt")
    (preview / "leakdir").symlink_to(site)
    (preview / "css" / "loop").symlink_to(preview)
    attempts = [
        "/../secret.txt",
        "/../../outside.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/outside.txt",
        "/..%2fsecret.txt",
        "/css/..%2f..%2f..%2fsecret.txt",
        "/css/%2e%2e/%2e%2e/%2e%2e/secret.txt",
        "/..%5c..%5csecret.txt",
        "/css\\..\\..\\secret.txt",
        "/%252e%252e/secret.txt",
        "/%c0%ae%c0%ae/secret.txt",
        "/%00/secret.txt",
        "/leak.txt",
        "/leakdir/secret.txt",
        "/css/loop/css/newsgen.css",
        "/.newsgen-manifest.json",
        "/.newsgen-changes.json",
        "//etc/passwd",
        "/" + "/".join([".."] * 12) + "/etc/passwd",
        "http://127.0.0.1/../secret.txt",
    ]
    for path in attempts:
        status, _, body = s.get(path)
        assert status in (400, 403, 404), (path, status)
        assert "TOP SECRET" not in body and "root:" not in body, path
    assert s.get("/")[0] == 200  # still serving


def test_malformed_requests_do_not_stop_the_server(site, serve):
    s = serve(site)
    junk = [
        b"GARBAGE\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"GET /" + b"a" * 70000 + b" HTTP/1.0\r\n\r\n",
        b"GET / HTTP/1.0\r\nNo colon header\r\n\r\n",
        b"\x00\xff\xfe binary \r\n\r\n",
        b"GET /\xff\xfe HTTP/1.0\r\n\r\n",
        b"",
    ]
    for data in junk:
        try:
            reply = s.raw(data, timeout=5)
        except OSError:
            continue
        assert b"TOP SECRET" not in reply
        # a response, or http.server's bare (HTTP/0.9-style) error page when the version is unusable
        assert not reply or reply.startswith(b"HTTP/1.0 ") or re.search(rb"Error code: [45]\d\d", reply)
        if data.startswith((b"GARBAGE", b"GET\r", b"GET / HTTP/9", b"GET /aaa", b"\x00")):
            assert not reply.startswith(b"HTTP/1.0 200"), data[:20]
    for method in ("POST", "PUT", "DELETE"):
        assert s.get("/", method=method)[0] == 405
    assert s.get("/", method="HEAD")[0] == 200
    assert s.get("/")[0] == 200
    assert s.proc.poll() is None
    assert "Traceback" not in "".join(s.err)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_live_reload_script_reloads_after_a_rebuild(site, serve):
    """Run the injected script in node with a stand-in document and see it call location.reload()."""
    s = serve(site)
    n = s.build_number()
    runner = f"""
        globalThis.document = {{ currentScript: {{ getAttribute: () => "{n}" }} }};
        const base = "http://127.0.0.1:{s.port}";
        const realFetch = globalThis.fetch;
        globalThis.fetch = (url, opts) => realFetch(base + url, opts);
        globalThis.location = {{ reload() {{ console.log("RELOADED"); process.exit(0); }} }};
        console.log("READY");
        const src = await (await realFetch(base + "/__newsgen__/livereload.js")).text();
        eval(src);
        setTimeout(() => {{ console.log("NO RELOAD"); process.exit(1); }}, {int(BUILD_TIMEOUT * 1000)});
    """
    node = subprocess.Popen(
        ["node", "--input-type=module", "-e", runner],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"},
    )
    try:
        assert node.stdout.readline().strip() == "READY"
        time.sleep(0.3)  # let the script's first long-poll arrive; the result does not depend on it
        _edit(site / "articles/story.md", article("Reloaded headline", "2025-03-01T09:00:00Z"))
        out, _ = node.communicate(timeout=BUILD_TIMEOUT + 10)
    finally:
        if node.poll() is None:
            node.kill()
    assert "RELOADED" in out


def test_refuses_other_interfaces_without_the_flag(site):
    run = subprocess.run(
        [sys.executable, "-m", "newsgen", "serve", "--site", str(site), "--host", "0.0.0.0"],
        capture_output=True,
        text=True,
        timeout=30,
        env=os.environ,
    )
    assert run.returncode == 2
    assert "--allow-remote" in run.stderr


def test_port_in_use_is_a_clear_error(site):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        run = subprocess.run(
            [sys.executable, "-m", "newsgen", "serve", "--site", str(site), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            env=os.environ,
        )
    assert run.returncode == 1
    assert f"port {port}" in run.stderr and "--port 0" in run.stderr


def test_bad_port_is_a_usage_error(cli, site):
    run = cli("serve", "--site", site, "--port", "70000")
    assert run.code == 2 and "0-65535" in run.err


# --------------------------------------------------------------------------- in-process units


def test_resolve_request(tmp_path):
    root = tmp_path / "out"
    (root / "a").mkdir(parents=True)
    (root / "a/index.html").write_text("x")
    (root / "f.css").write_text("x")
    (root / "empty").mkdir()
    (tmp_path / "secret").write_text("s")
    (root / "link").symlink_to(tmp_path / "secret")
    root = root.resolve()
    assert resolve_request(root, "/a/").file == root / "a/index.html"
    assert resolve_request(root, "/").status == 404  # no index.html at the top
    assert resolve_request(root, "/a?x=1").location == "/a/?x=1"
    assert resolve_request(root, "//a").status == 400  # a host, not a path: never redirected
    assert resolve_request(root, "/f.css?v=2").file == root / "f.css"
    assert resolve_request(root, "/%66.css").file == root / "f.css"
    assert resolve_request(root, "/empty/").status == 404
    assert resolve_request(root, "/link").status == 403
    assert resolve_request(root, "/../secret").status == 403
    assert resolve_request(root, "/a/%2e%2e/%2e%2e/secret").status == 403
    assert resolve_request(root, "/%ff").status == 400
    assert resolve_request(root, "no-slash").status == 400


def test_inject_reload():
    page = b"<html><body><p>x</p></BODY></html>"
    out = inject_reload(page, 7)
    assert out.index(b'data-build="7"') < out.index(b"</BODY>")
    assert inject_reload(b"plain", 1).startswith(b"plain<script")


def _worker_sigterm_is_default(data, i) -> bool:
    import signal

    return signal.getsignal(signal.SIGTERM) == signal.SIG_DFL


def test_build_workers_do_not_inherit_the_servers_sigterm_handler():
    """The pool stops its workers with SIGTERM; a handler inherited from newsgen serve kept them alive
    and hung the first build now and then."""
    import signal

    from newsgen.core.parallel import can_fork, ordered_map

    if not can_fork():
        pytest.skip("workers are forked only where fork exists")
    previous = signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        results = list(ordered_map(_worker_sigterm_is_default, None, 64, 2, min_parallel=1))
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert results == [True] * 64
