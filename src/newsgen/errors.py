"""Errors and diagnostics.

Every problem newsgen reports is a :class:`Diagnostic`: a message tied to a
place (``path:line:col``, all 1-based and counted from the start of the file).
A failed stage raises one exception carrying *every* diagnostic it collected,
so a user sees all their mistakes in one run, not one per run.

The hierarchy::

    NewsgenError            base class; .diagnostics lists what went wrong
    ├── ConfigError         newsgen.yaml or command-line settings are invalid
    ├── ContentError        an article or wire-copy file cannot be loaded
    ├── TemplateError       a template does not compile or fails while rendering
    └── BuildError          the site cannot be assembled or written
                            (output collisions, refused output folder, I/O)

The command line maps every NewsgenError to exit status 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):  # noqa: UP042  (str() spells the member name)
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, tied to a place in a file when it has one."""

    path: str | None
    line: int | None
    col: int | None
    message: str
    severity: Severity = Severity.ERROR

    @property
    def location(self) -> str:
        if not self.path:
            return "newsgen"
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        prefix = "" if self.severity is Severity.ERROR else "warning: "
        return f"{self.location}: {prefix}{self.message}"


def display_path(path: Path | str, root: Path | None) -> str:
    """A path as the user should read it: relative to the site when inside it."""
    p = Path(path)
    if root is not None:
        try:
            return p.relative_to(root).as_posix()
        except ValueError:
            pass
    return p.as_posix()


class NewsgenError(Exception):
    """Base class of every error newsgen raises on purpose."""

    def __init__(self, diagnostics: list[Diagnostic] | Diagnostic | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic(None, None, None, diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))


class ConfigError(NewsgenError):
    """The site configuration is invalid."""


class ContentError(NewsgenError):
    """An article or wire-copy file cannot be loaded."""


class TemplateError(NewsgenError):
    """A template fails to compile or to render."""


class BuildError(NewsgenError):
    """The site cannot be assembled or written."""
