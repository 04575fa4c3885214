"""factcheck init: a valid empty workspace, and CI and pre-commit that guard it where it is.

The pre-commit hooks are run as pre-commit runs them: from the repository's root, the
entry split like a shell line, then the hook's args, then the staged files that match its
pattern, named from the repository's root.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from factcheck.authoring import init as init_module
from factcheck.cli import main
from factcheck.workspace.root import SETTING_NAMES
from tests.conftest import DOCUMENTS, PARTIES_YAML, VALID_CLAIM, sources_yaml

INSTALL = "factcheck-workbench @ git+https://example.org/desk/factcheck@0123456789abcdef"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "factcheck", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    """A git repository whose workspace goes in factchecks/."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def test_init_writes_a_valid_empty_workspace_with_every_setting_commented(tmp_path: Path):
    result = run("init", "desk", "--ci", "none", "--no-pre-commit", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    desk = tmp_path / "desk"
    for name in ("factcheck.yaml", "claims", "seeds/sources.yaml", "seeds/parties.yaml"):
        assert (desk / name).exists(), name
        assert f"created desk/{name}" in result.stdout or name == "claims"
    settings = (desk / "factcheck.yaml").read_text()
    for name in SETTING_NAMES:
        assert re.search(rf"^# {name}: ", settings, re.M), name
    assert "next steps:" in result.stdout and "factcheck add-party" in result.stdout
    validated = run("--root", str(desk), "validate")
    assert validated.returncode == 0, validated.stdout
    assert "no problems found" in validated.stdout


def test_init_never_overwrites(tmp_path: Path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "parties.yaml").write_text(PARTIES_YAML)
    result = run("init", ".", "--ci", "none", "--no-pre-commit", cwd=tmp_path)
    assert result.returncode == 0
    assert "kept seeds/parties.yaml (it exists; not overwritten)" in result.stdout
    assert (tmp_path / "seeds" / "parties.yaml").read_text() == PARTIES_YAML
    again = run("init", ".", "--ci", "none", "--no-pre-commit", cwd=tmp_path)
    assert "created" not in again.stdout


def _fill(workspace: Path) -> None:
    """The desk's first dispute, as add-party, add-source and new would leave it."""
    (workspace / "seeds" / "parties.yaml").write_text(PARTIES_YAML)
    for file, text, _ in DOCUMENTS.values():
        (workspace / "seeds" / file).write_text(text)
    (workspace / "seeds" / "sources.yaml").write_text(sources_yaml(DOCUMENTS))
    (workspace / "claims" / "attack-planning.yaml").write_text(VALID_CLAIM)


def _run_hooks(repository: Path, config: dict, staged: list[str]) -> dict[str, int]:
    """Each hook's exit status, run as pre-commit would run it on the staged files."""
    statuses = {}
    for repo in config["repos"]:
        for hook in repo["hooks"]:
            files = [name for name in staged if re.search(hook["files"], name)]
            if not files:
                continue
            command = shlex.split(hook["entry"]) + list(hook.get("args", []))
            if hook.get("pass_filenames", True):
                command += files
            assert command[0] == "factcheck"
            statuses[hook["id"]] = run(*command[1:], cwd=repository).returncode
    return statuses


def test_generated_pre_commit_hooks_guard_a_workspace_in_a_subdirectory(repository: Path):
    result = run("init", "factchecks", "--ci", "none", "--pre-commit", cwd=repository)
    assert result.returncode == 0, result.stderr
    assert "created .pre-commit-config.yaml" in result.stdout
    config = YAML(typ="safe").load((repository / ".pre-commit-config.yaml").read_text())
    workspace = repository / "factchecks"
    _fill(workspace)
    staged = ["factchecks/claims/attack-planning.yaml", "factchecks/seeds/sources.yaml"]
    assert _run_hooks(repository, config, staged) == {
        "factcheck-validate": 0,
        "factcheck-fmt": 0,
    }
    claim = workspace / "claims" / "attack-planning.yaml"
    claim.write_text(VALID_CLAIM.replace("party: press-office", "party:    press-ofice"))
    assert _run_hooks(repository, config, staged) == {
        "factcheck-validate": 1,
        "factcheck-fmt": 1,
    }
    assert _run_hooks(repository, config, ["README.md"]) == {}


def test_shipped_hooks_work_in_a_subdirectory_with_root_as_args(repository: Path):
    hooks = YAML(typ="safe").load(Path(".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        hook["args"] = ["--root", "factchecks"]  # as the README's configuration says
    config = {"repos": [{"repo": "this repository", "hooks": hooks}]}
    assert run("init", "factchecks", "--ci", "none", "--no-pre-commit", cwd=repository)
    _fill(repository / "factchecks")
    staged = ["factchecks/claims/attack-planning.yaml"]
    assert _run_hooks(repository, config, staged) == {
        "factcheck-validate": 0,
        "factcheck-fmt": 0,
    }
    (repository / "factchecks" / "claims" / "attack-planning.yaml").write_text("title: [\n")
    assert _run_hooks(repository, config, staged) == {
        "factcheck-validate": 1,
        "factcheck-fmt": 1,
    }


def test_generated_workflow_checks_the_subdirectory_and_installs_as_told(repository: Path):
    result = run(
        "init",
        "factchecks",
        "--ci",
        "github",
        "--no-pre-commit",
        "--install",
        INSTALL,
        cwd=repository,
    )
    assert result.returncode == 0, result.stderr
    workflow = YAML(typ="safe").load((repository / ".github/workflows/factcheck.yml").read_text())
    job = workflow["jobs"]["factcheck"]
    assert job["env"]["FACTCHECK_ROOT"] == "factchecks"
    runs = [step.get("run", "") for step in job["steps"]]
    assert f"python3 -m pip install {json.dumps(INSTALL)}" in runs
    assert "factcheck validate --strict --format github" in runs


def test_the_workflow_installs_the_commit_factcheck_was_installed_from(monkeypatch):
    class Installed:
        def read_text(self, name: str) -> str:
            assert name == "direct_url.json"
            return json.dumps(
                {
                    "url": "https://example.org/desk/factcheck",
                    "vcs_info": {"vcs": "git", "commit_id": "0123456789abcdef"},
                }
            )

    monkeypatch.setattr(init_module.metadata, "distribution", lambda name: Installed())
    assert init_module.install_requirement() == INSTALL


def test_init_off_a_terminal_asks_nothing_and_writes_no_ci_unless_told(tmp_path: Path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "desk"), "--ci", "none"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "desk" / ".pre-commit-config.yaml").exists()


def test_a_new_desk_goes_from_init_to_a_first_dispute_on_a_page_and_a_pdf(repository: Path):
    """The issue's path: init in a subdirectory, parties, a web page and a PDF statement,
    a first dispute quoting both, and CI's and pre-commit's checks passing on it."""
    from tests.test_documents import PAGE, make_pdf, needs_documents_extra

    needs_documents_extra()
    assert run("init", "factchecks", "--ci", "github", "--pre-commit", cwd=repository)
    workspace = repository / "factchecks"
    parties = workspace / "seeds" / "parties.yaml"
    parties.write_text(  # the desk declares its sides by hand, as the comment shows
        parties.read_text().replace(
            "sides: {}", "sides:\n  north: The northern government\n  south: The southern one"
        )
    )
    steps = [
        ("add-party", "daily-news", "--name", "Daily News", "--side", "north", "--kind", "media"),
        ("add-party", "ministry", "--name", "Defence ministry", "--side", "south"),
        ("add-party", "press-office", "--name", "Military press office", "--side", "north"),
    ]
    downloads = repository.parent / "downloads"
    downloads.mkdir()
    (downloads / "ministry.html").write_text(PAGE, encoding="utf-8")
    make_pdf(downloads / "statement.pdf", {"/Title": "Statement on the attack"})
    steps += [
        ("add-source", str(downloads / "ministry.html"), "--id", "page", "--party", "daily-news"),
        ("add-source", str(downloads / "statement.pdf"), "--id", "pdf", "--party", "press-office"),
        ("new", "attack-planning", "--party", "press-office", "--counter-party", "ministry"),
    ]
    for step in steps:
        result = run(*step, cwd=workspace)
        assert result.returncode == 0, (step, result.stdout, result.stderr)
    claim = workspace / "claims" / "attack-planning.yaml"
    claim.write_text(
        """\
title: Was the attack planned in the neighbouring country?
claim:
  party: press-office
  statement: The attack was planned in the neighbouring country.
  asserted_in:
    - source: pdf
      quote: the attack was planned in the neighbouring country
  corroboration: uncorroborated
counter_claims:
  - party: ministry
    statement: The claim is false.
    asserted_in:
      - source: page
        quote: termed the claims "irresponsible and far from the reality"
    corroboration: uncorroborated
"""
    )
    validated = run(
        "validate", "--strict", "--format", "github", "--root", "factchecks", cwd=repository
    )
    assert validated.returncode == 0, validated.stdout
    config = YAML(typ="safe").load((repository / ".pre-commit-config.yaml").read_text())
    staged = ["factchecks/claims/attack-planning.yaml", "factchecks/seeds/sources.yaml"]
    assert _run_hooks(repository, config, staged) == {
        "factcheck-validate": 0,
        "factcheck-fmt": 0,
    }
