"""Every output format of every command, in one registry: a new format is one new class and
one line here.

The registry is keyed by what is printed (findings, the report, one dispute, a diff, the
catalogue's usage) and by the format's name, and names each class as ``module:Class``: the
command line lists the formats for ``--help`` and completion without importing rich or any
reporter, and imports only the one reporter a run chooses.
"""

from __future__ import annotations

import importlib
from typing import Any

REPORTERS: dict[str, dict[str, str]] = {
    "findings": {
        "text": "findings:FindingsText",
        "json": "findings:FindingsJson",
        "github": "findings:FindingsGithub",
    },
    "report": {
        "table": "report_table:ReportTable",
        "markdown": "report_markdown:ReportMarkdown",
        "json": "report_json:ReportJson",
    },
    "show": {
        "table": "show:ShowReporter",
        "markdown": "show:ShowMarkdownReporter",
        "json": "show:ShowJsonReporter",
    },
    "diff": {
        "table": "diff:DiffTable",
        "markdown": "diff:DiffMarkdown",
        "json": "diff:DiffJson",
    },
    "catalogue": {
        "table": "catalogue:CatalogueTable",
        "json": "catalogue:CatalogueJson",
    },
}


def formats(kind: str) -> tuple[str, ...]:
    """The format names of one kind of output, in the order ``--help`` lists them."""
    return tuple(REPORTERS[kind])


def reporter_class(kind: str, name: str) -> Any:
    """The reporter class for one kind of output in one format, imported now."""
    module, _, cls = REPORTERS[kind][name].partition(":")
    return getattr(importlib.import_module(f"factcheck.reporters.{module}"), cls)
