"""The repository's own archive is the project's showcase and largest end-to-end test.

Two promises are pinned here. First, the five archived documents in ``seeds/`` never
change: every quote in ``claims/`` was checked against these exact bytes, so an edited
copy (even a re-encoded apostrophe or a trailing newline) would silently change what the
desk's quotes mean. Each digest is hard-coded and must also equal the one catalogued in
``seeds/sources.yaml``. Second, the whole workspace validates with no findings at all
under ``--strict``, exactly as CI runs it.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from factcheck.cli import main

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "seeds"

PINNED_SHA256 = {
    "000_26a612d48eead8ab.txt": "acc4cdc4b3fbca0ef153b3cf974dc2f870873a5029aface27b63942ce9c0b5a5",
    "001_a96e1b342b792665.txt": "d464cc3d6753e12425dd78472c71d0c11596023c1ac94e2777026ac0df187b05",
    "002_61df674886ad32dc.txt": "99973f88e507e67e448c8de4c605c6aa1f9eae4b8c108dba20c2c17d7d8a59eb",
    "003_17b6ff35612932f2.txt": "cd65ca2a38b477f78d6a121e5d3bcc9e634336a3537b04608a9a291d5de92fe9",
    "004_fafdc2658f4e6a6b.txt": "f38a4da82509a6d1e209ffa30718d287fc0eea080d1894e57d321d880a5ae119",
}


def catalogued_sha256() -> dict[str, str]:
    """File name -> sha256 as recorded in seeds/sources.yaml."""
    sources = YAML(typ="safe").load((SEEDS / "sources.yaml").read_text(encoding="utf-8"))
    return {entry["file"]: entry["sha256"] for entry in sources["sources"].values()}


@pytest.mark.parametrize("name", sorted(PINNED_SHA256))
def test_seed_document_is_byte_identical_to_its_pinned_digest(name: str) -> None:
    digest = hashlib.sha256((SEEDS / name).read_bytes()).hexdigest()
    assert digest == PINNED_SHA256[name], f"seeds/{name} changed after it was archived"
    assert catalogued_sha256()[name] == PINNED_SHA256[name], (
        f"seeds/sources.yaml records another digest for {name}"
    )


def test_catalogue_lists_exactly_the_pinned_documents() -> None:
    assert sorted(catalogued_sha256()) == sorted(PINNED_SHA256)
    assert sorted(p.name for p in SEEDS.glob("*.txt")) == sorted(PINNED_SHA256)


def test_workspace_validates_with_no_findings_under_strict() -> None:
    result = CliRunner().invoke(main, ["--root", str(REPO_ROOT), "validate", "--strict"])
    assert result.exit_code == 0, result.output


def test_the_readme_excerpt_of_the_report_is_the_real_output() -> None:
    """Every line the README shows of ``factcheck report`` on this workspace is printed so."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    excerpt = readme.split("$ factcheck report\n", 1)[1].split("```", 1)[0]
    shown = [line for line in excerpt.splitlines() if line and line != "…"]
    result = CliRunner().invoke(main, ["--root", str(REPO_ROOT), "report"], env={"COLUMNS": "80"})
    assert result.exit_code == 0
    printed = result.stdout
    assert len(shown) > 25
    missing = [line for line in shown if line not in printed]
    assert missing == []
    blocks = excerpt.split("…\n")
    assert all(block.strip("\n") in printed for block in blocks if block.strip())


# --- What the desk decided in the re-audit (see docs/editorial.md) -------------------

SAFE_YAML = YAML(typ="safe")
QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
# The Taliban's own name for their state, and each side's vocabulary for the group:
# only ever inside quotes.
PARTISAN_NAMES = re.compile(r"Islamic Emirate|\bIEA\b|Daesh|Khawarij", re.IGNORECASE)
DISPUTES_WITH_PAKISTANI_ANSWER = (
    "pakistan-state-support-for-isisk",
    "isisk-transfer-intelligence-agencies",
    "pakistan-calls-afghanistan-militant-hub",
)


def load_yaml(path: Path) -> dict:
    return SAFE_YAML.load(path.read_text(encoding="utf-8"))


def claim_files() -> dict[str, dict]:
    return {path.stem: load_yaml(path) for path in sorted((REPO_ROOT / "claims").glob("*.yaml"))}


def positions(dispute: dict) -> list[dict]:
    return [dispute["claim"], *(dispute.get("counter_claims") or [])]


def desk_voice() -> list[tuple[str, str]]:
    """Every text written in the desk's own voice, with where it is: not the quotes."""
    texts = []
    catalogue = load_yaml(SEEDS / "parties.yaml")
    for side, description in catalogue["sides"].items():
        texts.append((f"side {side}", description))
    for party_id, party in catalogue["parties"].items():
        texts.append((f"party {party_id} name", party["name"]))
        texts.append((f"party {party_id} description", party.get("description") or ""))
    for dispute_id, dispute in claim_files().items():
        texts.append((f"{dispute_id} title", dispute["title"]))
        texts.append((f"{dispute_id} notes", dispute.get("notes") or ""))
        for position in positions(dispute):
            where = f"{dispute_id} ({position['party']})"
            texts.append((f"{where} statement", position["statement"]))
            texts.append((f"{where} rationale", position.get("rationale") or ""))
            for passage in position.get("evidence") or []:
                texts.append((f"{where} evidence note", passage.get("note") or ""))
    return texts


def test_every_party_has_a_recorded_alignment_with_its_reason() -> None:
    catalogue = load_yaml(SEEDS / "parties.yaml")
    for party_id, party in catalogue["parties"].items():
        assert "side" in party, f"{party_id}: alignment not recorded"
        assert party["side"] == "none" or party["side"] in catalogue["sides"], party_id
        assert (party.get("description") or "").strip(), f"{party_id}: no reason given"


def test_the_taliban_state_name_and_partisan_names_appear_only_inside_quotes() -> None:
    found = [
        (where, match.group(0))
        for where, text in desk_voice()
        for match in PARTISAN_NAMES.finditer(QUOTED.sub("", text))
    ]
    assert found == []


def test_no_id_or_tag_uses_the_taliban_state_name() -> None:
    catalogue = load_yaml(SEEDS / "parties.yaml")
    ids = [*catalogue["sides"], *catalogue["parties"]]
    for dispute_id, dispute in claim_files().items():
        ids += [dispute_id, *(dispute.get("tags") or [])]
    assert [name for name in ids if "iea" in name.split("-")] == []


def test_pakistans_answer_is_a_counter_claim_in_the_report() -> None:
    result = CliRunner().invoke(main, ["--root", str(REPO_ROOT), "report", "--format", "json"])
    report = json.loads(result.stdout)
    by_id = {dispute["id"]: dispute for dispute in report["disputes"]}
    for dispute_id in DISPUTES_WITH_PAKISTANI_ANSWER:
        counters = [p for p in by_id[dispute_id]["positions"] if p["role"] == "counter-claim"]
        assert [p["party"]["side"] for p in counters] == ["pakistan"], dispute_id


def test_each_position_is_held_by_one_side_against_the_other() -> None:
    """A counter-claim answers its claim: never from the claimant's own camp."""
    sides = {pid: p["side"] for pid, p in load_yaml(SEEDS / "parties.yaml")["parties"].items()}
    for dispute_id, dispute in claim_files().items():
        claimant = sides[dispute["claim"]["party"]]
        for counter in dispute.get("counter_claims") or []:
            assert claimant == "none" or sides[counter["party"]] != claimant, dispute_id


def test_dispute_dates_come_from_the_documents() -> None:
    """A date is recorded only when an archived document gives that day."""
    documents = "\n".join(path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt"))
    for dispute_id, dispute in claim_files().items():
        day = dispute.get("date")
        if day is None:
            continue
        written = (
            f"{day:%B} {day.day}, {day.year}",
            f"{day.day} {day:%B} {day.year}",
        )
        assert any(form in documents for form in written), dispute_id
