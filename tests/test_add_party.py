"""factcheck add-party: a party appended to seeds/parties.yaml, comments and layout kept."""

from __future__ import annotations

import pytest

from factcheck.authoring.roundtrip import plain_data
from tests.conftest import PARTIES_YAML

COMMENTED = PARTIES_YAML.replace("parties:\n", "# who speaks\nparties:  # by id\n").replace(
    "  envoy:\n", "  # people\n  envoy:\n"
)


def test_add_party_appends_the_entry_keeping_comments_and_layout(desk):
    desk.write("seeds/parties.yaml", COMMENTED)
    result = desk.run(
        "add-party",
        "border-police",
        "--name",
        "Border police of the north",
        "--side",
        "north",
        "--kind",
        "government",
    )
    assert result.exit_code == 0, result.output
    assert "party 'border-police' (side north): added to seeds/parties.yaml" in result.output
    after = (desk.root / "seeds/parties.yaml").read_text()
    assert after.startswith(COMMENTED)
    assert after.endswith(
        "  border-police:\n"
        "    name: Border police of the north\n"
        "    side: north\n"
        "    kind: government\n"
    )
    assert desk.run("fmt", "--check").exit_code == 0
    assert desk.run("new", "crossing", "--party", "border-police").exit_code == 0


def test_side_none_needs_a_description(desk):
    refused = desk.run("add-party", "observer", "--name", "An observer", "--side", "none")
    assert refused.exit_code == 2
    assert "--side none needs --description" in refused.output
    added = desk.run(
        "add-party",
        "observer",
        "--name",
        "An observer",
        "--side",
        "none",
        "--description",
        "A foreign monitoring mission with no stake in the dispute",
    )
    assert added.exit_code == 0, added.output
    entry = plain_data((desk.root / "seeds/parties.yaml").read_text())["parties"]["observer"]
    assert entry["side"] == "none"
    assert entry["description"].startswith("A foreign monitoring mission")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["x-party", "--name", "X", "--side", "nort"],
            "unknown side 'nort' (did you mean 'north'?); use 'north', 'south' or 'none'",
        ),
        (["envoy", "--name", "X"], "party 'envoy' is already in seeds/parties.yaml"),
        (["Bad_Id", "--name", "X"], "'Bad_Id' is not a valid party id"),
        (["x-party", "--name", " "], "--name is empty"),
        (["x-party", "--name", "X", "--kind", "army"], "--kind 'army' is not a kind of party"),
    ],
)
def test_add_party_refusals_change_nothing(desk, arguments, message):
    before = (desk.root / "seeds/parties.yaml").read_text()
    result = desk.run("add-party", *arguments)
    assert result.exit_code == 2
    assert message in result.output
    assert (desk.root / "seeds/parties.yaml").read_text() == before


def test_add_party_refuses_a_broken_catalogue(desk):
    desk.write("seeds/parties.yaml", "parties: [\n")
    result = desk.run("add-party", "x-party", "--name", "X")
    assert result.exit_code == 2
    assert "seeds/parties.yaml:2:1: not valid YAML" in result.output
