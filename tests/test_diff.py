"""factcheck diff: real temporary git repositories, a commit, then a change in the working tree.

Each test commits the ``desk`` workspace, changes what a pull request would change and
asserts on what a reviewer reads: the headline, a table row, a Markdown cell, a JSON field,
the exit code.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import PARTIES_YAML, Desk

from factcheck.reporters.diff import render_markdown
from factcheck.views.diff import diff_revision
from factcheck.workspace import git as gitrev
from factcheck.workspace.root import open_workspace

README = Path(__file__).resolve().parent.parent / "README.md"

MORE_EVIDENCE = """\
      speaker: envoy
    - source: analysis
      quote: the bomber had crossed the border a week before the attack
      stance: supports
      speaker: researcher
  corroboration: corroborated
  verdict: supported
  rationale: Two independent origins support it.
"""
OLD_EVIDENCE_TAIL = """\
      speaker: envoy
  corroboration: single-source
  verdict: unproven
  rationale: One independent origin supports it; that is not enough.
"""

SECOND_DISPUTE = """\
title: Did the ministry deny the claim?
claim:
  party: defence-ministry
  statement: The ministry called the claim irresponsible.
  asserted_in:
    - source: security-report
      quote: termed the claims "irresponsible and far from the reality"
  corroboration: uncorroborated
  verdict: unproven
  rationale: Only the ministry's own words are on file.
"""


def git(root: Path, *args: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def commit(root: Path, message: str = "change") -> str:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)
    return git(root, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(desk: Desk) -> Desk:
    """The desk workspace committed as the base of a pull request."""
    git(desk.root, "init", "-q")
    commit(desk.root, "base")
    return desk


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def pull_request(desk: Desk) -> None:
    """Change a verdict (with the evidence that earns it) and add a dispute."""
    edit(desk.root / "claims/attack-planning.yaml", OLD_EVIDENCE_TAIL, MORE_EVIDENCE)
    desk.claim("ministry-denial", SECOND_DISPUTE)


def diff_json(desk: Desk, *args: str) -> dict:
    result = desk.run("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["schema_version"] == 1
    return payload


def by_id(payload: dict) -> dict[str, dict]:
    return {item["id"]: item for item in payload["disputes"]}


def changes(item: dict) -> list[tuple[str, str | None, str | None]]:
    return [(change["field"], change["old"], change["new"]) for change in item["changes"]]


# The pull request of the issue, in each format -------------------------------------------


def test_json_shows_exactly_the_changed_verdict_the_evidence_and_the_new_dispute(repo):
    pull_request(repo)
    assert repo.run("validate").exit_code == 0
    payload = diff_json(repo)
    assert payload["summary"]["headline"] == "1 verdict changed, 1 dispute added, 1 dispute changed"
    assert payload["catalogue"] == [] and payload["invalid_files"] == []
    disputes = by_id(payload)
    assert sorted(disputes) == ["attack-planning", "ministry-denial"]

    changed = disputes["attack-planning"]
    assert changed["status"] == "changed" and changed["changes"] == []
    [claim] = changed["positions"]  # the counter-claim did not change
    assert (claim["role"], claim["party"], claim["status"]) == ("claim", "press-office", "changed")
    assert changes(claim) == [
        ("corroboration", "single-source", "corroborated"),
        ("verdict", "unproven", "supported"),
        (
            "rationale",
            "One independent origin supports it; that is not enough.",
            "Two independent origins support it.",
        ),
    ]
    assert claim["passages_added"] == [
        {
            "kind": "evidence",
            "source": "analysis",
            "quote": "the bomber had crossed the border a week before the attack",
            "stance": "supports",
            "speaker": "researcher",
            "counts": True,
            "reason": None,
        }
    ]
    assert claim["passages_removed"] == [] and claim["passages_changed"] == []

    added = disputes["ministry-denial"]
    assert (added["status"], added["path"]) == ("added", "claims/ministry-denial.yaml")
    assert added["title"] == "Did the ministry deny the claim?"
    [position] = added["positions"]
    assert (position["party"], position["status"]) == ("defence-ministry", "added")
    assert ("verdict", None, "unproven") in changes(position)


def test_markdown_has_a_headline_and_one_section_per_changed_dispute(repo):
    pull_request(repo)
    result = repo.run("diff", "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("## factcheck diff: HEAD (")
    assert "**1 verdict changed, 1 dispute added, 1 dispute changed**" in lines
    sections = [line for line in lines if line.startswith("### ")]
    assert sections == [
        "### Dispute attack-planning: changed",
        "### Dispute ministry-denial: added",
    ]
    assert "| claim (press-office) | corroboration | single-source | corroborated |" in lines
    assert "|   | verdict | unproven | supported |" in lines
    assert (
        '|   | evidence passage added |   | analysis: "the bomber had crossed the border '
        'a week before the attack" (supports; speaker researcher; counts) |'
    ) in lines
    assert "| claim (defence-ministry), added | statement |   | " in result.stdout
    assert "counter-claim" not in result.stdout  # no counter-claim changed


def test_table_shows_the_same_changes(repo):
    pull_request(repo)
    result = repo.run("diff", "--format", "table")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "1 verdict changed, 1 dispute added, 1 dispute changed" in out
    assert "Dispute attack-planning: changed" in out and "Dispute ministry-denial: added" in out
    verdict_row = next(
        line for line in out.splitlines() if "verdict" in line and "unproven" in line
    )
    assert verdict_row.index("unproven") < verdict_row.index("supported")
    assert "\x1b" not in out  # not a terminal: plain text


def test_table_is_the_default_format(repo):
    pull_request(repo)
    assert repo.run("diff").stdout == repo.run("diff", "--format", "table").stdout


def test_no_changes_exits_zero_and_says_so(repo):
    for output_format in ("table", "markdown"):
        result = repo.run("diff", "--format", output_format)
        assert result.exit_code == 0
        assert "no changes" in result.stdout
    payload = diff_json(repo)
    assert payload["disputes"] == [] and payload["summary"]["headline"] == "no changes"


def test_rewrapping_a_quote_is_not_a_change(repo):
    edit(
        repo.root / "claims/attack-planning.yaml",
        "quote: the planning for the attack was done across the border",
        "quote: >-\n        the planning for the attack\n        was done across the border",
    )
    assert diff_json(repo)["disputes"] == []


# Each kind of change ------------------------------------------------------------------


def test_an_older_revision_is_compared_with_the_working_tree(repo):
    base = git(repo.root, "rev-parse", "HEAD").strip()
    pull_request(repo)
    commit(repo.root, "pull request")
    edit(repo.root / "claims/ministry-denial.yaml", "verdict: unproven", "verdict: misleading")
    assert by_id(diff_json(repo))["ministry-denial"]["status"] == "changed"  # against HEAD
    payload = diff_json(repo, base)
    assert payload["base"] == {"rev": base, "commit": base}
    assert by_id(payload)["ministry-denial"]["status"] == "added"
    assert diff_json(repo, "HEAD~1") == payload | {"base": {"rev": "HEAD~1", "commit": base}}


def test_removed_dispute(repo):
    (repo.root / "claims/attack-planning.yaml").unlink()
    payload = diff_json(repo)
    [removed] = payload["disputes"]
    assert (removed["id"], removed["status"]) == ("attack-planning", "removed")
    assert payload["summary"]["headline"] == "1 dispute removed"
    assert {position["status"] for position in removed["positions"]} == {"removed"}


def test_renamed_dispute_is_reported_old_to_new(repo):
    old = repo.root / "claims/attack-planning.yaml"
    old.rename(repo.root / "claims/bisham-planning.yaml")
    edit(
        repo.root / "claims/bisham-planning.yaml",
        "title: Was the attack planned across the border?",
        "title: Was the Bisham attack planned across the border?",
    )
    payload = diff_json(repo)
    [renamed] = payload["disputes"]
    assert (renamed["old_id"], renamed["id"], renamed["status"]) == (
        "attack-planning",
        "bisham-planning",
        "renamed",
    )
    assert renamed["old_path"] == "claims/attack-planning.yaml"
    assert changes(renamed) == [
        (
            "title",
            "Was the attack planned across the border?",
            "Was the Bisham attack planned across the border?",
        )
    ]
    assert payload["summary"]["headline"] == "1 dispute renamed"
    markdown = repo.run("diff", "--format", "markdown").stdout
    assert "### Dispute attack-planning → bisham-planning: renamed" in markdown


def test_two_disputes_renamed_in_one_change(repo):
    repo.claim("ministry-denial", SECOND_DISPUTE)
    commit(repo.root)
    for old, new in (("attack-planning", "bisham-planning"), ("ministry-denial", "mod-denial")):
        (repo.root / f"claims/{old}.yaml").rename(repo.root / f"claims/{new}.yaml")
    payload = diff_json(repo)
    renamed = [(item["old_id"], item["id"], item["status"]) for item in payload["disputes"]]
    assert renamed == [
        ("attack-planning", "bisham-planning", "renamed"),
        ("ministry-denial", "mod-denial", "renamed"),
    ]
    assert payload["summary"]["headline"] == "2 disputes renamed"


def test_a_different_dispute_under_a_new_name_is_removed_and_added(repo):
    (repo.root / "claims/attack-planning.yaml").unlink()
    repo.claim("ministry-denial", SECOND_DISPUTE)
    statuses = {item["id"]: item["status"] for item in diff_json(repo)["disputes"]}
    assert statuses == {"attack-planning": "removed", "ministry-denial": "added"}


def test_statement_change_and_counter_claim_added_and_removed(repo):
    path = repo.root / "claims/attack-planning.yaml"
    edit(path, "statement: The claim is false.", "statement: The claim is irresponsible.")
    edit(
        path,
        "counter_claims:\n",
        "counter_claims:\n"
        "  - party: researcher\n"
        "    statement: The bomber crossed the border a week before.\n"
        "    asserted_in:\n"
        "      - source: security-report\n"
        "        quote: the bomber had crossed the border a week before the attack\n"
        "    corroboration: uncorroborated\n",
    )
    positions = by_id(diff_json(repo))["attack-planning"]["positions"]
    summary = [(item["role"], item["party"], item["status"]) for item in positions]
    assert summary == [
        ("counter-claim 1", "researcher", "added"),
        ("counter-claim 2", "defence-ministry", "changed"),
    ]
    assert changes(positions[0]) == [
        ("statement", None, "The bomber crossed the border a week before."),
        ("corroboration", None, "uncorroborated"),
    ]
    assert changes(positions[1]) == [
        ("statement", "The claim is false.", "The claim is irresponsible.")
    ]

    commit(repo.root)
    edit(path, "  - party: researcher\n", "  - party: envoy\n")
    edit(
        path,
        "    corroboration: uncorroborated\n  - party: defence-ministry\n",
        "    corroboration: uncorroborated\n    verdict: unproven\n"
        "    rationale: Nothing independent.\n  - party: daily-news\n",
    )
    positions = by_id(diff_json(repo))["attack-planning"]["positions"]
    assert [(item["party"], item["status"]) for item in positions] == [
        ("envoy", "changed"),
        ("daily-news", "changed"),
    ]
    assert changes(positions[0]) == [
        ("party", "researcher", "envoy"),
        ("verdict", None, "unproven"),
        ("rationale", None, "Nothing independent."),
    ]
    markdown = repo.run("diff", "--format", "markdown").stdout
    assert "|   | verdict | (pending) | unproven |" in markdown
    assert "|   | rationale | (none) | Nothing independent. |" in markdown


def test_counter_claim_removed(repo):
    path = repo.root / "claims/attack-planning.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("counter_claims:")], encoding="utf-8")
    [position] = by_id(diff_json(repo))["attack-planning"]["positions"]
    assert (position["role"], position["status"]) == ("counter-claim 1", "removed")
    assert ("verdict", "unproven", None) in changes(position)
    markdown = repo.run("diff", "--format", "markdown").stdout
    assert (
        "| counter-claim 1 (defence-ministry), removed | statement | The claim is false. |   |"
        in (markdown)
    )


def test_passage_removed_and_passage_stance_changed(repo):
    path = repo.root / "claims/attack-planning.yaml"
    edit(
        path,
        "  evidence:\n    - source: analysis\n"
        "      quote: the planning for the attack was done across the border\n"
        "      stance: supports\n      speaker: envoy\n",
        "  evidence: []\n",
    )
    edit(path, "single-source", "uncorroborated")
    edit(path, "stance: context", "stance: refutes")
    payload = diff_json(repo)
    claim, counter = by_id(payload)["attack-planning"]["positions"]
    assert claim["passages_removed"] == [
        {
            "kind": "evidence",
            "source": "analysis",
            "quote": "the planning for the attack was done across the border",
            "stance": "supports",
            "speaker": "envoy",
            "counts": True,
            "reason": None,
        }
    ]
    assert changes(claim) == [("corroboration", "single-source", "uncorroborated")]
    [changed] = counter["passages_changed"]
    assert changed["passage"]["quote"] == (
        "the bomber had crossed the border a week before the attack"
    )
    assert [(item["field"], item["old"], item["new"]) for item in changed["changes"]] == [
        ("stance", "context", "refutes")
    ]
    markdown = repo.run("diff", "--format", "markdown").stdout
    assert '|   | evidence passage removed | analysis: "the planning for the attack' in markdown
    assert "| stance of evidence passage security-report: " in markdown
    assert "| context | refutes |" in markdown


# The catalogue and the disputes it moves --------------------------------------------------


def test_party_side_change_lists_the_dispute_whose_corroboration_it_changes(repo):
    # The envoy joins the claimant's side: its support is no longer independent.
    edit(
        repo.root / "seeds/parties.yaml",
        "    name: A former envoy\n    side: none\n",
        "    name: A former envoy\n    side: north\n",
    )
    # A renamed outlet moves no dispute.
    edit(repo.root / "seeds/parties.yaml", "name: Daily News", "name: The Daily News")
    payload = diff_json(repo)
    assert payload["disputes"] == []
    entries = {(item["kind"], item["id"]): item for item in payload["catalogue"]}
    assert sorted(entries) == [("party", "daily-news"), ("party", "envoy")]
    envoy = entries["party", "envoy"]
    assert envoy["status"] == "changed"
    assert changes(envoy) == [("side", "none", "north")]
    assert envoy["affects"] == [
        {
            "dispute": "attack-planning",
            "role": "claim",
            "party": "press-office",
            "corroboration": {
                "field": "corroboration",
                "old": "single-source",
                "new": "uncorroborated",
            },
            "independent_origins": {"field": "independent_origins", "old": "envoy", "new": None},
        }
    ]
    assert entries["party", "daily-news"]["affects"] == []
    # The recorded corroboration is now wrong: the claim file is invalid in the working tree.
    [invalid] = payload["invalid_files"]
    assert invalid["path"] == "claims/attack-planning.yaml"
    assert invalid["base"] == {"state": "valid", "errors": []}
    assert invalid["head"]["state"] == "invalid" and "FC301" in invalid["head"]["errors"][0]
    assert payload["summary"]["headline"] == "2 catalogue changes, 1 invalid file"

    markdown = repo.run("diff", "--format", "markdown").stdout
    assert "| party envoy | side | none | north |" in markdown
    assert (
        "|   | moves attack-planning, claim (press-office) | single-source (envoy) "
        "| uncorroborated (no independent origin) |"
    ) in markdown


def test_source_added_and_document_sha256_changed(repo):
    note = "A third report.\nThe ministry repeated that the claims were baseless.\n"
    repo.write("seeds/note.txt", note)
    report = repo.root / "seeds/report.txt"
    old_digest = _sha256(report.read_bytes())
    report.write_text(report.read_text(encoding="utf-8") + "A late addition.\n", encoding="utf-8")
    new_digest = _sha256(report.read_bytes())
    sources = repo.root / "seeds/sources.yaml"
    edit(sources, old_digest, new_digest)
    sources.write_text(
        sources.read_text(encoding="utf-8")
        + f"  note:\n    file: note.txt\n    sha256: {_sha256(note.encode())}\n"
        "    title: Note\n    party: defence-ministry\n",
        encoding="utf-8",
    )
    payload = diff_json(repo)
    entries = {(item["kind"], item["id"]): item for item in payload["catalogue"]}
    assert sorted(entries) == [("source", "note"), ("source", "security-report")]
    assert changes(entries["source", "security-report"]) == [("sha256", old_digest, new_digest)]
    added = entries["source", "note"]
    assert added["status"] == "added"
    assert ("party", None, "defence-ministry") in changes(added)
    table = repo.run("diff").stdout
    assert "source note, added" in table and "security-report" in table


def test_source_party_change_moves_evidence_without_a_speaker(repo):
    path = repo.root / "claims/attack-planning.yaml"
    edit(path, "      stance: supports\n      speaker: envoy\n", "      stance: supports\n")
    commit(repo.root)
    # The analysis turns out to be the northern outlet's: no longer independent of the claim.
    edit(
        repo.root / "seeds/sources.yaml",
        "    title: Analysis\n    party: envoy",
        "    title: Analysis\n    party: daily-news",
    )
    [source] = diff_json(repo)["catalogue"]
    assert (source["kind"], source["id"]) == ("source", "analysis")
    assert changes(source) == [("party", "envoy", "daily-news")]
    [impact] = source["affects"]
    assert impact["dispute"] == "attack-planning"
    assert impact["corroboration"]["new"] == "uncorroborated"


def test_setting_change_lists_the_disputes_it_moves(repo):
    repo.write("factcheck.yaml", "min_independent_origins: 1\n")
    payload = diff_json(repo)
    [setting] = payload["catalogue"]
    assert (setting["kind"], setting["id"], changes(setting)) == (
        "setting",
        "min_independent_origins",
        [("min_independent_origins", "2", "1")],
    )
    [impact] = setting["affects"]
    assert (impact["dispute"], impact["role"]) == ("attack-planning", "claim")
    assert impact["corroboration"] == {
        "field": "corroboration",
        "old": "single-source",
        "new": "corroborated",
    }


@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_changed_settings_come_first_so_a_reviewer_sees_them(repo, output_format):
    repo.write("factcheck.yaml", "min_independent_origins: 1\nignore: [FC207]\n")
    edit(repo.root / "claims" / "attack-planning.yaml", "verdict: unproven", "verdict: disputed")
    (repo.root / "seeds" / "parties.yaml").write_text(
        PARTIES_YAML.replace(
            "kind: person\n", "kind: person\n    side: none\n    description: x\n", 1
        ),
        encoding="utf-8",
    )
    result = repo.run("diff", "--format", output_format, env={"COLUMNS": "200"})
    text = result.stdout.replace("\\_", "_")  # Markdown escapes the underscores
    settings = text.index("Settings changed (factcheck.yaml)")
    dispute = text.index("Dispute attack-planning")
    assert settings < dispute < text.index("Catalogue")
    assert settings < text.index("min_independent_origins") < dispute
    assert settings < text.index("ignore") < dispute


# Invalid files are listed, never skipped ---------------------------------------------------


def test_file_invalid_on_the_old_side_is_listed_as_invalid(repo):
    repo.claim("broken", "title: [unclosed\n")
    repo.write("factcheck.yaml", "min_independent_origin: 2\n")
    commit(repo.root)
    repo.claim("broken", SECOND_DISPUTE)
    (repo.root / "factcheck.yaml").unlink()
    payload = diff_json(repo)
    invalid = {item["path"]: item for item in payload["invalid_files"]}
    assert sorted(invalid) == ["claims/broken.yaml", "factcheck.yaml"]
    broken = invalid["claims/broken.yaml"]
    assert broken["base"]["state"] == "invalid" and "FC001" in broken["base"]["errors"][0]
    assert broken["head"] == {"state": "valid", "errors": []}
    settings = invalid["factcheck.yaml"]
    assert settings["base"]["errors"][0].startswith(
        "line 1, column 1: unknown setting 'min_independent_origin'"
    )
    assert settings["head"]["state"] == "absent"
    [dispute] = payload["disputes"]
    assert (dispute["id"], dispute["status"], dispute["unreadable"]) == (
        "broken",
        "changed",
        ["base"],
    )
    markdown = repo.run("diff", "--format", "markdown").stdout
    assert "### Invalid files" in markdown
    assert (
        "| claims/broken.yaml | invalid, 1 error: line 2, column 1: FC001 not valid YAML"
        in markdown
    )
    assert "could not be read at the base" in markdown


def test_file_invalid_in_the_working_tree_is_listed(repo):
    repo.write("claims/attack-planning.yaml", "title: [unclosed\n")
    payload = diff_json(repo)
    [invalid] = payload["invalid_files"]
    assert invalid["base"]["state"] == "valid" and invalid["head"]["state"] == "invalid"
    [dispute] = payload["disputes"]
    assert dispute["unreadable"] == ["head"]
    table = repo.run("diff").stdout
    assert "Invalid files" in table and "FC001" in table


def test_symlinks_at_the_revision_are_never_followed(repo, tmp_path_factory):
    secret = tmp_path_factory.mktemp("outside") / "secret.txt"
    secret.write_text("outside the workspace\n", encoding="utf-8")
    (repo.root / "seeds/report.txt").unlink()
    (repo.root / "seeds/report.txt").symlink_to(secret)
    commit(repo.root, "a link")
    payload = diff_json(repo)
    [sources] = payload["invalid_files"]
    assert sources["path"] == "seeds/sources.yaml"
    assert "does not exist" in sources["base"]["errors"][0]  # the link was not copied
    assert "outside seeds/" in sources["head"]["errors"][0]


# Where the workspace is, and what git can answer -----------------------------------------


def test_workspace_in_a_subdirectory_of_the_repository(desk):
    inner = desk.root / "desks" / "north"
    for name in ("claims", "seeds"):
        shutil.copytree(desk.root / name, inner / name)
    git(desk.root, "init", "-q")
    commit(desk.root, "two workspaces")
    pull_request(Desk(inner))
    edit(desk.root / "claims/attack-planning.yaml", "verdict: unproven", "verdict: misleading")
    result = Desk(inner).run("diff", "--format", "json")
    assert result.exit_code == 0, result.output
    disputes = by_id(json.loads(result.stdout))
    assert disputes["attack-planning"]["path"] == "claims/attack-planning.yaml"
    [claim] = disputes["attack-planning"]["positions"]
    assert ("verdict", "unproven", "supported") in changes(claim)  # the outer edit is not seen
    assert disputes["ministry-denial"]["status"] == "added"


def test_shallow_clone_with_the_base_present(repo, tmp_path_factory):
    pull_request(repo)
    commit(repo.root, "pull request")
    clone = tmp_path_factory.mktemp("ci") / "clone"
    origin = repo.root.as_uri()
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", origin, str(clone)], check=True, capture_output=True
    )
    result = Desk(clone).run("diff", "HEAD~1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["disputes_added"] == 1
    shallower = tmp_path_factory.mktemp("ci") / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", origin, str(shallower)],
        check=True,
        capture_output=True,
    )
    result = Desk(shallower).run("diff", "HEAD~1")
    assert result.exit_code == 2
    assert "unknown revision 'HEAD~1'" in result.output and "fetch" in result.output


def test_not_a_git_repository_exits_2(desk):
    result = desk.run("diff")
    assert result.exit_code == 2
    assert "not in a git repository" in result.output
    assert "Traceback" not in result.output


def test_unknown_revision_exits_2(repo):
    result = repo.run("diff", "no-such-branch")
    assert result.exit_code == 2
    assert "unknown revision 'no-such-branch'" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_revision_that_looks_like_an_option_is_refused(repo):
    result = repo.run("diff", "--", "--output=x")
    assert result.exit_code == 2
    assert "is not a revision" in result.output
    assert not (repo.root / "x").exists()


def test_git_missing_exits_2(repo):
    result = repo.run("diff", env={"PATH": str(repo.root / "no-such-dir")})
    assert result.exit_code == 2
    assert "git is not installed" in result.output


def test_a_document_larger_than_one_chunk_is_copied_intact(repo):
    line = "The archive keeps every page of the long inquiry report as it was published.\n"
    text = line * 40_000  # about 3 MiB, several chunks of the cat-file stream
    repo.write("seeds/inquiry.txt", text)
    sources = repo.root / "seeds/sources.yaml"
    sources.write_text(
        sources.read_text(encoding="utf-8")
        + f"  inquiry:\n    file: inquiry.txt\n    sha256: {_sha256(text.encode())}\n"
        "    title: Inquiry\n    party: researcher\n",
        encoding="utf-8",
    )
    commit(repo.root, "a long document")
    payload = diff_json(repo)
    assert payload["invalid_files"] == []  # no FC205: the copy at HEAD has the same digest
    assert payload["catalogue"] == []


def test_a_huge_file_at_the_revision_is_refused_by_its_real_size(repo):
    data = b"title: x\n" + b"# padding\n" * (17 << 17)  # 17 MiB and a little
    (repo.root / "claims/huge.yaml").write_bytes(data)
    commit(repo.root, "a huge claim file")
    (repo.root / "claims/huge.yaml").unlink()
    payload = diff_json(repo)
    [invalid] = payload["invalid_files"]
    assert invalid["path"] == "claims/huge.yaml"
    assert invalid["base"]["state"] == "invalid"
    assert f"FC004 file is {len(data)} bytes, over the 1 MiB limit" in invalid["base"]["errors"][0]


def test_a_blob_over_the_copy_limit_is_never_fetched(tmp_path):
    """Such a blob becomes a sparse file of its size: git is not even asked for it."""
    size = gitrev.COPY_LIMIT + 1
    gitrev.write_blobs(tmp_path, tmp_path / "copy", [("0" * 40, "seeds/huge.txt", size)])
    copied = tmp_path / "copy" / "seeds" / "huge.txt"
    assert copied.stat().st_size == size
    assert copied.stat().st_blocks * 512 < size // 100


def test_repository_without_commits_exits_2(desk):
    git(desk.root, "init", "-q")
    result = desk.run("diff")
    assert result.exit_code == 2 and "unknown revision 'HEAD'" in result.output


# File text is data in every format --------------------------------------------------------


def test_file_text_is_escaped_in_markdown_and_inert_in_the_table(repo):
    hostile = "Was it | <b>planned</b> [here](http://x) `now` *or* _then_?"
    edit(
        repo.root / "claims/attack-planning.yaml",
        "title: Was the attack planned across the border?",
        f"title: '{hostile}'",
    )
    edit(
        repo.root / "claims/attack-planning.yaml",
        "rationale: Only the ministry's denial is on file.",
        'rationale: "Line one\\nline two \\e[31mred"',
    )
    markdown = repo.run("diff", "--format", "markdown").stdout
    assert (
        r"Was it \| &lt;b&gt;planned&lt;/b&gt; \[here\](http<wbr>://x) \`now\` \*or\* \_then\_?"
        in markdown
    )
    assert "<b>" not in markdown and "\x1b" not in markdown
    assert "Line one line two [31mred" not in markdown  # the bracket is escaped too
    assert r"Line one line two \[31mred" in markdown
    table = repo.run("--color", "always", "diff").stdout
    assert "\x1b[" in table  # coloured, yet the file's own escape is gone
    assert "\x1b[31mred" not in table
    assert "<b>planned</b>" in table  # shown as written, not interpreted
    payload = diff_json(repo)
    assert by_id(payload)["attack-planning"]["changes"][0]["new"] == hostile


def test_markdown_stays_under_the_step_summary_limit(repo):
    names = [f"denial-{index}" for index in range(1, 7)]
    for name in names:
        repo.claim(name, SECOND_DISPUTE)
    edit(repo.root / "seeds/parties.yaml", "name: Daily News", "name: The Daily News")
    diff = diff_revision(open_workspace(repo.root), "HEAD")
    full = render_markdown(diff)
    assert full == repo.run("diff", "--format", "markdown").stdout
    limit = len(full.encode()) - 1
    text = render_markdown(diff, limit)
    assert len(text.encode()) <= limit
    assert "**6 disputes added, 1 catalogue change**" in text
    assert "### Catalogue" in text  # always kept
    kept = [line.removeprefix("### Dispute ").removesuffix(": added") for line in text.splitlines()]
    kept = [line for line in kept if line in names]
    left = names[len(kept) :]
    assert kept == names[: len(kept)] and left
    assert (
        f"The sections of {len(left)} of 6 changed disputes (from {left[0]} to {left[-1]}) "
        "are left out to stay under GitHub's step-summary limit; run factcheck diff HEAD"
    ) in text


def test_markdown_stays_under_the_limit_when_the_catalogue_alone_would_not(repo):
    # 400 new sources with long titles: once their table alone passed the step-summary
    # limit (1.9 MB for 3,000), since the catalogue section was always kept whole
    with (repo.root / "seeds" / "sources.yaml").open("a", encoding="utf-8") as stream:
        for number in range(400):
            stream.write(
                f"  added-{number}:\n    file: report.txt\n    sha256: {'0' * 64}\n"
                f"    title: {'A long title ' * 20}{number}\n"
            )
    diff = diff_revision(open_workspace(repo.root), "HEAD")
    full = render_markdown(diff)
    limit = len(full.encode()) // 3
    text = render_markdown(diff, limit)
    assert len(text.encode()) <= limit
    assert "table rows are left out to stay under GitHub's step-summary limit" in text
    assert text.startswith("## factcheck diff")
    assert "### Catalogue" in text and "added-0" in text


def test_no_line_of_output_starts_with_text_from_a_file(repo):
    forged = "::error file=claims/x.yaml,line=1::forged"
    repo.claim("forged", SECOND_DISPUTE.replace("Did the ministry deny the claim?", f"'{forged}'"))
    for output_format in ("table", "markdown"):
        result = repo.run("diff", "--format", output_format)
        assert result.exit_code == 0 and "forged" in result.stdout
        assert not [line for line in result.stdout.splitlines() if line.lstrip().startswith("::")]


def test_readme_documents_diff_and_the_pull_request_step():
    text = README.read_text(encoding="utf-8")
    assert "### factcheck diff" in text
    assert 'factcheck diff "origin/$BASE_REF" --format markdown' in text
    assert "BASE_REF: ${{ github.base_ref }}" in text  # via env:, never spliced into the script
    assert "$GITHUB_STEP_SUMMARY" in text and "fetch-depth: 0" in text


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _git_output(root: Path, *args: str, stdin: str = "") -> str:
    return subprocess.run(
        ["git", *args], cwd=root, input=stdin, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_tree_with_a_blob_and_a_directory_of_one_name_is_read(repo):
    # git stores such a tree (it refuses only to check it out): one of the two is left out
    root = repo.root
    blob = _git_output(root, "hash-object", "-w", "claims/attack-planning.yaml")
    inner = _git_output(root, "mktree", stdin=f"100644 blob {blob}\tinner.yaml\n")
    claims = _git_output(
        root,
        "mktree",
        stdin=f"100644 blob {blob}\tattack-planning.yaml\n040000 tree {inner}\tattack-planning.yaml\n",
    )
    seeds = _git_output(root, "rev-parse", "HEAD:seeds")
    top = _git_output(
        root, "mktree", stdin=f"040000 tree {claims}\tclaims\n040000 tree {seeds}\tseeds\n"
    )
    commit = _git_output(
        root, "-c", "user.name=t", "-c", "user.email=t@e", "commit-tree", top, "-m", "crafted"
    )
    result = repo.run("diff", commit, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"]["headline"] == "no changes"
