"""The theme's shared pieces on their own: the `picture` macro and the `byline` filter, rendered by the
site's Renderer with a page's context, as the page templates use them."""

from __future__ import annotations

import jinja2
import pytest
from markupsafe import Markup

from conftest import REPO
from newsgen.config import load_config
from newsgen.theme.render import Renderer, byline


@pytest.fixture(scope="module")
def render():
    config, _ = load_config(REPO)  # the sample site: /images/harbour.svg is 1200 x 675
    env = Renderer(config).env

    def run(source: str, url: str = "/2025/03/10/story/", **context) -> str:
        page = type("Page", (), {"url": url, "root_links": False})()
        imports = '{% from "partials/picture.html" import picture with context %}'
        return env.from_string(imports + source).render(page=page, **context)

    return run


def test_picture_reads_the_size_and_loads_lazily_by_default(render):
    assert render('{{ picture("/images/harbour.svg", "Quay", class="c") }}') == (
        '<img class="c" src="../../../../images/harbour.svg" alt="Quay" width="1200" height="675"'
        ' loading="lazy" decoding="async">'
    )


def test_picture_first_and_auto_loading_and_a_given_size(render):
    first = render('{{ picture("https://cdn.example/x.jpg", none, load="first") }}')
    assert (
        first == '<img src="https://cdn.example/x.jpg" alt="" fetchpriority="high">'
    )  # remote: size unknown
    auto = render('{{ picture("/images/harbour.svg", "Ada", load="auto", width=96, height=96) }}')
    assert auto == '<img src="../../../../images/harbour.svg" alt="Ada" width="96" height="96">'


def test_picture_in_a_figure_with_an_escaped_caption(render):
    html = render(
        '{{ picture("/nowhere.png", alt, figure="article__image", caption=caption) }}',
        alt='"A" & <b>',
        caption="<i>Cap</i>",
    )
    assert html == (
        '<figure class="article__image">\n'
        '    <img src="../../../../nowhere.png" alt="&#34;A&#34; &amp; &lt;b&gt;" loading="lazy" decoding="async">\n'
        "<figcaption>&lt;i&gt;Cap&lt;/i&gt;</figcaption>  </figure>"
    )
    assert "figcaption" not in render('{{ picture("/x.png", "x", figure="f", caption=none) }}')


def test_byline_joins_names_and_escapes_them():
    assert byline([]) == ""
    assert byline(["Ana"]) == "Ana"
    assert byline(["Ana", "Ben"]) == "Ana and Ben"
    assert byline(["Ana", "Ben & <Co>", "Cleo"]) == "Ana, Ben &amp; &lt;Co&gt; and Cleo"
    assert isinstance(byline(["Ana"]), Markup)


def test_byline_keeps_the_markup_a_macro_draws(render):
    authors = [{"name": "Ana", "url": "/authors/ana/"}, {"name": "B<en>", "url": "/authors/ben/"}]
    html = render(
        '{% macro link_to(a) %}<a href="{{ a.url | link }}">{{ a.name }}</a>{% endmacro %}'
        "{{ authors | byline(link_to) }}",
        url="/",
        authors=authors,
    )
    assert html == '<a href="authors/ana/">Ana</a> and <a href="authors/ben/">B&lt;en&gt;</a>'


def test_templates_share_the_environment_globals_and_own_globals_stay_their_own():
    """Each render copies a template's globals: the theme's templates read the environment's
    dict itself (one C copy, not Jinja's ChainMap copied key by key), while a template given
    globals of its own sees them and nothing else does."""
    env = Renderer(load_config(REPO)[0]).env
    card = env.get_template("partials/story_card.html")
    assert card.globals is env.globals and env.from_string("{{ 1 }}").globals is env.globals
    loaded = env.from_string("{{ edition }}")
    env.globals["edition"] = "late"  # set after the template was loaded: seen, as Jinja promises
    assert loaded.render() == "late"
    own = env.from_string("{{ edition }} {{ desk }}", globals={"desk": "metro"})
    assert own.render() == "late metro"
    assert "desk" not in env.globals
    with pytest.raises(jinja2.UndefinedError, match="desk"):
        env.from_string("{{ desk }}").render()
