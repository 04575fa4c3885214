"""``factcheck report --format table``: side-by-side verdict tables for a terminal or a CI log.

First the files with errors and their findings, then the verdict table (one row per
dispute: id and title, and each position's party, verdict and corroboration side by side),
then the cards (``--details``, or a narrowed selection), then the totals.

Readable at 80 columns: text wraps at word boundaries and a word too long for its column
is folded, never cut with an ellipsis. When a dispute has more positions than fit side by
side, the positions are shown in groups, each group with the row labels again. Every line
of file text sits inside a bordered box, so no statement can begin a line of a CI log (where
a line starting with ``::`` would be a workflow command), and every text from a file goes
through ``terminal_safe`` into ``Text``, never markup. Without a terminal (or with
``--color never`` or ``NO_COLOR``) the output is plain text with no escape sequences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TextIO

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from factcheck.reporters import make_console, safe, terminal_safe
from factcheck.reporters.grid import Grid
from factcheck.reporters.report import (
    MISSING,
    ROW_LABELS,
    ReportReporter,
    corroboration_text,
    counts_line,
    dispute_meta,
    empty_message,
    evidence_counts,
    evidence_judgements,
    finding_counts,
    finding_text,
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
    DisputeView,
    PositionRow,
    PositionView,
    Report,
)

VERDICT_STYLES = {
    "supported": "bold black on green",
    "partly-supported": "bold black on cyan",
    "unproven": "bold black on yellow",
    "disputed": "bold white on magenta",
    "misleading": "bold white on blue",
    "refuted": "bold white on red",
    "pending": "bold black on white",
}
LABEL_WIDTH = max(len(label) for label in ROW_LABELS)
MIN_POSITION_WIDTH = 18
BOX = box.ROUNDED


def lines(*parts: Text | str) -> Text:
    """Several pieces of text, one per line (plain strings are the tool's own words)."""
    return Text("\n").join(part if isinstance(part, Text) else Text(part) for part in parts)


def badge(verdict: str, console: Console) -> Text:
    """A verdict as a colour-coded badge; plain words when there is no colour."""
    style = VERDICT_STYLES.get(verdict, "bold")
    if console.no_color or console.color_system is None:
        return safe(verdict)
    # a span rather than the text's style, so the colour covers the word and not the cell
    return Text.assemble((f" {terminal_safe(verdict)} ", style))


def paragraph(console: Console, text: Text) -> None:
    """Print text wrapped to the console's width with no trailing whitespace on any line."""
    for line in text.wrap(console, console.width):
        line.rstrip()
        console.print(line, soft_wrap=True)


def new_table(*headers: str, **options: object) -> Table:
    """A bordered table whose columns wrap and fold, never truncate."""
    table = Table(box=BOX, show_lines=True, header_style="bold", **options)
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


class TableReporter(ReportReporter):
    """The broken files, the verdict table, the cards when asked for, and the totals.

    The two tables that grow with the archive (invalid files, verdicts) are ``Grid``s,
    written row by row; the cards and totals are rich tables.
    """

    name = "table"

    def report(self, report: Report) -> None:
        console = make_console(self.stream, self.color, self.width)
        if report.invalid:
            console.print(Rule("Invalid files", style="dim"))
            paragraph(console, Text(invalid_intro(report)))
            invalid_grid(report, console, self.stream)
        message = empty_message(report)
        if message:
            paragraph(console, Text(message, style="bold"))
        else:
            console.print(Rule("Verdicts", style="dim"))
            verdict_grid(report, console, self.stream)
        if report.show_cards and report.rows:
            console.print(Rule("Details", style="dim"))
            for dispute in report.views():
                console.print(dispute_header(dispute))
                for renderable in position_tables(dispute, console):
                    console.print(renderable)
                console.print()
        if report.rows:
            console.print(Rule("Totals", style="dim"))
            console.print(verdict_totals(report, console))
            console.print(side_totals(report))
        paragraph(console, safe(counts_line(report)))


POSITION_HEADER = "party, verdict, corroboration"


def verdict_grid(report: Report, console: Console, stream: TextIO) -> None:
    """One row per dispute: id and title, then each side's party, verdict and corroboration."""
    headers = [
        [("Dispute", "bold")],
        [("Claim", "bold"), (POSITION_HEADER, "dim")],
        [("Counter-claims", "bold"), (POSITION_HEADER, "dim")],
    ]
    grid = Grid(console, stream, headers, (3, 2, 2))
    for row in report.rows:
        claim = row.claim
        grid.row(
            [
                [(terminal_safe(row.id), "bold cyan"), (terminal_safe(row.title or MISSING), "")],
                row_positions([claim] if claim else []),
                row_positions(row.counter_claims) or [(NO_COUNTER_CLAIM, "italic")],
            ]
        )
    grid.close()


def row_positions(positions: Iterable[PositionRow]) -> list[tuple[str, str]]:
    """Each position's party, verdict and corroboration, a blank line between positions."""
    pieces: list[tuple[str, str]] = []
    for position in positions:
        if pieces:
            pieces.append(("", ""))
        verdict = position.verdict_or_pending
        pieces += [
            (terminal_safe(position.party or MISSING), "bold"),
            (terminal_safe(verdict), VERDICT_STYLES.get(verdict, "bold")),
            (terminal_safe(corroboration_text(position)), ""),
        ]
    return pieces


def invalid_grid(report: Report, console: Console, stream: TextIO) -> None:
    """Each file with errors: its dispute, how many findings, then every finding."""
    grid = Grid(console, stream, [[("File", "bold")], [("Findings", "bold")]], (3, 4))
    for item in report.invalid:
        about = [(terminal_safe(item.path), "bold"), (finding_counts(item), "")]
        about.append((terminal_safe(invalid_dispute(item)), "cyan"))
        if item.title:
            about.append((terminal_safe(item.title), ""))
        found = [(terminal_safe(finding_text(finding)), "") for finding in item.findings]
        grid.row([about, found])
    grid.close()


def dispute_header(dispute: DisputeView) -> Panel:
    """The dispute's id, its question and where it is filed, in a box."""
    body = lines(
        safe(dispute.id, "bold cyan"),
        safe(dispute.title, "bold"),
        safe(dispute_meta(dispute), "dim"),
    )
    if dispute.notes:
        body = lines(body, safe(f"Notes: {dispute.notes}"))
    return Panel(body, box=BOX, expand=True)


def position_tables(dispute: DisputeView, console: Console) -> list[Table]:
    """The side-by-side table, split into groups when the positions do not fit the width."""
    positions = list(dispute.positions)
    per_table = fitting_columns(console.width, max(len(positions), 2))
    groups = [positions[index : index + per_table] for index in range(0, len(positions), per_table)]
    return [side_by_side(group, dispute, console) for group in groups or [[]]]


def fitting_columns(width: int, wanted: int) -> int:
    """How many position columns fit next to the row labels at this width (at least one)."""
    for count in range(wanted, 1, -1):
        # borders: one more than the columns; padding: one space each side of every cell
        overhead = (count + 2) + 2 * (count + 1) + LABEL_WIDTH
        if (width - overhead) // count >= MIN_POSITION_WIDTH:
            return count
    return 1


def side_by_side(
    positions: Sequence[PositionView], dispute: DisputeView, console: Console
) -> Table:
    """Rows for party, statement, where asserted, evidence, corroboration, verdict, rationale."""
    table = new_table(expand=True)
    table.add_column("", overflow="fold", style="bold", no_wrap=False)
    for position in positions:
        table.add_column(position.heading, overflow="fold", ratio=1)
    cells = [position_cells(position, console) for position in positions]
    if not dispute.counter_claims:
        table.add_column("Counter-claim", overflow="fold", ratio=1)
        placeholder = [Text(NO_COUNTER_CLAIM, style="italic")] + [Text("")] * (len(ROW_LABELS) - 1)
        cells.append(placeholder)
    for row, label in enumerate(ROW_LABELS):
        table.add_row(Text(label), *(column[row] for column in cells))
    return table


def position_cells(position: PositionView, console: Console) -> list[Text]:
    """The cells of one position's column, in the order of ``ROW_LABELS``."""
    name, detail = party_lines(position)
    return [
        lines(safe(name, "bold"), safe(detail, "dim")),
        safe(position.statement),
        lines(*(safe(line) for line in where_asserted(position))),
        lines(
            Text(evidence_counts(position)),
            safe(independent_origins(position)),
            *(safe(line) for line in evidence_judgements(position)),
        ),
        safe(corroboration_text(position)),
        badge(position.verdict_or_pending, console),
        safe(rationale_text(position)),
    ]


def verdict_totals(report: Report, console: Console) -> Table:
    """Positions by verdict, in the order of the rating scale."""
    table = new_table("Verdict", "Positions")
    for verdict, count in report.totals.by_verdict.items():
        table.add_row(badge(verdict, console), Text(str(count)))
    table.add_row(Text("all", style="bold"), Text(str(report.totals.positions), style="bold"))
    return table


def side_totals(report: Report) -> Table:
    """Positions by side, with their verdicts."""
    table = new_table("Side", "Positions", "Verdicts")
    for total in report.totals.by_side:
        table.add_row(
            safe(side_name(total)),
            Text(str(total.positions)),
            safe(verdict_counts(total.by_verdict)),
        )
    return table
