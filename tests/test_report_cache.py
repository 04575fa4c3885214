"""What the report keeps between runs, its progress bar, and ``show`` in every format.

A warm ``report`` reads each dispute's row and JSON record from ``.factcheck-cache/``
instead of the claim files: its output must be the output of a run without the cache,
before and after a claim, a catalogue or a document changes.
"""

from __future__ import annotations

import io
import json

import pytest

from factcheck import open_workspace, validate
from factcheck.engine import incremental
from factcheck.reporters.progress import progress_bar
from factcheck.views.report import REPORT_EXTRA, ROWS_EXTRA
from tests.conftest import VALID_CLAIM, Desk
from tests.test_diff import edit

FORMATS = ("table", "markdown", "json")


def outputs(desk: Desk, *args: str) -> dict[str, str]:
    return {
        output_format: desk.run("report", "--format", output_format, *args).stdout
        for output_format in FORMATS
    }


@pytest.fixture
def cached(desk: Desk) -> Desk:
    desk.claim("second", VALID_CLAIM.replace("tags: [attack]", "tags: [attack, second]"))
    outputs(desk)  # fills the cache
    assert (desk.root / ".factcheck-cache" / "report.pack").is_file()
    return desk


def test_a_warm_report_is_the_report_without_the_cache(cached):
    assert outputs(cached) == outputs(cached, "--no-cache")


def test_a_changed_claim_file_is_reported_as_it_is_now(cached):
    edit(cached.root / "claims/second.yaml", "tags: [attack, second]", "tags: [attack, third]")
    warm = outputs(cached)
    assert warm == outputs(cached, "--no-cache")
    assert '"third"' in warm["json"]


def test_a_changed_party_name_is_reported_as_it_is_now(cached):
    edit(cached.root / "seeds/parties.yaml", "name: A former envoy", "name: A retired envoy")
    warm = outputs(cached)
    assert warm == outputs(cached, "--no-cache")
    assert "A retired envoy" in warm["json"] and "A former envoy" not in warm["json"]


def test_a_report_pack_in_place_of_the_claims_pack_is_refused(cached):
    cache = cached.root / ".factcheck-cache"
    (cache / "claims.pack").write_bytes((cache / "report.pack").read_bytes())
    assert cached.run("validate").exit_code == 0
    assert outputs(cached) == outputs(cached, "--no-cache")


# the JSON records, kept in a record file --------------------------------------------


def record_files(desk: Desk) -> list[str]:
    return sorted(path.name for path in (desk.root / ".factcheck-cache").glob("*.records"))


def test_the_json_records_are_kept_in_one_record_file(cached):
    [name] = record_files(cached)
    records = (cached.root / ".factcheck-cache" / name).read_bytes()
    assert b'"id":"attack-planning"' in records and b'"id":"second"' in records
    assert (
        b'"id":"attack-planning"' not in (cached.root / ".factcheck-cache/report.pack").read_bytes()
    )


def test_a_run_that_adds_records_leaves_one_record_file(cached):
    [before] = record_files(cached)
    edit(cached.root / "claims/second.yaml", "tags: [attack, second]", "tags: [attack, third]")
    assert '"third"' in cached.run("report", "--format", "json").stdout
    [after] = record_files(cached)
    assert after != before  # the unchanged dispute's record was copied into the new file
    assert outputs(cached) == outputs(cached, "--no-cache")


@pytest.mark.parametrize(
    "damage",
    [
        lambda path: path.write_bytes(path.read_bytes().replace(b"attack", b"attach")),
        lambda path: path.write_bytes(path.read_bytes()[:100]),
        lambda path: path.unlink(),
        lambda path: (path.unlink(), path.symlink_to("/dev/zero")),
    ],
    ids=["edited", "truncated", "removed", "a link"],
)
def test_a_damaged_record_file_is_never_reported_from(cached, damage):
    [name] = record_files(cached)
    damage(cached.root / ".factcheck-cache" / name)
    result = cached.run("report", "--format", "json")
    assert result.exit_code == 0 and "attach" not in result.stdout
    assert result.stdout == cached.run("report", "--format", "json", "--no-cache").stdout


def test_a_missing_record_file_costs_the_table_nothing(cached, monkeypatch):
    [name] = record_files(cached)
    (cached.root / ".factcheck-cache" / name).unlink()

    def parse_claim(*args: object) -> None:
        raise AssertionError("a warm table run parsed a claim file")

    monkeypatch.setattr(incremental, "parse_claim", parse_claim)
    validation = validate(open_workspace(cached.root), cache=True, extra=ROWS_EXTRA, workers=1)
    assert len(validation.archive.derived) == 2


def test_without_the_cache_no_record_file_is_left(desk):
    assert desk.run("report", "--format", "json", "--no-cache").exit_code == 0
    assert not (desk.root / ".factcheck-cache").exists()


class Recorder:
    """A ``Progress`` that remembers what it was told."""

    def __init__(self) -> None:
        self.total = 0
        self.done = 0

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, count: int) -> None:
        self.done += count


def test_progress_is_told_of_long_parsing_only(cached, monkeypatch):
    recorder = Recorder()
    validate(open_workspace(cached.root), extra=REPORT_EXTRA, progress=recorder, workers=1)
    assert (recorder.total, recorder.done) == (0, 0)  # two files: well under a second
    monkeypatch.setattr(incremental, "FILES_PER_SECOND", 1)
    validate(open_workspace(cached.root), extra=REPORT_EXTRA, progress=recorder, workers=1)
    assert (recorder.total, recorder.done) == (2, 2)


def test_no_progress_bar_unless_stderr_is_a_terminal(cached):
    with progress_bar(io.StringIO()) as bar:
        assert bar is None
    result = cached.run("report", "--no-cache")
    assert "parsing claim files" not in result.stderr


def test_the_progress_bar_draws_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    with progress_bar(stream, "never") as bar:
        assert bar is not None
        bar.start(4)
        bar.advance(4)
    assert "parsing claim files" in stream.getvalue()


# show in every format ------------------------------------------------------------------


def test_show_json_gives_the_reports_record_of_the_dispute(desk):
    shown = json.loads(desk.run("show", "attack-planning", "--format", "json").stdout)
    report = json.loads(desk.run("report", "--format", "json").stdout)
    [dispute] = shown["disputes"]
    assert dispute["errors"] == 0
    assert {key: value for key, value in dispute.items() if key != "errors"} == report["disputes"][
        0
    ]


def test_show_markdown_has_the_card_every_passage_and_the_matrix(desk):
    output = desk.run("show", "attack-planning", "--format", "markdown").stdout
    assert output.startswith("## attack-planning: Was the attack planned across the border?")
    assert "| **Verdict** | 🟡 **unproven** |" in output
    assert "### Claim: press-office" in output
    assert "the planning for the attack was done across the border" in output
    assert "origin A former envoy (envoy, no side): counts" in output
    assert "### Evidence by position" in output
