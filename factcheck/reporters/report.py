"""What every format of ``factcheck report`` shares: the life-cycle and the wording of cells.

The table, Markdown and JSON reporters differ in layout, escaping and colour, never in
what a cell says; the words are chosen here once, as plain strings, and each format makes
them safe for where they are going (``terminal_safe`` and ``Text`` for a terminal,
escaping for Markdown).
"""

from __future__ import annotations

from factcheck.findings import Finding
from factcheck.reporters import Reporter
from factcheck.rules.independence import side_label
from factcheck.text import counted
from factcheck.views.report import (
    DisputeRow,
    DisputeView,
    InvalidFile,
    PassageView,
    PositionRow,
    PositionView,
    Report,
    SideTotal,
)

ROW_LABELS = (
    "Party",
    "Statement",
    "Where asserted",
    "Evidence",
    "Corroboration",
    "Verdict",
    "Rationale",
)
MISSING = "(missing)"


class ReportReporter(Reporter):
    """Base life-cycle: a reporter writes one whole report to its stream, in this order:
    the invalid files with their findings, the verdict table (one row per dispute), the
    cards of ``Report.show_cards``, and the totals."""

    def report(self, report: Report) -> None:
        raise NotImplementedError


def party_lines(position: PositionView) -> tuple[str, str]:
    """The party's name, then its id and side: 'ispr · side pakistan'."""
    name = position.party_name or position.party or MISSING
    return name, f"{position.party or MISSING} · {alignment(position.side)}"


def alignment(side: str | None) -> str:
    """A party's recorded alignment in words: 'side pakistan', 'no side' (the desk found it
    unaligned) or 'alignment not recorded' (which keeps its passages from counting)."""
    label = side_label(side)
    return f"side {label}" if label == side else label


def where_found(passage: PassageView, with_file: bool = False) -> str:
    """Where a quote is in its document: 'security-report, line 3' (or that it is not)."""
    source = passage.source or MISSING
    location = passage.location
    if location is None:
        return f"{source}, quote not found"
    if with_file:
        return f"{source}, {passage.file}, line {location.line}, column {location.column}"
    return f"{source}, line {location.line}"


def where_asserted(position: PositionView) -> list[str]:
    """Where a position is on record, one line per source: 'security-report, lines 3, 5'."""
    lines: dict[str, list[int]] = {}
    missing: list[str] = []
    for passage in position.asserted_in:
        source = passage.source or MISSING
        if passage.location is None:
            missing.append(f"{source}, quote not found")
            continue
        found = lines.setdefault(source, [])
        if passage.location.line not in found:
            found.append(passage.location.line)
    described = [
        f"{source}, {'line' if len(numbers) == 1 else 'lines'} "
        + ", ".join(str(number) for number in sorted(numbers))
        for source, numbers in lines.items()
    ]
    return described + missing


def evidence_counts(position: PositionView) -> str:
    """The evidence passages by stance: '1 supporting / 0 refuting / 1 context'."""
    return (
        f"{position.supporting} supporting / {position.refuting} refuting / "
        f"{position.context} context"
    )


def independent_origins(position: PositionView) -> str:
    """'Independent: envoy (supports); ispr (refutes)', or that there is none."""
    names = [f"{origin.name} (supports)" for origin in position.independent_supporting]
    names += [f"{origin.name} (refutes)" for origin in position.independent_refuting]
    return "Independent: " + ("; ".join(names) or "no independent origin")


def evidence_judgements(position: PositionView) -> list[str]:
    """Each evidence passage and whether it counts, with the reason when it does not:
    'E2 refutes: does not count (same camp as ispr)'."""
    return [
        f"{passage.label} {passage.stance or MISSING}: "
        + ("counts" if passage.counts else f"does not count ({passage.reason})")
        for passage in position.evidence
    ]


def corroboration_text(position: PositionView | PositionRow) -> str:
    """The recorded status, and what the evidence shows when the two differ."""
    recorded = position.corroboration or MISSING
    if recorded == position.computed_corroboration:
        return recorded
    return f"{recorded} (the evidence shows {position.computed_corroboration})"


def corroboration_lines(dispute: DisputeRow) -> list[str]:
    """Each position's corroboration for the summary: 'claim: single-source'."""
    return [
        f"{position.heading.lower()}: {corroboration_text(position)}"
        for position in dispute.positions
    ]


def rationale_text(position: PositionView) -> str:
    if position.rationale:
        return position.rationale
    return "no rationale yet" if position.verdict is None else MISSING


def verdict_counts(counts: dict[str, int]) -> str:
    """'unproven 2, refuted 1' in the order of the rating scale."""
    return ", ".join(f"{verdict} {count}" for verdict, count in counts.items()) or "none"


def invalid_dispute(item: InvalidFile) -> str:
    """The dispute an invalid file holds, or that the file is part of the catalogue."""
    return item.dispute or "(catalogue)"


def finding_counts(item: InvalidFile) -> str:
    """'2 errors, 1 warning'."""
    counts = [counted(item.errors, "error")]
    if item.warnings:
        counts.append(counted(item.warnings, "warning"))
    return ", ".join(counts)


def finding_text(item: Finding) -> str:
    """A finding inside its file's row: '7:12 error FC201 unknown party ...'."""
    return f"{item.line}:{item.column} {item.severity} {item.code} {item.message}"


def invalid_intro(report: Report) -> str:
    """The sentence over the invalid files: how many, and what it means for the tables."""
    errors = sum(item.errors for item in report.invalid)
    verb = "fails" if len(report.invalid) == 1 else "fail"
    return (
        f"{counted(len(report.invalid), 'file')} with {counted(errors, 'error')} {verb} "
        "the build; their disputes are left out of the tables until they are fixed."
    )


def side_name(total: SideTotal) -> str:
    """A row of the totals by side: the side's id, 'no side' or 'alignment not recorded'."""
    return side_label(total.side)


def dispute_meta(dispute: DisputeView, prefix: str = "") -> str:
    """The line under a dispute's title: its file (after ``prefix``), date and tags."""
    parts = [prefix + dispute.path]
    if dispute.date:
        parts.append(dispute.date)
    if dispute.tags:
        parts.append("tags: " + ", ".join(dispute.tags))
    return " · ".join(parts)


def counts_line(report: Report) -> str:
    """How many disputes were reported, and how many files were left out as invalid."""
    line = f"{counted(report.totals.disputes, 'dispute')} reported"
    narrowing = []
    if report.filters.active:
        narrowing.append(f"filters: {report.filters.describe()}")
    if report.changes is not None:
        narrowing.append(f"changed since {changed_since(report)}")
    if narrowing:
        line += f" of {report.valid_disputes} valid ({'; '.join(narrowing)})"
    if report.invalid:
        line += f"; {counted(len(report.invalid), 'invalid file')} left out"
    return line


def changed_since(report: Report) -> str:
    """'main (cac15a2a79af)': the revision ``--changed-since`` named, and its commit."""
    assert report.changes is not None
    return f"{report.changes.rev} ({report.changes.short})"


def empty_message(report: Report) -> str | None:
    """What to say when there is no dispute to show, or ``None`` when there is."""
    if report.rows:
        return None
    if report.changes is not None and report.valid_disputes:
        return f"No valid dispute changed since {changed_since(report)}."
    if report.filters.active and report.valid_disputes:
        return f"No dispute matches the filters {report.filters.describe()}."
    return "No valid dispute to report."
