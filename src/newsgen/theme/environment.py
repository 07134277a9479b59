"""The Jinja environment newsgen renders with: Jinja's own, with two costs taken out of every
page and none of the output changed.

- Templates read the environment's :attr:`~jinja2.Environment.globals` dict itself
  (:meth:`SharedGlobalsEnvironment.make_globals`).
- What a template prints is escaped to text (:func:`escape_text`), not made a ``Markup``
  object first (:class:`TextTemplate`).
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from types import CodeType
from typing import Any

import jinja2
from markupsafe import Markup, escape

_escape_inner: Callable[[str], str] | None
try:  # MarkupSafe's own escaping of a str, in C (``markupsafe.escape`` wraps it in Markup)
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - MarkupSafe without its C speedups, or a new layout
    _escape_inner = None


def escape_text(value: Any) -> str:
    """``markupsafe.escape(value)``, as text: a printed value is only ever joined into the page.

    ``escape`` of a str wraps MarkupSafe's C escaping in a new ``Markup`` object in Python:
    0.45 us, of which the escaping is 0.03 (an article page prints about 64 values). A str
    is escaped by that same C function here, and a ``Markup`` is its own text (``escape``
    copies it: 0.55 us); any other value goes to ``escape`` itself."""
    kind = type(value)
    if kind is str and _escape_inner is not None:
        return _escape_inner(value)
    if kind is Markup:
        return value
    return escape(value)


class TextTemplate(jinja2.Template):
    """A template whose printed values are escaped by :func:`escape_text`.

    Jinja's compiled template calls ``escape`` for each value it prints with autoescape on,
    and nowhere else (``CodeGenerator._output_child_pre``); every printed piece is joined
    into the output, and what a macro or a ``{% set %}`` block makes of them is wrapped in
    ``Markup`` again by Jinja. So the name is bound to :func:`escape_text` in the template's
    own namespace (the globals of its render functions), after the code ran."""

    @classmethod
    def from_code(
        cls,
        environment: jinja2.Environment,
        code: CodeType,
        globals: MutableMapping[str, Any],
        uptodate: Callable[[], bool] | None = None,
    ) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__
        if _escape_inner is not None and namespace.get("escape") is escape:
            namespace["escape"] = escape_text
        return template


class SharedGlobalsEnvironment(jinja2.Environment):
    """A Jinja environment whose templates read its :attr:`globals` dict itself, and print
    through :class:`TextTemplate`.

    Jinja gives each template a ``ChainMap`` of its own globals over the environment's, and
    every render (a page, each story card, each include) copies it into a new dict, key by key
    in Python: 10 of the 12 microseconds a small card took. newsgen's templates have no globals
    of their own (nothing passes ``globals=`` to ``get_template`` or ``from_string``), so they
    share the environment's dict, which is copied in one C call; the renders are the same.
    A template given globals of its own still gets the ``ChainMap``."""

    template_class = TextTemplate

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return self.globals if not d else super().make_globals(d)
