"""Ids and catalogues for the authoring commands, refused with the nearest known ids.

A command that is given an unknown or malformed id says what it knows instead of guessing;
a broken catalogue is named first, before anything that depends on it.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable

from factcheck.files.yamlnodes import Mapping, load_file
from factcheck.model import Catalogue, Party
from factcheck.text import counted
from factcheck.workspace import schema
from factcheck.workspace.loader import Archive, load_archive
from factcheck.workspace.root import PARTIES_FILE, SOURCES_FILE, Workspace, WorkspaceError

NEAREST = 3
"""How many nearest ids a refusal names."""


def nearest_ids(word: str, known: Iterable[str], count: int = NEAREST) -> list[str]:
    """The known ids closest to a misspelt or shortened one, best first."""
    known = sorted(known)
    containing = [item for item in known if word and word in item]
    close = difflib.get_close_matches(word, known, n=count, cutoff=0.5)
    return list(dict.fromkeys(containing + close))[:count]


def unknown_id(kind: str, word: str, known: Iterable[str], where: str) -> WorkspaceError:
    """A refusal for an unknown id that names the nearest known ones."""
    known = list(known)
    close = nearest_ids(word, known)
    if close:
        hint = "did you mean " + " or ".join(f"'{item}'" for item in close) + "?"
    elif known:
        hint = f"{counted(len(known), kind)} listed in {where}"
    else:
        hint = f"{where} lists none"
    return WorkspaceError(f"unknown {kind} '{word}' ({hint})")


def check_identifier(value: str, kind: str) -> None:
    """Refuse an id that is not kebab-case, suggesting the kebab-case form."""
    if schema.IDENTIFIER.fullmatch(value):
        return
    suggestion = "-".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())
    example = f", e.g. '{suggestion}'" if suggestion else ""
    raise WorkspaceError(
        f"'{value}' is not a valid {kind} id: use lowercase letters, digits and single "
        f"hyphens (kebab-case){example}"
    )


def load_catalogue(workspace: Workspace, kind: str) -> Archive:
    """The workspace's archive, refused when the catalogue of ``kind`` cannot be read."""
    archive = load_archive(workspace)
    catalogue_of(archive, kind)
    return archive


def catalogue_of(archive: Archive, kind: str) -> Catalogue:
    """The archive's catalogue, refusing to guess when the catalogue file itself is broken."""
    relative = PARTIES_FILE if kind == "party" else SOURCES_FILE
    entries = archive.catalogue.parties if kind == "party" else archive.catalogue.sources
    broken = [item for item in archive.findings if item.path == relative]
    if not entries and broken:
        first = broken[0]
        raise WorkspaceError(
            f"{relative}:{first.line}:{first.column}: {first.message}; "
            "fix the catalogue first ('factcheck validate' lists every problem)"
        )
    return archive.catalogue


def ids_for_completion(workspace: Workspace, kind: str) -> list[str]:
    """The ids a shell may complete: disputes from claims/, and sources, parties and sides
    from the catalogue's keys. Only the one file is read, and safely; anything broken
    completes nothing rather than fail a keystroke."""
    if kind == "dispute":
        return [
            display.rsplit("/", 1)[-1].removesuffix(".yaml")
            for _, display, _ in workspace.claim_paths()
            if display.endswith(".yaml")
        ]
    relative, section = {
        "source": (SOURCES_FILE, "sources"),
        "party": (PARTIES_FILE, "parties"),
        "side": (PARTIES_FILE, "sides"),
    }[kind]
    path = workspace.root / relative
    if not path.is_file() or not workspace.contains(path):
        return []
    root = load_file(path, relative).root
    entries = root.entries.get(section) if isinstance(root, Mapping) else None
    if entries is None or not isinstance(entries[1], Mapping):
        return []
    return list(entries[1].entries)


def catalogue_text(workspace: Workspace, relative: str) -> str | None:
    """The text of a catalogue file to edit (``None`` when it does not exist yet),
    refusing one that cannot be edited safely: a link out, or a file with a YAML error."""
    path = workspace.root / relative
    if not os.path.lexists(path):
        return None
    refusal = workspace.refusal_to_write(path)
    if refusal:
        raise WorkspaceError(refusal)
    document = load_file(path, relative)
    if document.findings or document.root is None:
        first = document.findings[0] if document.findings else None
        where = f"{first.path}:{first.line}:{first.column}: {first.message}" if first else ""
        raise WorkspaceError(f"{where or relative + ' holds no mapping'}; fix it first")
    return path.read_text(encoding="utf-8").removeprefix("\ufeff")


def write_catalogue(workspace: Workspace, relative: str, old: str | None, new: str) -> None:
    """Write an edited catalogue atomically; a new one never over a file made meanwhile."""
    workspace.write(workspace.root / relative, new.encode("utf-8"), create=old is None)


def known_party(catalogue: Catalogue, party: str) -> Party:
    if party not in catalogue.parties:
        raise unknown_id("party", party, catalogue.parties, PARTIES_FILE)
    return catalogue.parties[party]
