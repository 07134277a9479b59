"""Limits on Markdown and YAML: pathological input is refused quickly, ordinary input is not."""

from __future__ import annotations

import random
import subprocess
import sys
import time

import pytest

from conftest import cpu_seconds
from newsgen.content import mdguard
from newsgen.content.markup import MarkdownRenderer
from newsgen.content.mdguard import MarkdownProblem, check
from newsgen.core.yamlio import MAX_DEPTH, YamlProblem, parse_mapping

PATHOLOGICAL = {  # name: (text, line of the error, words of the message)
    "cdata-openers": ("<![" * 50_000, 1, "too long"),
    "nested-quotes": (">" * 5_000 + " x", 1, "nested 5000 levels"),
    "nested-quotes-spaced": ("> " * 5_000 + "x", 1, "nested 5000 levels"),
    "brackets": ("[" * 50_000, 1, "unbalanced"),
    "brackets-closed": ("[" * 20_000 + "]" * 20_000, 1, "unbalanced"),
    "images": ("![" * 20_000, 1, "unbalanced"),
    "abbreviations": ("*[" * 20_000, 1, "unbalanced"),
    "link-targets": ("[a](" * 20_000, 1, "unbalanced"),
    "footnote-refs": ("[^1]" * 10_000 + "\n\n[^1]: x", 1, "referenced more than 100"),
    "nested-lists": ("\n".join("    " * i + "- x" for i in range(500)), 33, "nested 33 levels"),
    "quote-list-mix": ("> - " * 2_000 + "x", 1, "nested"),
    "unclosed-fences": ("".join("`" * (3 + i) + "\nline\n" for i in range(1_000)), 1, "never closed"),
    "many-fences": ("```\n" * 60_000, 1, "fenced code blocks"),
    "backslashes": ("\\" * 100_000, 1, "split it into shorter paragraphs"),
    "emphasis-run": ("*" * 50_000 + "a" + "*" * 50_000, 1, "split it"),
    "code-spans": ("`" * 7 + "a" + "``" * 30_000, 1, "split it"),
    "after-text": ("Fine.\n\nStill fine.\n\n" + "[" * 50_000, 5, "unbalanced"),
    # after plain paragraphs, and with the only "[" of the text in another paragraph
    "inline-after-text": ("Plain words.\n\n[a link](/x)\n\n" + "\\" * 100_000, 5, "split it"),
    "nesting-after-text": ("Plain words.\n\n" + "> " * 5_000 + "x", 3, "nested 5000 levels"),
    "nesting-in-a-paragraph": ("Plain words\n" + "- " * 40 + "x", 2, "nested 40 levels"),
}
UNSAFE_PATHOLOGICAL = {
    "unclosed-tags": ("<a x\n\n" * 5_000, 1, "raw HTML"),
    "unclosed-comments": ("<!-- x\n\n" * 5_000, 1, "raw HTML"),
    "unclosed-cdata": ("<![CDATA[ x\n\n" * 5_000, 1, "raw HTML"),
    "processing-instructions": ("<? x\n\n" * 5_000, 1, "raw HTML"),
}


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_pathological_markdown_is_refused_quickly_with_a_line(name):
    text, line, says = PATHOLOGICAL[name]
    for unsafe in (False, True):
        started = cpu_seconds()
        with pytest.raises(MarkdownProblem) as info:
            MarkdownRenderer(unsafe_html=unsafe).convert(text)
        assert cpu_seconds() - started < 10
        assert info.value.line == line
        assert says in info.value.message


@pytest.mark.parametrize("name", UNSAFE_PATHOLOGICAL)
def test_pathological_raw_html_is_refused_when_raw_html_is_allowed(name):
    text, line, says = UNSAFE_PATHOLOGICAL[name]
    started = cpu_seconds()
    with pytest.raises(MarkdownProblem) as info:
        MarkdownRenderer(unsafe_html=True).convert(text)
    assert cpu_seconds() - started < 10
    assert info.value.line == line and says in info.value.message
    MarkdownRenderer().convert(text)  # without unsafe_html the same text is escaped, and fine


# The largest input of each shape the limits accept still converts in bounded time.
UNDER_LIMITS = {
    "brackets": lambda n: "[" * n,
    "cdata-openers": lambda n: "<![" * n,
    "images": lambda n: "![" * n,
    "link-targets": lambda n: "[a](" * n,
    "backslashes": lambda n: "\\" * n,
    "fences": lambda n: "```\n" * n,
    "nested-lists": lambda n: "\n".join("    " * i + "- x" for i in range(min(n, 200))),
}


def _largest_accepted(make, hi: int) -> int:
    lo = 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        try:
            check(make(mid))
            lo = mid
        except MarkdownProblem:
            hi = mid - 1
    return lo


@pytest.mark.parametrize("name", UNDER_LIMITS)
def test_largest_accepted_input_converts_in_bounded_time(name):
    make = UNDER_LIMITS[name]
    n = _largest_accepted(make, 200_000)
    started = time.process_time()
    MarkdownRenderer().convert(make(n))
    assert time.process_time() - started < 5.0, f"{name}: n={n}"


def _ordinary_article(size: int) -> str:
    rng = random.Random(5)
    words = [
        "the",
        "council",
        "voted",
        "on",
        "the",
        "harbour",
        "budget",
        "while",
        "residents",
        "asked",
        "about",
        "rents",
        "trams",
        "and",
        "ferries",
    ]
    parts = []
    while sum(map(len, parts)) < size:
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(30, 90)))
        sentence = sentence.replace("council", "[council](https://example.com/council?a=1&b=2)", 1)
        sentence = sentence.replace("budget", "*budget*", 1).replace("rents", "`rents`", 1)
        kind = rng.random()
        if kind < 0.1:
            parts.append("## " + sentence[:50])
        elif kind < 0.2:
            parts.append("\n".join("- " + sentence[:70] for _ in range(4)))
        elif kind < 0.25:
            parts.append("```python\nprint([1, 2, (3)])\n```")
        elif kind < 0.3:
            parts.append(f"> {sentence} [^{len(parts)}]\n\n[^{len(parts)}]: A note.")
        else:
            parts.append(sentence + " (see [the report][r]) [sic")
    parts.append("[r]: https://example.com/report")
    return "\n\n".join(parts)


def test_ordinary_articles_are_never_refused():
    for size in (2_000, 50_000, 1_000_000):
        check(_ordinary_article(size))
    html = MarkdownRenderer().convert(_ordinary_article(20_000))
    assert '<a href="https://example.com/council?a=1&amp;b=2">council</a>' in html


CHECKER_TRAPS = {  # inputs that made an earlier version of the checks themselves quadratic
    "footnote-openers": "[^" * 100_000,
    "footnote-openers-and-stars": "[^*" * 60_000,
    "fence-and-spaces": "```" + " " * 200_000 + "z",
    "fence-lang-and-spaces": "```" + "a" * 100_000 + " " * 100_000 + "z",
    "attrs-unclosed": "```{" + "x" * 200_000,
    "many-short-lines": "[\n" * 200_000,
}


@pytest.mark.parametrize("name", CHECKER_TRAPS)
def test_the_checks_are_linear(name):
    text = CHECKER_TRAPS[name]
    for unsafe in (False, True):
        started = cpu_seconds()
        try:
            check(text, unsafe)
        except MarkdownProblem:
            pass
        assert cpu_seconds() - started < 5


def test_random_hostile_text_is_checked_quickly():
    rng = random.Random(1)
    alphabet = [
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "!",
        "*",
        "_",
        "`",
        "\\",
        "&",
        "#",
        "^",
        "|",
        "~",
        "-",
        ":",
        " ",
        "\n",
        "\n\n",
        "    ",
        "```",
        "<![",
        "<!--",
        "](",
        "[^",
        "*[",
        "a",
    ]
    for _ in range(30):
        parts = rng.sample(alphabet, rng.randint(1, 4))
        text = "".join(rng.choice(parts) for _ in range(rng.choice([20_000, 100_000])))
        started = cpu_seconds()
        try:
            check(text, unsafe_html=True)
        except MarkdownProblem:
            pass
        assert cpu_seconds() - started < 5, parts


def test_raw_paragraph_tags_without_ends_stay_linear():
    md = MarkdownRenderer(unsafe_html=True)
    started = cpu_seconds()
    html = md.convert("<p>\n\n" * 20_000)
    from newsgen.content.markup import first_paragraph_text
    from newsgen.core.words import count_words

    first_paragraph_text(html), count_words(html + "<" * 100_000)
    assert cpu_seconds() - started < 25


def test_fenced_code_is_skipped_like_python_markdown_skips_it():
    check("```\n" + "[" * 100_000 + "\n```\n\ntext")  # brackets in code cost nothing
    with pytest.raises(MarkdownProblem):
        check("  ```\n" + "[" * 100_000 + "\n  ```\n")  # indented: not a fence for Python-Markdown
    with pytest.raises(MarkdownProblem):
        check("```x y\n" + "[" * 100_000 + "\n```\n")  # junk after the fence: not a fence either


def test_the_time_limit_stops_a_conversion_the_checks_let_through(monkeypatch):
    monkeypatch.setattr(mdguard, "CONVERT_SECONDS", 0.05)
    monkeypatch.setattr(mdguard, "CONVERT_SECONDS_PER_MB", 0.0)
    monkeypatch.setattr(mdguard, "check", lambda text, unsafe=False: None)
    from newsgen.content import markup

    monkeypatch.setattr(markup, "check", lambda text, unsafe=False: None)
    md = MarkdownRenderer()
    started = cpu_seconds()
    with pytest.raises(MarkdownProblem, match="stopped after using more than"):
        # 50,000 emphasised words in one paragraph: about 12 s without the limit (a run of "[" no
        # longer serves: Python-Markdown 3.11.4 and mdbrackets find its brackets in one pass)
        md.convert("*a* " * 50_000)
    assert cpu_seconds() - started < 15
    assert md.convert("*still works*") == "<p><em>still works</em></p>"


def test_conversion_errors_become_problems_not_tracebacks(monkeypatch):
    md = MarkdownRenderer()

    def boom(text):
        raise AssertionError("crafted input hit an assert in the parser")

    monkeypatch.setattr(md._md, "convert", boom)
    with pytest.raises(MarkdownProblem, match=r"could not be converted .AssertionError"):
        md.convert("x")
    assert md.convert("fine") == "<p>fine</p>"  # a fresh parser replaced the broken one


# --------------------------------------------------------------------------- YAML


@pytest.mark.parametrize(
    "text,line,col,says",
    [
        ("title: x\na: !!python/object/apply:os.system ['true']", 3, 4, "unsafe or unknown YAML tag"),
        ("title: x\na: !!python/name:os.system", 3, 4, "python/name:os.system"),
        ("title: x\na: !!python/module:os", 3, 4, "python/module:os"),
        ("title: x\na: !!python/object/new:os.system [x]", 3, 4, "python/object/new"),
        ("title: x\na: !<tag:yaml.org,2002:python/object/apply:os.system> [x]", 3, 4, "python/object/apply"),
        ("a: !foo bar", 2, 4, "'!foo'"),
        ("a: 1\na: 2", 3, 1, "duplicate key 'a' (first given on line 2)"),
        ("a: " + "9" * 5000, 2, 4, "cannot be read as !!int"),
        ("a: !!timestamp nope", 2, 4, "cannot be read as !!timestamp"),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
            6,
            None,
            "expands to more than 20000 values",
        ),
        ("a: &a [*a]", 2, None, "expands to more than"),
        ("a: " + "[" * 100_000, 2, None, f"nested more than {MAX_DEPTH} levels"),
        ("a: " + "{a: " * 30_000, 2, None, "nested more than"),
        ("- " * 100_000 + "x", 2, None, "nested more than"),
        ("x: " + "y" * 2_000_000, 2, 1, "over the limit"),
    ],
)
def test_hostile_yaml_is_a_problem_with_a_file_position(text, line, col, says):
    started = cpu_seconds()
    with pytest.raises(YamlProblem) as info:
        parse_mapping(text, first_line=2)
    assert cpu_seconds() - started < 5
    assert info.value.line == line
    if col is not None:
        assert info.value.col == col
    assert says in info.value.message


def test_deep_yaml_does_not_crash_the_interpreter():
    """libyaml's composer recursed in C and crashed Python on these (a segmentation fault)."""
    code = (
        "import sys\nfrom newsgen.core.yamlio import parse_mapping, YamlProblem\n"
        "for text in ['a: ' + '[' * 100000, '- ' * 100000 + 'x', 'a: ' + '{a: ' * 30000]:\n"
        "    try:\n        parse_mapping(text)\n    except YamlProblem:\n        pass\nprint('alive')\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stdout.strip() == "alive", run.stderr


def test_sets_become_sorted_lists():
    [a] = parse_mapping("a: !!set {zeta, alpha, mu}")
    assert a.value == ["alpha", "mu", "zeta"]


def test_ordinary_front_matter_with_brackets_and_colons_is_fine():
    entries = parse_mapping(
        "title: 'Budget: what [it] means {really}?'\ntags: [a, [b, [c]]]\nlist:\n  - - x\n    - y\n"
    )
    assert [e.key for e in entries] == ["title", "tags", "list"]


def test_nesting_is_refused_from_the_first_level_over_the_limit():
    """The depth check counts the brackets still open and a line's block indicators (`key:`); the limit
    itself is accepted, the next level is refused with its line and column, across lines too."""
    at_limit = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    assert [e.key for e in parse_mapping(at_limit)] == ["a"]
    with pytest.raises(YamlProblem, match=f"nested more than {MAX_DEPTH}") as info:
        parse_mapping("a:\n" + " [\n" * (MAX_DEPTH + 1) + " " + "]" * (MAX_DEPTH + 1), first_line=5)
    assert (info.value.line, info.value.col) == (5 + MAX_DEPTH + 1, 2)
