"""FC301–FC307 (and FC101 for evidence without an origin): is each rating earned?

The desk records a corroboration status and a verdict for each position; this module
compares them with what ``rules.independence`` derives from the evidence on file, and warns
where a passage cannot count as the desk may think it does (its own party, a stakeholder's
denial, an unrecorded alignment). A position whose references are broken is left to the
findings that already say so: judging it would only add guesses on top of a known error.
One function per code, each yielding its findings.
"""

from __future__ import annotations

from collections.abc import Iterator

from factcheck.findings import Finding, finding
from factcheck.model import Catalogue, Dispute, Passage, Position
from factcheck.rules import independence
from factcheck.rules.independence import Assessment
from factcheck.rules.scale import DEFAULT_SCALE, RatingScale
from factcheck.text import choices, did_you_mean
from factcheck.workspace.loader import Archive
from factcheck.workspace.root import PARTIES_FILE


def check(
    archive: Archive, min_origins: int, scale: RatingScale = DEFAULT_SCALE
) -> Iterator[Finding]:
    """Yield every corroboration and verdict finding of a workspace; verdicts are the
    labels of the desk's rating ``scale``."""
    catalogue = archive.catalogue
    for dispute in archive.disputes:
        for position in dispute.positions:
            yield from missing_origin(catalogue, dispute, position)
            yield from self_evidence(catalogue, dispute, position)
            yield from verdict_without_rationale(dispute, position)
            yield from verdict_not_on_scale(dispute, position, scale)
            if not resolvable(catalogue, position):
                continue
            assessment = archive.assessment(dispute, position, min_origins)
            yield from stakeholder_evidence(dispute, position, assessment)
            yield from corroboration_mismatch(dispute, position, assessment)
            yield from verdict_not_allowed(dispute, position, assessment, scale)
        yield from both_supported(dispute, scale)


def resolvable(catalogue: Catalogue, position: Position) -> bool:
    """Whether every party and source a position's evidence names is known, so that its
    rating can be judged; otherwise FC201/FC202/FC101 already say what is missing."""
    if not position.intact or position.party not in catalogue.parties:
        return False
    for passage in position.evidence:
        if passage.source not in catalogue.sources:
            return False
        if passage.speaker is not None and passage.speaker not in catalogue.parties:
            return False
        if passage.stance is not None and independence.origin_of(passage, catalogue) is None:
            return False
    return True


def missing_origin(catalogue: Catalogue, dispute: Dispute, position: Position) -> Iterator[Finding]:
    """FC101: an evidence passage whose origin nobody can tell."""
    for passage in position.evidence:
        if (
            passage.source in catalogue.sources
            and passage.stance is not None
            and independence.origin_of(passage, catalogue) is None
        ):
            yield _at_passage(
                dispute,
                passage,
                "FC101",
                f"evidence passage has no origin: source '{passage.source}' names no party; "
                "add 'speaker: <party id>' saying whose assertion the passage carries",
            )


def self_evidence(catalogue: Catalogue, dispute: Dispute, position: Position) -> Iterator[Finding]:
    """FC304: evidence that is the position's own party speaking."""
    for passage in position.evidence:
        origin = independence.origin_of(passage, catalogue)
        if origin is not None and origin == position.party and passage.stance != "context":
            yield _at_passage(
                dispute,
                passage,
                "FC304",
                f"this evidence comes from '{origin}', the position's own party, so it cannot "
                "corroborate it; move the passage to 'asserted_in'",
            )


def verdict_without_rationale(dispute: Dispute, position: Position) -> Iterator[Finding]:
    """FC303: a verdict with no rationale in the desk's words."""
    if position.verdict is not None and not (position.rationale or "").strip():
        yield _at_value(
            dispute,
            position,
            "verdict",
            "FC303",
            f"verdict '{position.verdict}' has no rationale; add 'rationale:' saying why, "
            "in the desk's words",
        )


def stakeholder_evidence(
    dispute: Dispute, position: Position, assessment: Assessment
) -> Iterator[Finding]:
    """FC306 (a stakeholder's refutation) and FC307 (an unrecorded alignment): passages the
    desk may think count, with what to do instead."""
    for judgement in assessment.judgements:
        rule = judgement.reason.rule if judgement.reason else None
        if rule == independence.STAKEHOLDER_DENIAL:
            yield _at_passage(
                dispute,
                judgement.passage,
                "FC306",
                f"this passage refutes the position of '{position.party}' but comes from "
                f"'{judgement.origin}', which has a stake in this dispute, so it does not count; "
                f"record '{judgement.origin}''s view as a counter-claim, with this passage "
                "under its 'asserted_in'",
            )
        elif rule == independence.UNRECORDED:
            party = judgement.reason.party if judgement.reason else None
            yield _at_passage(
                dispute,
                judgement.passage,
                "FC307",
                f"the alignment of '{party}' is not recorded, so this passage does not count; "
                f"in {PARTIES_FILE} give '{party}' 'side: <side id>', or 'side: none' with a "
                "description saying why the desk judges it unaligned",
            )


def corroboration_mismatch(
    dispute: Dispute, position: Position, assessment: Assessment
) -> Iterator[Finding]:
    """FC301: the recorded corroboration differs from what the evidence shows."""
    computed = assessment.corroboration
    if position.corroboration is None or position.corroboration == computed:
        return
    yield _at_value(
        dispute,
        position,
        "corroboration",
        "FC301",
        f"corroboration is recorded as '{position.corroboration}' but the evidence shows "
        f"{assessment.explain()}{_needs(position.corroboration, assessment.min_origins)}; "
        f"set 'corroboration: {computed}' or add the evidence that is missing "
        "('factcheck show' says why each passage counts or not)",
    )


def verdict_not_on_scale(
    dispute: Dispute, position: Position, scale: RatingScale
) -> Iterator[Finding]:
    """FC104: a verdict that is not a label of the desk's rating scale.

    Checked here rather than when the file is read, because the scale is a setting: the
    claim checks' results are cached under the settings, a file's reading is not.
    """
    if position.verdict is None or scale.rating(position.verdict) is not None:
        return
    yield _at_value(
        dispute,
        position,
        "verdict",
        "FC104",
        f"'{_shorten(position.verdict)}' is not an allowed verdict"
        f"{did_you_mean(position.verdict, scale.labels)}; use {choices(scale.labels)}",
    )


def verdict_not_allowed(
    dispute: Dispute, position: Position, assessment: Assessment, scale: RatingScale
) -> Iterator[Finding]:
    """FC302: a verdict the evidence does not allow (a label, by the verdict it stands for)."""
    verdict = scale.verdict_of(position.verdict)
    if verdict is None or position.corroboration is None:
        return
    computed = assessment.corroboration
    allowed = independence.allowed_verdicts(computed, assessment.context > 0)
    if verdict in allowed:
        return
    needs = choices(independence.ALLOWED_CORROBORATION[verdict])
    extra = (
        " at least one 'context' passage" if verdict == "misleading" else f" corroboration {needs}"
    )
    inherits = "" if verdict == position.verdict else f" (a '{verdict}' verdict)"
    yield _at_value(
        dispute,
        position,
        "verdict",
        "FC302",
        f"verdict '{position.verdict}'{inherits} needs{extra}, but the evidence shows "
        f"'{computed}'; allowed verdicts here: {choices(scale.labels_for(allowed)) or 'none'}",
    )


def both_supported(dispute: Dispute, scale: RatingScale = DEFAULT_SCALE) -> Iterator[Finding]:
    """FC305: the claim and a counter-claim both rated 'supported' (or labels standing for it)."""
    claim = dispute.claim
    if claim is None or scale.verdict_of(claim.verdict) != "supported":
        return
    for counter in dispute.counter_claims:
        if scale.verdict_of(counter.verdict) == "supported":
            yield _at_value(
                dispute,
                counter,
                "verdict",
                "FC305",
                f"both the claim ({claim.party}) and this counter-claim ({counter.party}) are "
                f"rated {_supported(scale)}; opposite positions cannot both be supported: "
                "revisit one",
            )


def _supported(scale: RatingScale) -> str:
    """How the desk's scale words 'supported': the built-in name, or its own labels."""
    labels = scale.labels_for(("supported",))
    return "'supported'" if labels == ("supported",) else f"{choices(labels)} (supported)"


def _shorten(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _needs(recorded: str, min_origins: int) -> str:
    if recorded == "corroborated":
        return f"; 'corroborated' needs {min_origins}"
    if recorded == "single-source":
        return "; 'single-source' needs exactly 1 supporting and none refuting"
    return ""


def _at_value(dispute: Dispute, position: Position, name: str, code: str, message: str) -> Finding:
    """A finding at a position's field value (at the position when the field is absent)."""
    at = position.locate(name)
    return finding(dispute.path, at.line, at.column, code, message)


def _at_passage(dispute: Dispute, passage: Passage, code: str, message: str) -> Finding:
    return finding(dispute.path, passage.at.line, passage.at.column, code, message)
