"""Compiled templates kept in the build cache (newsgen.incremental.templatecode): a rebuild
loads the code of the templates it renders instead of compiling them, a changed template is
compiled again, and a damaged or unwritable store is never an error."""

from __future__ import annotations

import shutil

import jinja2
import pytest
from jinja2.bccache import bc_magic

from conftest import article, pages_digest
from newsgen.incremental import templatecode
from newsgen.incremental.keys import engine_key
from newsgen.theme.location import theme_dir

FOOTER = "partials/footer.html"


@pytest.fixture
def compiled(monkeypatch):
    """The names of the templates Jinja compiles from their text, in this process."""
    names: list[str] = []
    real = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return real(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return names


def _site(write_site):
    return write_site(
        {f"articles/s{i}.md": article(f"Story {i}", f"2025-03-0{i}T09:00:00+00:00") for i in range(1, 5)},
        config="title: T\nbase_url: https://example.com/\n",
    )


def _code_folder(site):
    return site / ".newsgen-cache" / templatecode.FOLDER / engine_key()[:32]


def test_a_rebuild_loads_the_code_of_the_templates_it_renders(write_site, cli, compiled):
    site = _site(write_site)
    assert cli("build", "--site", site, "--jobs", "1").code == 0
    assert "article.html" in compiled and "base.html" in compiled
    assert sorted(p.name for p in _code_folder(site).iterdir())  # the code is kept
    compiled.clear()
    (site / "articles/s2.md").write_text(article("Story 2", "2025-03-02T09:00:00+00:00", "Edited."), "utf-8")
    assert cli("build", "--site", site, "--jobs", "1").code == 0
    assert "Edited." in (site / "public/2025/03/02/s2/index.html").read_text("utf-8")
    assert compiled == []  # the article page, its base and partials: loaded, not compiled


def test_a_changed_template_is_compiled_again_and_shown(write_site, cli, compiled):
    site = _site(write_site)
    assert cli("build", "--site", site, "--jobs", "1").code == 0
    theme_footer = theme_dir() / "templates" / FOOTER
    override = site / "templates" / FOOTER
    override.parent.mkdir(parents=True)
    override.write_text(theme_footer.read_text("utf-8") + "<!-- first -->\n", "utf-8")
    assert cli("build", "--site", site, "--jobs", "1").code == 0
    assert "<!-- first -->" in (site / "public/2025/03/01/s1/index.html").read_text("utf-8")
    compiled.clear()
    override.write_text(theme_footer.read_text("utf-8") + "<!-- second -->\n", "utf-8")
    assert cli("build", "--site", site, "--jobs", "1").code == 0
    assert compiled == [FOOTER]  # only the changed template
    page = (site / "public/2025/03/01/s1/index.html").read_text("utf-8")
    assert "<!-- second -->" in page and "<!-- first -->" not in page


def test_damaged_code_is_compiled_again(write_site, cli, compiled, tmp_path):
    site = _site(write_site)
    assert cli("build", "--site", site, "--jobs", "1").code == 0
    for n, kept in enumerate(sorted(_code_folder(site).iterdir())):
        data = kept.read_bytes()  # Jinja's mark, a digest of the text (pickled), the code (marshalled)
        cut = len(bc_magic) if n % 2 else len(data) // 2  # the digest damaged, or the code
        kept.write_bytes(data[:cut] + b"garbage")
    compiled.clear()
    (site / "articles/s3.md").write_text(article("Story 3", "2025-03-03T09:00:00+00:00", "New."), "utf-8")
    assert cli("build", "--site", site, "--jobs", "1").code == 0
    assert "article.html" in compiled
    clean = shutil.copytree(
        site, tmp_path / "clean", ignore=shutil.ignore_patterns(".newsgen-cache", "public")
    )
    assert cli("build", "--site", clean, "--no-cache", "--jobs", "1").code == 0
    assert pages_digest(site / "public") == pages_digest(clean / "public")


def test_another_engines_code_goes_and_no_cache_keeps_none(write_site, cli):
    site = _site(write_site)
    home = site / ".newsgen-cache" / templatecode.FOLDER
    old = home / ("0123456789abcdef" * 2)  # another engine key's folder
    old.mkdir(parents=True)
    (old / "__jinja2_0123abcd.cache").write_bytes(b"old code")
    (home / "notes").mkdir()  # not newsgen's: kept
    (home / "notes" / "__jinja2_0123abcd.cache").write_text("mine", "utf-8")
    assert cli("build", "--site", site).code == 0
    assert sorted(p.name for p in home.iterdir()) == sorted([engine_key()[:32], "notes"])
    assert (home / "notes" / "__jinja2_0123abcd.cache").read_text("utf-8") == "mine"
    bare = site.parent / "bare"
    shutil.copytree(site, bare, ignore=shutil.ignore_patterns(".newsgen-cache", "public"))
    assert cli("build", "--site", bare, "--no-cache").code == 0
    assert not (bare / ".newsgen-cache").exists()


def test_a_cache_folder_that_holds_the_site_is_refused_and_nothing_goes(write_site, cli, tmp_path):
    site = _site(write_site)
    override = site / "templates" / FOOTER
    override.parent.mkdir(parents=True)
    override.write_text((theme_dir() / "templates" / FOOTER).read_text("utf-8") + "<!-- mine -->\n", "utf-8")
    before = sorted(p.relative_to(site).as_posix() for p in site.rglob("*"))
    run = cli("build", "--site", site, "--cache-dir", site, "--output", tmp_path / "out")
    assert run.code != 0
    assert "the articles folder is inside the cache folder" in run.err
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*")) == before


def test_a_store_that_cannot_be_made_or_written_is_no_error(write_site, cli, monkeypatch):
    site = _site(write_site)
    (site / ".newsgen-cache").mkdir()
    (site / ".newsgen-cache" / templatecode.FOLDER).write_text("not a folder", "utf-8")
    assert cli("build", "--site", site).code == 0  # templates compiled as they are asked for
    assert "Story 1" in (site / "public/2025/03/01/s1/index.html").read_text("utf-8")
    (site / ".newsgen-cache" / templatecode.FOLDER).unlink()

    def full_disk(self, bucket):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", full_disk)
    (site / "articles/s4.md").write_text(article("Story 4", "2025-03-04T09:00:00+00:00", "Late."), "utf-8")
    assert cli("build", "--site", site).code == 0
    assert "Late." in (site / "public/2025/03/04/s4/index.html").read_text("utf-8")
