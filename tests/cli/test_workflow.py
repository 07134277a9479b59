"""The publishing workflow (this repository's and ``newsgen init``'s) and docs/deploy.md."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from datetime import UTC

import pytest
import yaml

from conftest import REPO
from newsgen.commands.scaffold import skeleton_files

REPO_WORKFLOW = REPO / ".github/workflows/publish.yml"


def _init_workflow() -> str:
    from datetime import datetime

    return skeleton_files("T", "https://example.com/", datetime(2025, 1, 1, tzinfo=UTC))[
        ".github/workflows/publish.yml"
    ]


WORKFLOWS = {"repository": lambda: REPO_WORKFLOW.read_text("utf-8"), "init": _init_workflow}


def _steps(workflow: dict) -> list[dict]:
    return workflow["jobs"]["build"]["steps"]


@pytest.mark.parametrize("which", sorted(WORKFLOWS))
def test_workflow_has_every_publishing_step(which):
    workflow = yaml.safe_load(WORKFLOWS[which]())
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert "push" in triggers and "workflow_dispatch" in triggers
    assert triggers["schedule"][0]["cron"].count(" ") == 4
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}

    steps = _steps(workflow)
    uses = [s.get("uses", "") for s in steps]
    runs = [s.get("run", "") for s in steps]

    def index(pred) -> int:
        found = [i for i, s in enumerate(steps) if pred(s)]
        assert found, "missing step"
        return found[0]

    checkout = index(lambda s: s.get("uses", "").startswith("actions/checkout@"))
    install = index(lambda s: "pip install" in s.get("run", ""))
    cache = index(lambda s: s.get("uses", "").startswith("actions/cache@"))
    check = index(lambda s: s.get("run", "").strip() == "newsgen check")
    build = index(lambda s: s.get("run", "").startswith("newsgen build"))
    upload = index(lambda s: s.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert checkout < install < check < build < upload
    assert cache < build
    cached = steps[cache]["with"]["path"].split()
    assert ".newsgen-cache" in cached and "public" in cached
    assert "github.run_id" in steps[cache]["with"]["key"] and steps[cache]["with"]["restore-keys"].strip()
    assert steps[upload]["with"]["path"] == "public"
    assert any(u.startswith("actions/setup-python@") for u in uses)
    assert any(".newsgen-changes.json" in r for r in runs)

    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def test_repository_and_init_workflows_agree():
    repo = yaml.safe_load(REPO_WORKFLOW.read_text("utf-8"))
    init = yaml.safe_load(_init_workflow())
    assert repo["jobs"] == init["jobs"]
    assert repo["env"]["NEWSGEN_PACKAGE"] == ".[search]"  # this checkout, with search
    assert init["env"]["NEWSGEN_PACKAGE"].startswith("newsgen==")


def test_workflow_commands_work_on_a_new_site(tmp_path, cli):
    """Run the workflow's own newsgen commands and change summary on a fresh ``newsgen init`` site."""
    site = tmp_path / "site"
    assert cli("init", site, "-q").code == 0
    workflow = yaml.safe_load((site / ".github/workflows/publish.yml").read_text("utf-8"))
    github_output = tmp_path / "output.txt"
    summary = tmp_path / "summary.md"
    env = {**os.environ, "GITHUB_OUTPUT": str(github_output), "GITHUB_STEP_SUMMARY": str(summary)}
    for step in _steps(workflow):
        command = step.get("run", "")
        command = command.replace("${{ steps.pages.outputs.base_url }}", "https://example.github.io/site")
        if command.startswith("newsgen "):
            argv = [sys.executable, "-m", "newsgen", *shlex.split(command)[1:]]
        elif ".newsgen-changes.json" in command:
            argv = ["bash", "-c", command.replace("python -", f"{shlex.quote(sys.executable)} -", 1)]
        else:
            continue
        run = subprocess.run(argv, cwd=site, env=env, capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, (command, run.stderr)
    assert "changed=true" in github_output.read_text("utf-8")
    assert "https://example.github.io/site/" in summary.read_text("utf-8")
    assert "Next scheduled change: none" in summary.read_text("utf-8")  # from newsgen-status.json
    assert "https://example.github.io/site/" in (site / "public/feed.xml").read_text("utf-8")


def test_deploy_docs_cover_every_host():
    text = (REPO / "docs/deploy.md").read_text("utf-8")
    for needle in (
        "## GitHub Pages",
        "## Netlify",
        "## Amazon S3",
        "aws s3 sync",
        "## Any web server",
        "## A base URL with a path",
        ".newsgen-changes.json",
        "schedule",
        "cron",
    ):
        assert needle in text, needle
