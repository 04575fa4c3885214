"""``factcheck new``: a claim file from a commented template.

The template's empty placeholders are reported one by one by ``factcheck validate`` until
they are filled, so a new file teaches its own format.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from factcheck.authoring import roundtrip
from factcheck.authoring.lookup import (
    catalogue_of,
    check_identifier,
    known_party,
)
from factcheck.model import Party
from factcheck.rules.scale import DEFAULT_SCALE, RatingScale
from factcheck.text import one_line
from factcheck.workspace import schema
from factcheck.workspace.loader import load_archive
from factcheck.workspace.root import Workspace, WorkspaceError


@dataclass(frozen=True)
class NewDispute:
    """A claim file written from the template: where, and its text."""

    path: str
    text: str


def new_dispute(
    workspace: Workspace,
    dispute_id: str,
    party: str,
    counter_parties: Iterable[str] = (),
    title: str | None = None,
) -> NewDispute:
    """Write ``claims/<id>.yaml`` from the commented template; never overwrite a file."""
    check_identifier(dispute_id, "dispute")
    counter_parties = list(dict.fromkeys(counter_parties))
    claims = workspace.claims_dir
    for suffix in (".yaml", ".yml"):
        existing = claims / f"{dispute_id}{suffix}"
        if os.path.lexists(existing):
            raise WorkspaceError(
                f"{workspace.relative(existing)} already exists; choose another id, or edit it"
            )
    if party in counter_parties:
        raise WorkspaceError(f"'{party}' cannot be both the party and a counter-party")
    catalogue = catalogue_of(load_archive(workspace), "party")
    parties = [known_party(catalogue, item) for item in [party, *counter_parties]]
    if title is not None and not title.strip():
        raise WorkspaceError("--title is empty; give the disputed question, or leave it out")
    scale = workspace.settings.rating_scale
    text = template(dispute_id, parties[0], parties[1:], title, scale)
    claims.mkdir(exist_ok=True)
    path = claims / f"{dispute_id}.yaml"
    workspace.write(path, text.encode("utf-8"), create=True)
    return NewDispute(workspace.relative(path), text)


def _describe(record: schema.RecordSpec, name: str) -> str:
    spec_field = record.field(name)
    assert spec_field is not None
    return spec_field.description


def template(
    dispute_id: str,
    party: Party,
    counter_parties: list[Party],
    title: str | None,
    scale: RatingScale = DEFAULT_SCALE,
) -> str:
    """The text of a new claim file: every field explained, every gap an empty value.

    Empty values are what ``factcheck validate`` reports as missing (FC101), each at its
    own line, so the template validates exactly when every placeholder is filled. The text
    is already in the canonical layout, so ``fmt`` leaves a fresh template alone.
    """
    dispute = schema.DISPUTE
    lines = [
        f"# claims/{dispute_id}.yaml: fill in every value marked TODO, then run",
        f"# 'factcheck validate claims/{dispute_id}.yaml', which reports each one still empty.",
        "# 'factcheck sources' lists the archived documents; 'factcheck quote SOURCE \"words\"'",
        "# finds a verbatim passage in one and prints it ready to paste.",
        "",
    ]
    if title is None:
        lines.append(f"title:   # TODO: {_describe(dispute, 'title')}")
    else:
        lines.append(roundtrip.dump({"title": roundtrip.text_value(title, 7, 0)}).rstrip("\n"))
    lines += [
        f"# date: 2024-03-26  # {_describe(dispute, 'date')}",
        f"# tags: [topic-id]  # {_describe(dispute, 'tags')}",
        f"# {_describe(dispute, 'claim')}: who, what, where on record, and the evidence",
        "claim:",
        *_position_lines(party, "  ", "  ", scale),
    ]
    if counter_parties:
        lines += [f"# {_describe(dispute, 'counter_claims')}, one per party", "counter_claims:"]
        for counter in counter_parties:
            lines += _position_lines(counter, "  - ", "    ", scale)
    else:
        lines += [
            f"# {_describe(dispute, 'counter_claims')}: add one like the claim above,",
            "# as a list item ('- party: ...'), for each party that says the opposite",
            "counter_claims: []",
        ]
    return "\n".join(lines) + "\n"


def _position_lines(party: Party, first: str, indent: str, scale: RatingScale) -> list[str]:
    position, passage, evidence = schema.POSITION, schema.PASSAGE, schema.EVIDENCE
    stances = ", ".join(schema.EVIDENCE.field("stance").choices)  # type: ignore[union-attr]
    labels = scale.labels
    verdicts = ", ".join(labels[:3]) + (" ..." if len(labels) > 3 else "")
    example = (scale.labels_for(("unproven",)) or labels[-1:])[0]
    name = one_line(party.name) or party.id
    return [
        f"{first}party: {party.id}   # {name}",
        f"{indent}statement:   # TODO: {_describe(position, 'statement')}",
        f"{indent}# {_describe(position, 'asserted_in')} (at least one)",
        f"{indent}asserted_in:",
        f"{indent}  - source:   # TODO: {_describe(passage, 'source')}",
        f"{indent}    quote:   # TODO: {_describe(passage, 'quote')}",
        f"{indent}# {_describe(position, 'evidence')}: each with source, quote",
        f"{indent}# and stance ({stances}), and optionally speaker",
        f"{indent}# ({_describe(evidence, 'speaker')}), credibility (1-6) and note",
        f"{indent}evidence: []",
        f"{indent}# {_describe(position, 'corroboration')}: 'factcheck validate' says",
        f"{indent}# what the evidence on file shows when it differs",
        f"{indent}corroboration: uncorroborated",
        f"{indent}# once reviewed, a verdict ({verdicts})",
        f"{indent}# and a rationale: {_describe(position, 'rationale')}",
        f"{indent}# verdict: {json.dumps(example) if _needs_quotes(example) else example}",
        f"{indent}# rationale: >-",
        f"{indent}#   TODO",
    ]


def _needs_quotes(text: str) -> bool:
    """Whether a label must be quoted to read back as the same text in YAML."""
    return not re.fullmatch(r"[A-Za-z][A-Za-z0-9 _-]*", text) or text.lower() in (
        "true",
        "false",
        "yes",
        "no",
        "on",
        "off",
        "null",
    )
