"""Reporters: where build events go.

The pipeline never prints. It hands warnings and progress to a reporter, so
the console can format them, ``-q`` can silence them and tests can read them.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Protocol, TextIO

from newsgen.errors import Diagnostic, Severity


@dataclass
class BuildSummary:
    """What a build did, for the table printed at its end."""

    articles: int
    pages_by_kind: dict[str, int]
    written: int
    unchanged: int
    removed: int
    stages: list[tuple[str, float]]  # (stage, seconds), in pipeline order
    seconds: float
    jobs: int = 1
    cache: str = ""  # one line on what the incremental cache saved
    notes: list[str] = field(default_factory=list)

    def table(self) -> str:
        """The summary as aligned plain text."""
        pages = sum(self.pages_by_kind.values())
        rows = [("pages", f"{pages:,}")]
        rows += [(f"  {kind}", f"{n:,}") for kind, n in sorted(self.pages_by_kind.items())]
        rows += [
            ("written", f"{self.written:,}"),
            ("unchanged", f"{self.unchanged:,}"),
            ("removed", f"{self.removed:,}"),
        ]
        if self.cache:
            rows.append(("cache", self.cache))
        rows += [(f"{name} time", f"{sec:.2f}s") for name, sec in self.stages]
        rows.append(
            ("total time", f"{self.seconds:.2f}s with {self.jobs} job{'s' if self.jobs != 1 else ''}")
        )
        width = max(len(k) for k, _ in rows)
        lines = [f"{k.ljust(width)}  {v}" for k, v in rows]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)


class Reporter(Protocol):
    def diagnostic(self, diag: Diagnostic) -> None: ...

    def info(self, message: str) -> None: ...

    def debug(self, message: str) -> None:
        """A detail shown only with ``-v`` (each changed file, each request served)."""

    def progress(self, stage: str, done: int, total: int) -> None:
        """``done`` of ``total`` items of ``stage`` are finished."""

    def summary(self, summary: BuildSummary) -> None:
        """The build finished; here is what it did."""


class ConsoleReporter:
    """Writes diagnostics to stderr and information to stdout.

    ``quiet`` (``-q``) prints errors only; ``verbose`` (``-v``) adds the
    details sent to :meth:`debug` (each changed URL, each served request).
    """

    #: A live progress line appears only once a build has run this long.
    PROGRESS_AFTER = 1.5

    def __init__(
        self,
        quiet: bool = False,
        out: TextIO | None = None,
        err: TextIO | None = None,
        progress: bool | None = None,
        verbose: bool = False,
    ):
        self.quiet = quiet
        self.verbose = verbose and not quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        # Progress only on a terminal: never in CI logs or redirected output.
        self.show_progress = (not quiet and _isatty(self.err)) if progress is None else progress
        self._started = time.monotonic()
        self._last = 0.0
        self._shown = False

    def progress(self, stage: str, done: int, total: int) -> None:
        if not self.show_progress:
            return
        now = time.monotonic()
        if now - self._started < self.PROGRESS_AFTER or (now - self._last < 0.1 and done < total):
            return
        self._last = now
        pct = 100 * done // total if total else 100
        self.err.write(f"\r\x1b[K{stage}: {done:,}/{total:,} ({pct}%)")
        self.err.flush()
        self._shown = True

    def _clear_progress(self) -> None:
        if self._shown:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self._shown = False

    def summary(self, summary: BuildSummary) -> None:
        self._clear_progress()
        if not self.quiet:
            print(summary.table(), file=self.out)

    def diagnostic(self, diag: Diagnostic) -> None:
        if self.quiet and diag.severity is Severity.WARNING:
            return
        self._clear_progress()
        print(str(diag), file=self.err)

    def info(self, message: str) -> None:
        if not self.quiet:
            self._clear_progress()
            print(message, file=self.out, flush=True)

    def debug(self, message: str) -> None:
        if self.verbose:
            self._clear_progress()
            print(message, file=self.out, flush=True)


class BufferReporter:
    """Keeps every event in lists; for tests and embedding."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.messages: list[str] = []
        self.details: list[str] = []
        self.progress_events: list[tuple[str, int, int]] = []
        self.summaries: list[BuildSummary] = []

    def progress(self, stage: str, done: int, total: int) -> None:
        self.progress_events.append((stage, done, total))

    def summary(self, summary: BuildSummary) -> None:
        self.summaries.append(summary)

    def diagnostic(self, diag: Diagnostic) -> None:
        self.diagnostics.append(diag)

    def info(self, message: str) -> None:
        self.messages.append(message)

    def debug(self, message: str) -> None:
        self.details.append(message)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
