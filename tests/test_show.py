"""`factcheck show DISPUTE`: every passage with where it was found, and the evidence matrix.

Golden files as in ``test_report.py`` (same fixture workspace, same update switch)::

    FACTCHECK_UPDATE_GOLDEN=1 python3 -m pytest tests/test_report.py tests/test_show.py
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck import open_workspace, validate
from factcheck.cli import main
from factcheck.views.report import show_dispute
from tests.conftest import VALID_CLAIM
from tests.test_report import (
    CASE,
    HOSTILE,
    LONG_RATIONALE,
    assert_golden,
    assert_no_workflow_command,
    column_text,
    run_case,
)


@pytest.mark.parametrize("dispute", ["bridge-strike", "ceasefire-talks"])
def test_show_matches_its_golden_file(dispute):
    result = run_case("--color", "never", "show", dispute)
    assert result.exit_code == 0, result.output
    assert_golden(f"show-{dispute}.txt", result.stdout)


def matrix_rows(output: str) -> list[list[str]]:
    """The matrix's cell lines: label and cells, for each line that starts a row."""
    matrix = output[output.index("Evidence by position") :]
    rows = []
    for line in matrix.splitlines():
        cells = [cell.strip() for cell in line.split("│")[1:-1]]
        if cells and cells[0][:1] == "E" and cells[0][1:].isdigit():
            rows.append(cells)
    return rows


def test_matrix_has_a_row_per_evidence_passage_and_a_column_per_position():
    output = run_case("show", "ceasefire-talks").stdout
    assert matrix_rows(output) == [
        ["E1", "supports *", "none", "context"],
        ["E2", "refutes", "none", "none"],
        ["E3", "none", "supports", "none"],
    ]


def test_evidence_cited_by_two_positions_is_one_row():
    output = run_case("show", "bridge-strike").stdout
    assert matrix_rows(output) == [
        ["E1", "supports *", "refutes *"],
        ["E2", "supports *", "refutes *"],
        ["E3", "context", "none"],
    ]


def test_every_passage_shows_where_it_is_who_it_comes_from_and_why_it_counts_or_not():
    output = column_text(run_case("show", "ceasefire-talks").stdout, 3)
    assert "east-radio-news, seeds/radio.txt, line 3, column 1" in output
    assert (
        "bulletin, seeds/bulletin.txt, line 9, column 1 origin West Daily (west-daily, side "
        "west): does not count: same camp as west-officials"
    ) in output
    assert (
        "origin Unnamed western officials (west-officials, side west), relayed by East Radio "
        "(east-radio, side east): does not count: unnamed source"
    ) in output
    assert "origin Monitoring Group (monitor-group, no side): counts" in output
    assert "the position's party" in output


def test_a_dispute_can_be_named_by_its_file():
    result = run_case("show", "claims/fuel-convoy.yaml")
    assert result.exit_code == 0
    assert "Counter-claim: no counter-claim on record." in result.stdout
    assert "No evidence passage on record for any position." in result.stdout


def test_unknown_dispute_exits_2_and_names_the_nearest():
    result = run_case("show", "bridge-strik")
    assert result.exit_code == 2
    assert "unknown dispute 'bridge-strik'; did you mean 'bridge-strike' or" in result.stderr
    far = run_case("show", "zzz")
    assert far.exit_code == 2
    assert "known: bridge-strike, broken-entry, ceasefire-talks, fuel-convoy" in far.stderr


def test_a_dispute_with_errors_is_shown_with_its_findings_and_exit_1():
    result = run_case("show", "broken-entry")
    assert result.exit_code == 1
    assert "claims/broken-entry.yaml:3:10: error FC201" in result.stderr
    assert "claims/broken-entry.yaml has 1 error" in result.stdout
    assert "The army shelled the border town." in result.stdout


def test_an_unreadable_dispute_says_so(desk):
    desk.claim("garbled", "title: [unclosed\n")
    result = desk.run("show", "garbled")
    assert result.exit_code == 1
    assert "FC001" in result.stderr
    assert "claims/garbled.yaml cannot be read as a dispute" in result.stderr


def test_the_library_gives_the_same_view():
    shown = show_dispute(validate(open_workspace(CASE)), "ceasefire-talks")
    assert shown.result.exit_code() == 0
    assert [position.party for position in shown.dispute.positions] == [
        "east-ministry",
        "west-officials",
        "monitor-group",
    ]
    assert shown.dispute.positions[2].verdict_or_pending == "pending"


def test_show_prints_file_text_literally(desk):
    desk.write(
        "claims/attack-planning.yaml",
        VALID_CLAIM.replace(
            "statement: The attack was planned in the neighbouring country.",
            "statement: "
            + '"'
            + HOSTILE.replace("\x1b", "\\e").replace("\x07", "\\a").replace("\n", "\\n")
            + '"',
        ),
    )
    output = desk.run("--color", "always", "show", "attack-planning").stdout
    assert "[bold red]x[/]" in output and ":smile:" in output and "<script>" in output
    assert "\x07" not in output and "\x1b]" not in output and "\x1b[31mred" not in output
    assert_no_workflow_command(output)


def test_show_wraps_at_80_columns_without_cutting(desk):
    desk.claim(
        "attack-planning",
        VALID_CLAIM.replace(
            "rationale: Only the ministry's denial is on file.", f"rationale: {LONG_RATIONALE}"
        ),
    )
    output = desk.run("show", "attack-planning", env={"COLUMNS": "80"}).stdout
    lines = output.splitlines()
    assert max(len(line) for line in lines) == 80
    assert not [line for line in lines if line != line.rstrip()]
    assert " ".join(LONG_RATIONALE.split()) in column_text(output, 2)


def test_a_file_name_is_data_too(desk):
    desk.claim("[red]odd name", VALID_CLAIM)
    result = desk.run("--color", "always", "show", "[red]odd name")
    assert result.exit_code == 1  # FC106: not a valid dispute id
    assert "[red]odd name" in result.stdout


def test_a_quote_that_opens_with_its_own_quotation_mark_is_not_wrapped_again():
    """The bundled Bisham dispute quotes “Terrorists ...”: one opening mark, not two."""
    root = Path(__file__).resolve().parents[1]
    result = CliRunner().invoke(
        main,
        ["--root", str(root), "show", "bisham-attack-planning", "--no-cache"],
        env={"COLUMNS": "120"},
    )
    assert result.exit_code == 0
    assert "│ “Terrorists and their facilitators" in result.stdout
    assert "““" not in result.stdout
    assert "│ “The Pakistani Army’s Inter Services Public Relations said" in result.stdout
