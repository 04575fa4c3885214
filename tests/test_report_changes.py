"""``report --changed-since REV`` and ``show --changed-since REV``: what a pull request touched.

The desk's workspace is committed as the base; each test changes something in the working
tree and checks which disputes the report keeps, in every format.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import ANALYSIS_TEXT, DOCUMENTS, VALID_CLAIM, Desk, sources_yaml
from tests.test_diff import SECOND_DISPUTE, commit, edit, git

OTHER_CLAIM = VALID_CLAIM.replace(
    "title: Was the attack planned across the border?",
    "title: Did the bomber cross the border a week before?",
)


@pytest.fixture
def base(desk: Desk) -> Desk:
    """Three disputes committed: two quote both documents, one quotes only the report."""
    desk.claim("bomber-crossing", OTHER_CLAIM)
    desk.claim("ministry-denial", SECOND_DISPUTE)
    git(desk.root, "init", "-q")
    commit(desk.root, "base")
    return desk


def reported(desk: Desk, *args: str) -> list[str]:
    result = desk.run("report", "--format", "json", "--changed-since", "HEAD", *args)
    assert result.exit_code == 0, result.output
    return [dispute["id"] for dispute in json.loads(result.stdout)["disputes"]]


def test_nothing_changed_reports_no_dispute_and_says_so(base):
    assert reported(base) == []
    table = base.run("report", "--changed-since", "HEAD").stdout
    assert "No valid dispute changed since HEAD" in table


def test_a_changed_claim_file_is_reported_alone(base):
    edit(base.root / "claims/bomber-crossing.yaml", "tags: [attack]", "tags: [attack, border]")
    assert reported(base) == ["bomber-crossing"]


def test_a_changed_file_that_breaks_is_listed_with_the_invalid_files(base):
    edit(base.root / "claims/bomber-crossing.yaml", "verdict: unproven", "verdict: disputed")
    result = base.run("report", "--format", "json", "--changed-since", "HEAD")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["disputes"] == []
    assert [item["path"] for item in payload["invalid"]] == ["claims/bomber-crossing.yaml"]


def test_a_new_untracked_claim_file_is_reported(base):
    base.claim("new-dispute", OTHER_CLAIM)
    assert reported(base) == ["new-dispute"]


def test_a_changed_party_reaches_the_disputes_that_rely_on_it(base):
    # the envoy speaks only in the evidence of the two disputes built on VALID_CLAIM
    edit(base.root / "seeds/parties.yaml", "name: A former envoy", "name: A retired envoy")
    assert reported(base) == ["attack-planning", "bomber-crossing"]


def test_a_changed_source_entry_reaches_the_disputes_that_quote_it(base):
    sources = base.root / "seeds" / "sources.yaml"
    edit(sources, "title: Analysis", "title: Analysis, second edition")
    assert reported(base) == ["attack-planning", "bomber-crossing"]


def test_a_changed_document_reaches_the_disputes_that_quote_it(base):
    text = ANALYSIS_TEXT + "A postscript the archive added later.\n"
    (base.root / "seeds" / "analysis.txt").write_text(text, encoding="utf-8")
    documents = {**DOCUMENTS, "analysis": ("analysis.txt", text, "envoy")}
    base.write("seeds/sources.yaml", sources_yaml(documents))
    assert reported(base) == ["attack-planning", "bomber-crossing"]


def test_a_changed_setting_reaches_every_dispute(base):
    base.write("factcheck.yaml", "ignore: [FC207]\n")
    assert reported(base) == ["attack-planning", "bomber-crossing", "ministry-denial"]


def test_the_table_and_markdown_show_the_changed_disputes_with_their_cards(base):
    edit(base.root / "claims/bomber-crossing.yaml", "tags: [attack]", "tags: [attack, border]")
    table = base.run("report", "--changed-since", "HEAD").stdout
    assert "│ bomber-crossing " in table and "│ ministry-denial " not in table
    assert "Where asserted" in table  # the card of the changed dispute
    assert "1 dispute reported of 3 valid (changed since HEAD (" in table
    markdown = base.run("report", "--format", "markdown", "--changed-since", "HEAD").stdout
    assert "| **bomber-crossing** |" in markdown and "ministry-denial" not in markdown
    assert "## bomber-crossing: Did the bomber cross the border a week before?" in markdown


def test_show_changed_since_shows_each_changed_dispute_in_full(base):
    edit(base.root / "claims/bomber-crossing.yaml", "tags: [attack]", "tags: [attack, border]")
    result = base.run("show", "--changed-since", "HEAD", "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert [item["id"] for item in payload["disputes"]] == ["bomber-crossing"]
    assert payload["changed_since"]["rev"] == "HEAD"


def test_an_unknown_revision_or_no_repository_exits_2(base):
    result = base.run("report", "--changed-since", "no-such-branch")
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch'" in result.stderr
    plain = base.root / ".git"
    plain.rename(base.root / "git-moved")
    result = base.run("report", "--changed-since", "HEAD")
    assert result.exit_code == 2
    assert "not in a git repository" in result.stderr


def test_show_needs_a_dispute_or_changed_since(base):
    result = base.run("show")
    assert result.exit_code == 2
    assert "give a DISPUTE or --changed-since REV" in result.stderr
