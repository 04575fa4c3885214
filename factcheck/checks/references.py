"""FC201–FC207: references between files, and quotes against the archived documents.

Every id a claim file names must exist in the catalogue, every quote must stand in its
document, and every catalogued party and source should be used somewhere. These checks
need the whole workspace, so they run after every file has been read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from factcheck.files.yamlnodes import Location
from factcheck.findings import Finding, finding
from factcheck.model import Catalogue, Dispute, Passage
from factcheck.rules.independence import NO_SIDE
from factcheck.rules.quotes import MIN_QUOTE_LENGTH, normalise
from factcheck.text import did_you_mean
from factcheck.workspace.loader import Archive
from factcheck.workspace.root import PARTIES_FILE, SOURCES_FILE


def check_disputes(archive: Archive) -> Iterator[Finding]:
    """Yield the reference and quote findings of the claim files (each at its own file)."""
    for dispute in archive.disputes:
        for position in dispute.positions:
            if position.party is not None:
                yield from _party(archive, dispute.path, position.party, position.locate("party"))
            for passage in position.passages:
                yield from _passage(archive, dispute.path, passage)


def check_catalogue(
    archive: Archive, used_parties: Iterable[str], used_sources: Iterable[str]
) -> Iterator[Finding]:
    """Yield the findings about the catalogues: broken references inside them, and the
    parties and sources that neither the claim files (``used_*``, see ``named_ids``) nor
    other catalogue entries use."""
    yield from _catalogue_references(archive)
    yield from _unused(archive, set(used_parties), set(used_sources))


def named_ids(disputes: Iterable[Dispute]) -> tuple[set[str], set[str]]:
    """The party and source ids the disputes name: all the catalogue checks need of them."""
    parties: set[str] = set()
    sources: set[str] = set()
    for dispute in disputes:
        for position in dispute.positions:
            if position.party:
                parties.add(position.party)
            for passage in position.passages:
                if passage.speaker:
                    parties.add(passage.speaker)
                if passage.source:
                    sources.add(passage.source)
    return parties, sources


_ID_LIKE = re.compile(rb"[a-z0-9]+(?:-[a-z0-9]+)*")


def mentioned_ids(data: bytes) -> set[str]:
    """Every word of a claim file that could be an id: what a file that cannot be parsed
    may cite. A guess on the generous side, which only spares entries from FC207."""
    return {word.decode() for word in _ID_LIKE.findall(data)}


def _party(archive: Archive, path: str, party: str, at: Location) -> Iterator[Finding]:
    parties = archive.catalogue.parties
    if party not in parties and archive.catalogue.parties_readable:
        yield _at(
            path,
            at,
            "FC201",
            f"unknown party '{party}'{did_you_mean(party, parties)}; "
            f"use a party id from {PARTIES_FILE} or add the party there",
        )


def _passage(archive: Archive, path: str, passage: Passage) -> Iterator[Finding]:
    if passage.speaker is not None:
        yield from _party(archive, path, passage.speaker, passage.locate("speaker"))
    if passage.quote is not None and len(normalise(passage.quote)) < MIN_QUOTE_LENGTH:
        yield _at(
            path,
            passage.locate("quote"),
            "FC206",
            f"quote is shorter than {MIN_QUOTE_LENGTH} characters, too short to be "
            "distinctive; quote the whole sentence or clause",
        )
    if passage.source is None or not archive.catalogue.sources_readable:
        return
    sources = archive.catalogue.sources
    if passage.source not in sources:
        yield _at(
            path,
            passage.locate("source"),
            "FC202",
            f"unknown source '{passage.source}'{did_you_mean(passage.source, sources)}; "
            f"use a source id from {SOURCES_FILE} or add the document with 'factcheck add-source'",
        )
        return
    document = archive.documents.get(passage.source)
    if document is None or passage.quote is None:
        return
    match = document.find(passage.quote)
    if match.found:
        return
    file = f"seeds/{sources[passage.source].file}"
    message = f"quote not found in source '{passage.source}' ({file})"
    if match.missing_fragment and match.missing_fragment != normalise(passage.quote):
        message += f": the part '{_short(match.missing_fragment)}' is missing (or out of order)"
    closest = match.closest
    if closest is None:
        message += "; no passage of the document resembles it: check the source id"
    else:
        message += (
            f"; closest passage at line {closest.at.line}, column {closest.at.column}: "
            f"'{_short(closest.passage)}' ({closest.difference}); copy the quote verbatim, "
            "or use '...' where you leave words out"
        )
    yield _at(path, passage.locate("quote"), "FC203", message)


def _catalogue_references(archive: Archive) -> Iterator[Finding]:
    catalogue = archive.catalogue
    yield from _no_side(catalogue)
    for party in catalogue.parties.values():
        if party.side not in (None, NO_SIDE) and party.side not in catalogue.sides:
            yield _at(
                PARTIES_FILE,
                party.locate("side"),
                "FC201",
                f"party '{party.id}' has unknown side '{party.side}'"
                f"{did_you_mean(party.side, catalogue.sides)}; declare it under 'sides:'",
            )
    for source in catalogue.sources.values():
        if source.party is not None and source.party not in catalogue.parties:
            yield from _party(archive, SOURCES_FILE, source.party, source.locate("party"))
        for ref in source.based_on:
            if ref.id not in catalogue.sources or ref.id == source.id:
                problem = "is itself" if ref.id == source.id else "is not a known source"
                yield _at(
                    SOURCES_FILE,
                    ref.at,
                    "FC202",
                    f"source '{source.id}' is based on '{ref.id}', which {problem}"
                    f"{did_you_mean(ref.id, set(catalogue.sources) - {source.id})}",
                )


def _no_side(catalogue: Catalogue) -> Iterator[Finding]:
    """FC308: 'side: none' is the desk's recorded judgement that a party is unaligned, so it
    needs the reason; and 'none' cannot name a side, since it means no side."""
    if NO_SIDE in catalogue.sides:
        yield _at(
            PARTIES_FILE,
            catalogue.sides[NO_SIDE].at,
            "FC308",
            f"'{NO_SIDE}' is reserved for parties aligned with no side and cannot be declared "
            "as a side; give the side another id",
        )
    for party in catalogue.parties.values():
        if party.side == NO_SIDE and not (party.description or "").strip():
            yield _at(
                PARTIES_FILE,
                party.at,
                "FC308",
                f"party '{party.id}' has 'side: none' but no description; add 'description:' "
                "saying why the desk judges it aligned with no side",
            )


def _unused(archive: Archive, used_parties: set[str], used_sources: set[str]) -> Iterator[Finding]:
    catalogue = archive.catalogue
    used_parties |= {s.party for s in catalogue.sources.values() if s.party}
    used_sources |= {ref.id for s in catalogue.sources.values() for ref in s.based_on}
    # a party may be used only by a source's 'party:', which cannot be known without them
    judged = catalogue.parties.values() if catalogue.sources_readable else ()
    for party in judged:
        if party.id not in used_parties:
            yield _at(
                PARTIES_FILE,
                party.at,
                "FC207",
                f"party '{party.id}' is never used; cite it in a claim file or remove it",
            )
    for source in catalogue.sources.values():
        if source.id not in used_sources:
            yield _at(
                SOURCES_FILE,
                source.at,
                "FC207",
                f"source '{source.id}' is never cited; quote it in a claim file or remove it",
            )


def _at(path: str, at: Location, code: str, message: str) -> Finding:
    return finding(path, at.line, at.column, code, message)


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."
