"""`factcheck report` end to end: golden files per format, filters, exit codes, safety, width.

The golden files in ``tests/golden/`` are the exact output of ``factcheck report`` on the
small workspace in ``tests/cases/report/`` (three valid disputes and one invalid file),
rendered at 80 columns without colour. When a test fails it shows a unified diff. When a
change to the output is intended, regenerate them and review the diff in git::

    FACTCHECK_UPDATE_GOLDEN=1 python3 -m pytest tests/test_report.py tests/test_show.py
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from factcheck import open_workspace, validate
from factcheck.cli import main
from factcheck.reporters.report_markdown import render
from factcheck.views.report import build_report
from tests.conftest import VALID_CLAIM, WARNING_ONLY_CLAIM

CASE = Path(__file__).parent / "cases" / "report"
GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("FACTCHECK_UPDATE_GOLDEN") == "1"
# A terminal of 80 columns, and nothing in the environment that would turn colour on.
ENV = {
    "COLUMNS": "80",
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "TERM": "xterm",
    # the fixture is read as a workspace of its own, not as a subdirectory of this
    # repository (whose Markdown would name files from the repository's root)
    "GIT_CEILING_DIRECTORIES": str(CASE.parent),
}

CASE_DISPUTES = ["bridge-strike", "ceasefire-talks", "fuel-convoy"]


def assert_golden(name: str, actual: str) -> None:
    """Compare with ``tests/golden/<name>``; rewrite it instead under FACTCHECK_UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="")
        return
    if not path.exists():
        pytest.fail(f"{path.name} is missing; create it with FACTCHECK_UPDATE_GOLDEN=1")
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                f"tests/golden/{name}",
                "actual output",
            )
        )
        pytest.fail(
            f"output differs from tests/golden/{name}:\n{diff}\n"
            "If the change is intended, run FACTCHECK_UPDATE_GOLDEN=1 python3 -m pytest "
            "tests/test_report.py tests/test_show.py and review the diff.",
            pytrace=False,
        )


def run_case(*args: str, env: dict[str, str | None] | None = None) -> Result:
    """Run the CLI on the fixture workspace at 80 columns."""
    return CliRunner().invoke(main, ["--root", str(CASE), *args], env={**ENV, **(env or {})})


def reported_ids(result: Result) -> list[str]:
    return [dispute["id"] for dispute in json.loads(result.stdout)["disputes"]]


# Golden files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("output_format", "golden"),
    [("table", "report.txt"), ("markdown", "report.md"), ("json", "report.json")],
)
def test_each_format_matches_its_golden_file(output_format, golden):
    result = run_case("--color", "never", "report", "--format", output_format)
    assert result.exit_code == 1, result.output  # the fixture has one invalid file
    assert_golden(golden, result.stdout)
    if output_format == "table":
        lines = result.stdout.splitlines()
        assert max(len(line) for line in lines) <= 80
        assert all(line == line.rstrip() for line in lines)


# What a reader sees ----------------------------------------------------------------------


def test_table_shows_both_sides_and_verdicts_side_by_side():
    lines = run_case("report", "--details").stdout.splitlines()
    header = next(line for line in lines if "Claim" in line and "Counter-claim" in line)
    assert header.index("Claim") < header.index("Counter-claim")
    verdicts = next(line for line in lines if line.startswith("│ Verdict "))
    assert verdicts.index("supported") < verdicts.index("refuted")
    claims = column_text("\n".join(lines), 2)
    assert "bulletin, line 3" in claims and "2 supporting / 0 refuting / 1 context" in claims


def test_a_dispute_without_counter_claim_says_so_plainly():
    result = run_case("report", "--tag", "supplies")
    assert "no counter-claim on record" in result.stdout


def test_the_report_starts_with_the_broken_files_and_their_findings_then_the_table():
    result = run_case("report")
    assert result.exit_code == 1
    output = result.stdout
    assert output.index("Invalid files") < output.index("Verdicts") < output.index("Totals")
    invalid = output[output.index("Invalid files") : output.index("Verdicts")]
    assert "1 file with 1 error fails the build" in invalid
    assert "│ claims/broken-entry.yaml" in invalid
    assert "│ 3:10 error FC201 unknown party" in invalid
    table = output[output.index("Verdicts") : output.index("Totals")]
    assert "broken-entry" not in table
    assert all(f"│ {dispute} " in table for dispute in CASE_DISPUTES)


def test_the_verdict_table_has_one_row_per_dispute_and_no_cards_by_default():
    output = run_case("report").stdout
    table = output[output.index("Verdicts") : output.index("Totals")]
    row = next(line for line in table.splitlines() if "│ bridge-strike " in line)
    assert row.split("│")[2:4] == [" east-ministry        ", " west-army            "]
    assert "Where asserted" not in output and "Details" not in output
    assert "Where asserted" in run_case("report", "--details").stdout
    assert "Where asserted" in run_case("report", "--tag", "bridge").stdout


def test_findings_go_to_stderr_and_the_report_to_stdout():
    result = run_case("report", "--format", "markdown")
    assert "claims/broken-entry.yaml:3:10: error FC201" in result.stderr
    assert result.stdout.startswith("# Fact-check report\n")
    sections = [line for line in result.stdout.splitlines() if line.startswith("## ")]
    assert sections == ["## Invalid files", "## Verdicts", "## Totals"]
    assert "error FC201 unknown party 'west-armee'" in result.stdout


def test_exit_code_is_validates(desk):
    assert desk.run("report").exit_code == 0
    desk.claim(
        "short-quote",
        WARNING_ONLY_CLAIM,
    )
    assert desk.run("report").exit_code == 0
    assert desk.run("report", "--strict").exit_code == 1


def test_paths_limit_the_report_and_the_exit_code():
    result = run_case("report", "--format", "json", str(CASE / "claims" / "fuel-convoy.yaml"))
    assert result.exit_code == 0, result.output
    assert reported_ids(result) == ["fuel-convoy"]
    assert json.loads(result.stdout)["invalid"] == []


def test_output_writes_the_report_to_a_file(tmp_path):
    target = tmp_path / "summary.md"
    result = run_case("report", "--format", "markdown", "--output", str(target))
    assert result.exit_code == 1
    assert "Fact-check report" not in result.stdout
    assert target.read_text(encoding="utf-8").startswith("# Fact-check report\n")


def test_output_to_an_impossible_place_is_a_usage_error(tmp_path):
    result = run_case("report", "--output", str(tmp_path / "missing" / "report.txt"))
    assert result.exit_code == 2
    assert "cannot write" in result.stderr


# Filters ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (["--party", "west-army"], ["bridge-strike"]),
        (["--side", "west"], ["bridge-strike", "ceasefire-talks"]),
        (["--verdict", "pending"], ["ceasefire-talks", "fuel-convoy"]),
        (["--tag", "border-town"], ["bridge-strike", "fuel-convoy"]),
        (["--tag", "border-town", "--tag", "ceasefire"], CASE_DISPUTES),
        (["--party", "east-ministry", "--verdict", "supported"], ["bridge-strike"]),
        (["--party", "east-ministry", "--verdict", "unproven"], []),
        (["--side", "west", "--tag", "ceasefire"], ["ceasefire-talks"]),
    ],
)
def test_filters_select_disputes_and_combine(filters, expected):
    result = run_case("report", "--format", "json", *filters)
    assert result.exit_code == 1  # still validate's: the invalid file is not filtered away
    assert reported_ids(result) == expected


def test_totals_count_the_reported_disputes_only():
    payload = json.loads(run_case("report", "--format", "json", "--side", "west").stdout)
    totals = payload["totals"]
    assert totals["disputes"] == 2 and totals["positions"] == 5
    assert totals["by_verdict"] == {
        "supported": 1,
        "partly-supported": 1,
        "unproven": 1,
        "refuted": 1,
        "pending": 1,
    }
    assert [(row["side"], row["positions"]) for row in totals["by_side"]] == [
        ("east", 2),
        ("west", 2),
        ("none", 1),
    ]


def test_no_match_says_so_and_keeps_validates_exit_code():
    result = run_case("report", "--tag", "ceasefire", "--verdict", "refuted")
    assert result.exit_code == 1
    assert "No dispute matches the filters --verdict refuted --tag ceasefire." in result.stdout
    markdown = run_case("report", "--format", "markdown", "--party", "aid-worker")
    assert "No dispute matches the filters --party aid-worker." in markdown.stdout


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--party", "west-armee", "did you mean 'west-army'?"),
        ("--side", "north", "known: east, west"),
        ("--verdict", "true", "supported, partly-supported, unproven"),
        ("--tag", "bridges", "did you mean 'bridge'?"),
    ],
)
def test_unknown_filter_value_is_a_usage_error_listing_the_known(option, value, expected):
    result = run_case("report", option, value)
    assert result.exit_code == 2
    assert f"unknown {option[2:]} '{value}'" in result.stderr
    assert expected in result.stderr
    assert result.stdout == ""


# JSON schema ----------------------------------------------------------------------------


def test_json_has_the_documented_top_level_keys_and_computed_facts():
    payload = json.loads(run_case("report", "--format", "json").stdout)
    assert payload["schema_version"] == 1
    assert set(payload) == {
        "schema_version",
        "min_independent_origins",
        "filters",
        "changed_since",
        "disputes",
        "invalid",
        "totals",
        "findings",
        "findings_summary",
    }
    bridge = payload["disputes"][0]
    claim, counter = bridge["positions"]
    assert (claim["role"], counter["role"]) == ("claim", "counter-claim")
    asserted = claim["asserted_in"][0]
    assert (asserted["file"], asserted["line"], asserted["column"]) == ("seeds/bulletin.txt", 3, 1)
    eyewitness = claim["evidence"][1]
    assert eyewitness["origin"] == {
        "id": "aid-worker",
        "name": "An aid worker at the river crossing",
        "side": "none",
    }
    assert eyewitness["counts"] is True and eyewitness["reason"] is None
    assert eyewitness["channel"]["id"] == "west-daily"
    assert claim["corroboration"] == {"recorded": "corroborated", "computed": "corroborated"}
    assert [item["id"] for item in claim["independent_origins"]["supporting"]] == [
        "monitor-group",
        "aid-worker",
    ]
    assert counter["verdict"] == "refuted"
    [invalid] = payload["invalid"]
    assert {key: invalid[key] for key in ("path", "errors", "warnings", "dispute", "title")} == {
        "path": "claims/broken-entry.yaml",
        "errors": 1,
        "warnings": 0,
        "dispute": "broken-entry",
        "title": "Did the western army shell the border town?",
    }
    assert [(item["line"], item["code"]) for item in invalid["findings"]] == [(3, "FC201")]
    assert [item["code"] for item in payload["findings"]] == ["FC201"]


def test_json_matrix_gives_one_row_to_evidence_cited_by_two_positions():
    payload = json.loads(run_case("report", "--format", "json", "--tag", "bridge").stdout)
    matrix = payload["disputes"][0]["matrix"]
    assert matrix[0]["cells"] == [
        {"stance": "supports", "counts": True, "reason": None},
        {"stance": "refutes", "counts": True, "reason": None},
    ]
    assert len(matrix) == 3


# Markdown size limit ------------------------------------------------------------------


def full_size(**options: object) -> int:
    return len(render(build_report(validate(open_workspace(CASE)), **options)).encode("utf-8"))


def test_markdown_leaves_out_cards_first_and_says_so():
    text = markdown_report_with(full_size(details=True) - 1, details=True)
    assert "## fuel-convoy" not in text
    assert "the details of 1 of 3 disputes (from fuel-convoy to fuel-convoy" in text
    assert "| **fuel-convoy** |" in text  # its row in the verdict table stays


def test_markdown_keeps_the_broken_files_when_rows_must_go():
    """At 5,000 disputes the step summary once dropped the invalid files to keep rows."""
    text = markdown_report_with(full_size() - 100)
    assert "claims/broken-entry.yaml" in text and "FC201" in text
    assert "| **bridge-strike** |" in text
    assert "| **fuel-convoy** |" not in text
    assert "rows of the verdict table (from" in text and "Run `factcheck report`" in text
    assert text.index("Note:") < text.index("## Invalid files") < text.index("## Verdicts")
    assert "## Totals" in text


def markdown_report_with(limit: int, **options: object) -> str:
    text = render(build_report(validate(open_workspace(CASE)), **options), limit)
    assert len(text.encode("utf-8")) <= limit
    return text


# Text from files is data ----------------------------------------------------------------

HOSTILE = (
    "Before [bold red]x[/] :smile: \x1b[31mred \x1b]8;;http://x\x07link\x1b]8;;\x07 bell\x07 | "
    "<script>alert(1)</script> [x](y) `tick`\n::error::boom\nafter"
)
HOSTILE_YAML = (
    '"Before [bold red]x[/] :smile: \\e[31mred \\e]8;;http://x\\alink\\e]8;;\\a bell\\a | '
    '<script>alert(1)</script> [x](y) `tick`\\n::error::boom\\nafter"'
)


@pytest.fixture
def hostile(desk):
    """The desk with every kind of injection in a title, statement, rationale and party name."""
    claim = (
        VALID_CLAIM.replace(
            "title: Was the attack planned across the border?",
            f"title: {HOSTILE_YAML}",
        )
        .replace(
            "statement: The attack was planned in the neighbouring country.",
            f"statement: {HOSTILE_YAML}",
        )
        .replace(
            "rationale: Only the ministry's denial is on file.",
            f"rationale: {HOSTILE_YAML}",
        )
    )
    desk.claim("attack-planning", claim)
    parties = (desk.root / "seeds" / "parties.yaml").read_text(encoding="utf-8")
    desk.write(
        "seeds/parties.yaml",
        parties.replace("name: Military press office of the north", f"name: {HOSTILE_YAML}"),
    )
    assert desk.run("validate").exit_code == 0
    return desk


def assert_no_workflow_command(text: str) -> None:
    assert not [line for line in text.splitlines() if line.lstrip().startswith("::")]


@pytest.mark.parametrize("color", ["never", "always"])
def test_table_prints_file_text_literally_and_strips_controls(hostile, color):
    output = hostile.run("--color", color, "report").stdout
    assert "[bold red]x[/]" in output and ":smile:" in output and "😄" not in output
    assert "[x](y)" in output and "<script>" in output and "`tick`" in output
    assert "\x07" not in output and "\x1b]" not in output and "\x1b[31mred" not in output
    if color == "never":
        assert "\x1b" not in output
    assert_no_workflow_command(output)


def test_markdown_escapes_file_text(hostile):
    output = hostile.run("report", "--format", "markdown", "--details").stdout
    assert "<script>" not in output and "&lt;script&gt;" in output
    assert "[x](y)" not in output and "\\[x\\](y)" in output
    assert "`tick`" not in output and "\\`tick\\`" in output
    assert ":smile:" not in output and "[bold red]" not in output
    assert "\x1b" not in output and "\x07" not in output
    assert_no_workflow_command(output)
    header, _rule, *rows = [
        line
        for line in output.split("## Details")[1].split("## Totals")[0].splitlines()
        if line.startswith("|")
    ]
    unescaped = re.compile(r"(?<!\\)\|")
    assert all(len(unescaped.findall(row)) == len(unescaped.findall(header)) for row in rows)


def test_json_keeps_file_text_as_data_with_controls_escaped(hostile):
    output = hostile.run("report", "--format", "json").stdout
    assert "\x1b" not in output and "\x07" not in output
    assert_no_workflow_command(output)
    claim = json.loads(output)["disputes"][0]["positions"][0]
    assert claim["statement"] == HOSTILE
    assert claim["party"]["name"] == HOSTILE


# Layout ---------------------------------------------------------------------------------

LONG_RATIONALE = (
    "The ministry's denial is on file, but nothing else is; no document independent of "
    "either government speaks to where the attack was planned, who the bomber was, how "
    "he crossed, or who helped him, and the desk will revisit this verdict when the "
    "inquiry publishes its findings or another archive yields an independent witness "
    "whose account can be checked against the record of the crossing points."
)


def column_text(output: str, column: int) -> str:
    """The text of one column of the tables, read down the rows, whitespace collapsed."""
    cells = [line.split("│")[column] for line in output.splitlines() if line.count("│") > column]
    return " ".join(" ".join(cells).split())


def test_80_columns_wrap_and_never_cut(desk):
    desk.claim(
        "attack-planning",
        VALID_CLAIM.replace(
            "rationale: Only the ministry's denial is on file.", f"rationale: {LONG_RATIONALE}"
        ),
    )
    output = desk.run("report", "--details", env={"COLUMNS": "80"}).stdout
    lines = output.splitlines()
    assert max(len(line) for line in lines) == 80
    assert " ".join(LONG_RATIONALE.split()) in column_text(output, 3)
    assert not [line for line in lines if line != line.rstrip()]


def test_columns_is_honoured(desk):
    lines = desk.run("report", env={"COLUMNS": "120"}).stdout.splitlines()
    assert max(len(line) for line in lines) == 120


def test_many_counter_claims_are_grouped_to_fit_80_columns(desk):
    counter = VALID_CLAIM[VALID_CLAIM.index("  - party: defence-ministry") :]
    desk.claim("attack-planning", VALID_CLAIM + counter + counter + counter)
    output = desk.run("report", "--details", env={"COLUMNS": "80"}).stdout
    assert max(len(line) for line in output.splitlines()) <= 80
    for heading in ("Counter-claim 1", "Counter-claim 2", "Counter-claim 3", "Counter-claim 4"):
        assert heading in output


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colour_codes(text: str) -> list[int]:
    codes = [int(code) for params in SGR.findall(text) for code in params.split(";") if code]
    return [code for code in codes if 30 <= code <= 49 or 90 <= code <= 107]


def test_colour_follows_color_and_no_color(desk):
    assert colour_codes(desk.run("--color", "always", "report").stdout)
    assert "\x1b" not in desk.run("report").stdout  # not a terminal: plain text
    forced = {"FORCE_COLOR": "1", "NO_COLOR": "1"}
    assert not colour_codes(desk.run("report", env=forced).stdout)
    assert colour_codes(desk.run("report", env={"FORCE_COLOR": "1", "NO_COLOR": None}).stdout)
