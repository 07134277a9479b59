"""The serve loop: build into a preview folder, serve it, rebuild on change, tell open tabs.

:class:`DevServer` owns the preview folder (a private temporary one unless
``--output`` names one), the HTTP server (:mod:`.http`) and the
:class:`BuildState` the HTTP threads read for live reload and the error page.
It is the only module besides the CLI that imports the build orchestrator
(``newsgen.pipeline``).
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from newsgen.commands.serve.http import open_server
from newsgen.commands.serve.watch import snapshot, watched_paths
from newsgen.config import Config, load_config
from newsgen.errors import ConfigError, Diagnostic, NewsgenError
from newsgen.pipeline import build, strict_errors
from newsgen.report import Reporter

DEFAULT_PORT = 8000


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
        self._preview_tmp: str | None = None
        if options.output:
            self.output = Path(options.output).absolute()
        else:
            self._preview_tmp = tempfile.mkdtemp(prefix="newsgen-preview-")
            # The site goes one level down, so the writer's staging folder, which sits beside
            # the output folder while a build publishes, is inside the temporary folder too.
            self.output = (Path(self._preview_tmp) / "site").absolute()
        self.state = BuildState()
        self.config: Config | None = None
        self._stop = threading.Event()
        self._pid = os.getpid()
        try:
            self.httpd = open_server(
                options.host,
                options.port,
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
