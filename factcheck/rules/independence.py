"""Origins, independence, corroboration and the verdict rules (docs/methodology.md).

Reported speech is not corroboration: what counts is who a passage comes from (its
origin), not which outlet printed it. Evidence is independent of a position when its
origin is neither the position's party nor on the same side. Several passages from one
origin count once. These rules are computed here and nowhere else; the checks compare the
desk's recorded corroboration and verdict with what this module derives.
"""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.model import Catalogue, Passage, Position

DEFAULT_MIN_INDEPENDENT_ORIGINS = 2

ALLOWED_CORROBORATION: dict[str, tuple[str, ...]] = {
    "supported": ("corroborated",),
    "partly-supported": ("single-source", "corroborated", "conflicting"),
    "unproven": (
        "uncorroborated",
        "single-source",
        "corroborated",
        "contradicted",
        "conflicting",
    ),
    "disputed": ("conflicting",),
    "misleading": (
        "uncorroborated",
        "single-source",
        "corroborated",
        "contradicted",
        "conflicting",
    ),
    "refuted": ("contradicted", "conflicting"),
}


def origin_of(passage: Passage, catalogue: Catalogue) -> str | None:
    """Whose assertion a passage carries: its speaker, else its source's party.

    A re-reporting source with no party of its own is followed through ``based_on`` to the
    original documents; when those agree on one party, that party is the origin.
    """
    if passage.speaker:
        return passage.speaker
    return source_origin(passage.source, catalogue)


def source_origin(source_id: str | None, catalogue: Catalogue) -> str | None:
    """The party a source speaks for, following ``based_on`` safely through cycles."""
    seen: set[str] = set()
    pending = [source_id] if source_id else []
    parties: set[str] = set()
    while pending:
        current = pending.pop()
        if current in seen or current not in catalogue.sources:
            continue
        seen.add(current)
        source = catalogue.sources[current]
        if source.party:
            parties.add(source.party)
        else:
            pending.extend(ref.id for ref in source.based_on)
    return parties.pop() if len(parties) == 1 else None


def is_independent(origin: str | None, party: str | None, catalogue: Catalogue) -> bool:
    """Whether an origin is independent of a party: another party, not on the same side."""
    if origin is None or party is None or origin == party:
        return False
    side = catalogue.side_of(party)
    return side is None or catalogue.side_of(origin) != side


@dataclass(frozen=True)
class Assessment:
    """What the evidence on file shows about one position."""

    supporting: tuple[str, ...]
    refuting: tuple[str, ...]
    context: int
    corroboration: str
    min_origins: int

    @property
    def independent_origins(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.supporting + self.refuting))

    def explain(self) -> str:
        """The evidence in words, e.g. '1 independent origin supporting (zalmay-khalilzad)'."""
        parts = []
        for count_of, label in ((self.supporting, "supporting"), (self.refuting, "refuting")):
            if count_of:
                noun = "origin" if len(count_of) == 1 else "origins"
                parts.append(f"{len(count_of)} independent {noun} {label} ({', '.join(count_of)})")
        return " and ".join(parts) if parts else "no independent origin supporting or refuting"


def assess(position: Position, catalogue: Catalogue, min_origins: int) -> Assessment:
    """Count the distinct independent origins that support and refute a position."""
    supporting: dict[str, None] = {}
    refuting: dict[str, None] = {}
    context = 0
    for passage in position.evidence:
        if passage.stance == "context":
            context += 1
            continue
        origin = origin_of(passage, catalogue)
        if origin is None or not is_independent(origin, position.party, catalogue):
            continue
        if passage.stance == "supports":
            supporting[origin] = None
        elif passage.stance == "refutes":
            refuting[origin] = None
    status = corroboration_status(len(supporting), len(refuting), min_origins)
    return Assessment(tuple(supporting), tuple(refuting), context, status, min_origins)


def corroboration_status(supporting: int, refuting: int, min_origins: int) -> str:
    """The status docs/methodology.md's table gives for counts of independent origins."""
    if supporting and refuting:
        return "conflicting"
    if refuting:
        return "contradicted"
    if supporting >= min_origins:
        return "corroborated"
    if supporting:
        return "single-source"
    return "uncorroborated"


def allowed_verdicts(corroboration: str, has_context: bool) -> tuple[str, ...]:
    """The verdicts the evidence permits, in the order of the rating scale."""
    return tuple(
        verdict
        for verdict, statuses in ALLOWED_CORROBORATION.items()
        if corroboration in statuses and (verdict != "misleading" or has_context)
    )
