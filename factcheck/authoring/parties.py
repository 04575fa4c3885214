"""``factcheck add-party``: a new party in seeds/parties.yaml, its comments and layout kept.

A desk adds parties as it meets them; writing YAML by hand for each one invites typos in
ids and sides that every claim file then trips over. The side must be one the catalogue
declares, or ``none`` once the desk has checked that the party is aligned with no side
(which needs a description saying why, docs/formats.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.authoring import roundtrip
from factcheck.authoring.lookup import (
    catalogue_of,
    catalogue_text,
    check_identifier,
    write_catalogue,
)
from factcheck.model import PARTY_KINDS
from factcheck.rules.independence import NO_SIDE
from factcheck.text import choices, did_you_mean
from factcheck.workspace import schema
from factcheck.workspace.loader import load_locker
from factcheck.workspace.root import PARTIES_FILE, Workspace, WorkspaceError


@dataclass(frozen=True)
class AddedParty:
    """A party appended to seeds/parties.yaml."""

    id: str
    name: str
    side: str | None


def add_party(
    workspace: Workspace,
    party_id: str,
    name: str,
    *,
    side: str | None = None,
    kind: str | None = None,
    description: str | None = None,
) -> AddedParty:
    """Append a party to seeds/parties.yaml, refusing what validate would report."""
    check_identifier(party_id, "party")
    if not name.strip():
        raise WorkspaceError("--name is empty; give the party's full name")
    if kind is not None and kind not in PARTY_KINDS:
        raise WorkspaceError(f"--kind '{kind}' is not a kind of party; use {choices(PARTY_KINDS)}")
    if description is not None and not description.strip():
        raise WorkspaceError("--description is empty; say who the party is, or leave it out")
    text = catalogue_text(workspace, PARTIES_FILE)
    catalogue = catalogue_of(load_locker(workspace), "party")
    if party_id in catalogue.parties:
        raise WorkspaceError(f"party '{party_id}' is already in {PARTIES_FILE}; choose another id")
    if side == NO_SIDE and description is None:
        raise WorkspaceError(
            "--side none needs --description saying why the desk judges the party aligned "
            "with no side"
        )
    if side is not None and side != NO_SIDE and side not in catalogue.sides:
        known = choices([*catalogue.sides, NO_SIDE])
        raise WorkspaceError(
            f"unknown side '{side}'{did_you_mean(side, catalogue.sides)}; use {known}, or "
            f"declare the side under 'sides:' in {PARTIES_FILE} first"
        )
    values = {"name": name, "side": side, "kind": kind, "description": description}
    new_text = roundtrip.with_entry(text, "parties", party_id, values, schema.PARTY)
    write_catalogue(workspace, PARTIES_FILE, text, new_text)
    return AddedParty(party_id, name, side)
