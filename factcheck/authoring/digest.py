"""``factcheck record-digest``: record a document's new sha256 after a deliberate change.

FC205 says an archived document no longer matches the digest on record. Sometimes that is
intended (a better copy, a corrected transcription); recording the new digest must then be
a decision made with the change in view, so the command shows the textual difference from
the copy the old digest was recorded for (the one in git's HEAD, when it matches) before
anything is written.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap

from factcheck.authoring import roundtrip
from factcheck.authoring.lookup import catalogue_of, catalogue_text, unknown_id, write_catalogue
from factcheck.files.yamlnodes import decode_text
from factcheck.workspace.git import committed_file
from factcheck.workspace.loader import DIGEST_FIELD, archived_bytes, load_locker
from factcheck.workspace.root import SOURCES_FILE, Workspace, WorkspaceError


@dataclass(frozen=True)
class FileChange:
    """One archived file whose bytes no longer match the digest on record.

    ``before`` is the text the old digest was recorded for, when git still has it (and it
    is text); ``after`` the text now on disk (``None`` for a binary original).
    """

    path: str
    field: str
    old: str
    new: str
    before: str | None
    after: str | None


@dataclass
class DigestChange:
    """What ``record-digest`` would change for one source."""

    source: str
    files: list[FileChange] = field(default_factory=list)


def digest_change(workspace: Workspace, source_id: str) -> DigestChange:
    """The source's files whose digest changed, with the text before and after."""
    catalogue = catalogue_of(load_locker(workspace), "source")
    source = catalogue.sources.get(source_id)
    if source is None:
        raise unknown_id("source", source_id, catalogue.sources, SOURCES_FILE)
    change = DigestChange(source_id)
    for name, digest_field in DIGEST_FIELD.items():
        problems: list = []
        data = archived_bytes(workspace, source, name, problems)
        refusals = [item for item in problems if item.code == "FC204"]
        if refusals:
            raise WorkspaceError(f"{refusals[0].message}; the digest cannot be recorded")
        if data is None:
            continue
        new = hashlib.sha256(data).hexdigest()
        old = getattr(source, digest_field) or ""
        if new == old:
            continue
        relative = f"seeds/{getattr(source, name)}"
        committed = committed_file(workspace.root, relative)
        before = None
        if committed is not None and hashlib.sha256(committed).hexdigest() == old:
            before = _text(committed)
        change.files.append(FileChange(relative, digest_field, old, new, before, _text(data)))
    return change


def record_digests(workspace: Workspace, change: DigestChange) -> None:
    """Write the new digests into sources.yaml, every comment and other value kept."""
    text = catalogue_text(workspace, SOURCES_FILE)
    if text is None or not change.files:
        return

    def update(data: CommentedMap) -> None:
        entry = data["sources"][change.source]
        for item in change.files:
            entry[item.field] = item.new

    write_catalogue(workspace, SOURCES_FILE, text, roundtrip.edit_text(text, update))


def _text(data: bytes) -> str | None:
    text, problem = decode_text(data, "")
    return None if problem is not None else text
