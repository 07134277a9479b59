"""``newsgen init``: a new site that builds, checks clean and ignores its output."""

from __future__ import annotations

import yaml

from newsgen.config import load_config


def test_init_creates_a_site_that_builds(tmp_path, cli):
    folder = tmp_path / "mysite"
    run = cli(
        "init", folder, "--title", "The Harbour Gazette", "--base-url", "https://news.example.com/local"
    )
    assert run.code == 0, run.err
    assert "cd " in run.out and "newsgen serve" in run.out  # says what to do next
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/publish.yml",
        ".gitignore",
        "articles/welcome-to-newsgen.md",
        "newsgen.yaml",
        "pages/about.md",
        "pages/corrections-policy.md",
        "templates/.gitkeep",
    ]
    assert (folder / "templates").is_dir() and (folder / "templates/.gitkeep").read_text() == ""

    config, warnings = load_config(folder)
    assert warnings == []
    assert config.title == "The Harbour Gazette"
    assert config.base_url == "https://news.example.com/local/"
    text = (folder / "newsgen.yaml").read_text("utf-8")
    assert text.count("\n#") > 20  # every setting explained

    ignored = (folder / ".gitignore").read_text("utf-8").split()
    assert "/public/" in ignored and "/.newsgen-cache/" in ignored

    assert "fictional" in (folder / "articles/welcome-to-newsgen.md").read_text("utf-8")

    build = cli("build", "--site", folder)
    assert build.code == 0, build.err
    pages = list((folder / "public").rglob("welcome-to-newsgen/index.html"))
    assert len(pages) == 1
    assert "Welcome to your new newsgen site" in pages[0].read_text("utf-8")
    assert "The Harbour Gazette" in (folder / "public/index.html").read_text("utf-8")
    for slug, title in (("about", "About us"), ("corrections-policy", "Corrections policy")):
        text = (folder / "pages" / f"{slug}.md").read_text("utf-8")
        assert "placeholder" in text and "menu: footer" in text
        assert title in (folder / "public" / slug / "index.html").read_text("utf-8")
        assert f'<a href="{slug}/">{title}</a>' in (folder / "public/index.html").read_text("utf-8")
        assert f"https://news.example.com/local/{slug}/" in (folder / "public/sitemap.xml").read_text("utf-8")

    check = cli("check", "--site", folder, "--strict", "--built")
    assert check.code == 0, check.err


def test_init_workflow_is_the_publishing_workflow(tmp_path, cli):
    folder = tmp_path / "s"
    assert cli("init", folder, "-q").code == 0
    workflow = yaml.safe_load((folder / ".github/workflows/publish.yml").read_text("utf-8"))
    install = [s for s in workflow["jobs"]["build"]["steps"] if "pip install" in s.get("run", "")]
    assert install and "NEWSGEN_PACKAGE" in install[0]["run"]
    assert workflow["env"]["NEWSGEN_PACKAGE"].startswith("newsgen==")


def test_init_into_an_empty_existing_folder(tmp_path, cli):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert cli("init", folder, "-q").code == 0
    assert (folder / "newsgen.yaml").is_file()


def test_init_refuses_a_non_empty_folder(tmp_path, cli):
    folder = tmp_path / "busy"
    folder.mkdir()
    (folder / ".git").mkdir()  # even a hidden entry counts
    (folder / "notes.txt").write_text("mine", "utf-8")
    run = cli("init", folder)
    assert run.code == 1
    assert "is not empty" in run.err
    assert sorted(p.name for p in folder.iterdir()) == [".git", "notes.txt"]
    assert (folder / "notes.txt").read_text("utf-8") == "mine"


def test_init_refuses_a_file_and_a_bad_url(tmp_path, cli):
    f = tmp_path / "file"
    f.write_text("x", "utf-8")
    run = cli("init", f)
    assert run.code == 1 and "is not a folder" in run.err
    run = cli("init", tmp_path / "new", "--base-url", "example.com")
    assert run.code == 1 and "--base-url" in run.err
    assert not (tmp_path / "new").exists()


def test_init_title_is_yaml_safe(tmp_path, cli):
    folder = tmp_path / "s"
    assert cli("init", folder, "--title", 'Yes: "quoted" #1', "-q").code == 0
    config, _ = load_config(folder)
    assert config.title == 'Yes: "quoted" #1'
