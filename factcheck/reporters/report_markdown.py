"""``factcheck report --format markdown``: GitHub-flavoured, for step summaries and PR comments.

Every text from a file is escaped (``md``, shared with ``factcheck diff``). File text never
starts a line, so no statement can become a heading or, in a CI log, a workflow command.
GitHub refuses a step summary over 1 MiB: when the report would be larger, it keeps what
matters most, in this order: the invalid files with their findings (the reason a build
fails), the rows of the verdict table (with ``--changed-since``, the disputes the change
touched), then the cards; what is left out is named in a note at the top.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from factcheck.reporters.markdown import STEP_SUMMARY_LIMIT, md, row, size, table
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
    finding_counts,
    independent_origins,
    invalid_dispute,
    invalid_intro,
    party_lines,
    rationale_text,
    side_name,
    verdict_counts,
    where_asserted,
)
from factcheck.views.report import (
    NO_COUNTER_CLAIM,
    DisputeRow,
    DisputeView,
    InvalidFile,
    PositionRow,
    PositionView,
    Report,
)

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
    """Markdown sections: invalid files, the verdict table, the cards if asked, totals."""

    name = "markdown"
    limit = STEP_SUMMARY_LIMIT

    def report(self, report: Report) -> None:
        self.stream.write(render(report, self.limit, self.path_prefix))


@dataclass
class Part:
    """One part of the report that may be shortened: its pieces in order, made only when
    asked for (a card reads its claim file), and how many of them are kept."""

    source: Iterator[str]
    total: int
    made: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)

    @property
    def left_out(self) -> int:
        return self.total - len(self.kept)

    def keep(self, budget: int) -> int:
        """Keep the longest prefix that fits in ``budget`` bytes; what is left of it."""
        self.kept = []
        for index in range(self.total):
            if index == len(self.made):
                self.made.append(next(self.source))
            cost = size(self.made[index]) + 1
            if cost > budget:
                return 0
            self.kept.append(self.made[index])
            budget -= cost
        return budget


def render(report: Report, limit: int = STEP_SUMMARY_LIMIT, prefix: str = "") -> str:
    """The whole report, kept under ``limit`` bytes of UTF-8 with a note on what was left out.

    The heading, the counts and the totals always stay; then, as far as they fit and in
    this order, the invalid files with their findings, the rows of the verdict table and
    the cards. Pieces are made only while they fit, so a cut report costs no more than
    what it shows. ``prefix`` goes before every path: the workspace's place in its git
    repository, from whose root GitHub resolves paths.
    """
    cards = report.show_cards
    parts = [
        Part((row(invalid_cells(item, prefix)) for item in report.invalid), len(report.invalid)),
        Part((row(summary_cells(item)) for item in report.rows), len(report.rows)),
        Part(
            (dispute_section(view, prefix) for view in report.views()),
            len(report.rows) * cards,
        ),
    ]
    base = size(assemble(report, [Part(iter(()), 0)] * 3, ""))
    reserve = 0
    while True:  # the note and the sections' headings are not in the budget: settle them
        budget = limit - base - reserve
        for part in parts:
            budget = part.keep(budget)
        note = left_out_note(report, parts)
        text = assemble(report, parts, note)
        if size(text) <= limit or budget == limit - base - reserve:
            return text
        reserve = max(2 * reserve, reserve + size(text) - limit, size(note) + 1)


def assemble(report: Report, parts: list[Part], note: str) -> str:
    """Put the sections together: broken files first, then the table, cards and totals."""
    invalid, rows, cards = (part.kept for part in parts)
    sections = [f"# Fact-check report\n\n{md(counts_line(report))}\n", note]
    if report.invalid:
        sections.append(
            "## Invalid files\n\n"
            + md(invalid_intro(report))
            + "\n\n"
            + table(["File", "Dispute", "Findings"], invalid)
        )
    message = empty_message(report)
    if message:
        sections.append(md(message) + "\n")
    else:
        sections.append("## Verdicts\n\n" + table(SUMMARY_HEADERS, rows))
    if cards:
        sections.append("## Details\n\n" + "\n".join(cards))
    sections.append(totals_section(report))
    return "\n".join(section for section in sections if section)


def left_out_note(report: Report, parts: list[Part]) -> str:
    """Say what was left out to stay under GitHub's step-summary limit, and how to see it."""
    invalid, rows, cards = parts
    ids = [item.id for item in report.rows]
    said = []
    if invalid.left_out:
        said.append(
            f"the findings of {invalid.left_out} of {invalid.total} invalid files "
            f"(from {md(report.invalid[len(invalid.kept)].path)}; run `factcheck validate` "
            "to see every finding)"
        )
    if rows.left_out:
        left = ids[len(rows.kept) :]
        said.append(
            f"{rows.left_out} of {rows.total} rows of the verdict table "
            f"(from {md(left[0])} to {md(left[-1])})"
        )
    if cards.left_out:
        left = ids[len(cards.kept) :]
        said.append(
            f"the details of {cards.left_out} of {cards.total} disputes "
            f"(from {md(left[0])} to {md(left[-1])}; `factcheck show DISPUTE` shows one)"
        )
    if not said:
        return ""
    return (
        f"> **Note:** {'; '.join(said)} were left out to keep this report under GitHub's "
        "1 MiB step-summary limit. Run `factcheck report` to see them in full.\n"
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


def summary_cells(dispute: DisputeRow) -> list[str]:
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


def party_verdicts(positions: Sequence[PositionRow]) -> str:
    return "<br>".join(
        f"{md(position.party)} {badge(position.verdict_or_pending)}" for position in positions
    )


def invalid_cells(item: InvalidFile, prefix: str = "") -> list[str]:
    """A file with errors, the dispute it holds, and its findings, counted."""
    dispute = md(invalid_dispute(item))
    if item.title:
        dispute += f": {md(item.title)}"
    found = "<br>".join(
        f"{finding.line}:{finding.column} {finding.severity} {finding.code} {md(finding.message)}"
        for finding in item.findings
    )
    return [md(prefix + item.path), dispute, f"**{md(finding_counts(item))}**<br>{found}"]


def totals_section(report: Report) -> str:
    """Positions by verdict and by side."""
    if not report.rows:
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
