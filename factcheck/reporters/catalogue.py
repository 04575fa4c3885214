"""The ``sources`` and ``parties`` tables: each catalogue entry with how the claims use it.

An entry no claim file relies on is marked ``unused`` (in yellow on a terminal, and as a
word, so it also shows in plain text and in CI logs). ``json`` gives the same rows to
programs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from rich import box
from rich.table import Table
from rich.text import Text

from factcheck.reporters import make_console, terminal_safe
from factcheck.reporters.findings import dumps_json
from factcheck.text import plural
from factcheck.views.catalogue import PartyUsage, SourceUsage

PIPE_WIDTH = 160


def _safe(text: str | None) -> Text:
    return Text(terminal_safe(text or ""))


def _status(used: bool) -> Text:
    return Text("used", style="green") if used else Text("unused", style="bold yellow")


def _ids(items: list[str]) -> Text:
    return Text("\n".join(terminal_safe(item) for item in items))


def _unused_note(count: int, noun: str) -> Text:
    if not count:
        return Text(f"every {noun} is used", style="green")
    return Text(
        f"{count} unused {noun if count == 1 else plural(noun)}: cite "
        f"{'it' if count == 1 else 'them'} in a claim file or remove "
        f"{'it' if count == 1 else 'them'}",
        style="yellow",
    )


def _print(
    rows: list,
    stream: TextIO,
    color: str,
    output_format: str,
    noun: str,
    plural: str,
    table: Callable[[list], Table],
    as_dict: Callable,
) -> None:
    if output_format == "json":
        stream.write(dumps_json({plural: [as_dict(row) for row in rows]}) + "\n")
        return
    console = make_console(stream, color)
    if not console.is_terminal:  # a log or a file: no reason to wrap at 80 columns
        console = make_console(stream, color, width=max(console.width, PIPE_WIDTH))
    if not rows:
        console.print(Text(f"no {plural} in the catalogue"), soft_wrap=True)
        return
    laid_out = table(rows)
    needed = _width_needed(laid_out)
    if needed > console.width:
        console = make_console(stream, color, width=needed)
    if console.is_terminal:
        console.print(laid_out)
    else:  # a log or a file: the cells' padding would end every line in spaces
        with console.capture() as captured:
            console.print(laid_out)
        stream.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))
    console.print(_unused_note(sum(1 for row in rows if not row.used), noun), soft_wrap=True)


def report_sources(
    rows: list[SourceUsage], stream: TextIO, color: str = "auto", output_format: str = "table"
) -> None:
    """The sources table: id, party, citations, status, disputes (json adds file and title)."""
    _print(rows, stream, color, output_format, "source", "sources", _sources_table, _source_dict)


def _table(title: str, columns: tuple[tuple[str, str], ...]) -> Table:
    """A compact table: ids whole, numbers aligned right, the other text wrapped to fit."""
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    for header, kind in columns:
        if kind == "id":
            table.add_column(header, no_wrap=True)
        elif kind == "number":
            table.add_column(header, justify="right", no_wrap=True)
        else:
            table.add_column(header, overflow="fold", ratio=1 if kind == "list" else None)
            table.columns[-1].no_wrap = kind != "list"
    return table


def _width_needed(table: Table) -> int:
    """The width at which no id is cut: every column as wide as its longest cell, but the
    list of disputes, which is one id per line and so only as wide as its longest id.

    Past the terminal's width rich would cut ids with '…' and squeeze the other columns
    to a letter or two; an id cut short names nothing a desk could type back, so the
    table is laid out at this width and the terminal wraps the lines instead.
    """
    widths = [
        max((_width(cell) for cell in [column.header, *column.cells]), default=0)
        for column in table.columns
    ]
    return sum(widths) + 3 * (len(widths) - 1) + 2


def _width(cell: object) -> int:
    text = cell.plain if isinstance(cell, Text) else str(cell)
    return max((len(line) for line in text.splitlines()), default=0)


def _sources_table(rows: list[SourceUsage]) -> Table:
    table = _table(
        "Sources (seeds/sources.yaml)",
        (
            ("source", "id"),
            ("party", "text"),
            ("cited", "number"),
            ("status", "id"),
            ("disputes", "list"),
        ),
    )
    for row in rows:
        disputes = _ids(row.disputes)
        if row.reported_by:
            disputes.append(
                f"{chr(10) if row.disputes else ''}(re-reported by {', '.join(row.reported_by)})",
                style="dim",
            )
        table.add_row(
            _safe(row.source.id),
            _safe(row.source.party),
            Text(str(row.citations)),
            _status(row.used),
            disputes,
        )
    return table


def _source_dict(row: SourceUsage) -> dict[str, object]:
    return {
        "id": row.source.id,
        "file": row.source.file,
        "title": row.source.title,
        "party": row.source.party,
        "citations": row.citations,
        "disputes": row.disputes,
        "reported_by": row.reported_by,
        "used": row.used,
    }


def report_parties(
    rows: list[PartyUsage], stream: TextIO, color: str = "auto", output_format: str = "table"
) -> None:
    """The parties table: id, side, kind, positions, passages, status, disputes."""
    _print(rows, stream, color, output_format, "party", "parties", _parties_table, _party_dict)


def _parties_table(rows: list[PartyUsage]) -> Table:
    table = _table(
        "Parties (seeds/parties.yaml)",
        (
            ("party", "id"),
            ("side", "text"),
            ("kind", "text"),
            ("positions", "number"),
            ("passages", "number"),
            ("status", "id"),
            ("disputes", "list"),
        ),
    )
    for row in rows:
        table.add_row(
            _safe(row.party.id),
            _safe(row.party.side),
            _safe(row.party.kind),
            Text(str(row.positions)),
            Text(str(row.passages)),
            _status(row.used),
            _ids(row.disputes),
        )
    return table


def _party_dict(row: PartyUsage) -> dict[str, object]:
    return {
        "id": row.party.id,
        "name": row.party.name,
        "side": row.party.side,
        "kind": row.party.kind,
        "positions": row.positions,
        "passages": row.passages,
        "disputes": row.disputes,
        "sources": row.sources,
        "used": row.used,
    }
