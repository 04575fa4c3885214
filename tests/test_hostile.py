"""The hostile corpus end to end: every case gives its findings and exit code, and no case
makes the tool crash, hang, eat memory, run code, read outside the workspace or echo it.

Each case of ``tests/hostile/cases.yaml`` runs in-process on its own small workspace (for
exact findings and exit codes), and the whole corpus runs again in one workspace in a
child process, with a timeout, an address-space limit and a peak-memory check. The time
bound on the whole corpus is a generous guard for slow CI machines (60 s), not a speed
claim: the benchmarks measure speed.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from factcheck.files.yamlnodes import MAX_FILE_BYTES, load_bytes, load_file
from tests.conftest import VALID_CLAIM, Desk
from tests.hostile.corpus import (
    LEAK_PROBE_QUOTE,
    MIB,
    SECRET_MARKER,
    Case,
    commit_all,
    git,
    install,
    load_cases,
    make_outside,
    marker_files,
    snapshot,
)

CASES = load_cases()
COMBINED = [case for case in CASES if not case.alone]

CASE_SECONDS = 20
CORPUS_SECONDS = 60
MEMORY_LIMIT = 1 << 30  # address space of each child process
PEAK_RSS_LIMIT = 500 << 20
LONGEST_LINE = 2000  # file text in messages is shortened; a line is never a megabyte


@pytest.fixture
def outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory outside the workspace holding files with the secret marker."""
    return make_outside(tmp_path_factory.mktemp("outside"))


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail, rather than hang the suite, when an in-process run takes too long."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"no result within {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_contained(output: str, root: Path) -> None:
    """No traceback, nothing of the secret, no code run by the input."""
    assert "Traceback" not in output
    assert "internal error" not in output
    assert SECRET_MARKER not in output
    assert not marker_files(root), "input made the tool run code"


def found(result: Result) -> list[tuple[str, int, int, str]]:
    payload = json.loads(result.stdout)
    return sorted(
        (item["path"], item["line"], item["column"], item["code"]) for item in payload["findings"]
    )


def other_command_lines(root: Path, every_dispute: bool = True) -> list[list[str]]:
    """Every other command that reads the workspace, in each of its formats."""
    lines: list[list[str]] = [["validate", "--format", name] for name in ("text", "github")]
    lines += [["report", "--format", name] for name in ("table", "markdown", "json")]
    claims = root / "claims"
    names = sorted(path.stem for path in claims.glob("*.y*ml")) if claims.is_dir() else []
    names = names if every_dispute else names[:1]
    lines += [["show", name] for name in names]
    lines += [["sources"], ["parties"], ["fmt", "--check"]]
    lines += [["diff", BASE, "--format", name] for name in ("table", "markdown", "json")]
    lines.append(["diff", "HEAD", "--format", "json"])
    # quote reads one document: the catalogue cases name their source after the case.
    lines += [["quote", name, LEAK_PROBE_QUOTE] for name in (*names, "security-report")]
    lines.append(["new", "written-last", "--party", "press-office"])  # writes: keep it last
    return lines


BASE = "HEAD~1"  # the valid workspace; HEAD adds the case


def install_committed(case: Case, root: Path, outside: Path) -> None:
    """The case in a git repository: HEAD~1 is the valid workspace, HEAD and the working
    tree hold the case, so ``diff`` reads it both from git and from the disk."""
    git(root, "init", "-q")
    commit_all(root, "valid workspace")
    install(case, root, outside)
    exclude_unpushable(root)
    commit_all(root, case.name)


def exclude_unpushable(root: Path) -> None:
    """Keep files over 100 MiB (which a git host refuses in a push) out of the commit:
    hashing the sparse 4 GiB case would take git longer than the test."""
    big = [
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_file() and not path.is_symlink() and path.stat().st_size > 100 << 20
    ]
    (root / ".git" / "info" / "exclude").write_text("".join(f"/{name}\n" for name in big))


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_case_gives_its_findings_and_exit_code(
    case: Case, desk: Desk, outside: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(desk.root)
    install(case, desk.root, outside)
    before = snapshot(outside)
    with deadline(CASE_SECONDS):
        result = desk.run("--color", "never", "validate", "--format", "json")
    assert result.exit_code == case.exit, result.output
    assert snapshot(outside) == before, "a run wrote outside the workspace"
    assert_contained(result.output, desk.root)
    if case.exit == 2:
        assert not result.stdout
        text = result.output
    else:
        assert found(result) == case.expected()
        text = " ".join(item["message"] for item in json.loads(result.stdout)["findings"])
    for words in case.says:
        assert words in text


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_no_command_crashes_echoes_or_floods_on_the_case(
    case: Case, desk: Desk, outside: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.chdir(desk.root)
    install_committed(case, desk.root, outside)
    before = snapshot(outside)
    for args in other_command_lines(desk.root):
        with deadline(CASE_SECONDS):
            result = desk.run("--color", "always", *args)
        # 2 is a clear refusal (such as 'sources' on a broken catalogue), never a crash:
        # assert_contained rejects "internal error" and tracebacks.
        assert result.exit_code in (0, 1, 2), (args, result.output)
        assert_contained(result.output, desk.root)
        assert snapshot(outside) == before, (args, "wrote outside the workspace")
        if args[0] == "validate":  # reports show the desk's own text in full, findings don't
            longest = max((len(line) for line in result.output.splitlines()), default=0)
            assert longest <= LONGEST_LINE, (args, longest)


@pytest.mark.parametrize(
    "case", [case for case in CASES if case.committed], ids=lambda case: case.name
)
def test_both_parsers_give_the_same_findings(case: Case):
    """The pure-Python parser, used where libyaml is missing, must be as strict."""
    data = case.committed.read_bytes()
    with_c = load_bytes(data, case.name, pure=False)
    pure = load_bytes(data, case.name, pure=True)
    assert [item.code for item in pure.findings] == [item.code for item in with_c.findings]
    assert (pure.root is None) == (with_c.root is None)


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


@dataclass
class Child:
    """What one child process did: its exit code, output, and its own peak memory."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss: int


def run_child(root: Path, *args: str) -> Child:
    """``factcheck`` in a child process, as CI runs it, killed after CORPUS_SECONDS, with its
    address space capped; ``wait4`` gives this child's own peak resident memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "factcheck", "--root", str(root), "--color", "never", *args],
            stdout=out,
            stderr=err,
            cwd=root,
            preexec_fn=_limit_memory,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        )
        timer = threading.Timer(CORPUS_SECONDS, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Child(
            process.returncode,
            out.read().decode("utf-8"),
            err.read().decode("utf-8"),
            usage.ru_maxrss * 1024,  # kilobytes on Linux
        )


def test_whole_corpus_in_one_workspace_is_bounded_and_contained(desk: Desk, outside: Path):
    git(desk.root, "init", "-q")
    commit_all(desk.root, "valid workspace")
    for case in COMBINED:
        install(case, desk.root, outside)
    exclude_unpushable(desk.root)
    commit_all(desk.root, "the whole corpus")
    started = time.monotonic()
    completed = run_child(desk.root, "validate", "--format", "json")
    elapsed = time.monotonic() - started
    assert elapsed < CORPUS_SECONDS
    assert completed.returncode == 1, completed.stderr
    assert_contained(completed.stdout + completed.stderr, desk.root)
    assert completed.peak_rss < PEAK_RSS_LIMIT, completed.peak_rss >> 20
    findings = json.loads(completed.stdout)["findings"]

    expected = [item for case in COMBINED for item in case.expected()]
    catalogue = "seeds/sources.yaml"
    assert sorted(
        (item["path"], item["line"], item["column"], item["code"])
        for item in findings
        if item["path"] != catalogue
    ) == sorted(item for item in expected if item[0] != catalogue)
    # Catalogue entries move when they share one sources.yaml: compare their codes.
    assert Counter(item["code"] for item in findings if item["path"] == catalogue) == Counter(
        item[3] for item in expected if item[0] == catalogue
    )

    for args in other_command_lines(desk.root, every_dispute=False):
        completed = run_child(desk.root, *args)
        assert completed.returncode in (0, 1, 2), (args, completed.stderr)
        assert_contained(completed.stdout + completed.stderr, desk.root)
        assert completed.peak_rss < PEAK_RSS_LIMIT, (args, completed.peak_rss >> 20)


def test_the_corpus_covers_what_the_issue_lists():
    """Each kind of hostile input the security review asked for has a case."""
    names = {case.name for case in CASES}
    wanted = {
        "alias-bomb",
        "alias-self",
        "deep-flow",
        "deep-block",
        "huge-value",
        "huge-list",
        "random-binary",
        "utf16-le-bom",
        "nul-byte",
        "lone-surrogate-bytes",
        "lone-surrogate-escape",
        "tag-python-apply",
        "tag-python-name",
        "tag-binary",
        "tag-custom",
        "merge-keys",
        "several-documents",
        "empty",
        "comment-only",
        "non-string-keys",
        "long-line-notes",
        "regex-quotes",
        "bom-crlf",
        "document-absolute",
        "document-dotdot",
        "document-link-outside",
        "document-directory",
        "document-fifo",
    }
    assert wanted <= names
    assert next(case for case in CASES if case.name == "bom-crlf").exit == 0


def test_nesting_stops_at_32_levels():
    """32 nested collections are read; the 33rd is refused where it starts."""
    for depth, refused in ((32, False), (33, True)):
        text = "[" * (depth - 1) + "]" * (depth - 1)
        data = f"title: {text}\n".encode()
        for pure in (False, True):
            codes = [item.code for item in load_bytes(data, "x.yaml", pure=pure).findings]
            assert ("FC004" in codes) is refused, (depth, pure)


# --- writers: fmt, new and add-source -------------------------------------------------------

# The valid claim with its first two fields swapped: fmt has something to rewrite.
UNFORMATTED = VALID_CLAIM.replace(
    "title: Was the attack planned across the border?\ndate: 2024-03-26\n",
    "date: 2024-03-26\ntitle: Was the attack planned across the border?\n",
)


def incoming_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("incoming") / "incoming.txt"
    path.write_text("An incoming document\n\nThe ministry said nothing at all.\n")
    return path


def writer_runs(desk: Desk, document: Path) -> dict[str, tuple[list[str], Path]]:
    """Each writing command, and the file it writes."""
    return {
        "fmt": (["fmt"], desk.claim("unformatted", UNFORMATTED)),
        "new": (
            ["new", "fresh-dispute", "--party", "press-office"],
            desk.root / "claims" / "fresh-dispute.yaml",
        ),
        "add-source": (
            ["add-source", str(document), "--id", "incoming", "--title", "Incoming"],
            desk.root / "seeds" / "sources.yaml",
        ),
    }


def leftovers(root: Path) -> list[str]:
    return [path.name for path in root.rglob(".*.tmp")]


@pytest.mark.parametrize("fault", ["rename", "fsync"])
@pytest.mark.parametrize("command", ["fmt", "new", "add-source"])
def test_a_fault_before_the_rename_leaves_the_old_file_intact(
    desk: Desk, tmp_path_factory, monkeypatch: pytest.MonkeyPatch, command: str, fault: str
):
    args, target = writer_runs(desk, incoming_document(tmp_path_factory))[command]
    before = target.read_bytes() if target.exists() else None
    files_before = sorted(path.name for path in desk.root.rglob("*"))

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device (injected)")

    # The rename is os.replace for an existing file and os.link (falling back to
    # os.replace) for a new one; fsync fails in the middle of writing the data.
    for name in ("replace", "link") if fault == "rename" else ("fsync",):
        monkeypatch.setattr(os, name, crash)
    result = desk.run(*args)
    monkeypatch.undo()
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert (target.read_bytes() if target.exists() else None) == before
    assert leftovers(desk.root) == []
    assert sorted(path.name for path in desk.root.rglob("*")) == files_before


@pytest.mark.parametrize("command", ["fmt", "add-source"])
def test_writers_keep_the_file_mode(desk: Desk, tmp_path_factory, command: str):
    args, target = writer_runs(desk, incoming_document(tmp_path_factory))[command]
    target.chmod(0o640)
    before = target.read_bytes()
    result = desk.run(*args)
    assert result.exit_code == 0, result.output
    assert target.read_bytes() != before
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_files_follow_the_umask(desk: Desk):
    previous = os.umask(0o027)
    try:
        result = desk.run("new", "fresh-dispute", "--party", "press-office")
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    mode = (desk.root / "claims" / "fresh-dispute.yaml").stat().st_mode
    assert stat.S_IMODE(mode) == 0o640


def link_out(link: Path, outside: Path, name: str) -> Path:
    """Make ``link`` point at ``outside/name`` (created as a copy of what ``link`` held)."""
    target = outside / name
    if link.is_dir():
        shutil.copytree(link, target)
        shutil.rmtree(link)
    elif link.exists():
        target.write_bytes(link.read_bytes())
        link.unlink()
    link.symlink_to(target)
    return target


@pytest.mark.parametrize(
    ("command", "link"),
    [
        ("fmt", "claims/unformatted.yaml"),
        ("fmt", "seeds/sources.yaml"),
        ("new", "claims/fresh-dispute.yaml"),
        ("new", "claims"),
        ("add-source", "seeds/incoming.txt"),
        ("add-source", "seeds/sources.yaml"),
    ],
)
def test_no_write_follows_a_link_out_of_the_workspace(
    desk: Desk, outside: Path, tmp_path_factory, command: str, link: str
):
    args, _ = writer_runs(desk, incoming_document(tmp_path_factory))[command]
    if link == "seeds/sources.yaml":  # out of canonical layout, so fmt would rewrite it
        desk.write(link, (desk.root / link).read_text().replace("sources:\n", "sources:\n\n"))
    link_out(desk.root / link, outside, "linked")
    before = snapshot(outside)
    result = desk.run(*args)
    assert snapshot(outside) == before
    assert result.exit_code in (1, 2), result.output
    assert "outside the workspace" in result.output or "already exists" in result.output
    assert "Traceback" not in result.output and SECRET_MARKER not in result.output
    assert leftovers(desk.root) == [] and leftovers(outside) == []


# --- the reader's promises, checked rather than trusted -------------------------------------


def test_a_file_is_read_at_most_one_byte_past_the_limit(tmp_path, monkeypatch):
    """Even when the size on record lies (a growing file, a /proc file), reading stops at
    1 MiB + 1 byte: the finding reports exactly that many bytes read."""
    path = tmp_path / "growing.yaml"
    with path.open("wb") as stream:
        stream.truncate(8 * MIB)
    real_fstat = os.fstat

    def fstat_claiming_empty(descriptor: int) -> os.stat_result:
        info = list(real_fstat(descriptor))
        info[stat.ST_SIZE] = 0
        return os.stat_result(info)

    monkeypatch.setattr(os, "fstat", fstat_claiming_empty)
    document = load_file(path, "claims/growing.yaml")
    assert [item.code for item in document.findings] == ["FC004"]
    assert f"file is {MAX_FILE_BYTES + 1} bytes" in document.findings[0].message


def test_files_are_opened_without_blocking_and_only_after_containment(
    desk: Desk, outside: Path, monkeypatch: pytest.MonkeyPatch
):
    for name in ("document-link-outside", "document-fifo", "claim-fifo", "claim-link-outside"):
        install(next(case for case in CASES if case.name == name), desk.root, outside)
    opened: list[tuple[str, int]] = []
    real_open = os.open

    def spy(path: object, flags: int, *args: object, **kwargs: object) -> int:
        opened.append((os.path.realpath(str(path)), flags))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    with deadline(CASE_SECONDS):
        result = desk.run("validate", "--no-cache")
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    real_root = os.path.realpath(desk.root)
    workspace_files = [(path, flags) for path, flags in opened if path.startswith(real_root)]
    assert any(path.endswith("fifo.txt") for path, _ in workspace_files)
    assert all(flags & os.O_NONBLOCK for _, flags in workspace_files)
    assert not any(path.startswith(os.path.realpath(outside)) for path, _ in opened)


@pytest.mark.parametrize("name", ["huge-list", "long-line-notes"])
def test_fmt_leaves_files_too_big_to_rewrite_quickly_unchanged(
    desk: Desk, outside: Path, name: str
):
    install(next(case for case in CASES if case.name == name), desk.root, outside)
    path = desk.root / "claims" / f"{name}.yaml"
    before = path.read_bytes()
    with deadline(CASE_SECONDS):
        result = desk.run("fmt")
    assert result.exit_code == 1, result.output
    assert f"claims/{name}.yaml:1:1: error FC004 left unchanged" in result.output
    assert path.read_bytes() == before


def test_every_guarantee_in_the_security_page_points_at_tests_that_exist():
    page = (Path(__file__).parents[1] / "docs" / "security.md").read_text(encoding="utf-8")
    section = page.split("\n## Guarantees\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 8  # the header and seven guarantees
    sources = "".join(path.read_text() for path in Path(__file__).parent.glob("test_*.py"))
    names = {case.name for case in CASES}
    for row in rows[1:]:
        held_by = row.rsplit("|", 2)[1]
        tests = re.findall(r"\btest_\w+\b(?!\.py)", held_by)
        assert tests or "tests/test_" in held_by, row
        for test in tests:
            assert f"def {test}(" in sources, test
        for pattern in re.findall(r"`([a-z0-9-]+\*?)`", held_by):
            if "-" in pattern:
                assert any(fnmatch.fnmatch(name, pattern) for name in names), pattern
    assert f"corpus of {len(CASES)} attacks" in section
