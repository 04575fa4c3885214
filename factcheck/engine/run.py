"""Validate a workspace: load it, run every check, decide severities, count the files.

This is the library's front door; the CLI and any other program call ``validate``.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from factcheck.engine.incremental import check_workspace
from factcheck.findings import RunResult, decide
from factcheck.workspace.loader import Archive
from factcheck.workspace.root import Workspace, WorkspaceError


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
) -> Validation:
    """Run every check; PATHs limit the findings reported, not the files the checks see.

    ``cache`` reuses and updates ``.factcheck-cache/`` (the command line turns it on unless
    ``--no-cache``; a library caller opts in, since it writes into the workspace).
    ``workers`` caps the processes that parse claim files (default: every available CPU).
    The findings are the same either way.
    """
    archive, found = check_workspace(workspace, cache=cache, workers=workers)
    settings = workspace.settings
    findings = decide(found, settings.ignore, settings.severity)
    selected = select_paths(workspace, archive, paths)
    if selected is not None:
        findings = [item for item in findings if item.path in selected]
        files_checked = len(selected)
    else:
        files_checked = len(archive.paths)
    return Validation(archive, RunResult(findings, files_checked))


def select_paths(
    workspace: Workspace, archive: Archive, paths: Iterable[str | Path]
) -> set[str] | None:
    """The displayed paths that PATH arguments name (directories include their files)."""
    paths = list(paths)
    if not paths:
        return None
    known = archive.paths
    selected: set[str] = set()
    for path in paths:
        display = workspace.relative(os.path.abspath(path))
        matches = [item for item in known if item == display or item.startswith(display + "/")]
        if not matches:
            raise WorkspaceError(
                f"{path}: not a claim file or catalogue of the workspace at {workspace.root}"
            )
        selected.update(matches)
    return selected
