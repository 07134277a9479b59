"""Liquid, Nunjucks and Hugo shortcodes left in bodies: converted when obvious, else printed and reported."""

from __future__ import annotations

from datetime import UTC

from newsgen.content.leftovers import convert
from photo_files import photo

PERMALINK = "/{year}/{month}/{day}/{slug}/"


def test_obvious_ones_are_converted():
    body, found = convert(
        "See [about]({{ site.baseurl }}/about/), [then]({% post_url 2010-07-21-big-news %}),\n"
        '![map]({{ "/img/a.png" | relative_url }}), [pdf]({% link assets/doc.pdf %}),\n'
        "[fair]({% link _posts/2016-7-2-fair.md %}).\n"
        '{{< figure src="/img/b.jpg" alt="Boats" caption="Harbour at dawn" >}}\n'
        "{{< youtube dQw4w9WgXcQ >}}",
        PERMALINK,
        UTC,
    )
    assert found == []
    assert body == (
        "See [about](/about/), [then](/2010/07/21/big-news/),\n"
        "![map](/img/a.png), [pdf](/assets/doc.pdf),\n"
        "[fair](/2016/07/02/fair/).\n"
        "![Boats](/img/b.jpg)\n\nHarbour at dawn\n"
        "[Watch the video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)"
    )


def test_highlight_and_raw_blocks():
    body, found = convert(
        '{% highlight python %}\nx = "{{ y }}"\n{% endhighlight %}\n{% raw %}{{ keep }}{% endraw %}',
        PERMALINK,
        UTC,
    )
    assert found == []
    assert body == '```python\nx = "{{ y }}"\n```\n{{ keep }}'


def test_raw_inside_highlight_as_jekyllrb_com_writes_it():
    # jekyll/jekyll docs: {% raw %} keeps Liquid in the example from running; both tags are
    # Liquid's, and the block ends at {% endhighlight %}, not at {% endraw %}
    body, found = convert(
        "{% highlight liquid %}\n{% raw %}\n"
        '{{ "/docs/assets/" | relative_url }} => /docs/assets\n'
        "{% endraw %}\n{% endhighlight %}\nAfter.",
        PERMALINK,
        UTC,
    )
    assert found == []
    assert body == '```liquid\n{{ "/docs/assets/" | relative_url }} => /docs/assets\n```\nAfter.'


def test_a_raw_block_ends_at_endraw_only():
    body, found = convert("{% raw %}\n{% endhighlight %} {{ x }}\n{% endraw %}\nAfter.", PERMALINK, UTC)
    assert found == []
    assert body == "\n{% endhighlight %} {{ x }}\n\nAfter."


def test_code_is_left_alone():
    text = "Use `{{ page.title }}` here.\n```\n{% include x.html %}\n```\n    indented {{< x >}}"
    body, found = convert(text, PERMALINK, UTC)
    assert body.startswith("Use `{{ page.title }}` here.\n```\n{% include x.html %}\n```")
    assert [f[0] for f in found] == [5]  # an indented line is reported (it may be a code block)


def test_the_rest_is_reported_with_line_column_and_hint():
    body, found = convert(
        "Intro.\n\n{% include toc.html %}\nText {{ page.title }} and {{< tweet 123 >}} {# note #}",
        PERMALINK,
        UTC,
    )
    assert body.endswith("{% include toc.html %}\nText {{ page.title }} and {{< tweet 123 >}} {# note #}")
    assert [(line, col) for line, col, _ in found] == [(3, 1), (4, 6), (4, 27), (4, 45)]
    assert "printed as text" in found[0][2] and "replace it with Markdown" in found[0][2]
    assert "Hugo shortcode {{< tweet 123 >}}" in found[2][2]


def test_never_evaluated_in_a_built_page(write_site, cli):
    site = write_site(
        {
            "articles/x.md": "---\ntitle: T\ndate: 2021-01-01\n---\n\n{{ 7 * 7 }} {% include secret %}\n"
            "{{< figure src=/img/a.jpg alt=A >}}\n",
            "static/img/a.jpg": photo(400, 300),  # the figure's photo
        },
        config="title: T\nbase_url: https://news.example/\n",
    )
    r = cli("build", "--site", site)
    assert r.code == 0, r.err
    page = (site / "public/2021/01/01/x/index.html").read_text("utf-8")
    assert "{{ 7 * 7 }} {% include secret %}" in page and "49" not in page
    assert 'alt="A"' in page


def test_check_reports_each_leftover_with_file_and_line(write_site, cli):
    site = write_site(
        {
            "articles/x.md": "---\ntitle: T\ndate: 2021-01-01\nsummary: S\n---\nFirst.\n\n{% include toc.html %}\n"
        },
        config="title: T\nbase_url: https://news.example/\n",
    )
    r = cli("check", "--site", site)
    assert "articles/x.md:8:1" in r.out + r.err
    assert "{% include toc.html %}" in r.out + r.err


def test_raw_tags_inside_a_code_block_are_dropped():
    """Jekyll and Eleventy run Liquid first: readers never saw {% raw %} in a code block."""
    body, found = convert("```yaml\n{% raw %}\nx: ${{ a }}\n{% endraw %}\n```", PERMALINK, UTC)
    assert body == "```yaml\nx: ${{ a }}\n```" and found == []


def test_zola_shortcode_is_reported_as_one():
    _, found = convert('{{ image(src="/a.png", description="") }}', PERMALINK, UTC)
    assert len(found) == 1 and found[0][2].startswith("Zola shortcode {{ image(")


def test_hugo_ref_names_the_source_it_links_to(write_site, cli):
    # GDQuest/website: [docs]({{< ref "/blender/power-sequencer/docs/index.md" >}})
    body, found = convert(
        'See [x]({{< ref "/news/quay.md" >}}), [y]({{< relref "other.md#vote" >}}), {{< ref "nope" >}}.',
        PERMALINK,
        UTC,
    )
    assert body == 'See [x](@/news/quay.md), [y](other.md#vote), {{< ref "nope" >}}.'
    assert [f[1] for f in found] == [76]  # a ref to no Markdown file is printed, and reported
    site = write_site(
        {
            "articles/news/quay.md": "---\ntitle: Quay\ndate: 2020-01-30\nsummary: s\n---\nBody.\n",
            "articles/a.md": '---\ntitle: A\ndate: 2020-02-01\nsummary: s\n---\n[Quay]({{< ref "/news/quay.md" >}})\n',
        },
        config="base_url: https://news.example/\nsocial:\n  image: /favicon.svg\n",
    )
    run = cli("check", "--site", site)  # check names the URL to link to instead
    assert "link to the source file @/news/quay.md" in run.err and "its URL /2020/01/30/quay/" in run.err


def test_kramdown_attribute_lists_are_dropped_and_reported():
    # Jekyll's Markdown is kramdown: {: .class} after a block or a span, and * TOC / {:toc}
    body, found = convert(
        "* TOC\n{:toc}\n\nThe vote is void.\n{: .box-error }\n\n"
        '![Quay](/img/quay.jpg){: width="50%"}\n\n'
        "Hex is '{:x}'.format(n), a dict {'a': 1}, and `{: .kept}` in code.",
        PERMALINK,
        UTC,
    )
    assert body == (
        "\n\n\nThe vote is void.\n\n\n![Quay](/img/quay.jpg)\n\n"
        "Hex is '{:x}'.format(n), a dict {'a': 1}, and `{: .kept}` in code."
    )  # the lines keep their numbers; prose that only looks like kramdown stays
    assert [(line, col) for line, col, _ in found] == [(2, 1), (5, 1), (7, 23)]
    assert "table of contents" in found[0][2] and "{: .box-error }" in found[1][2]
