"""``newsgen import wordpress`` of a blog installed in a folder (``https://host/path/``).

The old addresses are read as paths of the new site, which newsgen serves at its ``base_url``:
with the ``base_url`` the import writes (the blog's own address) the folder is the site's root,
so every old URL answers at the same address; with a site at the host's root, the folder stays
in the paths. Either way an old URL is answered once, never at ``/path/path/``.
"""

from __future__ import annotations

import pytest
import yaml
from test_import_wordpress import front, item, wxr

HOST = "https://wire.example.org"
LINKS = (
    f'<p>See <a href="{HOST}/?p=2">the vote</a>, <a href="{HOST}/?page_id=3">the team</a> '
    f'and <a href="{HOST}/old/story-2/#top">the story</a>.</p>'
)


@pytest.mark.parametrize(
    ("base_url", "folder"),
    [
        (None, ""),  # newsgen.yaml written by the import: the site lives at the blog's address
        (f"{HOST}/", "/path"),  # a site already set up at the host's root
    ],
)
def test_a_blog_in_a_folder_keeps_its_addresses(tmp_path, cli, base_url, folder):
    items = item(1, "Links", LINKS) + item(2, "Vote") + item(3, "Team", post_type="page", post_name="team")
    export = tmp_path / "export.xml"
    export.write_text(
        wxr(items).replace(HOST, f"{HOST}/path").replace("/path/old/team/", "/path/company/team/"), "utf-8"
    )
    site = tmp_path / "site"
    if base_url:
        site.mkdir()
        (site / "newsgen.yaml").write_text(f'title: Wire\nbase_url: "{base_url}"\n', "utf-8")
    r = cli("import", "wordpress", export, "--site", site)
    assert r.code == 0, r.err
    config = yaml.safe_load((site / "newsgen.yaml").read_text("utf-8"))
    assert config["base_url"] == (base_url or f"{HOST}/path/")

    page, _ = front(site / f"pages{folder}/company/team.md")  # at its old address, no redirect
    assert "redirect_from" not in page
    vote, _ = front(site / "articles/wordpress/2020-01-30-story-2.md")
    assert vote["redirect_from"] == [f"{folder}/old/story-2/"]
    _, body = front(site / "articles/wordpress/2020-01-30-story-1.md")
    assert f"[the vote](/2020/01/30/story-2/), [the team]({folder}/company/team/)" in body
    assert "[the story](/2020/01/30/story-2/#top)" in body

    r = cli("build", "--site", site, "--as-of", "2025-01-01T00:00Z")
    assert r.code == 0, r.err
    pub = site / "public"
    redirect_page = pub / f"{folder}/old/story-2/index.html".lstrip("/")
    assert 'http-equiv="refresh"' in redirect_page.read_text("utf-8")
    # the old URL https://wire.example.org/path/old/story-2/ -> the new one, on the host
    new = "/path/2020/01/30/story-2/" if not folder else "/2020/01/30/story-2/"
    assert f"/path/old/story-2/ {new} 301" in (pub / "_redirects").read_text("utf-8").splitlines()
