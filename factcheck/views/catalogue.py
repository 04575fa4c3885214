"""How the claim files use the catalogue: the data behind ``factcheck sources`` and ``parties``.

It says which catalogue entries the claim files lean on and which none does (FC207's
question, answered per entry with counts).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from factcheck.model import Party, Source
from factcheck.rules.independence import origin_of
from factcheck.workspace.loader import Archive


@dataclass
class SourceUsage:
    """How the claim files use one archived document."""

    source: Source
    citations: int = 0
    disputes: list[str] = field(default_factory=list)
    reported_by: list[str] = field(default_factory=list)

    @property
    def used(self) -> bool:
        return bool(self.citations or self.reported_by)


@dataclass
class PartyUsage:
    """How the claim files use one party: positions it holds, passages from it."""

    party: Party
    positions: int = 0
    passages: int = 0
    disputes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def used(self) -> bool:
        return bool(self.positions or self.passages or self.sources)


def source_usage(archive: Archive) -> list[SourceUsage]:
    """Every catalogued source with its citations, in catalogue order."""
    usage = {key: SourceUsage(source) for key, source in archive.catalogue.sources.items()}
    for source in archive.catalogue.sources.values():
        for ref in source.based_on:
            if ref.id in usage and ref.id != source.id:
                usage[ref.id].reported_by.append(source.id)
    for dispute in archive.disputes:
        for position in dispute.positions:
            for passage in position.passages:
                entry = usage.get(passage.source or "")
                if entry is not None:
                    entry.citations += 1
                    _add_once(entry.disputes, dispute.id)
    return list(usage.values())


def party_usage(archive: Archive) -> list[PartyUsage]:
    """Every catalogued party with the positions it holds and the passages it speaks in."""
    catalogue = archive.catalogue
    usage = {key: PartyUsage(party) for key, party in catalogue.parties.items()}
    for source in catalogue.sources.values():
        if source.party in usage:
            usage[source.party].sources.append(source.id)
    for dispute in archive.disputes:
        for position in dispute.positions:
            if position.party in usage:
                usage[position.party].positions += 1
                _add_once(usage[position.party].disputes, dispute.id)
            for passage in position.passages:
                # an asserted_in passage speaks for the position's party (docs/formats.md)
                origin = (
                    position.party if not passage.is_evidence else origin_of(passage, catalogue)
                )
                if origin in usage:
                    usage[origin].passages += 1
                    _add_once(usage[origin].disputes, dispute.id)
    return list(usage.values())


def _add_once(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
