"""Recording what a piece of work reads, for the incremental build.

A page's output depends on more than its own context: the body of each story
it shows, and the story list of each section, tag or author it lists. Those
reads happen deep inside templates and feed writers, so they are recorded as
they happen, in the manner of Lektor's ``Context.record_dependency``: the
incremental renderer opens a :class:`DependencyRecorder` around one page, and
the data model calls :func:`record_dependency` when such a field is read
(``Article.body_html``, ``Group.articles``).

The recorder is scoped: it is active only inside its ``with`` block, in the
thread or task that opened it (a :class:`~contextvars.ContextVar`), and a
nested recorder hides the outer one until it closes. With no recorder open,
recording costs one look-up and records nothing.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from types import TracebackType

#: One dependency: (kind, key), e.g. ``("article", "/2025/03/01/budget/")``.
Dependency = tuple[str, str]

_active: ContextVar[DependencyRecorder | None] = ContextVar("newsgen_dependency_recorder", default=None)


class DependencyRecorder:
    """Collects the dependencies recorded while it is entered::

    with DependencyRecorder() as recorder:
        html = render(page)
    recorder.dependencies  # {("article", "/2025/..."), ("Tag", "/tags/energy/")}
    """

    __slots__ = ("_token", "dependencies")

    def __init__(self) -> None:
        self.dependencies: set[Dependency] = set()
        self._token: Token[DependencyRecorder | None] | None = None

    def __enter__(self) -> DependencyRecorder:
        self._token = _active.set(self)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._token is not None:
            _active.reset(self._token)
            self._token = None


def record_dependency(dependency: Dependency) -> None:
    """Note ``dependency`` in the recorder that is open, if any."""
    recorder = _active.get()
    if recorder is not None:
        recorder.dependencies.add(dependency)
