"""Reporters for ``factcheck diff``: ``table`` for a terminal, ``markdown`` for a pull
request, ``json`` for programs.

The words of every row are chosen once, as plain strings (``dispute_rows``,
``catalogue_rows``, ``invalid_rows``); each format only makes them safe for where they go:
``terminal_safe`` and ``Text`` for a terminal, escaping for Markdown, ``dumps_json`` for
JSON. ``REPORTER_BY_NAME`` is the registry the command chooses from.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.table import Table

from factcheck.reporters import Reporter, make_console, safe
from factcheck.reporters.findings import dumps_json
from factcheck.reporters.markdown import (
    STEP_SUMMARY_LIMIT,
    fitting,
    md,
    row,
    size,
    table,
)
from factcheck.views.diff import (
    Change,
    DisputeDiff,
    FileState,
    Impact,
    PassageSummary,
    PositionDiff,
    WorkspaceDiff,
)

NONE = "(none)"
PENDING = "(pending)"
MORE_ERRORS_SHOWN = 3
PASSAGE_LABELS = {"evidence": "evidence passage", "asserted_in": "asserted-in passage"}

Row = tuple[str, str, str, str]
DISPUTE_HEADERS = ("position", "change", "old", "new")
CATALOGUE_HEADERS = ("entry", "change", "old", "new")


class DiffReporter(Reporter):
    """Base life-cycle: a reporter writes one whole comparison to its stream."""

    def report(self, diff: WorkspaceDiff) -> None:
        raise NotImplementedError


# The words of each row, shared by every format -----------------------------------------


def title_line(diff: WorkspaceDiff) -> str:
    return f"factcheck diff: {diff.base_label} → {diff.head}"


# No line starts with text from a file: in a CI log the Actions runner reads a line that
# starts with '::' as a workflow command, so headings and subtitles begin with a fixed word.


def dispute_heading(dispute: DisputeDiff) -> str:
    """'Dispute attack-planning: changed', or 'Dispute old-id → new-id: renamed'."""
    name = f"{dispute.old_id} → {dispute.id}" if dispute.old_id else dispute.id
    return f"Dispute {name}: {dispute.status}"


def dispute_subtitle(dispute: DisputeDiff, prefix: str = "") -> str:
    """The disputed question and the file (after ``prefix``), and which side could not be
    read."""
    path = prefix + dispute.path
    if dispute.old_path:
        path = f"{prefix}{dispute.old_path} → {path}"
    line = f"Question: {dispute.title or '(no title)'} ({path})"
    if dispute.unreadable:
        sides = " and ".join(
            "the base" if side == "base" else "the head" for side in dispute.unreadable
        )
        line += (
            f"; the file could not be read at {sides} (see invalid files) and is compared as empty"
        )
    return line


def value_text(change: Change, status: str = "changed", side: str = "old") -> str:
    """A value as a cell shows it: blank where the thing did not exist on that side."""
    absent_side = {"added": "old", "removed": "new"}.get(status)
    if side == absent_side:
        return ""
    value = change.old if side == "old" else change.new
    if value is None:
        return PENDING if change.field == "verdict" else NONE
    return value


def passage_text(passage: PassageSummary) -> str:
    """'analysis: "the planning ..." (supports; speaker envoy; counts)'."""
    text = f'{passage.source or NONE}: "{passage.quote or ""}"'
    details = [passage.stance] if passage.stance else []
    if passage.speaker:
        details.append(f"speaker {passage.speaker}")
    if passage.counts is not None:
        details.append("counts" if passage.counts else f"does not count: {passage.reason}")
    return f"{text} ({'; '.join(details)})" if details else text


def position_label(position: PositionDiff) -> str:
    label = f"{position.role} ({position.party or NONE})"
    return label if position.status == "changed" else f"{label}, {position.status}"


def position_rows(position: PositionDiff) -> list[Row]:
    """One row per changed value and per passage added, removed or changed."""
    label = position_label(position)
    rows = [(label, item.field, *_old_new(item, position.status)) for item in position.changes]
    for passage in position.passages_added:
        rows.append((label, f"{PASSAGE_LABELS[passage.kind]} added", "", passage_text(passage)))
    for passage in position.passages_removed:
        rows.append((label, f"{PASSAGE_LABELS[passage.kind]} removed", passage_text(passage), ""))
    for changed in position.passages_changed:
        for item in changed.changes:
            what = f"{item.field} of {PASSAGE_LABELS[changed.passage.kind]} "
            rows.append((label, what + passage_text(changed.passage), *_old_new(item)))
    # Only the first row of a position names it, so the eye can follow the groups.
    return [(label if index == 0 else "", *rest) for index, (_, *rest) in enumerate(rows)]


def dispute_rows(dispute: DisputeDiff) -> list[Row]:
    """Rows ``(position, change, old, new)`` for one dispute."""
    rows: list[Row] = [("dispute", item.field, *_old_new(item)) for item in dispute.changes]
    for position in dispute.positions:
        rows += position_rows(position)
    return rows


def impact_text(impact: Impact, side: str) -> str:
    """'single-source (envoy)' for one side of an affected position: the computed
    corroboration and the independent origins it rests on."""
    corroboration = impact.corroboration.old if side == "old" else impact.corroboration.new
    origins = impact.independent_origins.old if side == "old" else impact.independent_origins.new
    return f"{corroboration} ({origins or 'no independent origin'})"


SETTINGS_HEADING = "Settings changed (factcheck.yaml): they change how every file is judged"


def catalogue_rows(diff: WorkspaceDiff, settings: bool = False) -> list[Row]:
    """Rows ``(entry, change, old, new)``: each changed value, then the disputes it moves;
    the changed settings alone with ``settings``, else the catalogue entries alone."""
    rows: list[Row] = []
    for entry in diff.catalogue:
        if (entry.kind == "setting") != settings:
            continue
        label = f"{entry.kind} {entry.id}"
        if entry.status != "changed":
            label += f", {entry.status}"
        entry_rows = [("", item.field, *_old_new(item, entry.status)) for item in entry.changes]
        if not entry_rows:
            entry_rows = [("", entry.status, "", "")]
        if entry.unattributed:
            entry_rows.append(("", "may move disputes: too many changes to tell which", "", ""))
        for impact in entry.affects:
            what = f"moves {impact.dispute}, {impact.role} ({impact.party or NONE})"
            entry_rows.append(("", what, impact_text(impact, "old"), impact_text(impact, "new")))
        rows += [
            (label if index == 0 else "", *rest) for index, (_, *rest) in enumerate(entry_rows)
        ]
    return rows


def file_state_text(state: FileState) -> str:
    """'valid', 'absent', or 'invalid: 2 errors: 3:1: FC001 ...; ...'."""
    if state.state != "invalid":
        return state.state
    count = len(state.errors)
    shown = "; ".join(state.errors[:MORE_ERRORS_SHOWN])
    more = count - MORE_ERRORS_SHOWN
    suffix = f"; and {more} more" if more > 0 else ""
    return f"invalid, {count} {'error' if count == 1 else 'errors'}: {shown}{suffix}"


def invalid_headers(diff: WorkspaceDiff) -> tuple[str, str, str]:
    """The file, then its state at each side, named by revision as the user gave them."""
    return ("file", f"at {diff.base}", diff.head)


def invalid_rows(diff: WorkspaceDiff, prefix: str = "") -> list[tuple[str, str, str]]:
    return [
        (prefix + item.path, file_state_text(item.base), file_state_text(item.head))
        for item in diff.invalid_files
    ]


def _old_new(change: Change, status: str = "changed") -> tuple[str, str]:
    return value_text(change, status, "old"), value_text(change, status, "new")


# Table --------------------------------------------------------------------------------


class TableReporter(DiffReporter):
    """Tables for a terminal: a headline, one table per dispute, the catalogue, invalid files."""

    name = "table"

    def report(self, diff: WorkspaceDiff) -> None:
        console = make_console(self.stream, self.color, self.width)
        console.print(safe(title_line(diff), "bold"), soft_wrap=True)
        console.print(safe(diff.headline(), "bold"), soft_wrap=True)
        if settings := catalogue_rows(diff, settings=True):
            console.print()
            console.print(safe(SETTINGS_HEADING, "bold red"))
            console.print(_table(CATALOGUE_HEADERS, settings))
        for dispute in diff.disputes:
            console.print()
            console.print(safe(dispute_heading(dispute), "bold cyan"), soft_wrap=True)
            console.print(safe(dispute_subtitle(dispute)), soft_wrap=True)
            rows = dispute_rows(dispute)
            if rows:
                console.print(_table(DISPUTE_HEADERS, rows))
        if entries := catalogue_rows(diff):
            console.print()
            console.print(safe("Catalogue", "bold cyan"))
            console.print(_table(CATALOGUE_HEADERS, entries))
        if diff.invalid_files:
            console.print()
            console.print(safe("Invalid files", "bold cyan"))
            console.print(_table(invalid_headers(diff), invalid_rows(diff)))


def _table(headers: Iterable[str], rows: Iterable[tuple[str, ...]]) -> Table:
    grid = Table(show_lines=False, expand=False)
    for header in headers:
        grid.add_column(safe(header), overflow="fold")
    styles = ("bold", "", "red", "green")
    for cells in rows:
        grid.add_row(*(safe(cell, styles[index]) for index, cell in enumerate(cells)))
    return grid


# Markdown -----------------------------------------------------------------------------

NOTE_BYTES = 1024  # room kept for the note on sections left out


class MarkdownReporter(DiffReporter):
    """GitHub-flavoured Markdown for a pull-request comment or ``$GITHUB_STEP_SUMMARY``."""

    name = "markdown"
    limit = STEP_SUMMARY_LIMIT

    def report(self, diff: WorkspaceDiff) -> None:
        self.stream.write(render_markdown(diff, self.limit, self.path_prefix))


def render_markdown(diff: WorkspaceDiff, limit: int = STEP_SUMMARY_LIMIT, prefix: str = "") -> str:
    """The comparison as Markdown, kept under ``limit`` bytes of UTF-8; ``prefix`` goes
    before every path (the workspace's place in its git repository).

    GitHub refuses a step summary over 1 MiB. In order of priority: the headline, the
    changed settings, the invalid files, the catalogue changes, then the dispute sections;
    whatever does not fit is left out (tables lose their last rows) and a note after the
    headline says so.
    """
    head = f"## {md(title_line(diff))}\n\n**{md(diff.headline())}**\n"
    tables = [
        (SETTINGS_HEADING, CATALOGUE_HEADERS, catalogue_rows(diff, settings=True)),
        ("Invalid files", invalid_headers(diff), invalid_rows(diff, prefix)),
        ("Catalogue", CATALOGUE_HEADERS, catalogue_rows(diff)),
    ]
    sections = [_dispute_section(dispute, prefix) for dispute in diff.disputes]
    budget = limit - size(head) - NOTE_BYTES
    texts: dict[str, str] = {}
    cut = 0
    for title, headers, rows in tables:
        if not rows:
            continue
        start = f"### {md(title)}\n\n" + _markdown_table(headers, [])
        lines = [_markdown_row(cells) for cells in rows]
        kept, left = fitting(lines, budget - size(start) - 1)
        if kept:
            texts[title] = start + "".join(kept)
            budget = left
        cut += len(lines) - len(kept)
    kept_sections, _ = fitting(sections, budget)
    left_out = diff.disputes[len(kept_sections) :]
    notes = []
    if left_out:
        notes.append(
            f"The sections of {len(left_out)} of {len(diff.disputes)} changed disputes (from "
            f"{left_out[0].id} to {left_out[-1].id}) are left out"
        )
    if cut:
        notes.append(f"{cut} table rows are left out")
    note = ""
    if notes:
        note = md(
            "; ".join(notes) + " to stay under GitHub's step-summary limit; run factcheck "
            f"diff {diff.base} to see them all."
        )
    first = [texts[SETTINGS_HEADING]] if SETTINGS_HEADING in texts else []
    last = [texts[title] for title in ("Catalogue", "Invalid files") if title in texts]
    return _assemble(head, note + "\n" if note else "", first + kept_sections, last)


def _assemble(head: str, note: str, sections: list[str], tail: list[str]) -> str:
    return "\n".join(part for part in (head, note, *sections, *tail) if part)


def _dispute_section(dispute: DisputeDiff, prefix: str) -> str:
    text = f"### {md(dispute_heading(dispute))}\n\n{md(dispute_subtitle(dispute, prefix))}\n"
    rows = dispute_rows(dispute)
    return text + ("\n" + _markdown_table(DISPUTE_HEADERS, rows) if rows else "")


def _markdown_row(cells: tuple[str, ...]) -> str:
    return row([md(cell) for cell in cells])


def _markdown_table(headers: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    return table([md(item) for item in headers], [_markdown_row(item) for item in rows])


# JSON ---------------------------------------------------------------------------------


class JsonReporter(DiffReporter):
    """The comparison as JSON with a ``schema_version``; the README documents the schema."""

    name = "json"

    def report(self, diff: WorkspaceDiff) -> None:
        self.stream.write(dumps_json(diff.as_dict()) + "\n")


REPORTER_BY_NAME: dict[str, type[DiffReporter]] = {
    reporter.name: reporter for reporter in (TableReporter, MarkdownReporter, JsonReporter)
}
