"""Origins, channels, independence, corroboration and the verdict rules (docs/methodology.md).

The rule in one sentence: only outsiders corroborate or contradict; a party with a stake can
only concede. Reported speech is not corroboration: what counts is who a passage comes from
(its origin) and who relays it (its channel), not which outlet printed it. A party with a
stake in a dispute (on a declared side, or holding one of its positions) counts only against
its own interest: a concession to a rival, or a contradiction from inside the position's own
camp. An unnamed source, a party whose alignment the desk never recorded, or an origin that
cannot be resolved never counts. Several passages from one origin count once.

These rules are computed here and nowhere else (docs/methodology.md
states them for readers); the checks compare the desk's recorded corroboration and verdict
with what this module derives, and every view shows each passage's judgement in words.
"""

from __future__ import annotations

from dataclasses import dataclass

from factcheck.model import Catalogue, Dispute, Party, Passage, Position

DEFAULT_MIN_INDEPENDENT_ORIGINS = 2

NO_SIDE = "none"
"""The reserved value of ``side:`` for a party the desk checked and found aligned with no
side. An absent ``side`` means the alignment was never recorded, which never counts."""

UNNAMED_SOURCE = "unnamed-source"

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


def channel_of(passage: Passage, catalogue: Catalogue) -> str | None:
    """Who relays a passage: the party of the document it is quoted from (following
    ``based_on`` as ``origin_of`` does). Without a speaker, channel and origin are one."""
    return source_origin(passage.source, catalogue)


def source_origin(source_id: str | None, catalogue: Catalogue) -> str | None:
    """The party a source speaks for, following ``based_on`` safely through cycles."""
    return _origins(catalogue).get(source_id or "")


def _origins(catalogue: Catalogue) -> dict[str, str | None]:
    """Every source's origin, worked out once per catalogue (see ``resolve_origins``).

    Kept beside the catalogue's sources (a new ``sources`` table gets a new map), so a
    long ``based_on`` chain is followed once, not once per passage that cites it.
    """
    memo = catalogue.__dict__.get("_origins")
    if memo is None or memo[0] is not catalogue.sources:
        memo = (catalogue.sources, resolve_origins(catalogue))
        catalogue.__dict__["_origins"] = memo
    return memo[1]


def resolve_origins(catalogue: Catalogue) -> dict[str, str | None]:
    """Each source's origin: its party, else the one party its ``based_on`` documents
    lead to (``None`` when they lead to none or to several).

    Each party is carried back from the sources that name it to every party-less source
    that re-reports them. A source that already holds two parties is ambiguous whatever
    else reaches it and is not passed again, so each source is passed at most twice: the
    work is linear in the catalogue, whatever its chains and cycles.
    """
    citers: dict[str, list[str]] = {}
    for source in catalogue.sources.values():
        if not source.party:
            for ref in source.based_on:
                citers.setdefault(ref.id, []).append(source.id)
    reached: dict[str, set[str]] = {}
    for source in catalogue.sources.values():
        if not source.party:
            continue
        pending = [source.id]
        while pending:
            current = pending.pop()
            held = reached.setdefault(current, set())
            if source.party in held or len(held) >= 2:
                continue
            held.add(source.party)
            pending.extend(citers.get(current, ()))
    return {
        source_id: next(iter(parties)) if len(parties) == 1 else None
        for source_id, parties in reached.items()
    }


def side_label(side: str | None) -> str:
    """A party's side as every output shows it: the declared side's id, 'no side' when the
    desk found it aligned with none, or 'alignment not recorded'."""
    if side is None:
        return "alignment not recorded"
    return "no side" if side == NO_SIDE else side


def declared_side(party: Party | None) -> str | None:
    """The declared side a party is on, or None when it has none, is unaligned or unrecorded."""
    if party is None or party.side in (None, NO_SIDE):
        return None
    return party.side


def camp_of(party_id: str, catalogue: Catalogue) -> tuple[str, str]:
    """A party's camp: its declared side, or the party itself when it has no side."""
    side = declared_side(catalogue.parties.get(party_id))
    return ("side", side) if side else ("party", party_id)


@dataclass(frozen=True)
class Judgement:
    """Whether one evidence passage counts for a position, and when it does not, why.

    ``reason`` is None exactly when the passage counts; otherwise it is the reason in words,
    as every report, ``show`` and the JSON output give it.
    """

    passage: Passage
    origin: str | None
    channel: str | None
    reason: Reason | None

    @property
    def counts(self) -> bool:
        return self.reason is None

    @property
    def why_not(self) -> str | None:
        """The reason in words, or None when the passage counts."""
        return self.reason.words if self.reason else None


@dataclass(frozen=True)
class Reason:
    """Why a passage does not count: which rule held it back, the party in its chain that
    did (when one did), and the words every output shows."""

    rule: str
    words: str
    party: str | None = None


CONTEXT = "context"
ORIGIN_UNKNOWN = "origin-unknown"
OWN_STATEMENT = "own-statement"
UNNAMED = "unnamed-source"
UNRECORDED = "alignment-not-recorded"
SAME_CAMP = "same-camp"
STAKEHOLDER_DENIAL = "stakeholder-denial"
RELAYED = "relayed-by-stakeholder"
UNALIGNED_POSITION = "unaligned-position"


@dataclass(frozen=True)
class Stakes:
    """Who has a stake in one dispute, seen from one of its positions."""

    party: str
    holders: frozenset[str]
    catalogue: Catalogue

    def is_stakeholder(self, party_id: str) -> bool:
        return bool(declared_side(self.catalogue.parties.get(party_id))) or (
            party_id in self.holders
        )

    def is_rival(self, party_id: str) -> bool:
        """On a different declared side from the position's party, or both holding positions
        in this dispute."""
        own = declared_side(self.catalogue.parties.get(self.party))
        other = declared_side(self.catalogue.parties.get(party_id))
        if own and other and own != other:
            return True
        return party_id in self.holders and self.party in self.holders

    def same_camp(self, party_id: str) -> bool:
        return camp_of(party_id, self.catalogue) == camp_of(self.party, self.catalogue)

    def refusal(self, link: str, stance: str, relayed: bool) -> Reason | None:
        """Why a party in a passage's chain does not pass, or None when it passes."""
        if not self.is_stakeholder(link):
            return None  # an outsider: recorded 'side: none' and holding no position
        p = self.party
        if link != p and stance == "supports" and self.is_rival(link):
            return None  # a concession to a rival
        if link != p and stance == "refutes" and self.same_camp(link):
            return None  # a contradiction from inside the position's own camp
        if relayed:
            if self.same_camp(link):
                return Reason(RELAYED, f"relayed by a channel in {p}'s camp ({link})", link)
            if stance == "refutes":
                return Reason(RELAYED, f"relayed by {link}, a stakeholder against {p}", link)
        elif self.same_camp(link):
            return Reason(SAME_CAMP, f"same camp as {p}", link)
        elif stance == "refutes":
            words = f"a stakeholder's denial: record it as a counter-claim ({link})"
            return Reason(STAKEHOLDER_DENIAL, words, link)
        words = f"a stakeholder's word ({link}) on a position of {p}, which has no side"
        return Reason(UNALIGNED_POSITION, words, link)


def judge(passage: Passage, stakes: Stakes) -> Judgement:
    """Judge one evidence passage for the position whose stakes are given."""
    catalogue = stakes.catalogue
    origin = origin_of(passage, catalogue)
    channel = channel_of(passage, catalogue)
    chain = [origin] if channel in (None, origin) else [origin, channel]
    return Judgement(passage, origin, channel, _reason(passage, origin, chain, stakes))


def _reason(
    passage: Passage, origin: str | None, chain: list[str | None], stakes: Stakes
) -> Reason | None:
    """The first reason a passage does not count, in the order a reader needs them."""
    catalogue = stakes.catalogue
    if passage.stance not in ("supports", "refutes"):
        return Reason(CONTEXT, "it neither supports nor refutes the statement")
    if origin is None or origin not in catalogue.parties:
        return Reason(ORIGIN_UNKNOWN, "origin unknown", origin)
    if origin == stakes.party:
        return Reason(OWN_STATEMENT, f"{stakes.party}'s own statement", origin)
    links = [link for link in chain if link is not None]
    for link in links:
        party = catalogue.parties.get(link)
        if party is not None and party.kind == UNNAMED_SOURCE:
            return Reason(UNNAMED, "unnamed source", link)
    for link in links:
        if link not in catalogue.parties:
            return Reason(ORIGIN_UNKNOWN, f"channel {link} unknown", link)
        if catalogue.parties[link].side is None:
            return Reason(UNRECORDED, f"alignment of {link} not recorded", link)
    for index, link in enumerate(links):
        refusal = stakes.refusal(link, passage.stance, relayed=index > 0)
        if refusal:
            return refusal
    return None


@dataclass(frozen=True)
class Assessment:
    """What the evidence on file shows about one position."""

    supporting: tuple[str, ...]
    refuting: tuple[str, ...]
    context: int
    corroboration: str
    min_origins: int
    judgements: tuple[Judgement, ...] = ()

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


def stakes_in(dispute: Dispute, position: Position, catalogue: Catalogue) -> Stakes:
    """The stakes of a dispute as seen from one of its positions."""
    holders = frozenset(item.party for item in dispute.positions if item.party)
    return Stakes(position.party or "", holders, catalogue)


def assess(
    dispute: Dispute, position: Position, catalogue: Catalogue, min_origins: int
) -> Assessment:
    """Judge every evidence passage of a position and count the distinct independent
    origins that support and refute it."""
    stakes = stakes_in(dispute, position, catalogue)
    judgements = tuple(judge(passage, stakes) for passage in position.evidence)
    supporting: dict[str, None] = {}
    refuting: dict[str, None] = {}
    for judgement in judgements:
        if judgement.counts and judgement.origin is not None:
            counted = supporting if judgement.passage.stance == "supports" else refuting
            counted[judgement.origin] = None
    context = sum(1 for passage in position.evidence if passage.stance == "context")
    status = corroboration_status(len(supporting), len(refuting), min_origins)
    return Assessment(tuple(supporting), tuple(refuting), context, status, min_origins, judgements)


def corroboration_status(supporting: int, refuting: int, min_origins: int) -> str:
    """The status the corroboration table gives for counts of independent origins."""
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
