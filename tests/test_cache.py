"""The validation cache: the same findings with and without it, and it is never trusted blindly.

Each test states what a desk would notice: the findings (code, line, column) and exit code
of ``factcheck validate``, and what is or is not on disk in ``.factcheck-cache/``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from factcheck import open_workspace, validate
from factcheck.engine import cache
from tests.conftest import ANALYSIS_TEXT, REPORT_TEXT, VALID_CLAIM, Desk

PACK = Path(cache.CACHE_DIR) / cache.PACK_FILE

MISQUOTED = VALID_CLAIM.replace(
    "the bomber had crossed the border a week before the attack",
    "the bomber had crossed the river a week before the attack",
)


def findings(desk: Desk, *args: str) -> tuple[int, list[tuple[str, str, int, int, str]]]:
    """Exit code and ``(path, code, line, column, message)`` of ``validate --format json``."""
    result = desk.run("validate", "--format", "json", *args)
    assert result.exit_code in (0, 1), result.output
    payload = json.loads(result.stdout)
    return result.exit_code, [
        (item["path"], item["code"], item["line"], item["column"], item["message"])
        for item in payload["findings"]
    ]


def broken_desk(desk: Desk) -> Desk:
    """The desk with one claim file for each kind of problem the reader and checks find."""
    desk.claim("misquote", MISQUOTED)
    desk.claim("bad-yaml", "title: [unclosed\nclaim: x\n")
    desk.claim("duplicate-key", VALID_CLAIM + "title: again\n")
    desk.claim("alias", "title: &t Question\nnotes: *t\n")
    desk.claim("tagged", "title: !!python/object:os.system Question\n")
    desk.claim("empty", "")
    desk.claim("a-list", "- one\n- two\n")
    desk.claim("unknown-party", VALID_CLAIM.replace("party: press-office", "party: press-ofice"))
    desk.claim("Bad_Name", VALID_CLAIM)
    desk.write("claims/old-suffix.yml", VALID_CLAIM)
    (desk.root / "claims" / "not-utf8.yaml").write_bytes(b"title: caf\xe9\n")
    return desk


def test_warm_run_gives_the_same_findings_as_a_cold_one(desk: Desk) -> None:
    broken_desk(desk)
    uncached = findings(desk, "--no-cache")
    assert not (desk.root / cache.CACHE_DIR).exists()
    cold = findings(desk)
    assert (desk.root / PACK).is_file()
    warm = findings(desk)
    assert uncached == cold == warm
    assert uncached[0] == 1
    codes = {code for _, code, _, _, _ in uncached[1]}
    assert {"FC001", "FC002", "FC003", "FC004", "FC005", "FC106", "FC201", "FC203"} <= codes


def test_changed_claim_file_is_read_again(desk: Desk) -> None:
    assert findings(desk) == (0, [])
    desk.claim("attack-planning", MISQUOTED)
    code, found = findings(desk)
    assert code == 1
    assert [(path, code) for path, code, _, _, _ in found] == [
        ("claims/attack-planning.yaml", "FC203")
    ]


def test_changed_document_invalidates_the_quotes_that_cite_it(desk: Desk) -> None:
    assert findings(desk) == (0, [])
    # The claim quotes "the bomber had crossed the border a week before the attack" from the
    # report; the catalogue is untouched, so only the document's own digest can tell.
    (desk.root / "seeds" / "report.txt").write_text(
        REPORT_TEXT.replace("crossed the border", "crossed the mountains"), encoding="utf-8"
    )
    code, found = findings(desk)
    assert code == 1
    assert {(path, code) for path, code, _, _, _ in found} == {
        ("seeds/sources.yaml", "FC205"),
        ("claims/attack-planning.yaml", "FC203"),
    }
    assert findings(desk) == findings(desk, "--no-cache")


def test_document_not_cited_does_not_disturb_cached_results(desk: Desk) -> None:
    desk.claim("attack-planning", MISQUOTED.replace("source: analysis", "source: security-report"))
    before = findings(desk)
    (desk.root / "seeds" / "analysis.txt").write_text(ANALYSIS_TEXT + "More.\n", encoding="utf-8")
    after = findings(desk)
    assert after == findings(desk, "--no-cache")
    assert {code for _, code, _, _, _ in after[1]} == {"FC203", "FC205", "FC207", "FC301"}
    assert [item for item in before[1] if item[1] == "FC203"] == [
        item for item in after[1] if item[1] == "FC203"
    ]


def test_changed_catalogue_is_seen_by_every_claim(desk: Desk) -> None:
    assert findings(desk) == (0, [])
    parties = (desk.root / "seeds" / "parties.yaml").read_text(encoding="utf-8")
    desk.write("seeds/parties.yaml", parties.replace("  envoy:", "  former-envoy:"))
    code, found = findings(desk)
    assert code == 1
    assert ("claims/attack-planning.yaml", "FC201") in {(path, c) for path, c, _, _, _ in found}
    assert (code, found) == findings(desk, "--no-cache")


def test_removed_claim_makes_its_parties_unused(desk: Desk) -> None:
    desk.claim("second", VALID_CLAIM)
    assert findings(desk) == (0, [])
    (desk.root / "claims" / "attack-planning.yaml").unlink()
    (desk.root / "claims" / "second.yaml").unlink()
    code, found = findings(desk)
    assert code == 0
    assert {(path, code) for path, code, _, _, _ in found} == {
        ("seeds/parties.yaml", "FC207"),
        ("seeds/sources.yaml", "FC207"),
    }
    assert (code, found) == findings(desk, "--no-cache")


def test_settings_are_part_of_the_key(desk: Desk) -> None:
    assert findings(desk) == (0, [])
    desk.write("factcheck.yaml", "min_independent_origins: 1\n")
    code, found = findings(desk)
    assert code == 1
    assert [(path, code) for path, code, _, _, _ in found] == [
        ("claims/attack-planning.yaml", "FC301")
    ]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 1]), id="one-bit-flipped"),
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: b"not a cache at all\n" * 10, id="foreign"),
    ],
)
def test_damaged_cache_is_ignored_and_rebuilt(desk: Desk, damage) -> None:  # type: ignore[no-untyped-def]
    broken_desk(desk)
    expected = findings(desk)
    pack = desk.root / PACK
    pack.write_bytes(damage(pack.read_bytes()))
    assert findings(desk) == expected
    assert cache.ClaimCache.open(desk.root).entries, "the run should have rewritten the cache"


def test_cache_signed_with_another_key_is_not_trusted(
    desk: Desk, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cache committed to the repository, or copied from elsewhere, is foreign."""
    desk.claim("attack-planning", MISQUOTED)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("someone-else")))
    findings(desk)
    forged = cache.ClaimCache.open(desk.root)
    assert forged.entries
    for path, entry in list(forged.entries.items()):
        forged.put(path, entry._replace(cross_findings=()))
    forged.save()  # "no findings", signed with the other user's key
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("mine")))
    code, found = findings(desk)
    assert code == 1
    assert [(path, code) for path, code, _, _, _ in found] == [
        ("claims/attack-planning.yaml", "FC203")
    ]


DELTA = Path(cache.CACHE_DIR) / cache.DELTA_FILE


def test_one_changed_file_writes_a_small_delta_and_leaves_the_pack_alone(desk: Desk) -> None:
    for index in range(3):
        desk.claim(f"copy-{index}", VALID_CLAIM)
    findings(desk)
    pack = (desk.root / PACK).read_bytes()
    assert not (desk.root / DELTA).exists()
    desk.claim("copy-1", MISQUOTED)
    expected = findings(desk, "--no-cache")
    assert expected[0] == 1
    assert findings(desk) == expected
    assert (desk.root / PACK).read_bytes() == pack
    assert (desk.root / DELTA).stat().st_size < len(pack)
    assert findings(desk) == expected  # pack + delta read back
    desk.claim("copy-1", VALID_CLAIM)
    assert findings(desk) == (0, [])
    assert findings(desk) == (0, [])


def test_a_removed_file_in_the_delta_is_forgotten(desk: Desk) -> None:
    desk.claim("copy", VALID_CLAIM)
    findings(desk)
    (desk.root / "claims" / "copy.yaml").unlink()
    findings(desk)
    assert (desk.root / DELTA).is_file()
    assert "claims/copy.yaml" not in cache.ClaimCache.open(desk.root).entries


def test_a_growing_delta_is_folded_into_a_new_pack(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "DELTA_MIN_ENTRIES", 1)
    for index in range(2):
        desk.claim(f"copy-{index}", VALID_CLAIM)
    findings(desk)
    first = (desk.root / PACK).read_bytes()
    desk.claim("copy-0", MISQUOTED)
    findings(desk)
    assert (desk.root / DELTA).is_file()
    assert (desk.root / PACK).read_bytes() == first
    desk.claim("copy-1", MISQUOTED)
    expected = findings(desk, "--no-cache")
    assert findings(desk) == expected
    assert not (desk.root / DELTA).exists()
    assert (desk.root / PACK).read_bytes() != first
    assert findings(desk) == expected


def test_a_delta_over_another_pack_is_ignored(desk: Desk) -> None:
    """A concurrent run replaced the pack: the delta written over the old one no longer applies."""
    desk.claim("copy", VALID_CLAIM)
    findings(desk)
    desk.claim("copy", MISQUOTED)
    findings(desk)
    stale_delta = (desk.root / DELTA).read_bytes()
    desk.run("cache", "clear")
    desk.claim("copy", VALID_CLAIM)
    findings(desk)  # a new pack, in which copy.yaml is valid
    (desk.root / DELTA).write_bytes(stale_delta)  # says copy.yaml has a misquote
    content = (desk.root / "claims" / "copy.yaml").read_bytes()
    assert cache.ClaimCache.open(desk.root).entries["claims/copy.yaml"].digest == cache.digest(
        content
    )
    assert findings(desk) == (0, [])


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 1]), id="one-bit-flipped"),
        pytest.param(lambda data: b"", id="empty"),
    ],
)
def test_a_damaged_delta_is_ignored(desk: Desk, damage) -> None:  # type: ignore[no-untyped-def]
    desk.claim("copy", VALID_CLAIM)
    findings(desk)
    desk.claim("copy", MISQUOTED)
    expected = findings(desk)
    delta = desk.root / DELTA
    delta.write_bytes(damage(delta.read_bytes()))
    assert findings(desk) == expected


def test_no_cache_neither_reads_nor_writes(desk: Desk) -> None:
    assert findings(desk, "--no-cache") == (0, [])
    assert not (desk.root / cache.CACHE_DIR).exists()
    findings(desk)
    pack = desk.root / PACK
    planted = pack.read_bytes()
    desk.claim("attack-planning", MISQUOTED)
    code, _ = findings(desk, "--no-cache")
    assert code == 1
    assert pack.read_bytes() == planted


def test_cache_clear_removes_the_directory(desk: Desk) -> None:
    findings(desk)
    assert (desk.root / cache.CACHE_DIR).is_dir()
    result = desk.run("cache", "clear")
    assert result.exit_code == 0
    assert "removed .factcheck-cache/" in result.stderr
    assert not (desk.root / cache.CACHE_DIR).exists()
    again = desk.run("cache", "clear")
    assert again.exit_code == 0
    assert "no .factcheck-cache/ to remove" in again.stderr


@pytest.mark.parametrize("blocker", ["file", "link"])
def test_unusable_cache_directory_means_no_cache(desk: Desk, tmp_path: Path, blocker: str) -> None:
    """A cache directory that cannot be written (here: a file, or a link) is silently skipped."""
    target = desk.root / cache.CACHE_DIR
    elsewhere = tmp_path.parent / f"{tmp_path.name}-elsewhere"
    if blocker == "file":
        target.write_text("in the way\n", encoding="utf-8")
    else:
        elsewhere.mkdir()
        target.symlink_to(elsewhere, target_is_directory=True)
    desk.claim("attack-planning", MISQUOTED)
    code, found = findings(desk)
    assert code == 1
    assert [(path, code) for path, code, _, _, _ in found] == [
        ("claims/attack-planning.yaml", "FC203")
    ]
    if blocker == "file":
        assert target.read_text(encoding="utf-8") == "in the way\n"
    else:
        assert list(elsewhere.iterdir()) == []


def test_cached_run_still_shows_every_dispute(desk: Desk) -> None:
    """Commands that show disputes get them from the file when the findings were cached."""
    workspace = open_workspace(desk.root)
    fresh = validate(workspace).archive.disputes
    validate(workspace, cache=True)
    cached = validate(workspace, cache=True).archive
    assert [dispute.id for dispute in cached.disputes] == ["attack-planning"]
    assert cached.disputes == fresh
    assert cached.disputes[0].claim.locate("party") == fresh[0].claim.locate("party")


@pytest.mark.parametrize(
    "command",
    [
        ("report",),
        ("report", "--format", "json"),
        ("report", "--format", "markdown"),
        ("show", "attack-planning"),
    ],
)
def test_report_and_show_print_the_same_from_a_warm_cache(desk: Desk, command) -> None:  # type: ignore[no-untyped-def]
    """report and show use the cache as validate does, and print exactly what a cold run does."""
    desk.claim("misquote", MISQUOTED)
    cold = desk.run(*command, "--no-cache")
    assert not (desk.root / cache.CACHE_DIR).exists()
    first = desk.run(*command)
    assert (desk.root / PACK).is_file()
    warm = desk.run(*command)
    for result in (first, warm):
        assert (result.exit_code, result.stdout, result.stderr) == (
            cold.exit_code,
            cold.stdout,
            cold.stderr,
        )
    assert cold.exit_code == (1 if command[0] == "report" else 0)


def test_concurrent_runs_leave_a_valid_cache(desk: Desk) -> None:
    broken_desk(desk)
    for index in range(30):
        desk.claim(f"copy-{index}", VALID_CLAIM)
    expected = findings(desk, "--no-cache")
    command = [sys.executable, "-m", "factcheck", "--root", str(desk.root), "validate"]
    command += ["--format", "json"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE) for _ in range(4)]
    outputs = [run.communicate()[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 1
        payload = json.loads(output)
        assert [
            (item["path"], item["code"], item["line"], item["column"], item["message"])
            for item in payload["findings"]
        ] == expected[1]
    assert findings(desk) == expected
    assert cache.ClaimCache.open(desk.root).entries


def test_cache_key_is_private_to_the_user(desk: Desk) -> None:
    findings(desk)
    key = cache.key_directory() / cache.KEY_FILE
    assert key.stat().st_mode & 0o777 == 0o600
    assert not (desk.root / cache.CACHE_DIR / cache.KEY_FILE).exists()


def test_a_readable_key_is_refused(desk: Desk) -> None:
    """A key others can read cannot authenticate anything: no cache rather than a weak one."""
    findings(desk)
    key = cache.key_directory() / cache.KEY_FILE
    key.chmod(0o644)
    assert cache.ClaimCache.open(desk.root).entries == {}
    assert not cache.ClaimCache.open(desk.root).enabled


def test_results_of_another_version_of_the_code_are_discarded(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken_desk(desk)
    cold = findings(desk)
    written = (desk.root / PACK).read_bytes()
    monkeypatch.setattr(cache, "_FINGERPRINT", "another version of the tool")
    assert findings(desk) == cold
    assert (desk.root / PACK).read_bytes() != written  # rebuilt, not reused


def test_the_code_digest_covers_every_module_that_makes_findings(tmp_path: Path) -> None:
    import shutil

    package = tmp_path / "factcheck"
    shutil.copytree(Path(cache.__file__).resolve().parents[1], package)
    before = cache.code_digest(package)
    rules = package / "rules" / "independence.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cache.code_digest(package) != before
    changed = cache.code_digest(package)
    reporter = package / "reporters" / "__init__.py"
    reporter.write_text(reporter.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert cache.code_digest(package) == changed  # printing never changes a finding


def test_the_cache_is_not_untracked_in_the_desks_repository(desk: Desk) -> None:
    git = ["git", "-C", str(desk.root)]
    subprocess.run([*git, "init", "-q"], check=True)
    assert desk.run("validate").exit_code == 0
    assert (desk.root / PACK).is_file()
    status = subprocess.run(
        [*git, "status", "--porcelain", "--untracked-files=all"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "claims/attack-planning.yaml" in status
    assert cache.CACHE_DIR not in status
