"""``factcheck report --format json``: the report for programs, in a stable, versioned schema.

The document's keys are documented in docs/commands/report.md, and ``schema_version``
changes whenever a key is renamed, removed or changes meaning. It is written as it is
produced, never built whole in memory: the keys before the disputes, then each dispute's
record (which the validation run derived and cached, one line each), then the totals and
every finding, one line each. Text from files is kept as written (it is data);
``json_text`` escapes control and bidi characters.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar, cast

from factcheck.reporters.report import ReportReporter
from factcheck.reporters.streams import writer_of_json
from factcheck.text import json_text
from factcheck.views.report import Report

T = TypeVar("T")


class ReportJson(ReportReporter):
    """The whole report as one JSON document, written piece by piece."""

    name = "json"

    def report(self, report: Report) -> None:
        write = self.stream.write
        write("{")
        separator = ""
        for key, value in report.head().items():
            write(f"{separator}{json_text(key)}: {json_text(value)}")
            separator = ",\n "
        write(f"{separator}{json_text('disputes')}: [")
        write_items(write, report.records(), writer_of_json(self.stream))
        for key, value in report.tail().items():
            if key == "findings":
                write(f",\n {json_text(key)}: [")
                findings = (json_text(item) for item in cast(Iterable[object], value))
                write_items(write, findings, write)
            else:
                write(f",\n {json_text(key)}: {json_text(value)}")
        write("\n}\n")


def write_items(
    write: Callable[[str], object], items: Iterable[T], write_item: Callable[[T], object]
) -> None:
    """The items of a JSON list, one per line, then the closing bracket."""
    separator = "\n  "
    for item in items:
        write(separator)
        write_item(item)
        separator = ",\n  "
    write("]" if separator == "\n  " else "\n ]")
