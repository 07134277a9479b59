"""Everyday CLI behaviour shared by every command: --help with examples, -v/-q, --strict, exit codes."""

from __future__ import annotations

import pytest

from conftest import article

COMMANDS = ("build", "new", "serve", "init", "check")


def test_top_level_help_lists_commands_and_exit_codes(cli):
    run = cli("--help")
    assert run.code == 0
    for command in COMMANDS:
        assert command in run.out
    assert "exit status" in run.out
    assert "0  success" in run.out and "2  a usage error" in run.out and "\n  1  " in run.out


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples_and_verbosity(cli, command):
    run = cli(command, "--help")
    assert run.code == 0
    assert "examples:" in run.out and f"newsgen {command}" in run.out.split("examples:")[1]
    assert "-v, --verbose" in run.out and "-q, --quiet" in run.out


def test_usage_errors_exit_2(cli):
    assert cli().code == 2
    assert cli("publish").code == 2
    assert cli("build", "--no-such-option").code == 2
    assert cli("build", "-v", "-q").code == 2  # one or the other
    assert cli("init").code == 2  # DIR is required


def test_quiet_and_verbose(write_site, cli):
    site = write_site({"articles/a.md": article("A", date=None)})  # undated: a warning
    quiet = cli("build", "--site", site, "-q")
    assert quiet.code == 0 and quiet.out == "" and quiet.err == ""
    normal = cli("build", "--site", site)
    assert "built 1 articles" in normal.out and "warning: no date" in normal.err
    assert "  unchanged" not in normal.out and "  changed:" not in normal.out
    (site / "articles/a.md").write_text(article("B", date=None), "utf-8")
    verbose = cli("build", "--site", site, "-v")
    assert "  changed: 1970/01/01/a/index.html" in verbose.out


def test_build_strict_fails_on_warnings_and_writes_nothing(write_site, cli):
    site = write_site(
        {"articles/a.md": article("A", date=None)}, config="titel: typo\nbase_url: https://news.example/\n"
    )
    run = cli("build", "--site", site, "--strict")
    assert run.code == 1
    assert "newsgen.yaml:1:1: unknown key 'titel'" in run.err and "(an error with --strict)" in run.err
    assert not (site / "public").exists()
    (site / "newsgen.yaml").write_text("title: fine\nbase_url: https://news.example/\n", "utf-8")
    run = cli("build", "--site", site, "--strict")
    assert run.code == 1
    assert "articles/a.md: no date in front matter" in run.err
    assert not (site / "public").exists()
    assert cli("build", "--site", site).code == 0  # without --strict it is a warning


def test_strict_on_the_other_commands(write_site, cli):
    site = write_site({"articles/a.md": article("A", summary="s")}, config="titel: typo\n")
    assert cli("new", "Headline", "--site", site, "--strict").code == 1
    assert not list((site / "articles").glob("*headline*"))
    assert cli("new", "Headline", "--site", site, "-q").code == 0
    assert cli("check", "--site", site, "--strict").code == 1
    assert cli("check", "--site", site).code == 0


def test_errors_say_what_to_do_next(write_site, cli):
    site = write_site({"articles/a.md": "---\ntitle: [unclosed\n---\n"})
    run = cli("build", "--site", site)
    assert run.code == 1
    assert "articles/a.md:3:1: invalid YAML" in run.err
    assert "newsgen check" in run.err and "nothing was written" in run.err
