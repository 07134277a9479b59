"""``quick_init``: a faster ``__init__`` for the frozen dataclasses a build makes by the thousand.

A frozen dataclass's own ``__init__`` sets each field through ``object.__setattr__`` (its
``__setattr__`` refuses): 2.2 us for :class:`~newsgen.model.OutputPage`'s ten fields, of which
a build at 10,000 stories makes 15,500 (the plan, every build, edits too). The ``__init__``
made here writes the fields into the instance's ``__dict__`` instead: 0.9 us. The instance is
the same (same fields, defaults, default factories and parameters; still frozen afterwards).
"""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any, TypeVar

T = TypeVar("T")

#: Stands for "not given" for a parameter whose field has a default factory.
_FACTORY = object()


def quick_init(cls: type[T]) -> type[T]:
    """Replace the ``__init__`` of the frozen dataclass ``cls`` (decorate below ``@dataclass``).
    Refuses a class it cannot serve the same way: without an instance ``__dict__`` (slots),
    with ``__post_init__``, init-only or keyword-only fields, fields left out of ``__init__``,
    or a field named ``self`` or ``_quick...`` (the names the ``__init__`` uses)."""
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen:
        raise TypeError(f"quick_init: {cls.__name__} is not a frozen dataclass")
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    own = list(inspect.signature(cls.__init__).parameters)[1:]
    if (
        "__slots__" in cls.__dict__
        or hasattr(cls, "__post_init__")
        or own != [f.name for f in fields]  # init-only fields, or fields left out
        or any(f.kw_only or f.name == "self" or f.name.startswith("_quick") for f in fields)
    ):
        raise TypeError(f"quick_init: {cls.__name__} needs the dataclass's own __init__")
    # the names the made function uses are "_quick_..." (no field may be so named), so no field
    # parameter hides one
    names: dict[str, Any] = {"_quick_factory": _FACTORY}
    params_src, body = [], []
    for f in fields:
        if f.default is not dataclasses.MISSING:
            names[f"_quick_d_{f.name}"] = f.default
            params_src.append(f"{f.name}=_quick_d_{f.name}")
            body.append(f"    _quick_dict[{f.name!r}] = {f.name}")
        elif f.default_factory is not dataclasses.MISSING:
            names[f"_quick_f_{f.name}"] = f.default_factory
            params_src.append(f"{f.name}=_quick_factory")
            body.append(
                f"    _quick_dict[{f.name!r}] = _quick_f_{f.name}() if {f.name} is _quick_factory else {f.name}"
            )
        else:
            params_src.append(f.name)
            body.append(f"    _quick_dict[{f.name!r}] = {f.name}")
    first = ", ".join(["self", *params_src])
    source = f"def __init__({first}):\n    _quick_dict = self.__dict__\n" + "\n".join(body)
    exec(source, names)  # made from the class's own field names, as dataclasses does
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__doc__ = "Set every field (see :func:`newsgen.core.quickinit.quick_init`)."
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
