"""``factcheck show DISPUTE``: one dispute in full, passage by passage, and its evidence matrix.

Three formats, like ``report``: a table for a terminal, Markdown for a pull request (the
report's card, then the passages and the matrix as tables) and JSON (the report's record of
each dispute).

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
from factcheck.reporters.findings import dumps_json
from factcheck.reporters.markdown import md, row, table
from factcheck.reporters.report import ROW_LABELS, alignment, where_found
from factcheck.reporters.report_markdown import dispute_section
from factcheck.reporters.report_table import (
    dispute_header,
    lines,
    new_table,
    paragraph,
    position_cells,
)
from factcheck.views.report import (
    NO_COUNTER_CLAIM,
    DisputeView,
    MatrixCell,
    PassageView,
    PositionView,
    Shown,
)

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
    """Prints each dispute: header, each position with its passages, then the matrix."""

    name = "table"

    def show(self, shown: Shown) -> None:
        console = make_console(self.stream, self.color, self.width)
        for index, item in enumerate(item for item in shown.disputes if item.dispute):
            if index:
                console.print()
            self.dispute(console, item.dispute, item.errors)  # type: ignore[arg-type]

    def dispute(self, console: Console, dispute: DisputeView, errors: int = 0) -> None:
        console.print(dispute_header(dispute))
        if errors:
            paragraph(console, safe(errors_notice(dispute, errors), "bold red"))
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


def errors_notice(dispute: DisputeView, errors: int) -> str:
    noun = "error" if errors == 1 else "errors"
    return f"{dispute.path} has {errors} {noun} (listed on stderr); it may be incomplete."


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
    styles = ["", "dim", ""]
    return lines(
        *(
            safe(text, styles[index] if index < 3 else "italic" * text.startswith("Note: "))
            for index, text in enumerate(passage_lines(passage, position))
        )
    )


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
    for matrix_row in dispute.matrix:
        passage = matrix_row.passage
        origin = passage.origin.id if passage.origin else "unknown origin"
        cells = [
            safe(stance_mark(cell), "dim" if cell.stance is None else "bold" * cell.counts)
            for cell in matrix_row.cells
        ]
        table.add_row(
            lines(Text(passage.label, style="bold"), safe(where_found(passage)), safe(origin)),
            *cells,
        )
    return table


def stance_mark(cell: MatrixCell) -> str:
    """A matrix cell in words: 'supports *' for an independent origin, 'none' for no stance."""
    if cell.stance is None:
        return NO_STANCE
    return cell.stance + (f" {COUNTS_MARK}" if cell.counts else "")


class ShowMarkdownReporter(ShowReporter):
    """``show --format markdown``: the report's card, every passage, the matrix."""

    name = "markdown"

    def show(self, shown: Shown) -> None:
        sections = [
            markdown_dispute(item.dispute, item.errors)
            for item in shown.disputes
            if item.dispute is not None
        ]
        self.stream.write("\n".join(sections))


def markdown_dispute(dispute: DisputeView, errors: int) -> str:
    """One dispute: its side-by-side table, each position's passages, then the matrix."""
    parts = [dispute_section(dispute)]
    if errors:
        parts.append(f"**{md(errors_notice(dispute, errors))}**\n")
    for position in dispute.positions:
        rows = [
            row(
                [
                    f"**{md(passage.label)}**",
                    md("asserts" if passage.kind == "asserted" else passage.stance),
                    "<br>".join(md(text) for text in passage_lines(passage, position)),
                ]
            )
            for passage in position.passages
        ]
        heading = f"### {md(position.heading)}: {md(position.party)}\n\n"
        parts.append(heading + table(["#", "Role", "Passage"], rows))
    matrix = [
        row(
            [
                f"**{md(item.passage.label)}** {md(where_found(item.passage))}",
                *(md(stance_mark(cell)) for cell in item.cells),
            ]
        )
        for item in dispute.matrix
    ]
    headers = ["Evidence"] + [
        f"{md(position.heading)} ({md(position.party)})" for position in dispute.positions
    ]
    if matrix:
        parts.append(
            "### Evidence by position\n\n" + table(headers, matrix) + f"\n{md(MATRIX_LEGEND)}\n"
        )
    return "\n".join(parts)


def passage_lines(passage: PassageView, position: PositionView) -> list[str]:
    """The words of a passage's cell: quote, where, origin, and its grade and note."""
    lines = [
        quoted(passage.quote or ""),
        where_found(passage, with_file=True),
        origin_text(passage, position),
    ]
    if passage.credibility:
        lines.append(f"credibility {passage.credibility}")
    if passage.note:
        lines.append(f"Note: {passage.note}")
    return lines


class ShowJsonReporter(ShowReporter):
    """``show --format json``: each dispute's record, as in the report, and the findings."""

    name = "json"

    def show(self, shown: Shown) -> None:
        self.stream.write(dumps_json(shown.as_dict()) + "\n")


SHOW_REPORTER_BY_NAME: dict[str, type[ShowReporter]] = {
    reporter.name: reporter for reporter in (ShowReporter, ShowMarkdownReporter, ShowJsonReporter)
}
