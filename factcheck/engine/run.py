"""Validate a workspace: load it, run every check, decide severities, count the files.

This is the library's front door; the CLI and any other program call ``validate``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from factcheck.engine.incremental import Arrival, Extra, Progress, check_workspace
from factcheck.findings import RunResult, decide
from factcheck.workspace.loader import Archive
from factcheck.workspace.root import Workspace


@dataclass
class Validation:
    """A loaded workspace and what validating it found."""

    archive: Archive
    result: RunResult


def validate(
    workspace: Workspace,
    paths: Iterable[str | Path] = (),
    *,
    cache: bool = False,
    workers: int | None = None,
    extra: Extra | None = None,
    progress: Progress | None = None,
    arrived: Arrival | None = None,
) -> Validation:
    """Run every check; PATHs limit the findings reported, not the files the checks see.

    ``cache`` reuses and updates ``.factcheck-cache/`` (the command line turns it on unless
    ``--no-cache``; a library caller opts in, since it writes into the workspace).
    ``workers`` caps the processes that parse claim files (default: every available CPU).
    The findings are the same either way. ``extra``, ``progress`` and ``arrived``: see
    ``check_workspace``.
    """
    archive, found = check_workspace(
        workspace, cache=cache, workers=workers, extra=extra, progress=progress, arrived=arrived
    )
    settings = workspace.settings
    findings = decide(found, settings.ignore, settings.severity)
    selected = workspace.select(paths, archive.paths)
    if selected is not None:
        chosen = set(selected)
        findings = [item for item in findings if item.path in chosen]
        files_checked = len(selected)
    else:
        files_checked = len(archive.paths)
    return Validation(archive, RunResult(findings, files_checked))
