"""Workspaces for the site's tests: a hostile one whose every text tries to run or inject.

Statements, quotes, titles, notes, names, rationales and addresses hold script tags, event
handlers, ``javascript:`` links and plain markup. A page built from them must show each of
them as text: no dialog opens, no element appears, no link runs script.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from click.testing import CliRunner, Result

from factcheck.cli import main

SCRIPT = "<script>alert('script')</script>"
IMAGE = "<img src=x onerror=alert('img')>"
MARKUP = "<b>bold</b> <a href=javascript:alert('a')>click</a> </textarea></title>"
CLOSER = "</script><script>alert('ld')</script>"
PAYLOADS = (SCRIPT, IMAGE, MARKUP, CLOSER)

DOCUMENT = f"""\
Hostile {SCRIPT} report

The spokesman said {IMAGE} that the bridge was closed by the army on Monday morning.
Observers wrote {MARKUP} that the bridge was open to traffic all week long.
A second line quotes {CLOSER} and says the convoy crossed the river at night.
"""

PARTIES = f"""\
sides:
  north: The north
  south: The south
parties:
  spokesman:
    name: "Spokesman {SCRIPT}"
    side: north
    kind: government
  observers:
    name: "Observers {IMAGE}"
    side: south
    kind: organisation
    description: "Unaligned monitors {MARKUP}"
  rival:
    name: "Rival {MARKUP}"
    side: south
    kind: person
"""

CLAIM = f"""\
title: "Was the bridge closed? {SCRIPT}"
date: 2024-05-06
tags: [bridge]
notes: "Notes {IMAGE} {MARKUP}"
claim:
  party: spokesman
  statement: "The army closed the bridge {SCRIPT} {CLOSER}"
  asserted_in:
    - source: hostile-report
      quote: "The spokesman said {IMAGE} that the bridge was closed by the army"
  evidence:
    - source: hostile-report
      quote: "Observers wrote {MARKUP} that the bridge was open to traffic all week long."
      stance: context
      note: "Note {SCRIPT}"
  corroboration: uncorroborated
  verdict: misleading
  reviewed: 2024-05-07
  rationale: "Independent observers saw traffic. {IMAGE}"
counter_claims:
  - party: rival
    statement: "The bridge stayed open {MARKUP}"
    asserted_in:
      - source: hostile-report
        quote: "A second line quotes {CLOSER} and says the convoy crossed the river at night."
    corroboration: uncorroborated
"""

SETTINGS = """\
publisher:
  name: "Desk <script>alert('publisher')</script>"
  url: https://desk.example.org/
site_url: https://desk.example.org/checks/
"""


def hostile_workspace(root: Path) -> Path:
    """Write the hostile workspace into ``root`` and return it."""
    (root / "claims").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "seeds" / "hostile.txt").write_text(DOCUMENT, encoding="utf-8")
    digest = hashlib.sha256(DOCUMENT.encode()).hexdigest()
    (root / "seeds" / "sources.yaml").write_text(
        "sources:\n"
        "  hostile-report:\n"
        "    file: hostile.txt\n"
        f"    sha256: {digest}\n"
        f'    title: "Report {SCRIPT}"\n'
        f'    author: "{IMAGE}"\n'
        "    url: javascript:alert('url')\n"
        "    party: observers\n",
        encoding="utf-8",
    )
    (root / "seeds" / "parties.yaml").write_text(PARTIES, encoding="utf-8")
    (root / "claims" / "bridge-closure.yaml").write_text(CLAIM, encoding="utf-8")
    (root / "factcheck.yaml").write_text(SETTINGS, encoding="utf-8")
    return root


def build_site(workspace: Path, output: Path) -> Result:
    """Run ``factcheck site`` as a user would."""
    return CliRunner().invoke(
        main, ["--root", str(workspace), "site", "--output", str(output), "--no-cache"]
    )
