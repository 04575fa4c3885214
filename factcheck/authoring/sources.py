"""``factcheck add-source``: archive a document and record its digest in the catalogue.

The catalogue is edited round-trip, so its comments and layout stay as the desk wrote them.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from factcheck.authoring import roundtrip
from factcheck.authoring.lookup import (
    catalogue_of,
    check_identifier,
    known_party,
)
from factcheck.files.paths import is_inside
from factcheck.files.yamlnodes import decode_text, load_file, read_bytes
from factcheck.workspace import schema
from factcheck.workspace.fields import valid_date
from factcheck.workspace.loader import MAX_DOCUMENT_BYTES, load_archive, resolve_document
from factcheck.workspace.root import SOURCES_FILE, Workspace, WorkspaceError


@dataclass(frozen=True)
class AddedSource:
    """A document archived in seeds/ and catalogued in seeds/sources.yaml."""

    id: str
    path: str
    sha256: str
    copied: bool


def add_source(
    workspace: Workspace,
    document: str | os.PathLike[str],
    source_id: str,
    title: str,
    *,
    party: str | None = None,
    author: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    url: str | None = None,
) -> AddedSource:
    """Archive a document in seeds/ and record its digest and metadata in sources.yaml.

    The bytes are copied exactly (never over an existing file) and must be UTF-8 text, so
    quotes can be checked against them. A document already inside seeds/ is catalogued
    where it is. The new entry is appended with the keys in the declared order; the rest
    of sources.yaml, comments included, is kept.
    """
    check_identifier(source_id, "source")
    if not title.strip():
        raise WorkspaceError("--title is empty; give the document's title")
    if published is not None and not valid_date(published):
        raise WorkspaceError(
            f"--published '{published}' is not a valid date; write it as YYYY-MM-DD, "
            "e.g. 2024-03-26"
        )
    sources_path = workspace.root / SOURCES_FILE
    sources_text = _catalogue_text(workspace, sources_path)
    archive = load_archive(workspace)
    if party is not None:
        known_party(catalogue_of(archive, "party"), party)
    existing = _existing_sources(sources_text)
    if source_id in existing:
        raise WorkspaceError(
            f"source '{source_id}' is already in {SOURCES_FILE}; choose another id"
        )
    origin = Path(document)
    display = str(document)
    data, problem = read_bytes(origin, display, limit=MAX_DOCUMENT_BYTES)
    if problem is not None or data is None:
        raise WorkspaceError(problem.message if problem else f"{display}: cannot be read")
    _, problem = decode_text(data, display)
    if problem is not None:
        raise WorkspaceError(
            f"{display}:{problem.line}:{problem.column}: {problem.message}; "
            "archive a UTF-8 text copy of the document"
        )
    file, target, copied = _place(workspace, origin, existing)
    digest = hashlib.sha256(data).hexdigest()
    values = {
        "file": file,
        "sha256": digest,
        "title": title,
        "author": author,
        "publisher": publisher,
        "published": published,
        "url": url,
        "party": party,
    }
    new_text = _with_source(sources_text, source_id, values)
    if copied:
        workspace.write(target, data, create=True)
    try:
        if sources_text is None:
            workspace.write(sources_path, new_text.encode(), create=True)
        else:
            workspace.write(sources_path, new_text.encode())
    except BaseException:
        if copied:
            target.unlink(missing_ok=True)
        raise
    return AddedSource(source_id, workspace.relative(target), digest, copied)


def _catalogue_text(workspace: Workspace, path: Path) -> str | None:
    """The text of sources.yaml, refusing one that cannot be edited safely."""
    if not os.path.lexists(path):
        return None
    refusal = workspace.refusal_to_write(path)
    if refusal:
        raise WorkspaceError(refusal)
    document = load_file(path, SOURCES_FILE)
    if document.findings or document.root is None:
        first = document.findings[0] if document.findings else None
        where = f"{first.path}:{first.line}:{first.column}: {first.message}" if first else ""
        raise WorkspaceError(f"{where or SOURCES_FILE + ' holds no mapping'}; fix it first")
    return path.read_text(encoding="utf-8").removeprefix("\ufeff")


def _existing_sources(text: str | None) -> dict[str, str]:
    """Source id to file, as sources.yaml lists them (before any other check)."""
    if text is None:
        return {}
    data = roundtrip.plain_data(text)
    sources = data.get("sources")
    if not isinstance(sources, dict):
        return {}
    return {
        key: value.get("file", "") if isinstance(value, dict) else ""
        for key, value in sources.items()
    }


def _place(workspace: Workspace, origin: Path, existing: dict[str, str]) -> tuple[str, Path, bool]:
    """Where the document goes in seeds/, and whether it must be copied there."""
    seeds = workspace.seeds_dir
    if is_inside(seeds, origin):
        file = Path(os.path.relpath(os.path.realpath(origin), os.path.realpath(seeds))).as_posix()
        for other, recorded in existing.items():
            if recorded == file:
                raise WorkspaceError(f"seeds/{file} is already catalogued as source '{other}'")
        path, refusal = resolve_document(workspace, file)
        if path is None:
            raise WorkspaceError(refusal)
        return file, path, False
    name = origin.name
    if name.startswith(".") or not name:
        raise WorkspaceError(f"{origin}: give the document a visible file name")
    target = seeds / name
    if os.path.lexists(target):
        raise WorkspaceError(
            f"seeds/{name} already exists; it is not overwritten (rename the document, "
            "or catalogue the file already in seeds/)"
        )
    return name, target, True


def _with_source(text: str | None, source_id: str, values: dict[str, str | None]) -> str:
    """sources.yaml with one more entry, every comment and value of the rest kept."""
    entry = CommentedMap()
    for name in schema.SOURCE.names:
        value = values.get(name)
        if value is not None:
            entry[name] = roundtrip.text_value(value, len(name) + 2, 4)
    if text is None:
        data = CommentedMap()
        data["sources"] = CommentedMap({source_id: entry})
        return roundtrip.dump(data)

    def add(data: CommentedMap) -> None:
        sources = data.get("sources")
        if not isinstance(sources, CommentedMap):
            sources = CommentedMap()
            data["sources"] = sources
        sources.fa.set_block_style()
        sources[source_id] = entry

    new_text = roundtrip.edit_text(text, add)
    reread = roundtrip.plain_data(new_text)["sources"][source_id]
    if reread != {key: str(value) for key, value in entry.items()}:  # pragma: no cover
        raise WorkspaceError("internal error: the new entry did not read back as written")
    return new_text
