"""``newsgen import wordpress``: HTML in bodies and titles becomes what the reader saw in WordPress."""

from __future__ import annotations

import re

from test_import_wordpress import item, wxr


def imported_page(tmp_path, cli, export_text: str) -> str:
    """Import ``export_text``, build, and return the HTML of post 1 (``/2020/01/30/story-1/``)."""
    export = tmp_path / "export.xml"
    export.write_text(export_text, "utf-8")
    site = tmp_path / "site"
    r = cli("import", "wordpress", export, "--site", site)
    assert r.code == 0, r.err
    r = cli("build", "--site", site, "--as-of", "2025-01-01T00:00Z")
    assert r.code == 0, r.err
    return (site / "public/2020/01/30/story-1/index.html").read_text("utf-8")


def test_a_pipe_in_a_table_cell_stays_in_its_cell(tmp_path, cli):
    """WordPress's theme unit test table of symbols: a ``|`` cell and a backslash cell."""
    head = "".join(f"<th>{h}</th>" for h in ("open", "backslash", "close", "pipe", "brace", "both", "link"))
    link = '<a href="https://example.org/find?q=a|b">a|b</a>'
    cells = "".join(f"<td>{c}</td>" for c in ("[", "\\", "]", "|", "{", "\\|", link))
    html = imported_page(
        tmp_path, cli, wxr(item(1, "Symbols", f"<table><tr>{head}</tr><tr>{cells}</tr></table>"))
    )
    row = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert re.findall(r"<td>(.*?)</td>", row) == [
        "[",
        "\\",
        "]",
        "|",
        "{",
        "\\|",
        '<a href="https://example.org/find?q=a%7Cb">a|b</a>',
    ]
