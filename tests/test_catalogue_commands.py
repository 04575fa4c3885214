"""factcheck sources / parties: the catalogue with how the claim files use each entry."""

from __future__ import annotations

import json


def _rows(output: str) -> dict[str, list[str]]:
    rows = {}
    for line in output.splitlines():
        cells = line.split()
        if cells and cells[0] not in ("Sources", "Parties", "source", "party"):
            rows[cells[0]] = cells[1:]
    return rows


def test_sources_counts_citations_and_names_the_disputes(desk):
    desk.claim(
        "second",
        """\
        title: A second dispute
        claim:
          party: envoy
          statement: The planning was done across the border.
          asserted_in:
            - source: analysis
              quote: the planning for the attack was done across the border
          corroboration: uncorroborated
        """,
    )
    result = desk.run("sources")
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert rows["security-report"][:3] == ["daily-news", "3", "used"]
    assert rows["security-report"][3] == "attack-planning"
    assert rows["analysis"][:4] == ["envoy", "2", "used", "attack-planning"]
    assert "second" in result.output
    assert "every source is used" in result.output


def test_an_unused_source_stands_out(desk):
    desk.write("seeds/spare.txt", "spare\n")
    with (desk.root / "seeds" / "sources.yaml").open("a", encoding="utf-8") as stream:
        stream.write("  spare:\n    file: spare.txt\n    sha256: " + "0" * 64 + "\n    title: S\n")
    result = desk.run("sources")
    assert _rows(result.output)["spare"] == ["0", "unused"]
    assert "1 unused source: cite it in a claim file or remove it" in result.output


def test_parties_count_positions_and_passages_and_mark_the_unused(desk):
    result = desk.run("parties")
    assert result.exit_code == 0, result.output
    rows = _rows(result.output)
    assert rows["press-office"][:5] == ["north", "military", "1", "1", "used"]
    assert rows["envoy"][:5] == ["none", "person", "0", "1", "used"]
    # daily-news speaks for security-report, whose passages carry someone else's words
    assert rows["daily-news"][:4] == ["north", "media", "0", "0"]


def test_parties_json_lists_every_party(desk):
    result = desk.run("parties", "--format", "json")
    payload = json.loads(result.output)
    by_id = {row["id"]: row for row in payload["parties"]}
    assert by_id["defence-ministry"]["positions"] == 1
    assert by_id["defence-ministry"]["disputes"] == ["attack-planning"]
    assert by_id["researcher"]["passages"] == 1
    assert all(row["used"] for row in payload["parties"])


def test_an_unused_party_is_marked_in_json_and_in_the_table(desk):
    with (desk.root / "seeds" / "parties.yaml").open("a", encoding="utf-8") as stream:
        stream.write("  bystander:\n    name: A bystander\n")
    payload = json.loads(desk.run("parties", "--format", "json").output)
    assert [row["id"] for row in payload["parties"] if not row["used"]] == ["bystander"]
    result = desk.run("parties")
    assert _rows(result.output)["bystander"] == ["0", "0", "unused"]


def test_sources_json_has_file_title_and_usage(desk):
    payload = json.loads(desk.run("sources", "--format", "json").output)
    report = payload["sources"][0]
    assert report["id"] == "security-report"
    assert report["file"] == "report.txt"
    assert report["citations"] == 3
    assert report["used"] is True


def test_titles_from_files_cannot_reach_the_terminal_as_markup_or_escapes(desk):
    with (desk.root / "seeds" / "parties.yaml").open("a", encoding="utf-8") as stream:
        stream.write('  odd:\n    name: "[bold]x[/bold] \\e[31m"\n    side: north\n')
    result = desk.run("parties", "--color", "always")
    assert "\x1b[31m" not in result.output


def test_a_broken_catalogue_is_a_usage_error(desk):
    (desk.root / "seeds" / "parties.yaml").write_text("parties: [\n", encoding="utf-8")
    result = desk.run("parties")
    assert result.exit_code == 2
    assert "seeds/parties.yaml:" in result.output


LONG_ID = "spokesperson-of-the-ministry-of-foreign-affairs"


def test_ids_are_never_cut_on_a_narrow_terminal(desk):
    parties = (desk.root / "seeds/parties.yaml").read_text()
    desk.write("seeds/parties.yaml", parties + f"  {LONG_ID}:\n    name: A spokesperson\n")
    terminal = {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "80", "TERM": "xterm"}
    result = desk.run("parties", env=terminal)
    assert result.exit_code == 0, result.output
    assert LONG_ID in result.output
    assert "…" not in result.output
    for row in ("press-office", "defence-ministry", "daily-news"):
        assert row in result.output


def test_piped_tables_have_no_trailing_spaces(desk):
    for command in ("parties", "sources"):
        output = desk.run(command).stdout
        assert "used" in output
        assert [line for line in output.splitlines() if line != line.rstrip()] == []


def test_plurals_are_spelt_right(desk):
    parties = (desk.root / "seeds/parties.yaml").read_text()
    desk.write(
        "seeds/parties.yaml", parties + "  bystander:\n    name: B\n  onlooker:\n    name: O\n"
    )
    assert "2 unused parties: cite them" in desk.run("parties").output
    refused = desk.run("new", "x", "--party", "qqqqqqqq")
    assert refused.exit_code == 2
    assert "unknown party 'qqqqqqqq' (7 parties listed in seeds/parties.yaml)" in refused.output
    assert "partys" not in refused.output
    desk.write("seeds/parties.yaml", "parties: {}\n")
    assert "no parties in the catalogue" in desk.run("parties").output
