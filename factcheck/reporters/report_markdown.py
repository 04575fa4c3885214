"""``factcheck report --format markdown``: GitHub-flavoured, for step summaries and PR comments.

Every text from a file is escaped (``md``, shared with ``factcheck diff``). File text never
starts a line, so no statement can become a heading or, in a CI log, a workflow command.
GitHub refuses a step summary over 1 MiB: when the report would be larger, the detail tables
of the last disputes (and, if need be, the last rows of the summary) are left out and a note
says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from factcheck.reporters.markdown import STEP_SUMMARY_LIMIT, fitting, md, row, size, table
from factcheck.reporters.report import (
    ROW_LABELS,
    ReportReporter,
    corroboration_lines,
    corroboration_text,
    counts_line,
    dispute_meta,
    empty_message,
    evidence_counts,
    evidence_judgements,
    independent_origins,
    invalid_dispute,
    party_lines,
    rationale_text,
    side_name,
    verdict_counts,
    where_asserted,
)
from factcheck.views.report import NO_COUNTER_CLAIM, DisputeView, InvalidFile, PositionView, Report

VERDICT_MARKS = {
    "supported": "🟢",
    "partly-supported": "🔵",
    "unproven": "🟡",
    "disputed": "🟣",
    "misleading": "🟠",
    "refuted": "🔴",
    "pending": "⚪",
}


def badge(verdict: str) -> str:
    """A verdict with a coloured mark, so a reader can scan a column of verdicts."""
    return f"{VERDICT_MARKS.get(verdict, '')} **{md(verdict)}**".strip()


class MarkdownReporter(ReportReporter):
    """Markdown sections: a table per dispute, the summary, invalid files and totals."""

    name = "markdown"
    limit = STEP_SUMMARY_LIMIT

    def report(self, report: Report) -> None:
        self.stream.write(render(report, self.limit, self.path_prefix))


@dataclass
class Sections:
    """The parts of the Markdown report that may be shortened to fit the size limit."""

    details: list[str]
    summary: list[str]
    invalid: list[str]


def render(report: Report, limit: int = STEP_SUMMARY_LIMIT, prefix: str = "") -> str:
    """The whole report, kept under ``limit`` bytes of UTF-8 with a note on what was left out.

    The totals always stay; then the summary rows, the invalid files and the detail tables,
    in that order of priority, as far as they fit. ``prefix`` goes before every path: the
    workspace's place in its git repository, from whose root GitHub resolves paths.
    """
    full = Sections(
        details=[dispute_section(dispute, prefix) for dispute in report.disputes],
        summary=[row(summary_cells(dispute)) for dispute in report.disputes],
        invalid=[row(invalid_cells(item, prefix)) for item in report.invalid],
    )
    text = assemble(report, full, "")
    if size(text) <= limit:
        return text
    base = size(assemble(report, Sections([], [], []), ""))
    reserve = 0
    for _ in range(3):  # the note's length depends on what it names; settle it
        kept = shorten(full, limit - base - reserve)
        note = left_out_note(report, full, kept)
        if size(note) + 1 <= reserve:
            break
        reserve = size(note) + 1
    text = assemble(report, kept, note)
    while size(text) > limit and kept.details:
        kept.details.pop()
        text = assemble(report, kept, left_out_note(report, full, kept))
    return text


def shorten(full: Sections, budget: int) -> Sections:
    """Keep the summary rows, then the invalid files, then the detail tables, as they fit."""
    summary, budget = fitting(full.summary, budget)
    invalid, budget = fitting(full.invalid, budget)
    details, _ = fitting(full.details, budget)
    return Sections(details, summary, invalid)


def assemble(report: Report, sections: Sections, note: str) -> str:
    """Put the sections together in the order of the terminal table."""
    parts = [f"# Fact-check report\n\n{md(counts_line(report))}\n", note, *sections.details]
    message = empty_message(report)
    if message:
        parts.append(md(message) + "\n")
    else:
        parts.append("## Summary\n\n" + table(SUMMARY_HEADERS, sections.summary))
    if report.invalid:
        parts.append(
            "## Invalid files\n\nThese files have errors (see the findings); their disputes "
            "are left out until they are fixed.\n\n"
            + table(["File", "Errors", "Dispute"], sections.invalid)
        )
    parts.append(totals_section(report))
    return "\n".join(part for part in parts if part)


def left_out_note(report: Report, full: Sections, kept: Sections) -> str:
    """Say what was left out to stay under GitHub's step-summary limit, and where to see it."""
    said = []
    disputes = report.disputes
    if len(kept.details) < len(full.details):
        left = [dispute.id for dispute in disputes[len(kept.details) :]]
        said.append(
            f"the detail tables of {len(left)} of {len(disputes)} disputes "
            f"(from {md(left[0])} to {md(left[-1])})"
        )
    if len(kept.summary) < len(full.summary):
        said.append(f"{len(full.summary) - len(kept.summary)} rows of the summary table")
    if len(kept.invalid) < len(full.invalid):
        said.append(f"{len(full.invalid) - len(kept.invalid)} rows of the invalid files")
    return (
        f"> **Note:** {' and '.join(said)} were left out to keep this report under GitHub's "
        "1 MiB step-summary limit. Run `factcheck report` or `factcheck show DISPUTE` to see "
        "them in full.\n"
    )


def dispute_section(dispute: DisputeView, prefix: str = "") -> str:
    """A dispute's heading, its file, and the side-by-side table."""
    positions = list(dispute.positions)
    headers = [" "] + [md(position.heading) for position in positions]
    columns = [position_cells(position) for position in positions]
    if not dispute.counter_claims:
        headers.append("Counter-claim")
        columns.append([f"*{md(NO_COUNTER_CLAIM)}*"] + [""] * (len(ROW_LABELS) - 1))
    rows = [
        row([f"**{label}**", *(column[index] for column in columns)])
        for index, label in enumerate(ROW_LABELS)
    ]
    lines = [
        f"## {md(dispute.id)}: {md(dispute.title)}\n",
        f"{md(dispute_meta(dispute, prefix))}\n",
    ]
    if dispute.notes:
        lines.append(f"Notes: {md(dispute.notes)}\n")
    return "\n".join(lines) + "\n" + table(headers, rows)


def position_cells(position: PositionView) -> list[str]:
    """One position's cells, in the order of ``ROW_LABELS``."""
    name, detail = party_lines(position)
    return [
        f"**{md(name)}**<br>{md(detail)}",
        md(position.statement),
        "<br>".join(md(line) for line in where_asserted(position)),
        "<br>".join(
            md(line)
            for line in [
                evidence_counts(position),
                independent_origins(position),
                *evidence_judgements(position),
            ]
        ),
        md(corroboration_text(position)),
        badge(position.verdict_or_pending),
        md(rationale_text(position)),
    ]


SUMMARY_HEADERS = ["Dispute", "Title", "Claim", "Counter-claims", "Corroboration"]


def summary_cells(dispute: DisputeView) -> list[str]:
    """One dispute in a row: id, title, each party with its verdict, and the corroboration."""
    claim = dispute.claim
    counters = dispute.counter_claims
    return [
        f"**{md(dispute.id)}**",
        md(dispute.title),
        party_verdicts([claim] if claim else []),
        party_verdicts(counters) if counters else md("none on record"),
        "<br>".join(md(line) for line in corroboration_lines(dispute)),
    ]


def party_verdicts(positions: Sequence[PositionView]) -> str:
    return "<br>".join(
        f"{md(position.party)} {badge(position.verdict_or_pending)}" for position in positions
    )


def invalid_cells(item: InvalidFile, prefix: str = "") -> list[str]:
    """A file with errors, how many, and the dispute it holds."""
    dispute = md(invalid_dispute(item))
    if item.title:
        dispute += f": {md(item.title)}"
    return [md(prefix + item.path), str(item.errors), dispute]


def totals_section(report: Report) -> str:
    """Positions by verdict and by side."""
    if not report.disputes:
        return ""
    totals = report.totals
    by_verdict = [row([badge(verdict), str(count)]) for verdict, count in totals.by_verdict.items()]
    by_verdict.append(row(["**all**", f"**{totals.positions}**"]))
    by_side = [
        row([md(side_name(total)), str(total.positions), md(verdict_counts(total.by_verdict))])
        for total in totals.by_side
    ]
    return (
        "## Totals\n\n"
        + table(["Verdict", "Positions"], by_verdict)
        + "\n"
        + table(["Side", "Positions", "Verdicts"], by_side)
    )
