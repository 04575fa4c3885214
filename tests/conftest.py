"""A tiny workspace factory: each test writes the claim files it needs into ``tmp_path``.

``desk`` starts from a small valid workspace (two sides, four parties, two documents and
one valid dispute) so a test only states the YAML it is about and the finding it expects.
"""

from __future__ import annotations

import hashlib
import json
import os
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from factcheck.cli import main
from factcheck.engine.cache import CACHE_DIR

REPOSITORY = Path(__file__).resolve().parents[1]

# CI gates every merge, so there the property tests explore the same examples on every run
# (HYPOTHESIS_PROFILE=ci); a developer's runs keep drawing new ones and so keep finding bugs.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

REPORT_TEXT = """\
Security Report

The military press office said that the planning for the attack was done in the
neighbouring country and that the bomber was a foreign national.
The defence ministry termed the claims “irresponsible and far from the reality”.
An independent researcher said the bomber had crossed the border a week before the attack.
A second researcher found that the bomber had lived in the city for many years.
"""

ANALYSIS_TEXT = """\
Analysis

A former envoy wrote that the planning for the attack was done across the border.
The outlet reported that officials had briefed journalists on the investigation.
The envoy cited a researcher who found that the bomber had crossed the border a week
before the attack.
"""

PARTIES_YAML = """\
sides:
  north: The northern government and its institutions
  south: The southern government and its institutions
parties:
  press-office:
    name: Military press office of the north
    side: north
    kind: military
  defence-ministry:
    name: Defence ministry of the south
    side: south
    kind: government
  researcher:
    name: An independent researcher
    side: none
    kind: person
    description: Works for a university abroad; neither government funds or employs her.
  envoy:
    name: A former envoy
    side: none
    kind: person
    description: A former envoy of a third country, speaking for neither government.
  daily-news:
    name: Daily News
    side: north
    kind: media
"""

VALID_CLAIM = """\
title: Was the attack planned across the border?
date: 2024-03-26
tags: [attack]
claim:
  party: press-office
  statement: The attack was planned in the neighbouring country.
  asserted_in:
    - source: security-report
      quote: >-
        said that the planning for the attack was done in the
        neighbouring country
  evidence:
    - source: analysis
      quote: the planning for the attack was done across the border
      stance: supports
      speaker: envoy
  corroboration: single-source
  verdict: unproven
  rationale: One independent origin supports it; that is not enough.
counter_claims:
  - party: defence-ministry
    statement: The claim is false.
    asserted_in:
      - source: security-report
        quote: termed the claims "irresponsible and far from the reality"
    evidence:
      - source: security-report
        quote: the bomber had crossed the border a week before the attack
        stance: context
        speaker: researcher
    corroboration: uncorroborated
    verdict: unproven
    rationale: Only the ministry's denial is on file.
"""

WARNING_ONLY_CLAIM = VALID_CLAIM.replace(
    'quote: termed the claims "irresponsible and far from the reality"', "quote: the reality"
)
"""The valid claim with one warning and no error: a quote too short to be distinctive (FC206)."""


def sources_yaml(documents: dict[str, tuple[str, str, str | None]]) -> str:
    """A sources.yaml for documents given as id -> (file, text, party)."""
    lines = ["sources:"]
    for source_id, (file, text, party) in documents.items():
        digest = hashlib.sha256(text.encode()).hexdigest()
        lines += [
            f"  {source_id}:",
            f"    file: {file}",
            f"    sha256: {digest}",
            f"    title: {source_id.replace('-', ' ').title()}",
            f"    party: {party}" if party else "    party: null",
        ]
    return "\n".join(lines) + "\n"


DOCUMENTS = {
    "security-report": ("report.txt", REPORT_TEXT, "daily-news"),
    "analysis": ("analysis.txt", ANALYSIS_TEXT, "envoy"),
}


@dataclass
class Desk:
    """A workspace in a temporary directory, with helpers to write files and run commands."""

    root: Path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def claim(self, name: str, text: str) -> Path:
        return self.write(f"claims/{name}.yaml", text)

    def run(self, *args: str, env: dict[str, str] | None = None) -> Result:
        """Invoke the CLI on this workspace, as a user would, and return the result."""
        return CliRunner().invoke(main, ["--root", str(self.root), *args], env=env)

    def findings(self, *paths: str) -> list[tuple[str, str, int, int]]:
        """``(path, code, line, column)`` of every finding, via the JSON output."""
        result = self.run("validate", "--format", "json", *paths)
        assert result.exit_code in (0, 1), result.output
        payload = json.loads(result.stdout)
        return [
            (item["path"], item["code"], item["line"], item["column"])
            for item in payload["findings"]
        ]

    def codes(self) -> list[str]:
        return [code for _, code, _, _ in self.findings()]


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    """A valid workspace with no findings; tests add or overwrite files."""
    workspace = Desk(tmp_path)
    workspace.write("seeds/parties.yaml", PARTIES_YAML)
    for file, text, _ in DOCUMENTS.values():
        (tmp_path / "seeds").mkdir(exist_ok=True)
        (tmp_path / "seeds" / file).write_text(text, encoding="utf-8")
    workspace.write("seeds/sources.yaml", sources_yaml(DOCUMENTS))
    workspace.claim("attack-planning", VALID_CLAIM)
    return workspace


@pytest.fixture(autouse=True)
def private_user_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own user cache directory, so the cache key never lands in the
    real user's directory. XDG_CACHE_HOME is what platformdirs reads on Linux (where the
    suite runs) and what child processes inherit; tests that validate the repository's own
    workspace pass --no-cache, so no test writes into the source tree either."""
    directory = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("XDG_CACHE_HOME", str(directory))
    return directory


@pytest.fixture(scope="session", autouse=True)
def source_tree_stays_clean() -> Iterator[None]:
    """A run that leaves a new validation cache in the source tree fails: tests write into
    temporary directories only (a cache there before the run, a desk's own, is left be)."""
    before = set(REPOSITORY.rglob(CACHE_DIR))
    yield
    left = sorted(str(path) for path in set(REPOSITORY.rglob(CACHE_DIR)) - before)
    assert left == [], "tests wrote a cache into the source tree; pass --no-cache"
