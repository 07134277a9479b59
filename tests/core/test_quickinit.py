"""quick_init: the same instances as a frozen dataclass's own __init__, made faster."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import InitVar, dataclass, field

import pytest

from newsgen.content.sources import Source
from newsgen.core.quickinit import quick_init
from newsgen.incremental.entries import PageEntry
from newsgen.model import OutputPage
from newsgen.outputs.listing import Pagination
from newsgen.payloads import Unchanged


def _plain(cls: type) -> type:
    """A frozen dataclass with the same fields as ``cls`` and its own generated __init__."""
    specs = [
        (f.name, f.type, field(default=f.default, default_factory=f.default_factory, compare=f.compare))
        for f in dataclasses.fields(cls)
    ]
    return dataclasses.make_dataclass(f"Plain{cls.__name__}", specs, frozen=True)


@quick_init
@dataclass(frozen=True)
class Quick:
    a: str
    b: int = 3
    c: list[int] = field(default_factory=list)
    d: tuple[int, ...] = ()


@pytest.mark.parametrize("cls", [OutputPage, Unchanged, Pagination, PageEntry, Source])
def test_the_project_classes_keep_their_parameters(cls):
    params = inspect.signature(cls.__init__).parameters
    assert list(params) == list(inspect.signature(_plain(cls).__init__).parameters)
    for f in dataclasses.fields(cls):
        default = params[f.name].default
        if f.default is not dataclasses.MISSING:
            assert default == f.default
        else:  # required, or given by a factory when left out
            assert (default is inspect.Parameter.empty) == (f.default_factory is dataclasses.MISSING)


def test_an_output_page_is_made_frozen_replaceable_and_picklable():
    page = OutputPage("a/index.html", "article", "a.md", template="article.html")
    assert page == OutputPage(
        output_path="a/index.html", kind="article", source="a.md", template="article.html"
    )
    assert dict(page.context) == {} and page.lastmod is None and page.produce is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.kind = "index"  # type: ignore[misc]
    assert dataclasses.replace(page, kind="index").kind == "index"
    assert pickle.loads(pickle.dumps(Unchanged("d", 3))) == Unchanged("d", 3)


def test_the_instance_is_the_one_the_dataclass_makes():
    Plain = _plain(Quick)
    for args, kwargs in [(("x",), {}), (("x", 5), {"d": (1,)}), ((), {"a": "y", "c": [1]})]:
        quick, plain = Quick(*args, **kwargs), Plain(*args, **kwargs)
        assert vars(quick) == vars(plain)
    one, two = Quick("x"), Quick("x")
    assert one.c == [] and one.c is not two.c  # the factory runs for each instance
    with pytest.raises(TypeError):
        Quick()  # a required field
    with pytest.raises(TypeError):
        Quick("x", nope=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.a = "z"


def test_refuses_what_it_cannot_make_the_same():
    @dataclass
    class Mutable:
        a: int

    @dataclass(frozen=True)
    class Posted:
        a: int

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True)
    class InitOnly:
        a: int
        b: InitVar[int] = 0

    @dataclass(frozen=True)
    class Left:
        a: int
        b: int = field(default=0, init=False)

    @dataclass(frozen=True, slots=True)
    class Slotted:
        a: int

    @dataclass(frozen=True, kw_only=True)
    class Keywords:
        a: int

    @dataclass(frozen=True)
    class Hiding:
        _quick_dict: int

    for cls in (Mutable, Posted, InitOnly, Left, Slotted, Keywords, Hiding, str):
        with pytest.raises(TypeError, match="quick_init"):
            quick_init(cls)
