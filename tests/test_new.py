"""factcheck new: a commented template that validates once its placeholders are filled."""

from __future__ import annotations

import re

import pytest


def _fill(text: str) -> str:
    """Fill every TODO placeholder of the template as a fact-checker would."""
    replacements = {
        "title": "Was the attack planned across the border?",
        "statement": "The attack was planned in the neighbouring country.",
        "source": "security-report",
        "quote": "the planning for the attack was done in the",
    }
    for name, value in replacements.items():
        text = re.sub(rf"^(\s*(?:- )?{name}:)   # TODO.*$", rf"\1 {value}", text, flags=re.M)
    return text


def test_new_writes_a_template_whose_placeholders_validate_reports(desk):
    result = desk.run("new", "border-dispute", "--party", "press-office")
    assert result.exit_code == 0, result.output
    assert "created claims/border-dispute.yaml" in result.output
    findings = desk.findings(str(desk.root / "claims/border-dispute.yaml"))
    assert [(code, line) for _, code, line, _ in findings] == [
        ("FC101", 6),  # title
        ("FC101", 12),  # statement
        ("FC101", 15),  # source
        ("FC101", 16),  # quote
    ]


def test_the_filled_template_validates(desk):
    desk.run("new", "border-dispute", "--party", "press-office", "--counter-party", "envoy")
    path = desk.root / "claims" / "border-dispute.yaml"
    path.write_text(_fill(path.read_text(encoding="utf-8")), encoding="utf-8")
    assert desk.findings(str(desk.root / "claims/border-dispute.yaml")) == []


def test_the_template_is_already_in_the_canonical_layout(desk):
    desk.run("new", "border-dispute", "--party", "press-office", "--counter-party", "envoy")
    result = desk.run("fmt", "--check", str(desk.root / "claims/border-dispute.yaml"))
    assert result.exit_code == 0, result.output


def test_title_and_counter_parties_are_written_in(desk):
    result = desk.run(
        "new",
        "border-dispute",
        "--party",
        "press-office",
        "--counter-party",
        "defence-ministry",
        "--counter-party",
        "envoy",
        "--title",
        "Was it planned: across the border?",
    )
    assert result.exit_code == 0, result.output
    text = (desk.root / "claims" / "border-dispute.yaml").read_text(encoding="utf-8")
    assert "title: 'Was it planned: across the border?'" in text
    assert "  - party: defence-ministry   # Defence ministry of the south" in text
    assert "  - party: envoy   # A former envoy" in text
    assert "counter_claims: []" not in text


def test_new_refuses_an_existing_dispute_and_leaves_it_alone(desk):
    before = (desk.root / "claims" / "attack-planning.yaml").read_text(encoding="utf-8")
    result = desk.run("new", "attack-planning", "--party", "press-office")
    assert result.exit_code == 2
    assert "claims/attack-planning.yaml already exists" in result.output
    assert (desk.root / "claims" / "attack-planning.yaml").read_text(encoding="utf-8") == before


@pytest.mark.parametrize("dispute", ["Border_Dispute", "border--dispute", "x-", "a/b"])
def test_new_refuses_an_invalid_id(desk, dispute):
    result = desk.run("new", dispute, "--party", "press-office")
    assert result.exit_code == 2
    assert "is not a valid dispute id" in result.output
    assert sorted(p.name for p in (desk.root / "claims").iterdir()) == ["attack-planning.yaml"]


def test_new_refuses_an_unknown_party_naming_the_nearest(desk):
    result = desk.run("new", "border-dispute", "--party", "press-ofice")
    assert result.exit_code == 2
    assert "unknown party 'press-ofice' (did you mean 'press-office'?)" in result.output
    result = desk.run("new", "border-dispute", "--party", "envoy", "--counter-party", "reseacher")
    assert result.exit_code == 2
    assert "did you mean 'researcher'" in result.output
    assert not (desk.root / "claims" / "border-dispute.yaml").exists()


def test_new_refuses_the_same_party_on_both_sides(desk):
    result = desk.run("new", "x", "--party", "envoy", "--counter-party", "envoy")
    assert result.exit_code == 2
    assert "both the party and a counter-party" in result.output
