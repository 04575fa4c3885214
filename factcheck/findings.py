"""Findings: the one record every check produces, and the run result that derives the exit code.

Checks never choose a severity and never print. Each code has one default severity in
``CODES``; ``decide`` is the single place where settings silence a code or change its
severity, and ``RunResult.exit_code`` is the single place where findings become an exit code.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from factcheck.text import counted


class Severity(enum.StrEnum):
    """How bad a finding is; errors fail a run, warnings only under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """The registry entry of one finding code: its default severity and readable name."""

    severity: Severity
    name: str
    summary: str


CODES: dict[str, CodeInfo] = {
    "FC001": CodeInfo(Severity.ERROR, "yaml-syntax", "not valid YAML"),
    "FC002": CodeInfo(Severity.ERROR, "not-a-mapping", "not a single YAML mapping"),
    "FC003": CodeInfo(Severity.ERROR, "duplicate-key", "duplicate key"),
    "FC004": CodeInfo(Severity.ERROR, "unsafe-input", "unsafe or oversized input"),
    "FC005": CodeInfo(Severity.ERROR, "not-utf8", "not UTF-8 text"),
    "FC101": CodeInfo(Severity.ERROR, "missing-field", "required field missing"),
    "FC102": CodeInfo(Severity.ERROR, "unknown-field", "unknown field"),
    "FC103": CodeInfo(Severity.ERROR, "wrong-type", "wrong type"),
    "FC104": CodeInfo(Severity.ERROR, "value-not-allowed", "value not allowed"),
    "FC105": CodeInfo(Severity.ERROR, "invalid-date", "invalid date"),
    "FC106": CodeInfo(Severity.ERROR, "invalid-identifier", "invalid identifier or file name"),
    "FC201": CodeInfo(Severity.ERROR, "unknown-party", "unknown party or side"),
    "FC202": CodeInfo(Severity.ERROR, "unknown-source", "unknown source"),
    "FC203": CodeInfo(Severity.ERROR, "quote-not-found", "quote not found in its source"),
    "FC204": CodeInfo(Severity.ERROR, "source-file-unusable", "source file missing or unusable"),
    "FC205": CodeInfo(Severity.ERROR, "source-changed", "source file does not match its sha256"),
    "FC206": CodeInfo(Severity.WARNING, "short-quote", "quote shorter than 20 characters"),
    "FC207": CodeInfo(Severity.WARNING, "unused-entry", "party or source never used"),
    "FC301": CodeInfo(Severity.ERROR, "corroboration-mismatch", "corroboration differs"),
    "FC302": CodeInfo(Severity.ERROR, "verdict-not-allowed", "verdict not allowed"),
    "FC303": CodeInfo(Severity.ERROR, "verdict-without-rationale", "verdict without rationale"),
    "FC304": CodeInfo(Severity.WARNING, "self-evidence", "evidence from the position's own party"),
    "FC305": CodeInfo(Severity.WARNING, "both-supported", "claim and counter-claim supported"),
    "FC306": CodeInfo(
        Severity.WARNING, "stakeholder-refutation", "refuting evidence from a stakeholder"
    ),
    "FC307": CodeInfo(
        Severity.WARNING, "alignment-not-recorded", "evidence from a party of unrecorded alignment"
    ),
    "FC308": CodeInfo(Severity.ERROR, "unexplained-no-side", "'side: none' without a reason"),
}

INTEGRITY_CODES = frozenset(
    {"FC001", "FC002", "FC003", "FC004", "FC005", "FC203", "FC204", "FC205"}
    | {"FC301", "FC302", "FC303"}
)
"""The codes that protect the archive's integrity (unsafe or broken input, a quote not
found, a document changed or missing, corroboration or verdict not earned, a verdict
without rationale): settings may neither ignore nor downgrade them, so a pull request
that edits factcheck.yaml cannot switch off the checks that guard the archive."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem at one place: ``path`` is relative to the workspace root, with ``/``."""

    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.path, self.line, self.column, self.code, self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
        }


def finding(path: str, line: int, column: int, code: str, message: str) -> Finding:
    """Make a finding with the code's default severity (``decide`` may change it later)."""
    return Finding(path, line, column, code, message, CODES[code].severity)


def decide(
    findings: Iterable[Finding],
    ignore: Iterable[str] = (),
    severity: Mapping[str, Severity] | None = None,
) -> list[Finding]:
    """Apply the workspace's settings: drop ignored codes, override severities, sort.

    The integrity codes keep their severity whatever the settings say (the settings
    reader refuses such settings; this holds for settings built in code too).
    """
    ignored = set(ignore) - INTEGRITY_CODES
    overrides = {code: level for code, level in (severity or {}).items()}
    for code in INTEGRITY_CODES & overrides.keys():
        overrides[code] = Severity.ERROR
    decided = []
    for item in findings:
        if item.code in ignored:
            continue
        wanted = overrides.get(item.code, CODES[item.code].severity)
        decided.append(item if item.severity is wanted else replace(item, severity=wanted))
    decided.sort(key=lambda item: item.sort_key)
    return decided


@dataclass
class RunResult:
    """Everything one validation run found; the exit code is derived, never set by hand."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for item in self.findings if item.severity is Severity.ERROR)

    @property
    def warnings(self) -> int:
        return sum(1 for item in self.findings if item.severity is Severity.WARNING)

    @property
    def files_with_findings(self) -> int:
        return len({item.path for item in self.findings})

    def exit_code(self, strict: bool = False, exit_zero: bool = False) -> int:
        """0 when clean (warnings allowed unless strict), 1 when the run found errors."""
        if exit_zero:
            return 0
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def summary(self) -> str:
        """One line such as ``3 errors, 1 warning in 2 of 14 files``."""
        if not self.findings:
            return f"no problems found in {counted(self.files_checked, 'file')}"
        counts = []
        if self.errors:
            counts.append(counted(self.errors, "error"))
        if self.warnings:
            counts.append(counted(self.warnings, "warning"))
        return f"{', '.join(counts)} in {self.files_with_findings} of " + counted(
            self.files_checked, "file"
        )

    def summary_dict(self) -> dict[str, int]:
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "files_checked": self.files_checked,
            "files_with_findings": self.files_with_findings,
        }
