"""Ids and catalogues for the authoring commands, refused with the nearest known ids.

A command that is given an unknown or malformed id says what it knows instead of guessing;
a broken catalogue is named first, before anything that depends on it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from factcheck.model import Catalogue, Party
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
        hint = f"{len(known)} {kind}s are listed in {where}"
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


def known_party(catalogue: Catalogue, party: str) -> Party:
    if party not in catalogue.parties:
        raise unknown_id("party", party, catalogue.parties, PARTIES_FILE)
    return catalogue.parties[party]
