"""Independence: only outsiders corroborate or contradict; a stakeholder can only concede.

Each rule has a case where the passage counts and one where it does not, on a small
workspace of the tests' own: two ministries on opposite sides, an outsider, an unnamed
source, a party whose alignment was never recorded, and outlets on each side. What a user
sees is asserted: the finding's code and line, and the report's words for each passage.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import Desk, sources_yaml

WIRE = """\
Wire report

The southern ministry confirmed that the attack was planned in the neighbouring country.
The southern ministry said the attack was not planned in the neighbouring country at all.
The northern ministry admitted the attack was not planned in the neighbouring country.
The northern ministry insisted the attack was planned in the neighbouring country again.
A monitor said the attack was planned in the neighbouring country, from a camp.
A monitor said the attack was not planned anywhere near the neighbouring country.
Officials who asked not to be named said the attack was planned across the border.
An analyst said the attack was planned in the neighbouring country by a cell.
"""

SOUTHERN_PAPER = """\
Southern Paper

A monitor said the attack was not planned anywhere near the neighbouring country.
A monitor said the attack was planned in the neighbouring country, from a camp.
"""

PARTIES = """\
sides:
  north: The northern government and its institutions
  south: The southern government and its institutions
parties:
  north-ministry:
    name: Northern ministry
    side: north
    kind: government
  north-army:
    name: Northern army
    side: north
    kind: military
  south-ministry:
    name: Southern ministry
    side: south
    kind: government
  south-paper:
    name: Southern Paper
    side: south
    kind: media
  wire-agency:
    name: A wire agency
    side: none
    kind: media
    description: A wire agency owned by neither government and reporting for both.
  monitor:
    name: A monitoring mission
    side: none
    kind: organisation
    description: Funded by a third country; neither government appoints or pays it.
  officials:
    name: Officials who asked not to be named
    side: none
    kind: unnamed-source
    description: The wire does not say whom they work for.
  analyst:
    name: An analyst
    kind: person
"""

SUPPORTS_NORTH = {
    "south-ministry": "confirmed that the attack was planned in the neighbouring country",
    "north-army": "insisted the attack was planned in the neighbouring country again",
    "monitor": "A monitor said the attack was planned in the neighbouring country, from a camp",
    "officials": "said the attack was planned across the border",
    "analyst": "said the attack was planned in the neighbouring country by a cell",
}
REFUTES_NORTH = {
    "south-ministry": "said the attack was not planned in the neighbouring country at all",
    "north-army": "admitted the attack was not planned in the neighbouring country",
    "monitor": "A monitor said the attack was not planned anywhere near the neighbouring country",
}

CLAIM = """\
title: Was the attack planned in the neighbouring country?
claim:
  party: {party}
  statement: The attack was planned in the neighbouring country.
  asserted_in:
    - source: wire
      quote: insisted the attack was planned in the neighbouring country again
  evidence:
    - source: {source}
      quote: {quote}
      stance: {stance}
      speaker: {speaker}
  corroboration: {corroboration}
{counter}"""

COUNTER = """\
counter_claims:
  - party: {party}
    statement: The attack was not planned in the neighbouring country.
    asserted_in:
      - source: wire
        quote: said the attack was not planned in the neighbouring country at all
    corroboration: uncorroborated
"""


@pytest.fixture
def ministries(desk: Desk) -> Desk:
    """Two ministries on opposite sides, outsiders, an unnamed source, an unchecked party."""
    desk.write("seeds/parties.yaml", PARTIES)
    (desk.root / "seeds" / "wire.txt").write_text(WIRE, encoding="utf-8")
    (desk.root / "seeds" / "southern.txt").write_text(SOUTHERN_PAPER, encoding="utf-8")
    documents = {
        "wire": ("wire.txt", WIRE, "wire-agency"),
        "southern-paper": ("southern.txt", SOUTHERN_PAPER, "south-paper"),
    }
    desk.write("seeds/sources.yaml", sources_yaml(documents))
    desk.write("factcheck.yaml", "ignore: [FC207]\n")
    (desk.root / "claims" / "attack-planning.yaml").unlink()
    return desk


def judge(
    desk: Desk,
    speaker: str,
    stance: str,
    *,
    party: str = "north-ministry",
    source: str = "wire",
    counter: str | None = None,
    corroboration: str = "uncorroborated",
) -> tuple[bool, str | None, list[tuple[str, int, int]]]:
    """Write a dispute whose claim has one evidence passage; return whether the passage
    counts, the report's reason, and the findings as (code, line, column)."""
    quotes = SUPPORTS_NORTH if stance == "supports" else REFUTES_NORTH
    desk.claim(
        "dispute",
        CLAIM.format(
            party=party,
            source=source,
            quote=quotes[speaker],
            stance=stance,
            speaker=speaker,
            corroboration=corroboration,
            counter=COUNTER.format(party=counter) if counter else "",
        ),
    )
    result = desk.run("report", "--format", "json")
    payload = json.loads(result.stdout)
    [dispute] = payload["disputes"]
    [passage] = dispute["positions"][0]["evidence"]
    findings = [(code, line, column) for _, code, line, column in desk.findings()]
    return passage["counts"], passage["reason"], findings


def test_a_rival_ministrys_denial_does_not_refute_the_claim(ministries):
    # the case that used to pass: a claim 'refuted' on its adversary's word alone
    counts, reason, findings = judge(ministries, "south-ministry", "refutes")
    assert (counts, reason) == (
        False,
        "a stakeholder's denial: record it as a counter-claim (south-ministry)",
    )
    assert findings == [("FC306", 9, 7)]
    ministries.claim(
        "dispute",
        (ministries.root / "claims/dispute.yaml")
        .read_text()
        .replace("corroboration: uncorroborated", "corroboration: contradicted\n  verdict: refuted")
        + "  rationale: The rival ministry says so.\n",
    )
    result = ministries.run("validate")
    assert result.exit_code == 1
    assert "13:18: error FC301 corroboration is recorded as 'contradicted'" in result.output
    assert "14:12: error FC302 verdict 'refuted' needs corroboration" in result.output


def test_fc306_message_says_what_to_do(ministries):
    judge(ministries, "south-ministry", "refutes")
    output = ministries.run("validate").output
    assert (
        "claims/dispute.yaml:9:7: warning FC306 this passage refutes the position of "
        "'north-ministry' but comes from 'south-ministry', which has a stake in this dispute, "
        "so it does not count; record 'south-ministry''s view as a counter-claim"
    ) in output


def test_a_rivals_concession_counts(ministries):
    counts, reason, findings = judge(
        ministries, "south-ministry", "supports", corroboration="single-source"
    )
    assert (counts, reason, findings) == (True, None, [])


def test_the_same_camp_supporting_does_not_count(ministries):
    counts, reason, findings = judge(ministries, "north-army", "supports")
    assert (counts, reason, findings) == (False, "same camp as north-ministry", [])


def test_a_contradiction_from_inside_the_camp_counts(ministries):
    counts, reason, findings = judge(
        ministries, "north-army", "refutes", corroboration="contradicted"
    )
    assert (counts, reason, findings) == (True, None, [])


@pytest.mark.parametrize(
    ("stance", "corroboration"), [("supports", "single-source"), ("refutes", "contradicted")]
)
def test_an_outsider_counts_either_way(ministries, stance, corroboration):
    counts, reason, findings = judge(ministries, "monitor", stance, corroboration=corroboration)
    assert (counts, reason, findings) == (True, None, [])


def test_an_outsider_holding_a_position_becomes_a_stakeholder(ministries):
    counts, reason, findings = judge(ministries, "monitor", "refutes", counter="monitor")
    assert (counts, reason) == (
        False,
        "a stakeholder's denial: record it as a counter-claim (monitor)",
    )
    assert [code for code, _, _ in findings] == ["FC306"]


def test_an_unnamed_source_never_counts(ministries):
    counts, reason, findings = judge(ministries, "officials", "supports")
    assert (counts, reason, findings) == (False, "unnamed source", [])
    # the same words from a named outsider would count
    assert judge(ministries, "monitor", "supports", corroboration="single-source")[0] is True


def test_an_unrecorded_alignment_never_counts_until_side_is_recorded(ministries):
    counts, reason, findings = judge(ministries, "analyst", "supports")
    assert (counts, reason, findings) == (
        False,
        "alignment of analyst not recorded",
        [("FC307", 9, 7)],
    )
    assert "give 'analyst' 'side: <side id>', or 'side: none'" in ministries.run("validate").output
    parties = (ministries.root / "seeds/parties.yaml").read_text()
    ministries.write(
        "seeds/parties.yaml",
        parties.replace(
            "    name: An analyst\n",
            "    name: An analyst\n    side: none\n    description: A scholar abroad.\n",
        ),
    )
    counts, reason, findings = judge(
        ministries, "analyst", "supports", corroboration="single-source"
    )
    assert (counts, reason, findings) == (True, None, [])


def test_a_stakeholders_word_on_an_unaligned_partys_position_never_counts(ministries):
    # the monitor holds the claim; the southern ministry holds no position here
    counts, reason, _ = judge(ministries, "south-ministry", "supports", party="monitor")
    assert (counts, reason) == (
        False,
        "a stakeholder's word (south-ministry) on a position of monitor, which has no side",
    )
    # once the southern ministry holds the counter-claim, its concession counts
    counts, reason, findings = judge(
        ministries,
        "south-ministry",
        "supports",
        party="monitor",
        counter="south-ministry",
        corroboration="single-source",
    )
    assert (counts, reason, findings) == (True, None, [])


def test_the_channel_is_judged_too(ministries):
    # the monitor's support, relayed by the southern paper (the claimant's rival): it counts
    counts, reason, _ = judge(
        ministries, "monitor", "supports", source="southern-paper", corroboration="single-source"
    )
    assert (counts, reason) == (True, None)
    # the monitor's refutation relayed by the rival's paper does not
    counts, reason, findings = judge(ministries, "monitor", "refutes", source="southern-paper")
    assert (counts, reason) == (
        False,
        "relayed by south-paper, a stakeholder against north-ministry",
    )
    assert findings == []
    # and a southern claim supported through its own paper does not either
    counts, reason, _ = judge(
        ministries, "monitor", "supports", party="south-ministry", source="southern-paper"
    )
    assert (counts, reason) == (
        False,
        "relayed by a channel in south-ministry's camp (south-paper)",
    )


def test_the_position_s_own_word_is_not_evidence(ministries):
    counts, reason, findings = judge(ministries, "north-army", "supports", party="north-army")
    assert (counts, reason) == (False, "north-army's own statement")
    assert findings == [("FC304", 9, 7)]


def test_show_gives_the_reason_in_words_and_marks_counted_cells(ministries):
    judge(ministries, "south-ministry", "refutes")
    output = ministries.run("show", "dispute", env={"COLUMNS": "200"}).stdout
    assert (
        "origin Southern ministry (south-ministry, side south), relayed by A wire agency "
        "(wire-agency, no side): does not count: a stakeholder's denial" in output
    )
    judge(ministries, "monitor", "supports", corroboration="single-source")
    output = ministries.run("show", "dispute", env={"COLUMNS": "200"}).stdout
    assert "supports *" in output


def test_fc308_side_none_needs_a_reason(ministries):
    parties = (ministries.root / "seeds/parties.yaml").read_text()
    ministries.write(
        "seeds/parties.yaml",
        parties.replace(
            "    description: Funded by a third country; neither government appoints or pays it.\n",
            "",
        ),
    )
    assert [item for item in ministries.findings() if item[1] == "FC308"] == [
        ("seeds/parties.yaml", "FC308", 26, 3)
    ]
    assert "add 'description:' saying why" in ministries.run("validate").output


def test_fc308_none_cannot_be_declared_as_a_side(ministries):
    parties = (ministries.root / "seeds/parties.yaml").read_text()
    ministries.write(
        "seeds/parties.yaml",
        parties.replace("  south: The southern", "  none: Nobody\n  south: The southern"),
    )
    assert [item for item in ministries.findings() if item[1] == "FC308"] == [
        ("seeds/parties.yaml", "FC308", 3, 3)
    ]
