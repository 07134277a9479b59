"""Reporters: where build events go.

The pipeline never prints. It hands warnings and progress to a reporter, so
the console can format them, ``-q`` can silence them and tests can read them.
"""

from __future__ import annotations

import sys
from typing import Protocol, TextIO

from .errors import Diagnostic, Severity


class Reporter(Protocol):
    def diagnostic(self, diag: Diagnostic) -> None: ...

    def info(self, message: str) -> None: ...


class ConsoleReporter:
    """Writes diagnostics to stderr and information to stdout."""

    def __init__(self, quiet: bool = False, out: TextIO | None = None, err: TextIO | None = None):
        self.quiet = quiet
        self.out = out or sys.stdout
        self.err = err or sys.stderr

    def diagnostic(self, diag: Diagnostic) -> None:
        if self.quiet and diag.severity is Severity.WARNING:
            return
        print(str(diag), file=self.err)

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, file=self.out)


class BufferReporter:
    """Keeps every event in lists; for tests and embedding."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []
        self.messages: list[str] = []

    def diagnostic(self, diag: Diagnostic) -> None:
        self.diagnostics.append(diag)

    def info(self, message: str) -> None:
        self.messages.append(message)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]
