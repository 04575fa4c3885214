"""The registry of ``factcheck report`` formats: a new format is one new class listed here."""

from __future__ import annotations

from factcheck.reporters.report import ReportReporter
from factcheck.reporters.report_json import JsonReportReporter
from factcheck.reporters.report_markdown import MarkdownReporter
from factcheck.reporters.report_table import TableReporter

REPORT_REPORTER_BY_NAME: dict[str, type[ReportReporter]] = {
    reporter.name: reporter for reporter in (TableReporter, MarkdownReporter, JsonReportReporter)
}
