"""FC101–FC106: fields of claim files and catalogues, each with a failing and a passing case."""

from __future__ import annotations

import pytest

from tests.conftest import VALID_CLAIM

CLAIM = "claims/c.yaml"


def only(desk, text: str) -> list[tuple[str, int, int]]:
    """Write ``claims/c.yaml`` and return the findings about it."""
    desk.claim("c", text)
    return [(code, line, col) for path, code, line, col in desk.findings() if path == CLAIM]


def test_valid_claim_has_no_findings(desk):
    assert only(desk, VALID_CLAIM) == []


def test_fc101_missing_required_field_points_at_the_mapping(desk):
    text = VALID_CLAIM.replace(
        "  statement: The attack was planned in the neighbouring country.\n", ""
    )
    assert only(desk, text) == [("FC101", 5, 3)]


def test_fc101_empty_asserted_in(desk):
    text = VALID_CLAIM.replace(
        "    asserted_in:\n      - source: security-report\n"
        '        quote: termed the claims "irresponsible and far from the reality"\n',
        "    asserted_in: []\n",
    )
    assert only(desk, text) == [("FC101", 23, 18)]


def test_fc101_evidence_without_origin(desk):
    text = VALID_CLAIM.replace("      speaker: envoy\n", "")
    desk.write(
        "seeds/sources.yaml",
        (desk.root / "seeds/sources.yaml").read_text().replace("party: envoy", "party: null"),
    )
    findings = only(desk, text)
    assert ("FC101", 13, 7) in findings


def test_fc102_unknown_field_suggests_the_nearest(desk):
    desk.claim(
        "c",
        VALID_CLAIM.replace(
            "  verdict: unproven\n  rationale: One", "  verdit: unproven\n  rationale: One"
        ),
    )
    result = desk.run("validate")
    assert result.exit_code == 1
    assert (
        "claims/c.yaml:18:3: error FC102 unknown field 'verdit' in a position (did you mean 'verdict'?)"
        in result.output
    )


def test_fc103_list_where_text_expected(desk):
    text = VALID_CLAIM.replace(
        "  statement: The attack was planned in the neighbouring country.",
        "  statement: [The attack, was planned]",
    )
    assert only(desk, text) == [("FC103", 6, 14)]


def test_fc103_text_where_list_expected(desk):
    text = VALID_CLAIM.replace("tags: [attack]", "tags: attack")
    assert only(desk, text) == [("FC103", 3, 7)]


def test_fc104_value_not_allowed_lists_the_choices(desk):
    desk.claim(
        "c",
        VALID_CLAIM.replace(
            "  verdict: unproven\n  rationale: One", "  verdict: suported\n  rationale: One"
        ),
    )
    result = desk.run("validate")
    assert (
        "claims/c.yaml:18:12: error FC104 'suported' is not an allowed verdict (did you mean 'supported'?)"
        in result.output
    )
    assert "'misleading' or 'refuted'" in result.output


def test_fc104_stance_and_bad_sha256(desk):
    text = VALID_CLAIM.replace("stance: supports", "stance: agrees")
    assert only(desk, text) == [("FC104", 15, 15)]
    sources = (desk.root / "seeds/sources.yaml").read_text()
    digest = sources.split("sha256: ")[1].split("\n")[0]
    desk.write("seeds/sources.yaml", sources.replace(digest, "not-a-digest", 1))
    assert ("seeds/sources.yaml", "FC104", 4, 13) in desk.findings()


def test_fc105_invalid_date(desk):
    assert only(desk, VALID_CLAIM.replace("date: 2024-03-26", "date: 2024-02-30")) == [
        ("FC105", 2, 7)
    ]
    assert only(desk, VALID_CLAIM.replace("date: 2024-03-26", "date: 26/03/2024")) == [
        ("FC105", 2, 7)
    ]
    assert only(desk, VALID_CLAIM.replace("date: 2024-03-26", "date: '2024-03-26'")) == []


def test_fc106_invalid_identifier_suggests_kebab_case(desk):
    desk.claim("c", VALID_CLAIM.replace("party: press-office", "party: Press_Office"))
    result = desk.run("validate")
    assert "claims/c.yaml:5:10: error FC106 'Press_Office' is not a valid party" in result.output
    assert "e.g. 'press-office'" in result.output


def test_fc106_invalid_file_name(desk):
    desk.write("claims/Bad Name.yaml", VALID_CLAIM)
    desk.write("claims/short.yml", VALID_CLAIM)
    findings = desk.findings()
    assert ("claims/Bad Name.yaml", "FC106", 1, 1) in findings
    assert ("claims/short.yml", "FC106", 1, 1) in findings


def test_catalogue_fields_are_checked(desk):
    parties = (desk.root / "seeds/parties.yaml").read_text()
    desk.write("seeds/parties.yaml", parties.replace("kind: person\n", "kind: human\n", 1))
    assert ("seeds/parties.yaml", "FC104", 16, 11) in desk.findings()


def test_catalogue_missing_name_points_at_the_party(desk):
    parties = (desk.root / "seeds/parties.yaml").read_text()
    desk.write("seeds/parties.yaml", parties.replace("    name: An independent researcher\n", ""))
    assert ("seeds/parties.yaml", "FC101", 13, 3) in desk.findings()


def test_null_optional_source_fields_are_allowed(desk):
    sources = (desk.root / "seeds/sources.yaml").read_text()
    desk.write(
        "seeds/sources.yaml",
        sources.replace(
            "    party: daily-news\n",
            "    party: daily-news\n    author: null\n    published: null\n",
        ),
    )
    assert desk.findings() == []


@pytest.mark.parametrize(
    ("file", "text", "where"),
    [
        ("seeds/parties.yaml", "sides: {}\nparties: [press-office, envoy]\n", (2, 10)),
        ("seeds/sources.yaml", "sources: every document we have\n", (1, 10)),
    ],
)
def test_a_catalogue_section_that_is_not_a_mapping_is_one_finding(desk, file, text, where):
    desk.write(file, text)
    found = [item for item in desk.findings() if item[0] == file]
    assert found == [(file, "FC103", *where)]
