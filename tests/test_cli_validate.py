"""`factcheck validate` end to end: exit codes, output formats, PATHs, root and settings."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import main
from tests.conftest import PARTIES_YAML, VALID_CLAIM, WARNING_ONLY_CLAIM, Desk

BROKEN = VALID_CLAIM.replace("party: press-office", "party: nobody")


def test_exit_0_on_a_clean_workspace(desk):
    result = desk.run("validate")
    assert result.exit_code == 0
    assert result.output == "no problems found in 3 files\n"


def test_exit_1_on_errors_with_summary(desk):
    desk.claim("broken", BROKEN)
    result = desk.run("validate")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == "1 error in 1 of 4 files"


def test_exit_zero_and_strict(desk):
    desk.claim("broken", BROKEN)
    assert desk.run("validate", "--exit-zero").exit_code == 0
    desk.claim(
        "broken",
        WARNING_ONLY_CLAIM,
    )
    assert desk.run("validate").exit_code == 0
    assert desk.run("validate", "--strict").exit_code == 1


def test_findings_are_sorted_by_path_line_column(desk):
    desk.claim("b-file", BROKEN.replace("date: 2024-03-26", "date: soon"))
    desk.claim("a-file", BROKEN)
    findings = desk.findings()
    assert findings == sorted(findings)
    assert [path for path, *_ in findings] == [
        "claims/a-file.yaml",
        "claims/b-file.yaml",
        "claims/b-file.yaml",
    ]


def test_paths_limit_the_report(desk):
    desk.claim("a-file", BROKEN)
    desk.claim("b-file", BROKEN)
    result = desk.run("validate", str(desk.root / "claims/b-file.yaml"))
    assert "claims/a-file.yaml" not in result.output
    assert result.output.splitlines()[-1] == "1 error in 1 of 1 file"
    missing = desk.run("validate", str(desk.root / "claims/nope.yaml"))
    assert missing.exit_code == 2
    assert "claims/nope.yaml: no such file or directory" in missing.output


def test_json_format(desk):
    desk.claim("broken", BROKEN)
    result = desk.run("validate", "--format", "json")
    payload = json.loads(result.stdout)
    assert payload["findings"] == [
        {
            "path": "claims/broken.yaml",
            "line": 5,
            "column": 10,
            "code": "FC201",
            "severity": "error",
            "message": "unknown party 'nobody'; use a party id from seeds/parties.yaml or add the party there",
        }
    ]
    assert payload["summary"]["errors"] == 1 and payload["summary"]["files_checked"] == 4


def test_github_format_escapes_everything_from_files(desk):
    desk.claim(
        "broken",
        BROKEN.replace("party: nobody", "party: nobody").replace(
            "  statement: The attack was planned in the neighbouring country.",
            '  statement: "x"\n  verdit: "50%\\n::error::pwned,a:b\\r\\n::add-mask::x"',
        ),
    )
    result = desk.run("validate", "--format", "github")
    lines = result.stdout.splitlines()
    assert all(line.startswith(("::error ", "::warning ")) for line in lines[:-1])
    assert lines[0].startswith("::error file=claims/broken.yaml,line=5,col=10,title=FC201::")
    assert not any(
        line.startswith("::error::") or line.startswith("::add-mask::") for line in lines
    )


def test_github_escaping_rules():
    from factcheck.reporters.findings import escape_data, escape_property

    assert escape_data("50%\r\n::x") == "50%25%0D%0A::x"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def test_no_workspace_is_exit_2_and_says_what_was_looked_for(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 2
    assert (
        "looked for a directory holding 'factcheck.yaml', or both 'claims/' and 'seeds/'"
        in result.output
    )


def test_root_is_found_from_a_subdirectory(desk, monkeypatch):
    monkeypatch.chdir(desk.root / "claims")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 0, result.output


def test_factcheck_yaml_marks_the_root(tmp_path, monkeypatch):
    (tmp_path / "factcheck.yaml").write_text("min_independent_origins: 2\n")
    (tmp_path / "deep").mkdir()
    monkeypatch.chdir(tmp_path / "deep")
    result = CliRunner().invoke(main, ["validate"])
    assert result.exit_code == 1  # the catalogues are missing: findings, not a crash
    assert "seeds/sources.yaml:1:1: error FC204 seeds/sources.yaml is missing" in result.output


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            "min_independent_origin: 2\n",
            "factcheck.yaml:1:1: unknown setting 'min_independent_origin' (did you mean 'min_independent_origins'?)",
        ),
        (
            "min_independent_origins: two\n",
            "factcheck.yaml:1:26: min_independent_origins must be a whole number",
        ),
        ("min_independent_origins: 0x10\n", "factcheck.yaml:1:26: min_independent_origins must"),
        ("min_independent_origins: 0o7\n", "factcheck.yaml:1:26: min_independent_origins must"),
        ("min_independent_origins: 0\n", "factcheck.yaml:1:26: min_independent_origins must"),
        ("min_independent_origins: '2'\n", "factcheck.yaml:1:26: min_independent_origins must"),
        (
            "min_independent_origins: " + "9" * 5000 + "\n",
            "factcheck.yaml:1:26: min_independent_origins must",
        ),
        ("ignore: [FC999]\n", "factcheck.yaml:1:10: ignore: 'FC999' is not a finding code"),
        (
            "severity: {FC206: fatal}\n",
            "factcheck.yaml:1:19: severity of FC206 must be 'error' or 'warning'",
        ),
        ("ignore: [FC207\n", "factcheck.yaml:2:1: not valid YAML"),
    ],
)
def test_bad_settings_are_exit_2_naming_the_key(desk, settings, message):
    desk.write("factcheck.yaml", settings)
    result = desk.run("validate")
    assert result.exit_code == 2
    assert message in result.output


def test_color_never_and_always(desk):
    desk.claim("broken", BROKEN)
    plain = desk.run("--color", "never", "validate")
    assert "\x1b[" not in plain.output
    coloured = desk.run("--color", "always", "validate", env={"NO_COLOR": "1"})
    assert "\x1b[" in coloured.output
    auto = desk.run("validate", env={"NO_COLOR": "1"})
    assert "\x1b[" not in auto.output


def test_no_color_on_a_terminal_means_no_escapes_at_all(desk):
    desk.claim("broken", BROKEN)
    terminal = {"FORCE_COLOR": "1", "TERM": "xterm"}  # rich then writes as to a terminal
    assert "\x1b[1m" in desk.run("validate", env=terminal).output  # bold paths
    result = desk.run("validate", env={**terminal, "NO_COLOR": "1"})
    assert "FC" in result.output
    assert "\x1b[" not in result.output  # neither colour nor bold nor dim


def test_text_from_files_is_inert_in_text_output(desk):
    desk.claim("broken", BROKEN.replace("party: nobody", 'party: "[red]x\\e[31m\\a"'))
    result = desk.run("--color", "always", "validate")
    line = next(line for line in result.output.splitlines() if "FC106" in line)
    assert "[red]x" in line and "\x07" not in line and "\x1b[31m" not in line


def test_version_and_module_entry_point():
    assert CliRunner().invoke(main, ["--version"]).output.startswith("factcheck, version ")
    completed = subprocess.run(
        [sys.executable, "-m", "factcheck", "--help"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0 and "validate" in completed.stdout


def test_every_command_has_help_and_is_in_the_readme():
    text = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert command.help, f"{name} has no help text"
        assert f"factcheck {name}" in text, f"{name} is not documented in the README"


def test_internal_errors_exit_2_without_traceback(desk, monkeypatch):
    import factcheck.cli

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(factcheck.cli, "run_validation", explode)
    result = desk.run("validate")
    assert result.exit_code == 2
    assert "internal error: RuntimeError: boom" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["validate"], ["report"], ["report", "--format", "json"]])
def test_a_reader_that_stops_early_does_not_change_the_exit_code(desk, command):
    # `factcheck validate | head -0` on a clean workspace: the pipe is closed before the
    # tool writes, and the exit code is still validate's own
    process = subprocess.Popen(
        [sys.executable, "-m", "factcheck", "--root", str(desk.root), *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None
    process.stdout.close()
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert b"Traceback" not in errors and b"BrokenPipe" not in errors


def test_root_and_color_are_accepted_after_the_command_and_from_the_environment(desk):
    desk.claim("broken", BROKEN)
    runner = CliRunner()
    after = runner.invoke(main, ["validate", "--root", str(desk.root), "--color", "always"])
    assert after.exit_code == 1
    assert "claims/broken.yaml" in after.output and "\x1b[" in after.output
    from_environment = runner.invoke(main, ["validate"], env={"FACTCHECK_ROOT": str(desk.root)})
    assert from_environment.exit_code == 1
    assert "claims/broken.yaml" in from_environment.output


def test_github_and_markdown_paths_start_at_the_repository_root(tmp_path):
    repository = tmp_path / "repo"
    desk = Desk(repository / "factchecks")
    desk.write("seeds/parties.yaml", PARTIES_YAML)
    desk.write("seeds/sources.yaml", "sources: {}\n")
    desk.claim("attack-planning", VALID_CLAIM)
    git = ["git", "-C", str(repository), "-c", "user.email=d@example.org", "-c", "user.name=D"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "desk"], check=True)
    github = desk.run("validate", "--format", "github").output
    assert "::error file=factchecks/claims/attack-planning.yaml,line=" in github
    report = desk.run("report", "--format", "markdown").stdout
    assert "factchecks/claims/attack-planning.yaml" in report
    desk.claim("attack-planning", VALID_CLAIM.replace("Was the attack", "Was the strike"))
    diff = desk.run("diff", "--format", "markdown").stdout
    assert "(factchecks/claims/attack-planning.yaml)" in diff
    assert "(claims/attack-planning.yaml)" not in diff
    text = desk.run("validate").output  # the other formats keep the workspace's own paths
    assert text.startswith("claims/attack-planning.yaml:")


def test_every_command_selects_paths_the_same_way(desk, monkeypatch):
    """One path selection: '.' is the whole workspace for validate, report and fmt alike;
    a path that does not exist, or is no workspace file, is a usage error naming it."""
    monkeypatch.chdir(desk.root)
    for command in (["validate"], ["report", "--format", "json"], ["fmt", "--check"]):
        assert desk.run(*command, ".").exit_code == 0, command
        assert desk.run(*command, "claims").exit_code == 0, command
        missing = desk.run(*command, "claims/nothing.yaml")
        assert missing.exit_code == 2
        assert "claims/nothing.yaml: no such file or directory" in missing.stderr
    (desk.root / "notes.txt").write_text("not a claim\n", encoding="utf-8")
    stray = desk.run("validate", "notes.txt")
    assert stray.exit_code == 2
    assert "notes.txt: not a claim file or catalogue of the workspace" in stray.stderr
