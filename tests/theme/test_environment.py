"""The theme's Jinja environment prints escaped text without making Markup objects, with
exactly the output of Jinja's own environment (newsgen.theme.environment)."""

from __future__ import annotations

import jinja2
import markupsafe
from hypothesis import given
from hypothesis import strategies as st

from newsgen.theme.environment import SharedGlobalsEnvironment, escape_text

TEMPLATES = {
    "page.html": (
        "{% import 'macros.html' as m %}"
        '<p title="{{ text }}">{{ text }}</p>{{ number }}{{ safe }}{{ text | safe }}{{ m.bold(text) }}'
        "{% set block %}<i>{{ text }}</i>{% endset %}{{ block }}{{ block | length }}"
        "{{ text ~ safe }}{% for x in [text, safe, number] %}[{{ x }}]{% endfor %}"
        "{% include 'part.html' %}{% autoescape false %}{{ text }}{% endautoescape %}"
    ),
    "macros.html": "{% macro bold(a) %}<b>{{ a }}</b>{% endmacro %}",
    "part.html": "<em>{{ text }}</em>{{ m_missing | default('&') }}",
}


def _environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    made = []
    for cls in (SharedGlobalsEnvironment, jinja2.Environment):
        made.append(
            cls(loader=jinja2.DictLoader(TEMPLATES), autoescape=True, undefined=jinja2.StrictUndefined)
        )
    return made[0], made[1]


@given(st.text())
def test_escape_text_is_markupsafe_escape_as_text(text):
    assert escape_text(text) == str(markupsafe.escape(text))
    for value in (markupsafe.Markup(text), 42, None):
        assert escape_text(value) == markupsafe.escape(value)


@given(st.text(alphabet="<>&'\"ab \u2028é", max_size=12))
def test_templates_print_what_jinja_prints(text):
    ours, jinjas = _environments()
    context = {"text": text, "number": 7, "safe": markupsafe.Markup("<br>")}
    assert ours.get_template("page.html").render(context) == jinjas.get_template("page.html").render(context)
    assert ours.from_string("{{ text }}").render(text=text) == str(markupsafe.escape(text))


def test_the_templates_print_through_escape_text():
    ours, _ = _environments()
    for template in (ours.get_template("page.html"), ours.from_string("{{ 1 }}")):
        assert template.root_render_func.__globals__["escape"] is escape_text
    # A macro's output is Markup again (Jinja wraps it), so it is not escaped twice.
    macro = ours.get_template("macros.html").module.bold("<")
    assert isinstance(macro, markupsafe.Markup) and macro == "<b>&lt;</b>"
