"""``factcheck report --format json``: the report for programs, in a stable, versioned schema.

The document's keys are documented in the README and ``schema_version`` changes whenever a
key is renamed, removed or changes meaning. It is written as it is produced, never built
whole in memory: the keys before the disputes, then each dispute's record (which the
validation run derived and cached, one line each), then the totals and every finding, one
line each. Text from files is kept as written (it is data); ``json_text`` escapes control
and bidi characters.
"""

from __future__ import annotations

from collections.abc import Iterable

from factcheck.reporters.report import ReportReporter
from factcheck.text import json_text
from factcheck.views.report import Report


class JsonReportReporter(ReportReporter):
    """The whole report as one JSON document, written piece by piece."""

    name = "json"

    def report(self, report: Report) -> None:
        write_document(
            self.stream.write,
            report.head(),
            "disputes",
            report.records(),
            report.tail(),
        )


def write_document(
    write, head: dict[str, object], name: str, records: Iterable[str], tail: dict[str, object]
) -> None:
    """``{head..., name: [record, ...], tail...}`` with each record and finding on its own
    line; ``records`` are JSON texts, written as they come."""
    write("{")
    separator = ""
    for key, value in head.items():
        write(f"{separator}{json_text(key)}: {json_text(value)}")
        separator = ",\n "
    write(f"{separator}{json_text(name)}: [")
    write_items(write, records)
    for key, value in tail.items():
        if key == "findings":
            write(f",\n {json_text(key)}: [")
            write_items(write, (json_text(item) for item in value))  # type: ignore[union-attr]
        else:
            write(f",\n {json_text(key)}: {json_text(value)}")
    write("\n}\n")


def write_items(write, items: Iterable[str]) -> None:
    """The items of a JSON list, one per line, then the closing bracket."""
    separator = "\n  "
    for item in items:
        write(separator + item)
        separator = ",\n  "
    write("]" if separator == "\n  " else "\n ]")
