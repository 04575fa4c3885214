"""A dispute's JSON record says what its view shows.

``views.report.dispute_json`` builds the record of ``report --format json`` and ``show
--format json`` straight from the dispute, beside ``build_dispute``, which builds the view
the table, the Markdown and the site show (going through the view cost the JSON report its
target). The two are built from the same pieces; this test holds them to the same
content, passage by passage, on every dispute of the repository's own workspace and of the
tests' fixture.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck import open_workspace
from factcheck.views.report import (
    DisputeView,
    Origin,
    PassageView,
    PositionView,
    build_dispute,
    dispute_json,
)
from factcheck.workspace.loader import load_archive
from tests.conftest import Desk

ROOT = Path(__file__).resolve().parent.parent


def origin(item: Origin | None) -> dict[str, object] | None:
    return None if item is None else {"id": item.id, "name": item.name, "side": item.side}


def passage(view: PassageView) -> dict[str, object]:
    first = view.location
    return {
        "label": view.label,
        "kind": view.kind,
        "source": view.source,
        "source_title": view.source_title,
        "file": view.file,
        "quote": view.quote,
        "found": bool(view.found),
        "line": first.line if first else None,
        "column": first.column if first else None,
        "fragments": [{"line": item.line, "column": item.column} for item in view.found],
        "claim_file_line": view.at.line,
        "claim_file_column": view.at.column,
        "stance": view.stance,
        "speaker": view.speaker,
        "origin": origin(view.origin),
        "channel": origin(view.channel),
        "counts": view.counts,
        "reason": view.reason,
        "credibility": view.credibility,
        "note": view.note,
    }


def position(view: PositionView) -> dict[str, object]:
    return {
        "role": view.role,
        "party": {
            "id": view.party,
            "name": view.party_name,
            "side": view.side,
            "side_description": view.side_description,
        },
        "statement": view.statement,
        "asserted_in": [passage(item) for item in view.asserted_in],
        "evidence": [passage(item) for item in view.evidence],
        "evidence_counts": {
            "supports": view.supporting,
            "refutes": view.refuting,
            "context": view.context,
        },
        "independent_origins": {
            "supporting": [origin(item) for item in view.independent_supporting],
            "refuting": [origin(item) for item in view.independent_refuting],
        },
        "corroboration": {"recorded": view.corroboration, "computed": view.computed_corroboration},
        "verdict": view.verdict,
        "rationale": view.rationale,
        "reviewed": view.reviewed,
        "claim_file_line": view.at.line,
        "claim_file_column": view.at.column,
    }


def shown(view: DisputeView) -> dict[str, object]:
    """What the view shows, in the record's shape."""
    return {
        "id": view.id,
        "path": view.path,
        "title": view.title,
        "date": view.date,
        "tags": list(view.tags),
        "notes": view.notes,
        "has_counter_claim": bool(view.counter_claims),
        "positions": [position(item) for item in view.positions],
        "matrix": [
            {
                "passage": row.passage.label,
                "cells": [
                    {"stance": cell.stance, "counts": cell.counts, "reason": cell.reason}
                    for cell in row.cells
                ],
            }
            for row in view.matrix
        ],
    }


@pytest.mark.parametrize("where", ["the repository's workspace", "the tests' fixture"])
def test_every_record_says_what_its_view_shows(where: str, desk: Desk) -> None:
    archive = load_archive(open_workspace(ROOT if where.startswith("the repo") else desk.root))
    assert archive.disputes
    for dispute in archive.disputes:
        assert dispute_json(dispute, archive) == shown(build_dispute(dispute, archive)), dispute.id
