"""FC301–FC305 (and FC101 for evidence without an origin): is each rating earned?

The desk records a corroboration status and a verdict for each position; this module
compares them with what ``rules.independence`` derives from the evidence on file. A position whose
references are broken is left to the findings that already say so: judging it would only
add guesses on top of a known error.
"""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.findings import Finding, finding
from factcheck.model import Catalogue, Dispute, Position
from factcheck.rules import independence as analysis
from factcheck.text import choices
from factcheck.workspace.loader import Archive


def check(archive: Archive, min_origins: int) -> Iterator[Finding]:
    """Yield every corroboration and verdict finding of a workspace."""
    for dispute in archive.disputes:
        for position in dispute.positions:
            yield from _position(archive.catalogue, dispute, position, min_origins)
        yield from _both_supported(dispute)


def _position(
    catalogue: Catalogue, dispute: Dispute, position: Position, min_origins: int
) -> Iterator[Finding]:
    path = dispute.path
    resolvable = position.intact and position.party in catalogue.parties
    for passage in position.evidence:
        origin = analysis.origin_of(passage, catalogue)
        known_source = passage.source in catalogue.sources
        if passage.speaker is not None and passage.speaker not in catalogue.parties:
            resolvable = False
        if not known_source:
            resolvable = False
        elif origin is None and passage.stance is not None:
            resolvable = False
            yield finding(
                path,
                passage.at.line,
                passage.at.column,
                "FC101",
                f"evidence passage has no origin: source '{passage.source}' names no party; "
                "add 'speaker: <party id>' saying whose assertion the passage carries",
            )
        if origin is not None and origin == position.party and passage.stance != "context":
            yield finding(
                path,
                passage.at.line,
                passage.at.column,
                "FC304",
                f"this evidence comes from '{origin}', the position's own party, so it cannot "
                "corroborate it; move the passage to 'asserted_in'",
            )
    verdict_at = position.locate("verdict")
    if position.verdict is not None and not (position.rationale or "").strip():
        yield finding(
            path,
            verdict_at.line,
            verdict_at.column,
            "FC303",
            f"verdict '{position.verdict}' has no rationale; add 'rationale:' saying why, "
            "in the desk's words",
        )
    if not resolvable or position.corroboration is None:
        return
    assessment = analysis.assess(position, catalogue, min_origins)
    computed = assessment.corroboration
    if position.corroboration != computed:
        at = position.locate("corroboration")
        yield finding(
            path,
            at.line,
            at.column,
            "FC301",
            f"corroboration is recorded as '{position.corroboration}' but the evidence shows "
            f"{assessment.explain()}{_needs(position.corroboration, min_origins)}; "
            f"set 'corroboration: {computed}' or add the evidence that is missing",
        )
    if position.verdict is None:
        return
    allowed = analysis.allowed_verdicts(computed, assessment.context > 0)
    if position.verdict not in allowed:
        needs = choices(analysis.ALLOWED_CORROBORATION[position.verdict])
        extra = (
            " at least one 'context' passage"
            if position.verdict == "misleading"
            else f" corroboration {needs}"
        )
        yield finding(
            path,
            verdict_at.line,
            verdict_at.column,
            "FC302",
            f"verdict '{position.verdict}' needs{extra}, but the evidence shows '{computed}'; "
            f"allowed verdicts here: {choices(allowed)}",
        )


def _needs(recorded: str, min_origins: int) -> str:
    if recorded == "corroborated":
        return f"; 'corroborated' needs {min_origins}"
    if recorded == "single-source":
        return "; 'single-source' needs exactly 1 supporting and none refuting"
    return ""


def _both_supported(dispute: Dispute) -> Iterator[Finding]:
    claim = dispute.claim
    if claim is None or claim.verdict != "supported":
        return
    for counter in dispute.counter_claims:
        if counter.verdict == "supported":
            at = counter.locate("verdict")
            yield finding(
                dispute.path,
                at.line,
                at.column,
                "FC305",
                f"both the claim ({claim.party}) and this counter-claim ({counter.party}) are "
                "rated 'supported'; opposite positions cannot both be supported: revisit one",
            )
