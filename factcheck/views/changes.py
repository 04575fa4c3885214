"""What a change touched: the disputes ``--changed-since REV`` selects for a pull request.

A pull request's step summary should show what the pull request changed, not ten thousand
rows. A dispute is touched when its claim file changed since the revision (or is new), or
when the change reaches it through the evidence locker: a changed side, party or source
entry, or a changed document, that the dispute relies on (the parties and sources it
names, the parties those sources speak for, following ``based_on``, and their sides, on
either side of the change). A changed setting touches every dispute. The revision is read
with git, as ``factcheck diff`` reads it: only its ``seeds/`` and ``factcheck.yaml`` are
copied out, never checked out, and the claim files are compared by git itself.
"""

from __future__ import annotations

from collections.abc import Iterable

from factcheck.engine.run import Validation
from factcheck.model import Catalogue
from factcheck.views.diff import entry_changes, settings_at
from factcheck.views.report import Changes, DisputeRow, record_of
from factcheck.workspace.git import changed_files, revision_tree
from factcheck.workspace.loader import load_locker
from factcheck.workspace.root import SEEDS_DIR, SETTINGS_FILE, Workspace


def changes_since(validation: Validation, rev: str) -> Changes:
    """The claim files a change since ``rev`` touched (a usage error if git cannot say)."""
    archive = validation.archive
    workspace = archive.workspace
    with revision_tree(workspace, rev, parts=(SEEDS_DIR, SETTINGS_FILE)) as tree:
        settings, _ = settings_at(tree.root, workspace.settings)
        before = load_locker(Workspace(tree.root, settings))
        commit = tree.commit
    files = changed_files(workspace.root, commit)
    claim_paths = [item.path for item in archive.claim_files]
    if settings != workspace.settings:
        return Changes(rev, commit, frozenset(claim_paths))
    entries = {(item.kind, item.id) for item in entry_changes(before.catalogue, archive.catalogue)}
    entries |= {
        ("source", source)
        for source in before.digests.keys() | archive.digests.keys()
        if before.digests.get(source) != archive.digests.get(source)
    }
    touched = {path for path in claim_paths if path in files}
    for claim_file in archive.claim_files:
        if claim_file.path in touched:
            continue
        record = record_of(archive, claim_file) if entries else None
        if record is not None and reach(record[0], (before.catalogue, archive.catalogue)) & entries:
            touched.add(claim_file.path)
    return Changes(rev, commit, frozenset(touched))


def reach(row: DisputeRow, catalogues: Iterable[Catalogue]) -> set[tuple[str, str]]:
    """The catalogue entries a dispute relies on, as ``(kind, id)``, in any of the catalogues."""
    catalogues = list(catalogues)
    sources: set[str] = set()
    pending = list(row.sources)
    parties = set(row.parties)
    while pending:
        source_id = pending.pop()
        if source_id in sources:
            continue
        sources.add(source_id)
        for catalogue in catalogues:
            source = catalogue.sources.get(source_id)
            if source is not None:
                if source.party:
                    parties.add(source.party)
                pending.extend(ref.id for ref in source.based_on)
    sides = {
        party.side
        for catalogue in catalogues
        for party_id in parties
        if (party := catalogue.parties.get(party_id)) is not None and party.side
    }
    return (
        {("source", item) for item in sources}
        | {("party", item) for item in parties}
        | {("side", item) for item in sides}
    )
