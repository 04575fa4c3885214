"""The report: a validated workspace as plain data, dispute by dispute and side by side.

``factcheck report`` and ``factcheck show`` print this data; a notebook or another program
can use it directly. Everything a reader of the verdict tables needs is computed here once,
with the same rules as the checks (``rules.independence``) and the same quote matcher
(``rules.quotes``): where each quote was found, who each passage comes from, whether that
origin is independent of the position it bears on, and what the evidence shows next to what
the desk recorded.
Only disputes whose files have no errors are reported in full; files with errors are listed
as invalid, with their findings, so a broken file never hides the rest of the desk's work.

An archive of ten thousand disputes must report as fast as it validates, so the report is
built in two tiers. ``dispute_record`` turns one dispute into its row of the verdict table
(``DisputeRow``: what the table, the filters and the totals need) and its JSON record; the
validation run derives both beside the checks (``REPORT_EXTRA``, in the worker processes)
and caches them beside the findings, so a warm run parses no claim file. The full
``DisputeView`` of a dispute, for the cards of ``--details`` and for ``show``, is built
only for the disputes shown that way. The full views are slotted dataclasses, not frozen
ones: a frozen dataclass sets each field through ``object.__setattr__``, which made
building the JSON records of ten thousand disputes a fifth slower; nothing changes a view
once it is built.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path, PurePosixPath

from factcheck.checks.references import named_ids
from factcheck.engine.incremental import Extra
from factcheck.engine.run import Validation
from factcheck.files.yamlnodes import Location
from factcheck.findings import Finding, RunResult, Severity
from factcheck.model import PENDING, VERDICTS, Catalogue, Dispute, Passage, Position
from factcheck.rules.independence import NO_SIDE, Judgement, declared_side
from factcheck.rules.quotes import QuoteMatch, normalise
from factcheck.text import choices, did_you_mean, json_text
from factcheck.workspace.loader import Archive, ClaimFile
from factcheck.workspace.root import WorkspaceError

SCHEMA_VERSION = 1
NO_COUNTER_CLAIM = "no counter-claim on record"


@dataclass(slots=True)
class Origin:
    """The party a passage comes from, with the name and side a reader recognises."""

    id: str
    name: str
    side: str | None

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "name": self.name, "side": self.side}


@dataclass(slots=True)
class PassageView:
    """One passage of a position: the quote, where it was found, and who it comes from.

    ``label`` names the passage within its dispute (``A1`` for where a party is on record,
    ``E1`` for evidence); one evidence passage cited by several positions keeps one label,
    which is what makes the evidence-by-position matrix readable.
    """

    label: str
    kind: str
    source: str | None
    source_title: str | None
    file: str | None
    quote: str | None
    found: tuple[Location, ...]
    at: Location
    stance: str | None
    speaker: str | None
    origin: Origin | None
    counts: bool
    reason: str | None = None
    channel: Origin | None = None
    credibility: str | None = None
    note: str | None = None
    match: QuoteMatch | None = field(default=None, repr=False, compare=False)
    """Where the quote stands in its document (None when it was not found)."""

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """Each fragment's (start, end) in the document's text, where the site highlights
        it: worked out only when asked for, since only the site asks."""
        return self.match.spans if self.match else ()

    @property
    def location(self) -> Location | None:
        """Where the quote (its first fragment) starts in the document, if it was found."""
        return self.found[0] if self.found else None


@dataclass(slots=True)
class PositionView:
    """One column of a side-by-side table: a party's statement, its evidence and the rating."""

    role: str
    heading: str
    party: str | None
    party_name: str | None
    side: str | None
    side_description: str | None
    statement: str | None
    asserted_in: tuple[PassageView, ...]
    evidence: tuple[PassageView, ...]
    supporting: int
    refuting: int
    context: int
    independent_supporting: tuple[Origin, ...]
    independent_refuting: tuple[Origin, ...]
    corroboration: str | None
    computed_corroboration: str
    verdict: str | None
    rationale: str | None
    at: Location
    reviewed: str | None = None

    @property
    def verdict_or_pending(self) -> str:
        return self.verdict or PENDING

    @property
    def passages(self) -> tuple[PassageView, ...]:
        return self.asserted_in + self.evidence


@dataclass(slots=True)
class MatrixCell:
    """How one evidence passage bears on one position: its stance (or none), whether it
    counts, and when it does not, why."""

    stance: str | None
    counts: bool
    reason: str | None = None


@dataclass(slots=True)
class MatrixRow:
    """One row of the evidence-by-position matrix: a passage and a cell per position."""

    passage: PassageView
    cells: tuple[MatrixCell, ...]


@dataclass(slots=True)
class DisputeView:
    """One dispute as reported: its question and its positions, the claim first."""

    id: str
    path: str
    title: str | None
    date: str | None
    tags: tuple[str, ...]
    notes: str | None
    positions: tuple[PositionView, ...]
    matrix: tuple[MatrixRow, ...]

    @property
    def claim(self) -> PositionView | None:
        return next((item for item in self.positions if item.role == "claim"), None)

    @property
    def counter_claims(self) -> tuple[PositionView, ...]:
        return tuple(item for item in self.positions if item.role != "claim")


@dataclass(frozen=True)
class PositionRow:
    """A position as the verdict table shows it: party, verdict and corroboration."""

    role: str
    heading: str
    party: str | None
    side: str | None
    verdict: str | None
    corroboration: str | None
    computed_corroboration: str

    @property
    def verdict_or_pending(self) -> str:
        return self.verdict or PENDING


@dataclass(frozen=True)
class DisputeRow:
    """One row of the verdict table: what the table, the filters and the totals need.

    Plain frozen dataclasses rather than slotted ones: ten thousand of them are unpickled
    from the cache on every warm run, and a slotted instance's state is restored in Python.

    ``parties`` and ``sources`` are the catalogue ids the claim file names, by which
    ``--changed-since`` tells which disputes a catalogue change reaches.
    """

    id: str
    path: str
    title: str | None
    tags: tuple[str, ...]
    positions: tuple[PositionRow, ...]
    parties: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @property
    def claim(self) -> PositionRow | None:
        return next((item for item in self.positions if item.role == "claim"), None)

    @property
    def counter_claims(self) -> tuple[PositionRow, ...]:
        return tuple(item for item in self.positions if item.role != "claim")


DisputeRecord = tuple[DisputeRow, bytes | None]
"""What the report derives from a dispute: its row, and its JSON record (one line of UTF-8)
when the run was asked for records (``--format json``). The run keeps the record in a record
file and this slot holds its ``RecordRef`` (see ``engine.records``)."""


def dispute_row(archive: Archive, dispute: Dispute) -> DisputeRecord:
    """A dispute's row alone, which is all the table and Markdown formats read of most
    disputes: a tenth of the work of its full view."""
    min_origins = archive.workspace.settings.min_independent_origins
    positions = []
    for position in dispute.positions:
        party = archive.catalogue.parties.get(position.party or "")
        positions.append(
            PositionRow(
                role="claim" if position.role == "claim" else "counter-claim",
                heading=_heading(position, dispute),
                party=position.party,
                side=party.side if party else None,
                verdict=position.verdict,
                corroboration=position.corroboration,
                computed_corroboration=archive.assessment(
                    dispute, position, min_origins
                ).corroboration,
            )
        )
    parties, sources = named_ids([dispute])
    row = DisputeRow(
        id=dispute.id,
        path=dispute.path,
        title=dispute.title,
        tags=tuple(tag.id for tag in dispute.tags),
        positions=tuple(positions),
        parties=tuple(sorted(parties)),
        sources=tuple(sorted(sources)),
    )
    return row, None


def dispute_record(archive: Archive, dispute: Dispute) -> DisputeRecord:
    """A dispute's row and JSON record, derived beside the checks (see ``REPORT_EXTRA``).

    The record is UTF-8 bytes, as it will be written, which the run keeps in a record file
    (``engine.records``): the records of ten thousand disputes are about 50 MB.
    """
    row, _ = dispute_row(archive, dispute)
    return row, json_text(dispute_json(dispute, archive)).encode("utf-8")


def has_record(derived: object) -> bool:
    """Whether a cached derivation carries the JSON record (or there is no dispute)."""
    return derived is None or derived[1] is not None  # type: ignore[index]


ROWS_EXTRA = Extra("report", dispute_row, records=True)
"""Pass to ``validate(..., extra=ROWS_EXTRA)`` so that the run derives (and caches) every
dispute's row: what the table and Markdown formats need. Rows cached with their records
serve too."""
REPORT_EXTRA = Extra("report", dispute_record, has_record, records=True)
"""The same with every dispute's JSON record too, for ``--format json``. ``build_report``
derives what a run did not, more slowly, in this process."""


@dataclass(frozen=True)
class InvalidFile:
    """A file with errors: its dispute is left out of the tables until it is fixed."""

    path: str
    errors: int
    dispute: str | None = None
    title: str | None = None
    findings: tuple[Finding, ...] = ()

    @property
    def warnings(self) -> int:
        return sum(1 for item in self.findings if item.severity is Severity.WARNING)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "errors": self.errors,
            "warnings": self.warnings,
            "dispute": self.dispute,
            "title": self.title,
            "findings": [item.as_dict() for item in self.findings],
        }


@dataclass(frozen=True)
class SideTotal:
    """How the positions of one side (``None``: parties with no side) were rated."""

    side: str | None
    positions: int
    by_verdict: dict[str, int]

    def as_dict(self) -> dict[str, object]:
        return {"side": self.side, "positions": self.positions, "by_verdict": self.by_verdict}


@dataclass(frozen=True)
class Totals:
    """Counts over the reported disputes: positions by verdict and by side."""

    disputes: int
    positions: int
    by_verdict: dict[str, int]
    by_side: tuple[SideTotal, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "disputes": self.disputes,
            "positions": self.positions,
            "by_verdict": self.by_verdict,
            "by_side": [item.as_dict() for item in self.by_side],
        }


@dataclass(frozen=True)
class Filters:
    """Which disputes to report: every given filter must hold (values of one filter: any).

    ``tags`` select disputes; ``parties``, ``sides`` and ``verdicts`` select disputes in
    which one and the same position matches all three, so ``--party ispr --verdict
    refuted`` finds the disputes where ISPR's position was refuted.
    """

    parties: tuple[str, ...] = ()
    sides: tuple[str, ...] = ()
    verdicts: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.parties or self.sides or self.verdicts or self.tags)

    def describe(self) -> str:
        """The filters as a reader typed them, e.g. ``--party ispr --verdict refuted``."""
        return " ".join(
            f"--{option} {value}" for option, values in self._by_option() for value in values
        )

    def check(
        self, catalogue: Catalogue, rows: Iterable[DisputeRow], verdicts: Iterable[str]
    ) -> None:
        """Refuse a value the workspace does not know (a usage error naming the known ones).

        The known tags are those of the valid disputes, the only ones a filter can select.
        """
        if not self.active:
            return
        known_tags = sorted({tag for row in rows for tag in row.tags})
        known = {
            "party": sorted(catalogue.parties),
            "side": sorted(catalogue.sides),
            "verdict": [*verdicts, PENDING],
            "tag": known_tags,
        }
        for option, values in self._by_option():
            for value in values:
                if value in known[option]:
                    continue
                listed = ", ".join(known[option]) if known[option] else "none"
                raise WorkspaceError(
                    f"unknown {option} '{value}' for --{option}"
                    f"{did_you_mean(value, known[option])}; known: {listed}"
                )

    def matches(self, dispute: DisputeRow) -> bool:
        """Whether a dispute is selected by these filters."""
        if self.tags and not set(self.tags) & set(dispute.tags):
            return False
        return any(self._matches_position(position) for position in dispute.positions)

    def _matches_position(self, position: PositionRow) -> bool:
        return (
            (not self.parties or position.party in self.parties)
            and (not self.sides or position.side in self.sides)
            and (not self.verdicts or position.verdict_or_pending in self.verdicts)
        )

    def _by_option(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return (
            ("party", self.parties),
            ("side", self.sides),
            ("verdict", self.verdicts),
            ("tag", self.tags),
        )

    def as_dict(self) -> dict[str, list[str]]:
        return {option: list(values) for option, values in self._by_option()}


@dataclass(frozen=True)
class Changes:
    """What ``--changed-since REV`` selects: the claim files a change touched."""

    rev: str
    commit: str
    paths: frozenset[str]
    """Claim files changed since ``rev``, and those a changed catalogue entry, document or
    setting reaches."""

    @property
    def short(self) -> str:
        return self.commit[:12]

    def as_dict(self) -> dict[str, object]:
        return {"rev": self.rev, "commit": self.commit}


@dataclass(frozen=True)
class Report:
    """What ``factcheck report`` prints: the broken files first, then one row per selected
    valid dispute, the totals, and (``show_cards``) each dispute in full.

    The rows' JSON records and full views are looked up by ``record`` and ``view`` when a
    format writes them, one at a time, so no format holds the whole report twice.
    """

    rows: tuple[DisputeRow, ...]
    invalid: tuple[InvalidFile, ...]
    filters: Filters
    totals: Totals
    result: RunResult
    valid_disputes: int
    min_independent_origins: int
    archive: Archive
    details: bool = False
    changes: Changes | None = None

    @property
    def narrowed(self) -> bool:
        """Whether filters or ``--changed-since`` narrow the selection."""
        return self.filters.active or self.changes is not None

    @property
    def show_cards(self) -> bool:
        """Cards come with ``--details``, and with a selection narrowed to a few disputes."""
        return self.details or self.narrowed

    def records(self) -> Iterator[bytes]:
        """Every shown dispute's JSON record (one line of UTF-8 each), in order."""
        claim_files = {item.path: item for item in self.archive.claim_files}
        read = self.archive.read_record
        for row in self.rows:
            ref = self.archive.derived[row.path][1]  # type: ignore[index]
            record = read(ref) if ref is not None and read is not None else None
            if record is None:  # the run derived rows only, or the record file let us down
                dispute = claim_files[row.path].dispute
                assert dispute is not None
                record = dispute_record(self.archive, dispute)[1]
            yield record  # type: ignore[misc]

    def views(self) -> Iterator[DisputeView]:
        """Every shown dispute in full, in order, built one at a time."""
        claim_files = {item.path: item for item in self.archive.claim_files}
        for row in self.rows:
            dispute = claim_files[row.path].dispute
            assert dispute is not None
            yield build_dispute(dispute, self.archive)

    def head(self) -> dict[str, object]:
        """The JSON document's keys before its disputes (schema in docs/commands/report.md)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "min_independent_origins": self.min_independent_origins,
            "filters": self.filters.as_dict(),
            "changed_since": self.changes.as_dict() if self.changes else None,
            "invalid": [item.as_dict() for item in self.invalid],
        }

    def tail(self) -> dict[str, object]:
        """The JSON document's keys after its disputes."""
        return {
            "totals": {**self.totals.as_dict(), "valid_disputes": self.valid_disputes},
            "findings": [item.as_dict() for item in self.result.findings],
            "findings_summary": {**self.result.summary_dict(), "text": self.result.summary()},
        }


def build_report(
    validation: Validation,
    filters: Filters | None = None,
    paths: Iterable[str | Path] = (),
    *,
    details: bool = False,
    changes: Changes | None = None,
) -> Report:
    """Assemble the report; PATHs limit it to those claim files, as they limit ``validate``.

    ``changes`` (see ``views.changes``) narrows it to the claim files a change touched.
    The validation should have run with ``extra=REPORT_EXTRA``; records it lacks are
    derived here, in this process.
    """
    filters = filters or Filters()
    archive = validation.archive
    named = archive.workspace.select(paths, archive.paths)
    clean, invalid = sort_files(validation, set(named) if named is not None else None)
    valid: list[DisputeRow] = []
    for claim_file in clean:
        if (record := record_of(archive, claim_file)) is not None:
            valid.append(record[0])
    labels = archive.workspace.settings.rating_scale.labels
    filters.check(archive.catalogue, valid, labels)
    shown = tuple(
        row
        for row in valid
        if filters.matches(row) and (changes is None or row.path in changes.paths)
    )
    return Report(
        rows=shown,
        invalid=tuple(invalid),
        filters=filters,
        totals=count_totals(shown, labels),
        result=validation.result,
        valid_disputes=len(valid),
        min_independent_origins=archive.workspace.settings.min_independent_origins,
        archive=archive,
        details=details,
        changes=changes,
    )


def sort_files(
    validation: Validation, selected: set[str] | None = None
) -> tuple[list[ClaimFile], list[InvalidFile]]:
    """The claim files without errors, and the files with errors, in file order (only
    those ``selected``, if given): what a report or the site shows, and what it leaves out.
    """
    archive = validation.archive
    findings_at: dict[str, list[Finding]] = {}
    for item in validation.result.findings:
        findings_at.setdefault(item.path, []).append(item)
    claim_files = {item.path: item for item in archive.claim_files}
    clean: list[ClaimFile] = []
    invalid: list[InvalidFile] = []
    for path in archive.paths:
        if selected is not None and path not in selected:
            continue
        found = findings_at.get(path, [])
        errors = sum(1 for item in found if item.severity is Severity.ERROR)
        claim_file = claim_files.get(path)
        if errors:
            dispute_id = _stem(path) if claim_file is not None else None
            title = _title(archive, claim_file) if claim_file is not None else None
            invalid.append(InvalidFile(path, errors, dispute_id, title, tuple(found)))
        elif claim_file is not None:
            clean.append(claim_file)
    return clean, invalid


def _title(archive: Archive, claim_file: ClaimFile) -> str | None:
    """A dispute's title from what the run derived of it (a report's row, a site's part:
    an archive where most files are broken must not be parsed again for them), else from
    its file."""
    if claim_file.path in archive.derived:
        record = archive.derived[claim_file.path]
        return record[0].title if record is not None else None  # type: ignore[index]
    return claim_file.dispute.title if claim_file.dispute is not None else None


def record_of(archive: Archive, claim_file: ClaimFile) -> DisputeRecord | None:
    """A claim file's record from the run, or derived now; ``None`` if it has no dispute."""
    record = archive.derived.get(claim_file.path)
    if record is None:
        if claim_file.dispute is None:
            return None
        record = archive.derived[claim_file.path] = dispute_row(archive, claim_file.dispute)
    return record  # type: ignore[return-value]


def build_dispute(dispute: Dispute, archive: Archive) -> DisputeView:
    """One dispute with every passage located and every origin judged."""
    paths = archive.document_paths
    labels = _PassageLabels()
    positions = tuple(
        _build_position(position, dispute, archive, labels, paths) for position in dispute.positions
    )
    return DisputeView(
        id=dispute.id,
        path=dispute.path,
        title=dispute.title,
        date=dispute.date,
        tags=tuple(tag.id for tag in dispute.tags),
        notes=dispute.notes,
        positions=positions,
        matrix=evidence_matrix(positions),
    )


def dispute_json(dispute: Dispute, archive: Archive) -> dict[str, object]:
    """A dispute's JSON record (docs/commands/report.md): what ``build_dispute`` shows, as
    plain data. Built straight from the dispute rather than from its view, with the same
    pieces (``_match``, ``_judged``, ``_origin``, the same labels): going through the
    view objects took half as long again, for 50 MB of records at ten thousand disputes."""
    catalogue = archive.catalogue
    paths = archive.document_paths
    labels = _PassageLabels()
    min_origins = archive.workspace.settings.min_independent_origins

    def passage_json(
        passage: Passage,
        prefix: str,
        origin: Origin | None,
        judgement: Judgement | None,
        speaker: str | None,
    ) -> dict[str, object]:
        source = catalogue.sources.get(passage.source or "")
        match = _match(passage, archive)
        found = match.fragments if match else ()
        first = found[0] if found else None
        counts, reason, channel = _judged(judgement, catalogue)
        evidence = prefix == "E"
        return {
            "label": labels.label(prefix, _label_key(passage, match, origin)),
            "kind": "evidence" if evidence else "asserted",
            "source": passage.source,
            "source_title": source.title if source else None,
            "file": paths.get(passage.source or ""),
            "quote": passage.quote,
            "found": bool(found),
            "line": first.line if first else None,
            "column": first.column if first else None,
            "fragments": [{"line": item.line, "column": item.column} for item in found],
            "claim_file_line": passage.at.line,
            "claim_file_column": passage.at.column,
            "stance": passage.stance if evidence else None,
            "speaker": passage.speaker if evidence else speaker,
            "origin": origin.as_dict() if origin else None,
            "channel": channel.as_dict() if channel else None,
            "counts": counts,
            "reason": reason,
            "credibility": passage.credibility,
            "note": passage.note,
        }

    positions: list[dict[str, object]] = []
    matrix: dict[object, dict[int, dict[str, object]]] = {}
    for column, position in enumerate(dispute.positions):
        assessment = archive.assessment(dispute, position, min_origins)
        party = catalogue.parties.get(position.party or "")
        side = catalogue.sides.get(declared_side(party) or "")
        own = _origin(position.party, catalogue) if position.party is not None else None
        evidence = [
            passage_json(
                judgement.passage,
                "E",
                _origin(judgement.origin, catalogue) if judgement.origin is not None else None,
                judgement,
                None,
            )
            for judgement in assessment.judgements
        ]
        for item in evidence:
            cell = {"stance": item["stance"], "counts": item["counts"], "reason": item["reason"]}
            matrix.setdefault(item["label"], {}).setdefault(column, cell)
        stances = [passage.stance for passage in position.evidence]
        positions.append(
            {
                "role": "claim" if position.role == "claim" else "counter-claim",
                "party": {
                    "id": position.party,
                    "name": party.name if party else None,
                    "side": party.side if party else None,
                    "side_description": side.description if side else None,
                },
                "statement": position.statement,
                "asserted_in": [
                    passage_json(passage, "A", own, None, position.party)
                    for passage in position.asserted_in
                ],
                "evidence": evidence,
                "evidence_counts": {
                    "supports": stances.count("supports"),
                    "refutes": stances.count("refutes"),
                    "context": stances.count("context"),
                },
                "independent_origins": {
                    "supporting": [
                        _origin(item, catalogue).as_dict() for item in assessment.supporting
                    ],
                    "refuting": [
                        _origin(item, catalogue).as_dict() for item in assessment.refuting
                    ],
                },
                "corroboration": {
                    "recorded": position.corroboration,
                    "computed": assessment.corroboration,
                },
                "verdict": position.verdict,
                "rationale": position.rationale,
                "reviewed": position.reviewed,
                "claim_file_line": position.at.line,
                "claim_file_column": position.at.column,
            }
        )
    empty = {"stance": None, "counts": False, "reason": None}
    return {
        "id": dispute.id,
        "path": dispute.path,
        "title": dispute.title,
        "date": dispute.date,
        "tags": [tag.id for tag in dispute.tags],
        "notes": dispute.notes,
        "has_counter_claim": len(positions) > 1,
        "positions": positions,
        "matrix": [
            {
                "passage": label,
                "cells": [cells.get(index, empty) for index in range(len(positions))],
            }
            for label, cells in matrix.items()
        ],
    }


@dataclass(frozen=True)
class ShownDispute:
    """One dispute as ``show`` prints it, and its file's errors: in full for the table and
    Markdown (``dispute``), as its JSON record for JSON (``record``), each built only when
    a reporter asks for it (``None`` if the file holds no readable dispute)."""

    path: str
    errors: int
    parsed: Dispute | None = field(repr=False)
    archive: Archive = field(repr=False, compare=False)

    @cached_property
    def dispute(self) -> DisputeView | None:
        return build_dispute(self.parsed, self.archive) if self.parsed else None

    @cached_property
    def record(self) -> dict[str, object] | None:
        return dispute_json(self.parsed, self.archive) if self.parsed else None


@dataclass(frozen=True)
class Shown:
    """What ``factcheck show`` prints: the disputes asked for and their files' findings."""

    disputes: tuple[ShownDispute, ...]
    result: RunResult
    changes: Changes | None = None

    @property
    def dispute(self) -> DisputeView | None:
        """The first dispute shown (``show DISPUTE`` shows one)."""
        return self.disputes[0].dispute if self.disputes else None

    def as_dict(self) -> dict[str, object]:
        """The JSON document of ``factcheck show --format json``: the report's records."""
        return {
            "schema_version": SCHEMA_VERSION,
            "changed_since": self.changes.as_dict() if self.changes else None,
            "disputes": [
                {**item.record, "errors": item.errors}
                for item in self.disputes
                if item.record is not None
            ],
            "findings": [item.as_dict() for item in self.result.findings],
        }


def show_dispute(validation: Validation, wanted: str) -> Shown:
    """One dispute in full, even when its file has errors: a desk fixing it needs to see it."""
    return _show(validation, [find_claim_file(validation, wanted)])


def show_changed(validation: Validation, changes: Changes) -> Shown:
    """Every dispute a change touched, in full (see ``views.changes``)."""
    claim_files = [item for item in validation.archive.claim_files if item.path in changes.paths]
    return _show(validation, claim_files, changes)


def _show(
    validation: Validation, claim_files: list[ClaimFile], changes: Changes | None = None
) -> Shown:
    paths = {item.path for item in claim_files}
    findings = [item for item in validation.result.findings if item.path in paths]
    shown = []
    for claim_file in claim_files:
        errors = sum(
            1
            for item in findings
            if item.path == claim_file.path and item.severity is Severity.ERROR
        )
        shown.append(ShownDispute(claim_file.path, errors, claim_file.dispute, validation.archive))
    return Shown(tuple(shown), RunResult(findings, len(claim_files)), changes)


def find_claim_file(validation: Validation, wanted: str) -> ClaimFile:
    """The claim file of a dispute a user named by id or by path; a usage error if unknown.

    Its ``dispute`` is ``None`` when the file exists but could not be read at all.
    """
    archive = validation.archive
    by_id = {_stem(item.path): item for item in archive.claim_files}
    key = _stem(wanted) if wanted.endswith((".yaml", ".yml")) or "/" in wanted else wanted
    if key not in by_id:
        close = difflib.get_close_matches(key, list(by_id), n=3, cutoff=0.5)
        hint = f"; did you mean {choices(close)}?" if close else ""
        known = f" (known: {', '.join(sorted(by_id))})" if by_id and not close else ""
        raise WorkspaceError(f"unknown dispute '{wanted}'{hint}{known}")
    return by_id[key]


def evidence_matrix(positions: tuple[PositionView, ...]) -> tuple[MatrixRow, ...]:
    """Rows: evidence passages; columns: positions (Analysis of Competing Hypotheses).

    A passage cited as evidence by several positions is one row with several filled cells,
    so a reader sees at a glance which evidence bears on which side and how.
    """
    rows: dict[str, tuple[PassageView, dict[int, MatrixCell]]] = {}
    for column, position in enumerate(positions):
        for passage in position.evidence:
            cells = rows.setdefault(passage.label, (passage, {}))[1]
            cells.setdefault(column, MatrixCell(passage.stance, passage.counts, passage.reason))
    return tuple(
        MatrixRow(
            first,
            tuple(cells.get(column, MatrixCell(None, False)) for column in range(len(positions))),
        )
        for first, cells in rows.values()
    )


def count_totals(disputes: Iterable[DisputeRow], labels: tuple[str, ...] = VERDICTS) -> Totals:
    """Positions by verdict (in the order of the rating scale's ``labels``) and by side."""
    disputes = list(disputes)
    by_verdict: Counter[str] = Counter()
    by_side: dict[str | None, Counter[str]] = {}
    for dispute in disputes:
        for position in dispute.positions:
            by_verdict[position.verdict_or_pending] += 1
            by_side.setdefault(position.side, Counter())[position.verdict_or_pending] += 1
    sides = sorted(by_side, key=lambda side: (side in (None, NO_SIDE), side is None, side or ""))
    return Totals(
        disputes=len(disputes),
        positions=by_verdict.total(),
        by_verdict=_in_scale_order(by_verdict, labels),
        by_side=tuple(
            SideTotal(side, by_side[side].total(), _in_scale_order(by_side[side], labels))
            for side in sides
        ),
    )


def _in_scale_order(counts: Counter[str], labels: tuple[str, ...]) -> dict[str, int]:
    return {label: counts[label] for label in (*labels, PENDING) if counts[label]}


class _PassageLabels:
    """Labels passages ``A1``, ``E1``…; the same evidence cited twice keeps its label."""

    def __init__(self) -> None:
        self.labels: dict[tuple[object, ...], str] = {}
        self.counts = Counter[str]()

    def label(self, prefix: str, key: tuple[object, ...]) -> str:
        full_key = (prefix, *key)
        if full_key not in self.labels:
            self.counts[prefix] += 1
            self.labels[full_key] = f"{prefix}{self.counts[prefix]}"
        return self.labels[full_key]


def _build_position(
    position: Position,
    dispute: Dispute,
    archive: Archive,
    labels: _PassageLabels,
    paths: Mapping[str, str],
) -> PositionView:
    catalogue = archive.catalogue
    assessment = archive.assessment(
        dispute, position, archive.workspace.settings.min_independent_origins
    )
    party = catalogue.parties.get(position.party or "")
    side = catalogue.sides.get(declared_side(party) or "")
    stances = [passage.stance for passage in position.evidence]
    own = _origin(position.party, catalogue) if position.party is not None else None
    asserted = tuple(
        _build_passage(passage, archive, labels, paths, "A", own, None, position.party)
        for passage in position.asserted_in
    )
    evidence = tuple(
        _build_passage(
            judgement.passage,
            archive,
            labels,
            paths,
            "E",
            _origin(judgement.origin, catalogue) if judgement.origin is not None else None,
            judgement,
        )
        for judgement in assessment.judgements
    )
    return PositionView(
        role="claim" if position.role == "claim" else "counter-claim",
        heading=_heading(position, dispute),
        party=position.party,
        party_name=party.name if party else None,
        side=party.side if party else None,
        side_description=side.description if side else None,
        statement=position.statement,
        asserted_in=asserted,
        evidence=evidence,
        supporting=stances.count("supports"),
        refuting=stances.count("refutes"),
        context=stances.count("context"),
        independent_supporting=tuple(_origin(item, catalogue) for item in assessment.supporting),
        independent_refuting=tuple(_origin(item, catalogue) for item in assessment.refuting),
        corroboration=position.corroboration,
        computed_corroboration=assessment.corroboration,
        verdict=position.verdict,
        rationale=position.rationale,
        at=position.at,
        reviewed=position.reviewed,
    )


def _build_passage(
    passage: Passage,
    archive: Archive,
    labels: _PassageLabels,
    paths: Mapping[str, str],
    prefix: str,
    origin: Origin | None,
    judgement: Judgement | None = None,
    speaker: str | None = None,
) -> PassageView:
    """A passage as shown; ``judgement`` is its evidence judgement (None for asserted_in)."""
    source = archive.catalogue.sources.get(passage.source or "")
    match = _match(passage, archive)
    evidence = prefix == "E"
    counts, reason, channel = _judged(judgement, archive.catalogue)
    return PassageView(
        label=labels.label(prefix, _label_key(passage, match, origin)),
        kind="evidence" if evidence else "asserted",
        source=passage.source,
        source_title=source.title if source else None,
        file=paths.get(passage.source or ""),
        quote=passage.quote,
        found=match.fragments if match else (),
        at=passage.at,
        stance=passage.stance if evidence else None,
        speaker=passage.speaker if evidence else speaker,
        origin=origin,
        counts=counts,
        reason=reason,
        channel=channel,
        credibility=passage.credibility,
        note=passage.note,
        match=match,
    )


def _match(passage: Passage, archive: Archive) -> QuoteMatch | None:
    """Where a passage's quote stands in its document, or None when it was not found."""
    document = archive.documents.get(passage.source or "")
    if document is None or not passage.quote:
        return None
    match = document.find(passage.quote)
    return match if match.found else None


def _label_key(passage: Passage, match: QuoteMatch | None, origin: Origin | None) -> tuple:
    """What makes two passages one: the same passage cited twice keeps its label. Found, it
    is the same place in the same document; not found, the same words."""
    where = (match.starts, match.lengths) if match else normalise(passage.quote or "")
    return passage.source, where, origin.id if origin else None


def _judged(
    judgement: Judgement | None, catalogue: Catalogue
) -> tuple[bool, str | None, Origin | None]:
    """Whether an evidence passage counts, why not, and who relays it when that is another
    party than its origin."""
    if judgement is None:
        return False, None, None
    relayed = judgement.channel is not None and judgement.channel != judgement.origin
    channel = _origin(judgement.channel, catalogue) if relayed and judgement.channel else None
    return judgement.counts, judgement.why_not, channel


def _origin(party_id: str, catalogue: Catalogue) -> Origin:
    """A party as a reader recognises it; an id the catalogue lacks stands for its name."""
    party = catalogue.parties.get(party_id)
    name = (party.name if party else None) or party_id
    return Origin(party_id, name, catalogue.side_of(party_id))


def _heading(position: Position, dispute: Dispute) -> str:
    if position.role == "claim":
        return "Claim"
    if len(dispute.counter_claims) == 1:
        return "Counter-claim"
    return position.role.capitalize()


def _stem(path: str) -> str:
    return PurePosixPath(path).stem
