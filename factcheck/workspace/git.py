"""Read a workspace as it was at a git revision, with git itself and without checking out.

A reviewer compares a pull request with its base while the working tree holds the pull
request, so the base must be read from git's object store, never by switching branches:
``git rev-parse`` finds the commit, ``git ls-tree`` lists the workspace's files in it and
one ``git cat-file --batch`` process fetches them into a fresh temporary directory that
the ordinary loader then reads. Only regular files are written; symbolic links and
submodules are left out, so the old side can never point outside its own copy. A file
larger than anything the loader reads is not fetched: it becomes a sparse file of its real
size, which the loader refuses by its size (FC004) exactly as in a working tree, so a huge
blob costs neither disk nor time. Any git failure (no repository, an unknown revision, no
git at all) is a ``WorkspaceError``: exit 2 with git's own message trimmed to one line.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from factcheck.workspace.loader import MAX_DOCUMENT_BYTES
from factcheck.workspace.root import CLAIMS_DIR, SEEDS_DIR, SETTINGS_FILE, Workspace, WorkspaceError

# The parts of a workspace the loader reads; everything else in the tree is left alone.
WORKSPACE_PATHS = (CLAIMS_DIR, SEEDS_DIR, SETTINGS_FILE)
REGULAR_FILE_MODES = ("100644", "100755")
CHUNK_BYTES = 1 << 20
COPY_LIMIT = MAX_DOCUMENT_BYTES
"""The largest file the loader reads (a document); a larger blob is never fetched."""


class GitError(WorkspaceError):
    """git could not answer: no repository, an unknown revision, or git is missing."""


@dataclass(frozen=True)
class RevisionTree:
    """A workspace's files as they were at a commit, copied into a temporary directory."""

    rev: str
    commit: str
    root: Path


@contextmanager
def revision_tree(
    workspace: Workspace, rev: str, parts: tuple[str, ...] = WORKSPACE_PATHS
) -> Iterator[RevisionTree]:
    """Copy the workspace's files at ``rev`` into a temporary directory for the block.

    The workspace may be a subdirectory of its repository: the copy holds the files below
    that subdirectory, laid out as a workspace root. The directory is removed afterwards.
    ``parts`` limits the copy (``report --changed-since`` needs only the evidence locker
    and the settings, not ten thousand claim files).
    """
    prefix = workspace_prefix(workspace.root)
    commit = resolve_commit(workspace.root, rev)
    entries = list_files(workspace.root, commit, prefix, parts)
    with tempfile.TemporaryDirectory(prefix="factcheck-rev-") as directory:
        root = Path(directory)
        write_blobs(workspace.root, root, entries)
        yield RevisionTree(rev, commit, root)


def workspace_prefix(root: Path) -> str:
    """The workspace root's path inside its repository, '' or ending in '/'."""
    output = _git(root, "rev-parse", "--show-prefix", what=f"{root} is not in a git repository")
    return os.fsdecode(output).strip("\n")


def repository_prefix(root: Path) -> str:
    """Where the workspace root is inside its git repository ('' or ending in '/'), or ''
    outside any repository or without git: GitHub attaches an annotation to a pull
    request's file only by its path from the repository's root."""
    try:
        status, output, _ = _run(root, "rev-parse", "--show-prefix")
    except GitError:
        return ""
    return os.fsdecode(output).strip("\n") if status == 0 else ""


def repository_root(path: Path) -> Path | None:
    """The top of the git repository that holds ``path``, or ``None`` (no repository, or
    no git): where a repository's CI workflow and pre-commit configuration live."""
    try:
        status, output, _ = _run(path, "rev-parse", "--show-toplevel")
    except GitError:
        return None
    return Path(os.fsdecode(output).strip("\n")) if status == 0 else None


def published_checkout(path: Path) -> tuple[str, str] | None:
    """``(remote URL, commit)`` of a checkout with an ``origin``: what another machine
    can install the same code from. ``None`` without a remote, a commit, or git."""
    try:
        status, url, _ = _run(path, "remote", "get-url", "origin")
        if status != 0:
            return None
        status, commit, _ = _run(path, "rev-parse", "--verify", "HEAD")
    except GitError:
        return None
    if status != 0:
        return None
    return os.fsdecode(url).strip(), commit.decode("ascii").strip()


def committed_file(root: Path, relative: str, rev: str = "HEAD") -> bytes | None:
    """A workspace file's bytes as committed at ``rev``, or ``None`` when git has none
    (no repository, no such commit or file, or no git)."""
    try:
        status, output, _ = _run(root, "cat-file", "blob", f"{rev}:./{relative}")
    except GitError:
        return None
    return output if status == 0 else None


def resolve_commit(root: Path, rev: str) -> str:
    """The full commit id that ``rev`` names; an unknown revision is a usage error."""
    if not rev or rev.startswith("-"):
        raise GitError(f"'{rev}' is not a revision: give a branch, tag or commit, e.g. HEAD")
    status, output, _ = _run(
        root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"
    )
    if status != 0 or not output.strip():
        raise GitError(
            f"unknown revision '{rev}': no such commit in the repository of {root}; in a "
            "shallow clone, fetch it first (git fetch origin BRANCH, or in GitHub Actions "
            "check out with fetch-depth: 0)"
        )
    return output.decode("ascii").strip()


def list_files(
    root: Path, commit: str, prefix: str, parts: tuple[str, ...] = WORKSPACE_PATHS
) -> list[tuple[str, str, int]]:
    """``(object id, path below the workspace root, size)`` of the regular files to copy.

    Symbolic links (mode 120000) and submodules (160000) are skipped, and so is any path
    that is not plainly below the workspace's claims/, seeds/ or factcheck.yaml.
    """
    pathspecs = [prefix + name for name in parts]
    output = _git(
        root,
        "--literal-pathspecs",
        "ls-tree",
        "-r",
        "-z",
        "--long",
        "--full-tree",
        commit,
        "--",
        *pathspecs,
        what=f"cannot list the files of {commit[:12]}",
    )
    entries = []
    for record in output.split(b"\0"):
        if not record:
            continue
        meta, _, raw_path = record.partition(b"\t")
        mode, kind, object_id, size = meta.decode("ascii").split()
        if kind != "blob" or mode not in REGULAR_FILE_MODES:
            continue
        relative = _below(os.fsdecode(raw_path), prefix)
        if relative is not None:
            entries.append((object_id, relative, int(size)))
    return entries


def changed_files(root: Path, commit: str) -> set[str]:
    """The workspace files (relative to its root) that differ between ``commit`` and the
    working tree: changed, added or removed in git's view, and files git does not track."""
    prefix = workspace_prefix(root)
    what = f"cannot compare the working tree with {commit[:12]}"
    changed = _git(
        root,
        "--literal-pathspecs",
        "diff",
        "--name-only",
        "--no-renames",
        "-z",
        commit,
        "--",
        *WORKSPACE_PATHS,  # relative to the workspace root, where git runs
        what=what,
    )
    untracked = _git(
        root,
        "--literal-pathspecs",
        "ls-files",
        "--others",
        "--full-name",
        "-z",
        "--",
        *WORKSPACE_PATHS,
        what=what,
    )
    paths = set()
    for raw in (changed + b"\0" + untracked).split(b"\0"):
        relative = _below(os.fsdecode(raw), prefix) if raw else None
        if relative is not None:
            paths.add(relative)
    return paths


def write_blobs(repository: Path, target: Path, entries: list[tuple[str, str, int]]) -> None:
    """Fetch every listed blob through one ``git cat-file --batch`` and write it under target.

    Requests go one at a time and each blob is copied to its file in chunks, so a large
    document never has to fit in memory. A blob over ``COPY_LIMIT`` is not fetched (see
    the module's docstring).
    """
    fetched = []
    for object_id, relative, size in entries:
        if size > COPY_LIMIT:
            with _target(target, relative) as file:
                if file is not None:
                    file.truncate(size)
        else:
            fetched.append((object_id, relative))
    if not fetched:
        return
    with _start(repository, "cat-file", "--batch") as process:
        assert process.stdin is not None and process.stdout is not None
        for object_id, relative in fetched:
            process.stdin.write(f"{object_id}\n".encode("ascii"))
            process.stdin.flush()
            header = process.stdout.readline().decode("ascii", "replace").split()
            if len(header) != 3 or header[1] != "blob":
                complaint = " ".join(header) or _first_line(process.stderr.read(), "no answer")
                raise GitError(f"cannot read {relative} at {object_id[:12]} (git: {complaint})")
            with _target(target, relative) as file:
                remaining = int(header[2])
                while remaining:
                    chunk = process.stdout.read(min(remaining, CHUNK_BYTES))
                    if not chunk:
                        raise GitError(f"cannot read {relative}: git's answer ended early")
                    if file is not None:
                        file.write(chunk)
                    remaining -= len(chunk)
            process.stdout.read(1)  # each blob is followed by a newline
        process.stdin.close()


@contextmanager
def _target(target: Path, relative: str) -> Iterator[BinaryIO | None]:
    """The file a workspace file is copied to, its directories created; ``None`` when the
    path cannot be a file in the copy.

    A hand-crafted tree may hold a blob and a directory of the same name (git refuses to
    check such a tree out, but will store it): whichever comes second cannot be written,
    and is left out of the copy as a symbolic link is, rather than failing the diff.
    """
    path = target.joinpath(*PurePosixPath(relative).parts)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file = path.open("wb")
    except OSError:
        yield None
        return
    with file:
        yield file


def _below(path: str, prefix: str) -> str | None:
    """A repository path relative to the workspace root, when it is one the loader reads."""
    if not path.startswith(prefix):
        return None
    parts = PurePosixPath(path[len(prefix) :]).parts
    if not parts or any(part in ("", ".", "..") for part in parts):
        return None
    if parts == (SETTINGS_FILE,) or (len(parts) > 1 and parts[0] in (CLAIMS_DIR, SEEDS_DIR)):
        return "/".join(parts)
    return None


def _start(cwd: Path, *args: str) -> subprocess.Popen:
    """Start git with every stream piped; a missing git is a usage error, not a traceback."""
    try:
        return subprocess.Popen(
            ["git", *args],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH; factcheck diff needs it") from None
    except OSError as error:
        raise GitError(f"cannot run git: {error}") from None


def _run(cwd: Path, *args: str) -> tuple[int, bytes, bytes]:
    """Run git to the end: its exit status, output and complaints."""
    with _start(cwd, *args) as process:
        output, errors = process.communicate()
    return process.returncode, output, errors


def _git(cwd: Path, *args: str, what: str) -> bytes:
    """Run git and return its output; a failure raises with git's first line of complaint."""
    status, output, errors = _run(cwd, *args)
    if status != 0:
        raise GitError(f"{what} (git: {_first_line(errors, f'git exited with {status}')})")
    return output


def _first_line(errors: bytes, default: str) -> str:
    lines = (line.strip() for line in os.fsdecode(errors).splitlines())
    return next((line for line in lines if line), default)
