"""A small driver for headless Chromium over the DevTools protocol, for the theme's browser tests.

It talks to Debian's ``/usr/bin/chromium`` through ``--remote-debugging-pipe``
(JSON messages separated by NUL bytes on file descriptors 3 and 4), so it needs
no WebDriver, no extra Python package and never downloads a browser.

    with Chromium() as browser:
        tab = browser.new_tab(width=375, height=800)
        tab.goto("http://127.0.0.1:8000/")
        assert tab.problems == []            # console errors, exceptions, failed requests
        tab.screenshot(Path("front.png"))

Every wait polls for a protocol event with a deadline; nothing sleeps.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"

#: Flags for a quiet, hermetic headless browser: no sandbox (containers run as root), no GPU, no
#: calls home, no component or sync downloads.
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--hide-scrollbars",
    "--font-render-hinting=none",
)


class BrowserError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium process and its DevTools pipe."""

    def __init__(self, binary: str = CHROMIUM, timeout: float = 30.0):
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="newsgen-chromium-")
        # fd 3 is what the browser reads, fd 4 what it writes. bash moves our pipe ends there (dash
        # cannot name descriptors above 9), so no preexec_fn (unsafe with threads) is needed.
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        args = [*FLAGS, f"--user-data-dir={self._profile}", "--remote-debugging-pipe", "about:blank"]
        self._proc = subprocess.Popen(
            ["/bin/bash", "-c", f'exec "$0" "$@" 3<&{to_browser_r} 4>&{from_browser_w}', binary, *args],
            pass_fds=(to_browser_r, from_browser_w),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._lock = threading.Condition()
        self._next_id = 0
        self._replies: dict[int, dict] = {}
        self._events: list[dict] = []
        self._closed = False
        self._reader = threading.Thread(target=self._read, name="chromium-devtools", daemon=True)
        self._reader.start()
        self._stderr: list[bytes] = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        self.version = self.send("Browser.getVersion")["product"]

    # -- protocol plumbing -------------------------------------------------------------------

    def _drain_stderr(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr = (self._stderr + [line])[-40:]

    def _read(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._from_browser, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                break
            buf += chunk
            *messages, buf = buf.split(b"\0")
            with self._lock:
                for raw in messages:
                    msg = json.loads(raw)
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self._events.append(msg)
                self._lock.notify_all()
        with self._lock:
            self._closed = True
            self._lock.notify_all()

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        """Send one command and wait for its result."""
        with self._lock:
            self._next_id += 1
            mid = self._next_id
        msg: dict[str, Any] = {"id": mid, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        except BrokenPipeError:
            self._proc.wait(5)
            raise BrowserError(
                f"chromium has exited ({self._proc.returncode}): "
                + b"".join(self._stderr).decode(errors="replace")[-2000:]
            ) from None
        reply = self._wait(lambda: self._replies.pop(mid, None), f"a reply to {method}")
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error'].get('message')}")
        return reply.get("result", {})

    def _wait(self, found, what: str, timeout: float | None = None):
        deadline = time.monotonic() + (timeout or self.timeout)
        with self._lock:
            while True:
                value = found()
                if value is not None:
                    return value
                left = deadline - time.monotonic()
                if self._closed:
                    raise BrowserError(
                        f"chromium exited while waiting for {what}: "
                        + b"".join(self._stderr).decode(errors="replace")[-2000:]
                    )
                if left <= 0:
                    raise BrowserError(f"timed out waiting for {what}")
                self._lock.wait(left)

    def events_since(self, start: int, session: str | None = None) -> list[dict]:
        with self._lock:
            return [e for e in self._events[start:] if session is None or e.get("sessionId") == session]

    def event_count(self) -> int:
        with self._lock:
            return len(self._events)

    def wait_event(
        self, method: str, session: str, start: int, match=lambda params: True, timeout: float | None = None
    ) -> dict:
        """The first ``method`` event of ``session`` at or after index ``start`` that matches."""

        def found():
            for e in self._events[start:]:
                if e.get("sessionId") == session and e.get("method") == method and match(e.get("params", {})):
                    return e["params"]
            return None

        return self._wait(found, f"{method}", timeout)

    # -- tabs ---------------------------------------------------------------------------------

    def new_tab(
        self, width: int = 1280, height: int = 900, *, dark: bool = False, mobile: bool | None = None
    ) -> Tab:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, target, session)
        for domain in ("Page", "Runtime", "Log", "Network"):
            tab.send(f"{domain}.enable")
        tab.send("Network.setCacheDisabled", {"cacheDisabled": True})
        tab.resize(width, height, mobile=width < 600 if mobile is None else mobile)
        tab.send(
            "Emulation.setEmulatedMedia",
            {
                "features": [
                    {"name": "prefers-color-scheme", "value": "dark" if dark else "light"},
                    {"name": "prefers-reduced-motion", "value": "reduce"},
                ]
            },
        )
        return tab

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self.send("Browser.close")
            except (BrowserError, OSError):
                pass
            try:
                self._proc.wait(10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        for fd in (self._to_browser, self._from_browser):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Tab:
    """One page: navigation, evaluation, input, screenshots and what went wrong while loading."""

    def __init__(self, browser: Chromium, target: str, session: str):
        self.browser, self.target, self.session = browser, target, session
        self._mark = browser.event_count()
        self.width = 0

    def send(self, method: str, params: dict | None = None) -> dict:
        return self.browser.send(method, params, self.session)

    def resize(self, width: int, height: int, *, mobile: bool = False) -> None:
        self.width = width
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile},
        )

    def goto(self, url: str) -> None:
        """Navigate and wait until the load event; ``problems`` then covers this page only."""
        self._mark = self.browser.event_count()
        result = self.send("Page.navigate", {"url": url})
        if result.get("errorText"):
            raise BrowserError(f"{url}: {result['errorText']}")
        self.wait_for_load(self._mark)

    def wait_for_load(self, start: int) -> None:
        self.browser.wait_event("Page.loadEventFired", self.session, start)

    def evaluate(self, expression: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression[:80]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    @property
    def url(self) -> str:
        return self.evaluate("location.href")

    def click(self, selector: str) -> None:
        """A real mouse click in the middle of the first element matching ``selector``."""
        box = self.evaluate(f"""(() => {{
            const el = document.querySelector({json.dumps(selector)});
            if (!el) return null;
            el.scrollIntoView({{block: "center"}});
            const r = el.getClientRects()[0];
            return {{x: r.left + r.width / 2, y: r.top + r.height / 2}};
        }})()""")
        if box is None:
            raise BrowserError(f"nothing matches {selector}")
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send(
                "Input.dispatchMouseEvent",
                {"type": kind, "x": box["x"], "y": box["y"], "button": "left", "clickCount": 1},
            )

    def click_and_wait(self, selector: str) -> None:
        """Click a link and wait for the page it leads to."""
        start = self.browser.event_count()
        self.click(selector)
        self.wait_for_load(start)
        self._mark = start

    def press_tab(self) -> None:
        for kind in ("rawKeyDown", "keyUp"):
            self.send(
                "Input.dispatchKeyEvent",
                {"type": kind, "key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9},
            )

    @property
    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and failed or erroring requests since the last navigation."""
        found = []
        for e in self.browser.events_since(self._mark, self.session):
            method, p = e.get("method"), e.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {p['exceptionDetails'].get('text')}")
            elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                found.append(
                    "console."
                    + p["type"]
                    + ": "
                    + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
                )
            elif method == "Log.entryAdded" and p["entry"].get("level") == "error":
                found.append(f"log: {p['entry'].get('text')} {p['entry'].get('url', '')}".strip())
            elif method == "Network.loadingFailed" and not p.get("canceled"):
                found.append(f"request failed: {p.get('errorText')} ({p.get('type')})")
            elif method == "Network.responseReceived" and p["response"]["status"] >= 400:
                found.append(f"HTTP {p['response']['status']}: {p['response']['url']}")
        return found

    def screenshot(self, path: Path, *, full_page: bool = True) -> Path:
        params: dict[str, Any] = {"format": "png"}
        if full_page:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params.update(
                captureBeyondViewport=True,
                clip={"x": 0, "y": 0, "width": self.width, "height": min(size["height"], 12000), "scale": 1},
            )
        data = self.send("Page.captureScreenshot", params)["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        self.browser.send("Target.closeTarget", {"targetId": self.target})
