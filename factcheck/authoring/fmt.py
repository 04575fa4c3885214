"""``factcheck fmt``: rewrite claim and catalogue files in the canonical layout.

Which files, whether they would change, and the atomic write that replaces them; the
layout itself is ``roundtrip.format_text``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.error import YAMLError

from factcheck.authoring.roundtrip import (
    MAX_FORMAT_BYTES,
    MAX_FORMAT_VALUES,
    FormatError,
    count_values,
    format_text,
)
from factcheck.files.write import ChangedMeanwhile
from factcheck.files.yamlnodes import (
    load_bytes,
    read_bytes,
)
from factcheck.findings import Finding, finding
from factcheck.workspace import schema
from factcheck.workspace.root import PARTIES_FILE, SOURCES_FILE, Workspace, WorkspaceError


@dataclass
class Formatted:
    """What ``fmt`` made of one file: its text before and after, or why it was left alone."""

    path: str
    before: str = ""
    after: str = ""
    problems: list[Finding] = field(default_factory=list)
    kept: str = ""
    """Why a valid file is kept as written: the layout cannot be reached without changing
    what the file says (a directive it would drop, or YAML the round-trip reader refuses).
    Not a failure: ``fmt --check`` in a pre-commit hook must not block a valid file."""

    @property
    def changed(self) -> bool:
        return not self.problems and self.before != self.after


@dataclass
class FormatRun:
    """The outcome of ``fmt`` over a set of files; the exit code is derived from it."""

    files: list[Formatted]
    written: bool

    @property
    def changed(self) -> list[Formatted]:
        return [item for item in self.files if item.changed]

    @property
    def failed(self) -> list[Formatted]:
        return [item for item in self.files if item.problems]

    def exit_code(self, check: bool) -> int:
        """1 when a file could not be formatted, or (with --check) would change."""
        return 1 if self.failed or (check and self.changed) else 0


def spec_for(display: str) -> schema.RecordSpec | None:
    """Which declaration a workspace file follows, by its place in the workspace."""
    if display == SOURCES_FILE:
        return schema.SOURCES_FILE
    if display == PARTIES_FILE:
        return schema.PARTIES_FILE
    if display.startswith("claims/") and display.count("/") == 1:
        return schema.DISPUTE
    return None


def formattable(workspace: Workspace) -> list[str]:
    """Every file ``fmt`` looks after: the two catalogues and the claim files."""
    files = [name for name in (SOURCES_FILE, PARTIES_FILE) if (workspace.root / name).exists()]
    return files + [display for _, display, _ in workspace.claim_paths()]


def select(workspace: Workspace, paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """The files PATH arguments name (a directory means the files in it), or all of them."""
    known = formattable(workspace)
    return workspace.select(paths, known) or known


def format_file(workspace: Workspace, display: str, write: bool) -> Formatted:
    """Format one workspace file; a file with any reading problem is reported, not touched."""
    spec = spec_for(display)
    assert spec is not None
    path = workspace.root / display
    outcome = Formatted(display)
    refusal = workspace.refusal_to_write(path)
    if refusal:
        outcome.problems.append(finding(display, 1, 1, "FC204", refusal))
        return outcome
    data, problem = read_bytes(path, display)
    if data is None:
        outcome.problems = [problem] if problem else []
        return outcome
    document = load_bytes(data, display)
    if document.findings or document.root is None:
        outcome.problems = document.findings or [
            finding(display, 1, 1, "FC002", "not a YAML mapping")
        ]
        return outcome
    values = count_values(document.root)
    if values > MAX_FORMAT_VALUES or len(data) > MAX_FORMAT_BYTES:
        message = (
            f"left unchanged: it holds {values} values in {len(data)} bytes, more than fmt "
            f"rewrites ({MAX_FORMAT_VALUES} values, {MAX_FORMAT_BYTES >> 10} KiB); "
            "split the file or shorten it"
        )
        outcome.problems.append(finding(display, 1, 1, "FC004", message))
        return outcome
    outcome.before = outcome.after = data.decode("utf-8")
    text = outcome.before.removeprefix("\ufeff")
    if _DIRECTIVE.search(text):
        outcome.kept = "it has a %YAML or %TAG directive, which the layout would drop"
        return outcome
    try:
        outcome.after = format_text(text, spec)
    except (FormatError, YAMLError) as error:
        outcome.after = outcome.before
        outcome.kept = f"the layout cannot be reached without risk ({_one_line(str(error))})"
        return outcome
    if write and outcome.changed:
        _write(workspace, path, outcome, data)
    return outcome


def _write(workspace: Workspace, path: os.PathLike[str], outcome: Formatted, read: bytes) -> None:
    """Replace the file, unless it changed since it was read. A failed write (a read-only
    or full disk) stops the run with a plain message saying the file is intact: exit 2,
    as for every writer, and not an internal error."""
    try:
        workspace.write(Path(path), outcome.after.encode("utf-8"), expected=read)
    except ChangedMeanwhile:
        message = (
            "left unchanged: the file changed while fmt ran (another program edited it); "
            "run fmt again"
        )
        outcome.problems.append(finding(outcome.path, 1, 1, "FC204", message))
    except OSError as error:
        raise WorkspaceError(
            f"cannot write {outcome.path}: {error.strerror or error}; the file is intact"
        ) from None


_DIRECTIVE = re.compile(r"^%", re.MULTILINE)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_workspace(
    workspace: Workspace, paths: Iterable[str | os.PathLike[str]] = (), write: bool = True
) -> FormatRun:
    """Bring claim files and catalogues into the canonical layout (or only say which would
    change, when ``write`` is false)."""
    files = [format_file(workspace, display, write) for display in select(workspace, paths)]
    return FormatRun(files, write)
