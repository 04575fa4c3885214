"""The desk's records as frozen dataclasses: disputes, positions, passages and the catalogue.

Every record keeps where it was written: ``at`` is the start of its mapping and ``where``
maps a field name to the position of that field's value, so a finding about a value can
point at it without searching. Fields that were missing or invalid in the file are ``None``;
the reading step has already reported them, and ``intact`` says whether a record came
through without such a finding, so later checks do not pile guesses onto a known error.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from factcheck.files.yamlnodes import Location

STANCES = ("supports", "refutes", "context")
CORROBORATION_STATUSES = (
    "uncorroborated",
    "single-source",
    "corroborated",
    "contradicted",
    "conflicting",
)
VERDICTS = ("supported", "partly-supported", "unproven", "disputed", "misleading", "refuted")
PENDING = "pending"
"""What a position without a verdict is called in every output; no label may take it."""
PARTY_KINDS = (
    "government",
    "military",
    "armed-group",
    "media",
    "person",
    "organisation",
    "unnamed-source",
)
RELIABILITY_GRADES = ("A", "B", "C", "D", "E", "F")
CREDIBILITY_GRADES = ("1", "2", "3", "4", "5", "6")


@dataclass(frozen=True, slots=True)
class Ref:
    """An identifier as written in a file, with its position."""

    id: str
    at: Location


@dataclass(frozen=True)
class Record:
    """What every record shares: its own position and the positions of its values."""

    at: Location
    where: Mapping[str, Location] = field(default_factory=dict, compare=False, repr=False)
    intact: bool = field(default=True, compare=False)

    def locate(self, name: str) -> Location:
        """The position of a field's value, or of the record when the field is absent."""
        return self.where.get(name, self.at)


@dataclass(frozen=True)
class Passage(Record):
    """A verbatim quote from an archived document; evidence passages also carry a stance."""

    source: str | None = None
    quote: str | None = None
    stance: str | None = None
    speaker: str | None = None
    credibility: str | None = None
    note: str | None = None
    is_evidence: bool = False


@dataclass(frozen=True)
class Position(Record):
    """What one party asserts in a dispute, where it is on record, and the desk's rating."""

    party: str | None = None
    statement: str | None = None
    asserted_in: tuple[Passage, ...] = ()
    evidence: tuple[Passage, ...] = ()
    corroboration: str | None = None
    verdict: str | None = None
    rationale: str | None = None
    reviewed: str | None = None
    role: str = "claim"

    @property
    def passages(self) -> tuple[Passage, ...]:
        return self.asserted_in + self.evidence


@dataclass(frozen=True)
class Dispute(Record):
    """One claim file: a neutral question, the claim and the counter-claims."""

    id: str = ""
    path: str = ""
    title: str | None = None
    date: str | None = None
    tags: tuple[Ref, ...] = ()
    notes: str | None = None
    claim: Position | None = None
    counter_claims: tuple[Position, ...] = ()

    @property
    def positions(self) -> tuple[Position, ...]:
        return ((self.claim,) if self.claim else ()) + self.counter_claims


@dataclass(frozen=True)
class Side(Record):
    """A camp of the disputes, such as a government and its institutions."""

    id: str = ""
    description: str | None = None


@dataclass(frozen=True)
class Party(Record):
    """Someone who speaks: a ministry, an outlet, a person, an unnamed source."""

    id: str = ""
    name: str | None = None
    side: str | None = None
    kind: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Source(Record):
    """An archived document in ``seeds/`` and what the desk knows about it."""

    id: str = ""
    file: str | None = None
    sha256: str | None = None
    original: str | None = None
    original_sha256: str | None = None
    title: str | None = None
    author: str | None = None
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    party: str | None = None
    based_on: tuple[Ref, ...] = ()
    reliability: str | None = None


@dataclass
class Catalogue:
    """The evidence locker's index: sides, parties and sources by id."""

    sides: dict[str, Side] = field(default_factory=dict)
    parties: dict[str, Party] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    parties_readable: bool = True
    sources_readable: bool = True
    """Whether seeds/parties.yaml and seeds/sources.yaml could be read: while one cannot,
    references into it are not judged, so its own error is the one to fix first."""

    def side_of(self, party_id: str | None) -> str | None:
        party = self.parties.get(party_id or "")
        return party.side if party else None
