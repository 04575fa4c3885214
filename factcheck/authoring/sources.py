"""``factcheck add-source``: archive a document and record its digest in the catalogue.

The catalogue is edited round-trip, so its comments and layout stay as the desk wrote them.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from factcheck.authoring import roundtrip
from factcheck.authoring.documents import Readable, kind_of, readable
from factcheck.authoring.lookup import (
    catalogue_of,
    catalogue_text,
    check_identifier,
    known_party,
    unknown_id,
    write_catalogue,
)
from factcheck.files.paths import is_inside
from factcheck.files.yamlnodes import decode_text, read_bytes
from factcheck.model import RELIABILITY_GRADES
from factcheck.text import choices
from factcheck.workspace import schema
from factcheck.workspace.fields import valid_date
from factcheck.workspace.loader import MAX_DOCUMENT_BYTES, load_archive, resolve_document
from factcheck.workspace.root import SOURCES_FILE, Workspace, WorkspaceError


@dataclass(frozen=True)
class AddedSource:
    """A document archived in seeds/ and catalogued in seeds/sources.yaml.

    For a web page or a PDF, ``original`` is the archived original and ``path`` its
    readable text, the file quotes are matched against; ``declared`` holds the metadata
    the document declared and the entry took (the desk's options win over it).
    """

    id: str
    path: str
    sha256: str
    copied: bool
    original: str | None = None
    original_sha256: str | None = None
    declared: dict[str, str] = field(default_factory=dict)


def add_source(
    workspace: Workspace,
    document: str | os.PathLike[str],
    source_id: str,
    title: str | None = None,
    *,
    party: str | None = None,
    author: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    url: str | None = None,
    reliability: str | None = None,
    based_on: Sequence[str] = (),
) -> AddedSource:
    """Archive a document in seeds/ and record its digest and metadata in sources.yaml.

    A text document is copied exactly (never over an existing file) and must be UTF-8. A
    web page or a PDF is copied as it is, and its readable text is written beside it as
    ``<name>.txt``, the file quotes are matched against; the metadata the document
    declares fills what the options leave out. A document already inside seeds/ is
    catalogued where it is. The new entry is appended with the keys in the declared
    order; the rest of sources.yaml, comments included, is kept.
    """
    _refuse_bad_options(source_id, title, reliability)
    sources_text = catalogue_text(workspace, SOURCES_FILE)
    archive = load_archive(workspace)
    if party is not None:
        known_party(catalogue_of(archive, "party"), party)
    existing = _existing_sources(sources_text)
    if source_id in existing:
        raise WorkspaceError(
            f"source '{source_id}' is already in {SOURCES_FILE}; choose another id"
        )
    for other in based_on:
        if other not in existing:
            raise unknown_id("source", other, existing, SOURCES_FILE)
    origin = Path(document)
    display = str(document)
    data, read = _read_document(origin, display)
    file, target, copied = _place(workspace, origin, existing)
    given = {
        "title": title,
        "author": author,
        "publisher": publisher,
        "published": published,
        "url": url,
    }
    metadata, declared = _metadata(given, read, display)
    writes = [(target, data)] if copied else []
    original = original_digest = None
    digest = hashlib.sha256(data).hexdigest()
    if read.kind != "text":
        original, original_digest = file, digest
        text_target = target.with_name(target.name + ".txt")
        if os.path.lexists(text_target):
            raise WorkspaceError(
                f"{workspace.relative(text_target)} already exists; it is not overwritten "
                "(rename the document)"
            )
        text_bytes = read.text.encode("utf-8")
        file, target = f"{file}.txt", text_target
        digest = hashlib.sha256(text_bytes).hexdigest()
        writes.append((text_target, text_bytes))
    values = {
        "file": file,
        "sha256": digest,
        "original": original,
        "original_sha256": original_digest,
        **metadata,
        "party": party,
        "based_on": list(based_on) or None,
        "reliability": reliability,
    }
    new_text = roundtrip.with_entry(sources_text, "sources", source_id, values, schema.SOURCE)
    written: list[Path] = []
    try:
        for path, content in writes:
            workspace.write(path, content, create=True)
            written.append(path)
        write_catalogue(workspace, SOURCES_FILE, sources_text, new_text)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return AddedSource(
        source_id,
        workspace.relative(target),
        digest,
        copied,
        original and f"seeds/{original}",
        original_digest,
        declared,
    )


def _refuse_bad_options(source_id: str, title: str | None, reliability: str | None) -> None:
    """Refuse, before anything is read, what the options themselves get wrong."""
    check_identifier(source_id, "source")
    if title is not None and not title.strip():
        raise WorkspaceError("--title is empty; give the document's title")
    if reliability is not None and reliability not in RELIABILITY_GRADES:
        raise WorkspaceError(
            f"--reliability '{reliability}' is not an Admiralty grade; use "
            f"{choices(RELIABILITY_GRADES)} (A completely reliable ... F cannot be judged)"
        )


def _read_document(origin: Path, display: str) -> tuple[bytes, Readable]:
    """The document's bytes, bounded, and its readable text (a text document must be UTF-8
    and is its own text)."""
    data, problem = read_bytes(origin, display, limit=MAX_DOCUMENT_BYTES)
    if problem is not None or data is None:
        raise WorkspaceError(problem.message if problem else f"{display}: cannot be read")
    kind = kind_of(origin, data)
    if kind != "text":
        return data, readable(kind, data, display)
    _, problem = decode_text(data, display)
    if problem is not None:
        raise WorkspaceError(
            f"{display}:{problem.line}:{problem.column}: {problem.message}; "
            "archive a UTF-8 text copy of the document, an HTML page or a PDF"
        )
    return data, Readable("text", "")


def _metadata(
    given: dict[str, str | None], read: Readable, display: str
) -> tuple[dict[str, str | None], dict[str, str]]:
    """The options the desk gave, and for the rest what the document itself declares (also
    returned alone, to be reported); a title is required and a date must be one."""
    declared = {key: value for key, value in read.declared.items() if given.get(key) is None}
    metadata = {**given, **declared}
    if metadata["title"] is None:
        raise WorkspaceError(f"{display} declares no title; give the document's title with --title")
    if metadata["published"] is not None and not valid_date(metadata["published"]):
        where = (
            "--published" if given["published"] is not None else "the date the document declares,"
        )
        raise WorkspaceError(
            f"{where} '{metadata['published']}' is not a valid date; write it as "
            "YYYY-MM-DD with --published, e.g. 2024-03-26"
        )
    return metadata, declared


def _existing_sources(text: str | None) -> dict[str, tuple[str, ...]]:
    """Source id to its files (the text, and an original), as sources.yaml lists them."""
    if text is None:
        return {}
    data = roundtrip.plain_data(text)
    sources = data.get("sources")
    if not isinstance(sources, dict):
        return {}
    return {
        key: tuple(value.get(name, "") for name in ("file", "original"))
        if isinstance(value, dict)
        else ()
        for key, value in sources.items()
    }


def _place(
    workspace: Workspace, origin: Path, existing: dict[str, tuple[str, ...]]
) -> tuple[str, Path, bool]:
    """Where the document goes in seeds/, and whether it must be copied there."""
    seeds = workspace.seeds_dir
    if is_inside(seeds, origin):
        file = Path(os.path.relpath(os.path.realpath(origin), os.path.realpath(seeds))).as_posix()
        for other, recorded in existing.items():
            if file in recorded:
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
