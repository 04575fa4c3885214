"""What the authoring commands print: fmt's verdicts and diffs, new files, quotes found.

Every text that came from a file (a diff line, a passage, a title) is handed to rich as
``Text`` after ``terminal_safe``, so a document cannot colour or move the terminal.
"""

from __future__ import annotations

import difflib
from typing import TextIO

from rich.console import Console
from rich.text import Text

from factcheck.authoring.fmt import FormatRun
from factcheck.authoring.new import NewDispute
from factcheck.authoring.quote import QuoteLookup
from factcheck.authoring.sources import AddedSource
from factcheck.reporters import make_console, terminal_safe
from factcheck.reporters.findings import TextReporter


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def report_format(run: FormatRun, stream: TextIO, color: str, *, check: bool, diff: bool) -> None:
    """One line per file that changes (or would), findings for files left alone, a summary."""
    console = make_console(stream, color)
    findings = TextReporter(stream, color)
    verb = "reformatted" if run.written else "would reformat"
    summary_verb = "reformatted" if run.written else "would be reformatted"
    for item in run.files:
        for problem in item.problems:
            findings.handle(problem)
        if not item.changed:
            continue
        if diff:
            print_diff(console, item.path, item.before, item.after)
        elif check or run.written:
            console.print(Text(f"{verb} {terminal_safe(item.path)}", style="bold"), soft_wrap=True)
    changed, failed = len(run.changed), len(run.failed)
    unchanged = len(run.files) - changed - failed
    parts = [
        f"{_plural(changed, 'file')} {summary_verb}" if changed else "",
        f"{_plural(unchanged, 'file')} already formatted" if unchanged else "",
        f"{_plural(failed, 'file')} left unchanged because of errors" if failed else "",
    ]
    summary = ", ".join(part for part in parts if part) or "no files to format"
    style = "bold red" if failed or (check and changed) else "green"
    console.print(Text(summary, style=style), soft_wrap=True)


def print_diff(console: Console, path: str, before: str, after: str) -> None:
    """A unified diff, one safe line at a time, coloured by what each line does."""
    lines = difflib.unified_diff(
        before.splitlines(), after.splitlines(), f"{path}", f"{path} (formatted)", lineterm=""
    )
    for line in lines:
        style = ""
        if line.startswith(("+++", "---")):
            style = "bold"
        elif line.startswith("@@"):
            style = "cyan"
        elif line.startswith("+"):
            style = "green"
        elif line.startswith("-"):
            style = "red"
        console.print(Text(terminal_safe(line), style=style), soft_wrap=True)


def report_new(created: NewDispute, stream: TextIO, color: str) -> None:
    """Where the template went, and what to do next."""
    console = make_console(stream, color)
    console.print(Text(f"created {terminal_safe(created.path)}", style="bold"), soft_wrap=True)
    console.print(
        Text(
            f"fill in the values marked TODO, then run 'factcheck validate {created.path}'",
        ),
        soft_wrap=True,
    )


def report_added_source(added: AddedSource, stream: TextIO, color: str) -> None:
    """Where the document was archived and its digest."""
    console = make_console(stream, color)
    action = "copied to" if added.copied else "catalogued in place at"
    console.print(
        Text(f"source '{added.id}': {action} {terminal_safe(added.path)}", style="bold"),
        soft_wrap=True,
    )
    console.print(Text(f"sha256 {added.sha256}, recorded in seeds/sources.yaml"), soft_wrap=True)


def report_quote(lookup: QuoteLookup, stream: TextIO, color: str) -> None:
    """The passage as the document has it, with its line and column, and a YAML passage;
    or, when nothing matches exactly, the closest passages with their lines."""
    console = make_console(stream, color)
    where = f"{lookup.source.id} ({terminal_safe(lookup.document)})"
    if not lookup.found:
        head = f"not found in {where}"
        if lookup.missing and len(lookup.passages) == 0 and lookup.missing != lookup.query:
            head += f": the part '{terminal_safe(lookup.missing)}' does not appear (in order)"
        console.print(Text(head, style="bold red"), soft_wrap=True)
        if not lookup.closest:
            console.print(Text("no passage of the document resembles it"), soft_wrap=True)
        else:
            console.print(Text("closest passages:"), soft_wrap=True)
        for closest in lookup.closest:
            row = Text(f"  {closest.at.line}:{closest.at.column}  ", style="cyan")
            row.append(terminal_safe(closest.passage))
            row.append(f"  ({terminal_safe(closest.difference)})", style="dim")
            console.print(row, soft_wrap=True)
        return
    for passage in lookup.passages:
        console.print(
            Text(
                f"{terminal_safe(lookup.document)}:{passage.at.line}:{passage.at.column}: "
                f"found in {lookup.source.id}",
                style="bold green",
            ),
            soft_wrap=True,
        )
        for line in passage.text.splitlines() or [""]:
            console.print(Text("  " + terminal_safe(line)), soft_wrap=True)
    if lookup.occurrences > 1:
        console.print(
            Text(f"the passage occurs {lookup.occurrences} times; the first is shown"),
            soft_wrap=True,
        )
    if lookup.too_short:
        console.print(
            Text(
                "the passage is shorter than 20 characters: 'factcheck validate' will warn "
                "(FC206); quote the whole sentence or clause",
                style="yellow",
            ),
            soft_wrap=True,
        )
    console.print(Text(""), soft_wrap=True)
    for line in lookup.snippet.splitlines():
        console.print(Text(terminal_safe(line)), soft_wrap=True)
