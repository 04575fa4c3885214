"""What the authoring commands print: fmt's verdicts and diffs, new files, quotes found.

Every text that came from a file (a diff line, a passage, a title) is handed to rich as
``Text`` after ``terminal_safe``, so a document cannot colour or move the terminal.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import TextIO

from rich.text import Text

from factcheck.authoring.digest import DigestChange
from factcheck.authoring.fmt import FormatRun
from factcheck.authoring.init import Initialised
from factcheck.authoring.new import NewDispute
from factcheck.authoring.parties import AddedParty
from factcheck.authoring.quote import QuoteLookup
from factcheck.authoring.sources import AddedSource
from factcheck.reporters import make_console, terminal_safe
from factcheck.reporters.findings import TextReporter
from factcheck.text import counted


def report_format(run: FormatRun, stream: TextIO, color: str, *, check: bool, diff: bool) -> None:
    """One line per file that changes (or would), findings for files left alone, a summary."""
    console = make_console(stream, color)
    findings = TextReporter(stream, color)
    verb = "reformatted" if run.written else "would reformat"
    summary_verb = "reformatted" if run.written else "would be reformatted"
    for item in run.files:
        for problem in item.problems:
            findings.handle(problem)
        if item.kept:
            line = f"kept {item.path} as written: {item.kept}"
            console.print(Text(terminal_safe(line), style="dim"), soft_wrap=True)
        if not item.changed:
            continue
        if diff:
            print_diff(console, item.path, item.before, item.after)
        elif check or run.written:
            console.print(Text(f"{verb} {terminal_safe(item.path)}", style="bold"), soft_wrap=True)
    changed, failed = len(run.changed), len(run.failed)
    unchanged = len(run.files) - changed - failed
    parts = [
        f"{counted(changed, 'file')} {summary_verb}" if changed else "",
        f"{counted(unchanged, 'file')} already formatted" if unchanged else "",
        f"{counted(failed, 'file')} left unchanged because of errors" if failed else "",
    ]
    summary = ", ".join(part for part in parts if part) or "no files to format"
    style = "bold red" if failed or (check and changed) else "green"
    console.print(Text(summary, style=style), soft_wrap=True)


def print_diff(
    console, path: str, before: str, after: str, labels: tuple[str, str] = ("", "formatted")
) -> None:
    """A unified diff, one safe line at a time, coloured by what each line does."""
    old, new = (f"{path} ({label})" if label else path for label in labels)
    lines = difflib.unified_diff(before.splitlines(), after.splitlines(), old, new, lineterm="")
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
    """Where the document was archived, its digest, and the metadata it declared."""
    console = make_console(stream, color)
    action = "copied to" if added.copied else "catalogued in place at"
    kept = added.original or added.path
    console.print(
        Text(f"source '{added.id}': {action} {terminal_safe(kept)}", style="bold"),
        soft_wrap=True,
    )
    if added.original is not None:
        console.print(Text(f"sha256 {added.original_sha256} (the original)"), soft_wrap=True)
        console.print(
            Text(f"its readable text, which quotes are matched against: {added.path}"),
            soft_wrap=True,
        )
    console.print(Text(f"sha256 {added.sha256}, recorded in seeds/sources.yaml"), soft_wrap=True)
    for name, value in added.declared.items():
        line = Text(f"{name}: ", style="bold")
        line.append(terminal_safe(value))
        line.append("  (as the document declares it: check it)", style="dim")
        console.print(line, soft_wrap=True)


def report_digest_change(change: DigestChange, stream: TextIO, color: str) -> None:
    """Each file whose digest changed, with its textual diff when one can be shown."""
    console = make_console(stream, color)
    if not change.files:
        console.print(
            Text(f"source '{change.source}': every file matches its recorded sha256"),
            soft_wrap=True,
        )
    for item in change.files:
        console.print(
            Text(f"{item.path}: sha256 {item.old or '(none)'} -> {item.new}", style="bold"),
            soft_wrap=True,
        )
        if item.before is not None and item.after is not None:
            print_diff(console, item.path, item.before, item.after, ("recorded", "now"))
        elif item.after is None:
            console.print(Text("(not text: no diff to show)", style="dim"), soft_wrap=True)
        else:
            console.print(
                Text(
                    "the copy the old digest was recorded for is not in git's HEAD, so no diff "
                    "can be shown: compare the file with the document before recording",
                    style="yellow",
                ),
                soft_wrap=True,
            )


def report_added_party(added: AddedParty, stream: TextIO, color: str) -> None:
    """The party added, and how to use it."""
    console = make_console(stream, color)
    side = {None: "alignment not recorded", "none": "aligned with no side"}.get(
        added.side, f"side {added.side}"
    )
    console.print(
        Text(f"party '{added.id}' ({side}): added to seeds/parties.yaml", style="bold"),
        soft_wrap=True,
    )
    console.print(
        Text(f"use it with 'factcheck new DISPUTE --party {added.id}', or as a passage's speaker"),
        soft_wrap=True,
    )


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
            line = Text(f"  {closest.at.line}:{closest.at.column}  ", style="cyan")
            line.append(terminal_safe(closest.passage))
            line.append(f"  ({terminal_safe(closest.difference)})", style="dim")
            console.print(line, soft_wrap=True)
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


def report_init(done: Initialised, stream: TextIO, color: str) -> None:
    """Each file created or kept, what CI will install, and the next steps."""
    console = make_console(stream, color)
    for item in done.files:
        shown = terminal_safe(_from_here(item.path))
        if item.created:
            console.print(Text(f"created {shown}", style="bold"), soft_wrap=True)
        else:
            console.print(Text(f"kept {shown} (it exists; not overwritten)"), soft_wrap=True)
    if any(item.path.name == "factcheck.yml" and item.created for item in done.files) and (
        done.install is None
    ):
        console.print(
            Text(
                "the workflow's install step stops with a message: factcheck was installed "
                "from a local directory with no git remote, so CI cannot install the same "
                "code; write the pip line there, or run init again with --install SPEC",
                style="yellow",
            ),
            soft_wrap=True,
        )
    root = _from_here(done.root)
    steps = [f"cd {root}"] if root != "." else []
    steps += [
        "declare the camps of your disputes under 'sides:' in seeds/parties.yaml",
        'factcheck add-party ID --name "Full name" --side SIDE'
        "   (or --side none --description WHY)",
        "factcheck add-source page.html --id ID   (a text, an HTML page or a PDF)",
        "factcheck new DISPUTE --party ID --counter-party ID",
        "factcheck validate",
    ]
    names = {item.path.name for item in done.files}
    if "factcheck.yml" not in names or ".pre-commit-config.yaml" not in names:
        steps.append("factcheck init --ci github --pre-commit   (CI and pre-commit, when wanted)")
    console.print(Text("next steps:", style="bold"), soft_wrap=True)
    for number, step in enumerate(steps, start=1):
        console.print(Text(f"  {number}. {terminal_safe(step)}"), soft_wrap=True)


def _from_here(path: Path) -> str:
    """A path as the desk typed it: relative to the current directory when below it."""
    relative = os.path.relpath(path)
    return Path(path).as_posix() if relative.startswith("..") else Path(relative).as_posix()
