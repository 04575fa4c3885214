"""Serial or parallel, C or pure-Python parser, cached or not: the findings are the same.

The parallel path is forced with ``FACTCHECK_PARALLEL_THRESHOLD=1`` and two workers; the
pure-Python parser by taking the C parser away, as on a machine without ruamel.yaml.clib.
The benchmark's generator supplies a larger realistic workspace with a few misquotes.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from factcheck import open_workspace, validate
from factcheck.engine import incremental
from factcheck.engine.records import RecordFile, sealed
from factcheck.files import yamlnodes
from factcheck.findings import Finding
from tests.conftest import VALID_CLAIM, Desk
from tests.test_cache import broken_desk

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import generate  # the benchmark's generator is a script in benchmarks/, not a package


def outcome(root: Path, **options: object) -> list[tuple[str, int, int, str, str, str]]:
    """Every finding of a run, in order, with everything a reporter prints."""
    validation = validate(open_workspace(root), **options)  # type: ignore[arg-type]
    return [
        (item.path, item.line, item.column, item.code, item.severity.value, item.message)
        for item in validation.result.findings
    ]


@pytest.fixture
def generated(tmp_path: Path) -> Path:
    """120 generated disputes quoting 30 documents, one in 25 misquoted."""
    root = tmp_path / "generated"
    generate.generate(root, disputes=120, sources=30, broken_every=25)
    return root


def test_parallel_and_serial_agree_on_a_generated_archive(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    serial = outcome(generated, workers=1)
    assert [code for _, _, _, code, _, _ in serial].count("FC203") == 4
    monkeypatch.setenv("FACTCHECK_PARALLEL_THRESHOLD", "1")
    assert outcome(generated, workers=2) == serial
    assert outcome(generated, workers=2, cache=True) == serial  # cold, in parallel
    assert outcome(generated, workers=2, cache=True) == serial  # warm


def test_parallel_and_serial_agree_on_broken_files(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_desk(desk)
    serial = outcome(desk.root, workers=1)
    assert len(serial) >= 10
    monkeypatch.setenv("FACTCHECK_PARALLEL_THRESHOLD", "1")
    assert outcome(desk.root, workers=2) == serial
    validation = validate(open_workspace(desk.root), workers=2)
    assert [item.path for item in validation.archive.claim_files] == [
        display for _, display, _ in open_workspace(desk.root).claim_paths()
    ]


def test_a_failing_worker_loses_no_finding(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    broken_desk(desk)
    expected = outcome(desk.root, workers=1)

    def crash(work: object) -> object:
        raise MemoryError("a worker ran out of memory")

    monkeypatch.setenv("FACTCHECK_PARALLEL_THRESHOLD", "1")
    monkeypatch.setattr(incremental, "_examine_in_worker", crash)
    assert outcome(desk.root, workers=2) == expected


@pytest.mark.skipif(not yamlnodes.C_PARSER_AVAILABLE, reason="the C parser is not installed")
def test_c_and_pure_parsers_give_the_same_findings(
    desk: Desk, generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Same findings at the same places; only a syntax error's detail is the parser's words.

    libyaml says "did not find expected ',' or ']'" where the pure parser says "expected
    ',' or ']', but got ':'", at the same line and column.
    """
    broken_desk(desk)
    shutil.copytree(generated / "claims", desk.root / "generated-claims")

    def both() -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
        return (
            [without_parser_words(item) for item in outcome(desk.root, workers=1)],
            outcome(generated, workers=1),
        )

    with_c = both()
    assert "FC001" in [item[3] for item in with_c[0]]
    monkeypatch.setattr(yamlnodes, "_CParser", None)
    assert both() == with_c


def without_parser_words(item: tuple) -> tuple:  # type: ignore[type-arg]
    """A finding, with an FC001 message cut to what factcheck itself says."""
    if item[3] != "FC001":
        return item
    return (*item[:5], item[5].split(":")[0])


def test_the_listing_names_every_claim_file_in_order(desk: Desk) -> None:
    """Sorted by name, .yml included (it gets a finding), hidden and other files left out."""
    for name in ("b", "a", "z-1", "Upper", "a.b"):
        desk.claim(name, VALID_CLAIM)
    desk.write("claims/old.yml", VALID_CLAIM)
    desk.write("claims/.hidden.yaml", VALID_CLAIM)
    desk.write("claims/notes.txt", "not a claim\n")
    (desk.root / "claims" / "dir.yaml").mkdir()
    workspace = open_workspace(desk.root)
    listed = [(Path(path), display, inside) for path, display, inside in workspace.claim_paths()]
    names = ["Upper.yaml", "a.b.yaml", "a.yaml", "attack-planning.yaml", "b.yaml", "dir.yaml"]
    names += ["old.yml", "z-1.yaml"]
    assert listed == [(desk.root / "claims" / name, f"claims/{name}", True) for name in names]


def test_a_claim_file_linking_outside_is_refused_when_cached(desk: Desk, tmp_path: Path) -> None:
    secret = tmp_path.parent / f"{tmp_path.name}-outside.yaml"
    secret.write_text(VALID_CLAIM, encoding="utf-8")
    (desk.root / "claims" / "linked.yaml").symlink_to(secret)
    expected = outcome(desk.root)
    assert ("claims/linked.yaml", 1, 1, "FC204") in [item[:4] for item in expected]
    assert outcome(desk.root, cache=True) == expected
    assert outcome(desk.root, cache=True) == expected


def dispute_id(archive: object, dispute: object) -> str:
    """An ``Extra``'s derivation for the tests: the dispute's id."""
    return dispute.id  # type: ignore[attr-defined, no-any-return]


@pytest.mark.parametrize("workers", [1, 2])
def test_each_examined_file_is_heard_of_in_order_as_its_batch_arrives(
    generated: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a command hears of each file as it arrives (``factcheck site`` writes its page
    then) is what the whole run finds at it; the files the cache answers for are not heard
    of again."""
    monkeypatch.setenv("FACTCHECK_PARALLEL_THRESHOLD", "1")
    heard: list[tuple[str, object, list[str]]] = []

    def arrived(path: str, findings: list[Finding], derived: object) -> bool:
        heard.append((path, derived, [item.code for item in findings]))
        return False

    extra = incremental.Extra("ids", dispute_id)
    workspace = open_workspace(generated)
    validation = validate(workspace, workers=workers, cache=True, extra=extra, arrived=arrived)
    claims = [item.path for item in validation.archive.claim_files]
    assert [path for path, _, _ in heard] == claims
    assert [derived for _, derived, _ in heard] == [Path(path).stem for path in claims]
    found = {
        path: [item.code for item in validation.result.findings if item.path == path]
        for path in claims
    }
    assert {path: sorted(codes) for path, _, codes in heard} == {
        path: sorted(codes) for path, codes in found.items()
    }
    assert sum(len(codes) for _, _, codes in heard) == 4  # the misquotes

    heard.clear()
    changed = generated / claims[3]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    validate(workspace, workers=workers, cache=True, extra=extra, arrived=arrived)
    assert [path for path, _, _ in heard] == [claims[3]]


def test_a_record_no_one_needs_is_kept_only_by_a_lasting_file(tmp_path: Path) -> None:
    derived = sealed(("value", b"<p>page</p>"))
    assert RecordFile(None, "site").keep(derived, needed=False) == ("value", None)
    lasting = RecordFile(tmp_path, "site")
    value, ref = lasting.keep(derived, needed=False)
    assert value == "value" and ref is not None and lasting.read(ref) == b"<p>page</p>"
    temporary = RecordFile(None, "site")
    value, ref = temporary.keep(derived)
    assert ref is not None and temporary.read(ref) == b"<p>page</p>"


def test_a_pool_failing_part_way_examines_the_rest_once(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The batches the workers returned are kept; the rest is examined in-process, and no
    file is told of twice (``factcheck site`` would write its page twice)."""
    expected = outcome(generated, workers=1)
    claims = [display for _, display, _ in open_workspace(generated).claim_paths()]
    examine = incremental._examine_in_worker

    def fail_after_the_first_files(work: list[tuple[str, str]]) -> object:
        if work[0][1] not in claims[:40]:
            raise MemoryError("a worker ran out of memory")
        return examine(work)

    monkeypatch.setenv("FACTCHECK_PARALLEL_THRESHOLD", "1")
    monkeypatch.setattr(incremental, "_examine_in_worker", fail_after_the_first_files)
    heard: list[str] = []

    def arrived(path: str, findings: list[Finding], derived: object) -> bool:
        heard.append(path)
        return False

    extra = incremental.Extra("ids", dispute_id)
    assert outcome(generated, workers=2, extra=extra, arrived=arrived) == expected
    assert heard == claims


def test_an_error_while_keeping_results_is_not_taken_for_a_pool_failure(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An error in what the command does with a file (here its ``arrived``) is raised as it
    is, once, instead of making the run examine every file again in-process."""
    monkeypatch.setenv("FACTCHECK_PARALLEL_THRESHOLD", "1")
    told: list[str] = []

    def arrived(path: str, findings: list[Finding], derived: object) -> bool:
        told.append(path)
        raise OSError(28, "No space left on device")

    extra = incremental.Extra("ids", dispute_id)
    with pytest.raises(OSError, match="No space left"):
        validate(open_workspace(generated), workers=2, extra=extra, arrived=arrived)
    assert len(told) == 1
