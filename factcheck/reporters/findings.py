"""Finding reporters: ``text`` for people, ``json`` for programs, ``github`` for Actions.

Each reporter has the same life-cycle (``handle`` each finding, then ``finish`` with the
result), and ``REPORTER_BY_NAME`` is the registry the CLI chooses from, so a new format
is one new class.
"""

from __future__ import annotations

from typing import TextIO

from rich.text import Text

from factcheck.findings import Finding, RunResult, Severity
from factcheck.reporters import Reporter, make_console, terminal_safe
from factcheck.text import json_text


class FindingsReporter(Reporter):
    """Base life-cycle: collect findings, write them out at the end."""

    def report(self, result: RunResult) -> None:
        for item in result.findings:
            self.handle(item)
        self.finish(result)

    def handle(self, item: Finding) -> None:
        raise NotImplementedError

    def finish(self, result: RunResult) -> None:
        """Called once after every finding."""


class TextReporter(FindingsReporter):
    """``path:line:col: severity CODE message``, one line each, then a summary line."""

    name = "text"

    def __init__(self, stream: TextIO, color: str = "auto") -> None:
        super().__init__(stream, color)
        self.console = make_console(stream, color)

    def handle(self, item: Finding) -> None:
        style = "bold red" if item.severity is Severity.ERROR else "yellow"
        line = Text()
        line.append(f"{terminal_safe(item.path)}:{item.line}:{item.column}:", style="bold")
        line.append(" ")
        line.append(str(item.severity), style=style)
        line.append(f" {item.code} ", style="cyan")
        line.append(terminal_safe(item.message))
        self.console.print(line, soft_wrap=True)

    def finish(self, result: RunResult) -> None:
        style = "bold red" if result.errors else ("yellow" if result.warnings else "green")
        self.console.print(Text(result.summary(), style=style), soft_wrap=True)


class JsonReporter(FindingsReporter):
    """``{"findings": [...], "summary": {...}}``; control characters are always escaped."""

    name = "json"

    def handle(self, item: Finding) -> None:
        pass

    def finish(self, result: RunResult) -> None:
        payload = {
            "findings": [item.as_dict() for item in result.findings],
            "summary": {**result.summary_dict(), "text": result.summary()},
        }
        self.stream.write(dumps_json(payload) + "\n")


class GithubReporter(FindingsReporter):
    """GitHub Actions workflow commands, escaped so file text cannot start a command.

    ``path_prefix`` is where the workspace root is in the git repository: an annotation
    attaches to a pull request's file only by its path from the repository's root.
    """

    name = "github"

    def handle(self, item: Finding) -> None:
        level = "error" if item.severity is Severity.ERROR else "warning"
        properties = ",".join(
            f"{key}={escape_property(str(value))}"
            for key, value in (
                ("file", self.path_prefix + item.path),
                ("line", item.line),
                ("col", item.column),
                ("title", item.code),
            )
        )
        self.stream.write(f"::{level} {properties}::{escape_data(item.message)}\n")

    def finish(self, result: RunResult) -> None:
        self.stream.write(escape_data(result.summary()) + "\n")


def escape_data(text: str) -> str:
    """Escape a workflow command's message: ``%``, CR and LF; drop other controls.

    GitHub's log viewer interprets ANSI sequences, so an escape or BEL from a file is
    dropped as it is for a terminal.
    """
    escaped = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return terminal_safe(escaped, annotation=True)


def escape_property(text: str) -> str:
    """Escape a workflow command's property value: also ``:`` and ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def dumps_json(payload: object) -> str:
    """A whole JSON document for people and programs: indented, controls escaped."""
    return json_text(payload, indent=2)


REPORTER_BY_NAME: dict[str, type[FindingsReporter]] = {
    reporter.name: reporter for reporter in (TextReporter, JsonReporter, GithubReporter)
}
