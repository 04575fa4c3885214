"""FC301–FC305: corroboration and verdicts must be earned by independent evidence.

The rules of independence themselves, case by case, are in ``test_independence.py``.
"""

from __future__ import annotations

import pytest

from tests.conftest import VALID_CLAIM, WARNING_ONLY_CLAIM

PATH = "claims/attack-planning.yaml"

SECOND_SUPPORT = """\
    - source: analysis
      quote: the bomber had crossed the border a week before the attack
      stance: supports
      speaker: researcher
"""
"""A second outsider (the researcher), relayed by another outsider (the envoy's analysis)."""


def with_claim_evidence(extra: str, corroboration: str, verdict: str = "unproven") -> str:
    """The valid claim with more claim-side evidence and a new rating."""
    return VALID_CLAIM.replace(
        "      speaker: envoy\n  corroboration: single-source\n  verdict: unproven\n",
        f"      speaker: envoy\n{extra}  corroboration: {corroboration}\n  verdict: {verdict}\n",
    )


def run(desk, text: str) -> tuple[list[tuple[str, int, int]], str]:
    desk.claim("attack-planning", text)
    result = desk.run("validate")
    findings = [(code, line, col) for _, code, line, col in desk.findings()]
    return findings, result.output


def test_fc301_explains_what_the_evidence_shows(desk):
    text = VALID_CLAIM.replace("corroboration: single-source", "corroboration: corroborated")
    findings, output = run(desk, text)
    assert findings == [("FC301", 17, 18)]
    assert (
        "corroboration is recorded as 'corroborated' but the evidence shows 1 independent "
        "origin supporting (envoy); 'corroborated' needs 2" in output
    )


def test_two_independent_origins_corroborate_and_allow_supported(desk):
    findings, _ = run(desk, with_claim_evidence(SECOND_SUPPORT, "corroborated", "supported"))
    assert findings == []


def test_several_passages_from_one_origin_count_once(desk):
    same_origin = SECOND_SUPPORT.replace("speaker: researcher", "speaker: envoy")
    findings, _ = run(desk, with_claim_evidence(same_origin, "corroborated"))
    assert findings == [("FC301", 21, 18)]
    assert run(desk, with_claim_evidence(same_origin, "single-source"))[0] == []


def test_same_side_outlet_is_not_independent(desk):
    # daily-news is on the same side as press-office: its passage is not corroboration.
    same_side = SECOND_SUPPORT.replace("      speaker: researcher\n", "").replace(
        "source: analysis", "source: security-report"
    )
    findings, _ = run(desk, with_claim_evidence(same_side, "corroborated"))
    assert findings == [("FC301", 20, 18)]


def test_reported_speech_is_attributed_to_its_speaker(desk):
    # the researcher's words count when an outsider relays them...
    findings, _ = run(desk, with_claim_evidence(SECOND_SUPPORT, "corroborated", "supported"))
    assert findings == []
    # ...and not when the claimant's own camp does (daily-news is on the north side)
    relayed = SECOND_SUPPORT.replace("source: analysis", "source: security-report")
    findings, _ = run(desk, with_claim_evidence(relayed, "single-source"))
    assert findings == []


def test_refutation_by_an_independent_origin(desk):
    refutes = SECOND_SUPPORT.replace("stance: supports", "stance: refutes")
    assert run(desk, with_claim_evidence(refutes, "conflicting", "disputed"))[0] == []
    findings, output = run(desk, with_claim_evidence(refutes, "single-source"))
    assert findings == [("FC301", 21, 18)]
    assert (
        "1 independent origin supporting (envoy) and 1 independent origin refuting (researcher)"
        in output
    )


def test_admission_against_interest_counts(desk):
    # evidence from the other side supporting the counter-claim is independent of it
    text = VALID_CLAIM.replace(
        "        stance: context\n        speaker: researcher\n    corroboration: uncorroborated",
        "        stance: context\n        speaker: researcher\n"
        "      - source: security-report\n"
        '        quote: termed the claims "irresponsible and far from the reality"\n'
        "        stance: supports\n        speaker: press-office\n"
        "    corroboration: single-source",
    )
    assert run(desk, text)[0] == []


def test_based_on_leads_to_the_original_party(desk):
    sources = (desk.root / "seeds/sources.yaml").read_text()
    desk.write(
        "seeds/sources.yaml",
        sources.replace("    party: daily-news\n", "    party: null\n    based_on: [analysis]\n"),
    )
    desk.write("factcheck.yaml", "ignore: [FC207]  # daily-news is no longer cited\n")
    second = SECOND_SUPPORT.replace("      speaker: researcher\n", "")
    # origin is now the envoy (through based_on), who already supports: still one origin
    assert run(desk, with_claim_evidence(second, "single-source"))[0] == []


def test_min_independent_origins_setting(desk):
    desk.write("factcheck.yaml", "min_independent_origins: 1\n")
    text = VALID_CLAIM.replace("corroboration: single-source", "corroboration: corroborated")
    assert run(desk, text)[0] == []


def test_fc302_verdict_not_allowed(desk):
    text = VALID_CLAIM.replace(
        "  verdict: unproven\n  rationale: One", "  verdict: supported\n  rationale: One"
    )
    findings, output = run(desk, text)
    assert findings == [("FC302", 18, 12)]
    assert (
        "verdict 'supported' needs corroboration 'corroborated', but the evidence shows "
        "'single-source'; allowed verdicts here: 'partly-supported' or 'unproven'" in output
    )
    partly = text.replace("verdict: supported", "verdict: partly-supported")
    assert run(desk, partly)[0] == []


def test_refuted_needs_independent_refutation(desk):
    text = VALID_CLAIM.replace(
        "    verdict: unproven\n    rationale: Only", "    verdict: refuted\n    rationale: Only"
    )
    assert run(desk, text)[0] == [("FC302", 32, 14)]


def test_misleading_needs_a_context_passage(desk):
    text = VALID_CLAIM.replace(
        "  verdict: unproven\n  rationale: One", "  verdict: misleading\n  rationale: One"
    )
    findings, output = run(desk, text)
    assert findings == [("FC302", 18, 12)]
    assert "needs at least one 'context' passage" in output
    counter = VALID_CLAIM.replace(
        "    verdict: unproven\n    rationale: Only", "    verdict: misleading\n    rationale: Only"
    )
    assert run(desk, counter)[0] == []


def test_fc303_verdict_without_rationale(desk):
    text = VALID_CLAIM.replace(
        "  rationale: One independent origin supports it; that is not enough.\n", ""
    )
    assert run(desk, text)[0] == [("FC303", 18, 12)]
    pending = text.replace("\n  verdict: unproven\n", "\n")
    assert run(desk, pending)[0] == []


def test_fc304_evidence_from_own_party(desk):
    own = SECOND_SUPPORT.replace("speaker: researcher", "speaker: press-office")
    findings, output = run(desk, with_claim_evidence(own, "single-source"))
    assert findings == [("FC304", 17, 7)]
    assert "warning FC304" in output


def test_fc305_both_sides_supported(desk):
    text = with_claim_evidence(SECOND_SUPPORT, "corroborated", "supported")
    text = text.replace(
        "        stance: context\n        speaker: researcher\n    corroboration: uncorroborated\n    verdict: unproven",
        "        stance: context\n        speaker: researcher\n"
        "      - source: analysis\n"
        "        quote: officials had briefed journalists on the investigation\n"
        "        stance: supports\n        speaker: envoy\n"
        "      - source: security-report\n"
        "        quote: the bomber had lived in the city for many years\n"
        "        stance: supports\n        speaker: researcher\n"
        "    corroboration: corroborated\n    verdict: supported",
    )
    findings, output = run(desk, text)
    assert findings == [("FC305", 44, 14)]
    assert "both the claim (press-office) and this counter-claim (defence-ministry)" in output


def test_settings_ignore_and_severity(desk):
    desk.claim("attack-planning", WARNING_ONLY_CLAIM)
    desk.write("factcheck.yaml", "severity: {FC206: error}\n")
    assert "error FC206" in desk.run("validate").output
    assert desk.run("validate").exit_code == 1
    desk.write("factcheck.yaml", "ignore: [FC206]\n")
    assert [code for code in desk.codes() if code == "FC206"] == []


@pytest.mark.parametrize(
    ("settings", "where"),
    [
        ("ignore: [FC207, FC303]\n", "factcheck.yaml:1:9: FC303 cannot be ignored"),
        ("ignore:\n  - FC001\n  - FC203\n", "factcheck.yaml:2:3: FC001, FC203 cannot be ignored"),
        ("severity: {FC205: warning}\n", "factcheck.yaml:1:19: FC205 cannot be downgraded"),
        ("severity:\n  FC301: warning\n", "factcheck.yaml:2:10: FC301 cannot be downgraded"),
    ],
)
def test_a_pull_request_cannot_switch_off_an_integrity_check(desk, settings, where):
    text = VALID_CLAIM.replace(
        "  rationale: One independent origin supports it; that is not enough.\n", ""
    )
    desk.claim("attack-planning", text)
    desk.write("factcheck.yaml", settings)
    result = desk.run("validate")
    assert result.exit_code == 2
    assert where in result.stderr
    desk.write("factcheck.yaml", "severity: {FC303: error}\n")  # keeping it an error is fine
    assert desk.run("validate").exit_code == 1
