"""A package's entry points, imported when first used (PEP 562).

A build that finds nothing changed publishes the last build's files and
never needs Markdown, Jinja or the theme; a command's start-up is most of
that build's time. So a package whose ``__init__`` names entry points from
heavy modules hands them out through :func:`lazy_exports` instead of importing
them as it is imported::

    __getattr__, __dir__ = lazy_exports(__name__, {"build_site": "newsgen.site.assemble"})

``from newsgen.site import build_site`` then imports ``newsgen.site.assemble``
at that moment, and ``import newsgen.site.related`` alone no longer imports
the assembly. Type checkers read the names from an ``if TYPE_CHECKING:`` block
beside the call.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's module ``__getattr__`` and ``__dir__``: ``exports`` maps each name the
    package exposes to the module that defines it. A name must not be a submodule's
    (once that submodule is imported, the package's attribute is the submodule)."""
    where = dict(exports)
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value  # found at once next time, without this call
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__
