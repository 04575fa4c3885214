"""``factcheck show DISPUTE``: one dispute in full, passage by passage, and its evidence matrix.

A reviewer checking a verdict needs every passage with where its quote was found (source,
file, line, column), who it comes from and whether it counts for the position, and when
not, why; the evidence-by-position matrix (as in Analysis of Competing Hypotheses) then
shows at a glance which evidence bears on which side and how. Same safety rules as the
report table: file text is ``Text`` through ``terminal_safe``, inside bordered boxes.
"""

from __future__ import annotations

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from factcheck.reporters import Reporter, make_console, safe
from factcheck.reporters.report import ROW_LABELS, alignment, where_found
from factcheck.reporters.report_table import (
    dispute_header,
    lines,
    new_table,
    paragraph,
    position_cells,
)
from factcheck.views.report import NO_COUNTER_CLAIM, DisputeView, PassageView, PositionView

SHOWN_IN_PASSAGES = "Where asserted"
"""The report table's row that ``show`` leaves out of a position's table."""
COUNTS_MARK = "*"
NO_STANCE = "none"
MATRIX_CELL_WIDTH = len("Counter-claim 9")
MATRIX_LEGEND = (
    f"{COUNTS_MARK} counts for that position: an outsider's word, or a stakeholder's against "
    "its own interest"
)


class ShowReporter(Reporter):
    """Prints one dispute: header, each position with its passages, then the matrix."""

    def show(self, dispute: DisputeView, errors: int = 0) -> None:
        console = make_console(self.stream, self.color, self.width)
        console.print(dispute_header(dispute))
        if errors:
            noun = "error" if errors == 1 else "errors"
            notice = f"{dispute.path} has {errors} {noun} (listed on stderr); it may be incomplete."
            paragraph(console, safe(notice, "bold red"))
        for position in dispute.positions:
            console.print()
            console.print(position_table(position, console))
            console.print(passages_table(position))
        if not dispute.counter_claims:
            console.print()
            paragraph(console, Text(f"Counter-claim: {NO_COUNTER_CLAIM}.", style="italic"))
        console.print()
        console.print(Rule("Evidence by position", style="dim"))
        if dispute.matrix:
            console.print(matrix_table(dispute, console.width))
            paragraph(console, Text(MATRIX_LEGEND, style="dim"))
        else:
            paragraph(console, Text("No evidence passage on record for any position.", "italic"))


def position_table(position: PositionView, console: Console) -> Table:
    """A position's party, statement, evidence in numbers, corroboration and rating.

    The cells are the report table's column for the position, so both commands word a
    position alike; where it is asserted is left out, as the passages table shows each
    place in full.
    """
    table = new_table(position.heading, "", show_header=True, expand=True)
    table.columns[1].ratio = 1
    for label, cell in zip(ROW_LABELS, position_cells(position, console), strict=True):
        if label != SHOWN_IN_PASSAGES:
            table.add_row(Text(label), cell)
    return table


def passages_table(position: PositionView) -> Table:
    """Every passage of a position: the quote, where it was found, its origin."""
    table = new_table("#", "Role", "Passage", expand=True)
    table.columns[2].ratio = 1
    for passage in position.passages:
        role = "asserts" if passage.kind == "asserted" else passage.stance or "(no stance)"
        label = Text(passage.label, style="bold")
        table.add_row(label, safe(role), passage_cell(passage, position))
    if not position.passages:
        table.add_row(Text(""), Text(""), Text("no passage on record", style="italic"))
    return table


def quoted(quote: str) -> str:
    """A quote between quotation marks, unless it already opens with one of its own.

    Wrapping “Terrorists ...” again would print two opening marks in a row.
    """
    if quote and quote[0] in "“\"‘'«":
        return quote
    return f"“{quote}”"


def passage_cell(passage: PassageView, position: PositionView) -> Text:
    """The quote, then where it is, then who it comes from and whether it counts."""
    parts = [
        safe(quoted(passage.quote or "")),
        safe(where_found(passage, with_file=True), "dim"),
        safe(origin_text(passage, position)),
    ]
    if passage.credibility:
        parts.append(safe(f"credibility {passage.credibility}"))
    if passage.note:
        parts.append(safe(f"Note: {passage.note}", "italic"))
    return lines(*parts)


def origin_text(passage: PassageView, position: PositionView) -> str:
    """Who a passage comes from (and who relays it), and whether it counts for the position;
    when it does not, the reason in words."""
    origin = passage.origin
    if passage.kind == "asserted":
        name = origin.name if origin else position.party or "?"
        return f"speaks for {name} ({position.party}), the position's party"
    if origin is None:
        return "origin unknown: no speaker, and the source has no party"
    who = f"origin {origin.name} ({origin.id}, {alignment(origin.side)})"
    if passage.channel is not None:
        channel = passage.channel
        who += f", relayed by {channel.name} ({channel.id}, {alignment(channel.side)})"
    if passage.counts:
        return f"{who}: counts"
    return f"{who}: does not count: {passage.reason}"


def matrix_table(dispute: DisputeView, width: int) -> Table:
    """Rows: evidence passages; columns: positions; cells: the passage's stance or none.

    The evidence column gives way first, so that a position's heading and its cells stay
    whole words however long the source ids are.
    """
    table = new_table("", expand=True)
    table.columns[0].header = lines(Text("Evidence"), Text("where · origin"))
    positions = len(dispute.positions)
    # each position column: its cells, one space of padding each side and a border
    table.columns[0].max_width = max(width - 1 - positions * (MATRIX_CELL_WIDTH + 3) - 3, 12)
    for position in dispute.positions:
        header = lines(Text(position.heading), safe(position.party))
        table.add_column(header, overflow="fold", ratio=1, min_width=MATRIX_CELL_WIDTH)
    for row in dispute.matrix:
        passage = row.passage
        origin = passage.origin.id if passage.origin else "unknown origin"
        cells = [
            Text(NO_STANCE, style="dim")
            if cell.stance is None
            else safe(
                cell.stance + (f" {COUNTS_MARK}" if cell.counts else ""),
                style="bold" if cell.counts else "",
            )
            for cell in row.cells
        ]
        table.add_row(
            lines(Text(passage.label, style="bold"), safe(where_found(passage)), safe(origin)),
            *cells,
        )
    return table
