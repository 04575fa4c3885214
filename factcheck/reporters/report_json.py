"""``factcheck report --format json``: the report for programs, in a stable, versioned schema.

The document is ``Report.as_dict()``; its keys are documented in docs/commands/report.md,
and ``schema_version`` changes whenever a key is renamed, removed or changes meaning. Text
from files is kept as written (it is data); ``dumps_json`` escapes control and bidi
characters.
"""

from __future__ import annotations

from factcheck.reporters.findings import dumps_json
from factcheck.reporters.report import ReportReporter
from factcheck.views.report import Report


class JsonReportReporter(ReportReporter):
    """The whole report as one JSON document."""

    name = "json"

    def report(self, report: Report) -> None:
        self.stream.write(dumps_json(report.as_dict()) + "\n")
