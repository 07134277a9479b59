"""Safe YAML reading with positions.

newsgen reads YAML (front matter, ``newsgen.yaml``) through one function,
:func:`parse_mapping`. It uses PyYAML's *safe* loader only, and adds what the
plain loader lacks for a good error message:

* every key and value keeps its line and column, counted from the start of the
  *file* (front matter starts a line or more into it), and each item of a
  list value its line;
* timestamps are **not** converted implicitly: ``date: 2024-02-30`` stays the
  text the user wrote, so newsgen can say exactly why it is not a date;
* the raw text of each scalar is kept, so ``title: 1984`` can be read as the
  text ``1984`` rather than the integer 1984;
* alias expansion is bounded, so a "billion laughs" document is an error, not
  an out-of-memory crash;
* nesting is bounded *before* parsing (:data:`MAX_DEPTH` levels of ``[``,
  ``{`` and ``- `` on a line), because libyaml's composer recurses in C and
  crashes the interpreter on a few tens of thousands of levels;
* a document longer than ``max_chars`` (:data:`MAX_FRONT_MATTER` for front
  matter) is refused;
* every failure, including values PyYAML cannot construct (an integer of
  5,000 digits, a malformed ``!!timestamp``), is a :class:`YamlProblem` with a
  file position, never another exception.

A ``!!set`` becomes a sorted list, so templates never iterate in hash order.

Tags: only the YAML 1.1 core tags the safe loader knows (``!!str``,
``!!int``, ``!!map`` ...) are accepted. ``!!python/...`` and any local tag
(``!foo``) are errors naming the tag; nothing is ever imported or called.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from newsgen.core.flatyaml import read_flat
from newsgen.core.quickinit import quick_init

try:  # libyaml is much faster; fall back to the pure-Python parser.
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

#: Upper bound on nodes visited while expanding one document (alias bombs).
MAX_NODES = 20_000
#: Upper bound on nesting (flow brackets still open plus block indicators on a line).
MAX_DEPTH = 100
#: Longest document :func:`parse_mapping` reads by default, in characters.
MAX_CHARS = 1_000_000
#: Longest front matter an article may have, in characters.
MAX_FRONT_MATTER = 64 * 1024

_NESTING = re.compile(r"[\[\]{}]|(?:^|(?<=[ \t]))[-?:](?=[ \t]|$)")


class _Loader(_BaseLoader):
    """Safe loader that leaves timestamps as text."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


def _constructor(tag: str) -> Any:
    """The safe constructor of ``tag``, as a function of a plain scalar's text."""
    construct, constructor = _Loader.yaml_constructors[tag], yaml.constructor.SafeConstructor()
    return lambda text: construct(constructor, yaml.ScalarNode(tag, text))


#: What :func:`~newsgen.core.flatyaml.read_flat` may make of a plain scalar besides text.
_FLAT_CONSTRUCTORS = {
    f"tag:yaml.org,2002:{name}": _constructor(f"tag:yaml.org,2002:{name}")
    for name in ("bool", "null", "int", "float")
}


@quick_init
@dataclass(frozen=True)
class Entry:
    """One top-level ``key: value`` pair of a YAML mapping."""

    key: str
    value: Any
    line: int  # 1-based line of the value in the file
    col: int  # 1-based column of the value
    key_line: int
    key_col: int
    raw: str | None  # the scalar's text as written, or None for lists/maps
    tag: str  # the resolved YAML tag of the value, e.g. "tag:yaml.org,2002:bool"
    item_lines: tuple[int, ...] = ()  # for a list: the 1-based line of each item in the file
    #: for a mapping: ``(key, line, column, key line, key column)`` of each of its values, in the file
    value_positions: tuple[tuple[str, int, int, int, int], ...] = ()


class YamlProblem(Exception):
    """A YAML document could not be read; line/col are 1-based in the file."""

    def __init__(self, message: str, line: int, col: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


def _check_depth(text: str, offset: int) -> None:
    """Refuse deep nesting before libyaml sees it (an over-estimate: quotes are not parsed)."""
    if sum(map(text.count, "[{-?:")) <= MAX_DEPTH:
        return  # each level needs one of these characters: a front matter's usual case, counted in C
    flow = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if not any(c in line for c in "[]{}-?:"):
            continue
        block = 0
        for m in _NESTING.finditer(line):
            tok = m.group()
            if tok in "[{":
                flow += 1
            elif tok in "]}":
                flow = max(0, flow - 1)
            else:
                block += 1
            if flow + block > MAX_DEPTH:
                raise YamlProblem(
                    f"YAML is nested more than {MAX_DEPTH} levels deep", number + offset, m.start() + 1
                )


def _count_nodes(root: yaml.MappingNode, offset: int) -> None:
    """Walk the node graph counting visits (aliases are revisited on purpose); a problem
    names the top-level value whose expansion goes over :data:`MAX_NODES`."""
    budget = MAX_NODES
    for key, value in root.value:
        stack = [key, value]
        while stack:
            n = stack.pop()
            budget -= 1
            if budget < 0:
                raise YamlProblem(
                    f"YAML document expands to more than {MAX_NODES} values (too many aliases or too large)",
                    value.start_mark.line + 1 + offset,
                    value.start_mark.column + 1,
                )
            if isinstance(n, yaml.SequenceNode):
                stack.extend(n.value)
            elif isinstance(n, yaml.MappingNode):
                for k, v in n.value:
                    stack.append(k)
                    stack.append(v)


def _ordered(value: Any, depth: int = 0) -> Any:
    """``value`` with every set replaced by a sorted list (hash order is not reproducible)."""
    if depth > MAX_DEPTH:
        return value
    if isinstance(value, (set, frozenset)):
        return sorted((_ordered(v, depth + 1) for v in value), key=lambda v: (type(v).__name__, str(v)))
    if isinstance(value, list):
        return [_ordered(v, depth + 1) for v in value]
    if isinstance(value, dict):
        return {k: _ordered(v, depth + 1) for k, v in value.items()}
    return value


def parse_mapping(text: str, first_line: int = 1, max_chars: int = MAX_CHARS) -> list[Entry] | None:
    """Parse a YAML document that must be a mapping (or empty).

    ``first_line`` is the file line on which ``text`` starts, so positions in
    problems and entries are file positions. Returns ``None`` for an empty
    document. Raises :class:`YamlProblem` for syntax errors, unsafe tags,
    duplicate keys, alias bombs, deep nesting, documents longer than
    ``max_chars`` and documents that are not a mapping.
    """
    offset = first_line - 1
    if len(text) > max_chars:
        raise YamlProblem(
            f"YAML is {len(text)} characters long, over the limit of {max_chars}; "
            "keep front matter to short fields and put long text in the body",
            first_line,
            1,
        )
    flat = read_flat(text, offset, _Loader.yaml_implicit_resolvers, _FLAT_CONSTRUCTORS)
    if flat is not None:  # the usual few "key: value" lines, read without the parser
        return [Entry(*e) for e in flat]
    _check_depth(text, offset)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            if not isinstance(node, yaml.MappingNode):
                kind = "a list" if isinstance(node, yaml.SequenceNode) else "a single value"
                raise YamlProblem(
                    f"front matter must be a mapping of 'key: value' lines, found {kind}",
                    node.start_mark.line + 1 + offset,
                    node.start_mark.column + 1,
                )
            _count_nodes(node, offset)
            entries: list[Entry] = []
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                km = key_node.start_mark
                if not isinstance(key_node, yaml.ScalarNode):
                    raise YamlProblem("keys must be plain names", km.line + 1 + offset, km.column + 1)
                key = str(key_node.value)
                if key in seen:
                    raise YamlProblem(
                        f"duplicate key '{key}' (first given on line {seen[key]})",
                        km.line + 1 + offset,
                        km.column + 1,
                    )
                seen[key] = km.line + 1 + offset
                vm = value_node.start_mark
                try:
                    value = _ordered(loader.construct_object(value_node, deep=True))
                except yaml.YAMLError:
                    raise
                except (ValueError, TypeError, AttributeError, ArithmeticError, LookupError) as exc:
                    tag = str(value_node.tag).replace("tag:yaml.org,2002:", "!!")
                    why = f" ({exc})" if isinstance(exc, ValueError) else ""
                    raise YamlProblem(
                        f"{key}: this value cannot be read as {tag}{why}", vm.line + 1 + offset, vm.column + 1
                    ) from None
                raw = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
                items = value_node.value if isinstance(value_node, yaml.SequenceNode) else []
                pairs = value_node.value if isinstance(value_node, yaml.MappingNode) else []
                entries.append(
                    Entry(
                        key=key,
                        value=value,
                        line=vm.line + 1 + offset,
                        col=vm.column + 1,
                        key_line=km.line + 1 + offset,
                        key_col=km.column + 1,
                        raw=raw,
                        tag=value_node.tag,
                        item_lines=tuple(n.start_mark.line + 1 + offset for n in items),
                        value_positions=tuple(
                            (
                                str(k.value),
                                v.start_mark.line + 1 + offset,
                                v.start_mark.column + 1,
                                k.start_mark.line + 1 + offset,
                                k.start_mark.column + 1,
                            )
                            for k, v in pairs
                            if isinstance(k, yaml.ScalarNode)
                        ),
                    )
                )
            return entries
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "could not determine a constructor" in str(exc):
            problem = f"unsafe or unknown YAML tag: {problem.split('tag ')[-1]}"
            mark = exc.problem_mark or mark
        line = (mark.line + 1 + offset) if mark else first_line
        col = (mark.column + 1) if mark else 1
        raise YamlProblem(f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:  # pragma: no cover - unmarked errors are rare
        raise YamlProblem(f"invalid YAML: {exc}", first_line, 1) from None
    except RecursionError:
        raise YamlProblem("YAML nesting is too deep", first_line, 1) from None
