"""Bounded work: a small pull request must not cost a CI runner minutes or gigabytes.

Each test builds the input that used to make a command quadratic (or read far more than
the workspace holds) at a size that still shows the growth, and asserts a bound on the
work done: votes cast, bytes read, comparisons made, memory allocated, or the size of
the output. None of them times a run.
"""

from __future__ import annotations

import json
import os
import time
import tracemalloc
from pathlib import Path

import pytest

from factcheck import open_workspace
from factcheck.engine import cache
from factcheck.files import yamlnodes
from factcheck.files.yamlnodes import Location
from factcheck.model import Catalogue, Dispute, Position, Ref, Source
from factcheck.rules import independence
from factcheck.rules.quotes import VOTES_PER_WORD, SourceText
from factcheck.views import diff
from factcheck.workspace import loader
from factcheck.workspace.loader import MAX_POSITIONS
from tests.conftest import VALID_CLAIM, Desk

HERE = Location(1, 1)


def test_closest_passage_search_is_bounded_by_the_fragment_not_the_square():
    # 80 KB of a few repeated words, and a 41 KB quote of the same words that is not in it:
    # every word of the quote occurs thousands of times in the document.
    document = SourceText("the attack was planned " * 3500)
    quote = "planned the attack was " * 1800 + "elsewhere"
    match = document.find(quote)
    assert not match.found
    words = len(quote.split())
    assert document.votes <= VOTES_PER_WORD * words
    # the weaker hint still points into the document
    assert match.closest is not None and match.closest.at.line == 1


def test_closest_passage_search_still_finds_a_distinctive_near_miss():
    text = "filler words here " * 2000 + "the envoy wrote that the planning was done abroad\n"
    match = SourceText(text).find("the envoy wrote that the planning was done at home")
    assert match.closest is not None
    assert match.closest.passage.startswith("the envoy wrote that the planning")


@pytest.mark.slow
def test_every_quote_in_a_huge_single_word_is_located_without_walking_it():
    # One 4 MiB "word" widened by ellipses, and fifty quotes near its end. Walking the word
    # character by character per quote took about a second per quote; bisecting it takes
    # microseconds. The bound is a generous guard, not a speed claim.
    word = "…".join(["x" * 4000] * 1000) + "end"
    document = SourceText("start " + word)
    started = time.perf_counter()
    for tail in range(50):
        match = document.find("x" * (3000 + tail) + "...xxxend")
        at = match.at
        assert at is not None and at.line == 1
        assert document.text[document.offset(at) : document.offset(at) + 10] == "x" * 10
    assert time.perf_counter() - started < 15


def test_a_widened_word_maps_back_exactly():
    text = "a… b…c…d ‘e’… f"
    document = SourceText(text)
    for index, char in enumerate(document.normal):
        if char == " ":
            continue
        original = document.text[document.offset(document.location(index))]
        assert original == char or original in "…‘’"


def test_a_document_named_by_many_entries_is_read_once(desk: Desk, monkeypatch):
    lines = ["sources:"]
    for number in range(200):
        lines += [
            f"  copy-{number}:",
            "    file: report.txt",
            f"    sha256: {'0' * 64}",
            "    title: The same document again",
            "    party: null",
        ]
    desk.write("seeds/sources.yaml", "\n".join(lines) + "\n")
    read: list[str] = []
    real = loader.read_bytes

    def counting(path, display, limit=yamlnodes.MAX_FILE_BYTES):  # type: ignore[no-untyped-def]
        read.append(display)
        return real(path, display, limit)

    monkeypatch.setattr(loader, "read_bytes", counting)
    archive = loader.load_locker(open_workspace(desk.root))
    assert read.count("seeds/report.txt") == 1
    assert len({id(archive.documents[f"copy-{n}"]) for n in range(200)}) == 1
    assert sum(item.code == "FC205" for item in archive.findings) == 200


def test_a_dispute_keeps_at_most_the_documented_number_of_positions(desk: Desk):
    head, counter = VALID_CLAIM.split("counter_claims:\n")
    desk.claim("attack-planning", head + "counter_claims:\n" + counter * 400)
    result = desk.run("validate", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    refused = [item for item in findings if item["code"] == "FC004"]
    assert len(refused) == 1
    assert refused[0]["line"] == len(head.splitlines()) + 2 + 13 * (MAX_POSITIONS - 1)
    report = desk.run("report", "--format", "json")
    shown = desk.run("show", "attack-planning")
    claim_bytes = (desk.root / "claims" / "attack-planning.yaml").stat().st_size
    # each output is proportional to the file, not to its square
    assert len(report.stdout) < 20 * claim_bytes
    assert len(shown.stdout) < 20 * claim_bytes
    disputes = json.loads(report.stdout)
    assert "disputes" in json.dumps(disputes)


def _dispute(number: int, statement: str) -> Dispute:
    claim = Position(HERE, party="press-office", statement=statement)
    return Dispute(HERE, id=f"d{number}", title=f"Question {number}", claim=claim)


def test_rename_detection_makes_a_look_up_per_file_not_a_comparison_per_pair(monkeypatch):
    count = 600
    old = {f"claims/old-{n}.yaml": _dispute(n, f"Statement number {n}.") for n in range(count)}
    new = {f"claims/new-{n}.yaml": _dispute(n, f"Statement  number {n}.") for n in range(count)}
    calls = 0
    real = diff.normalise

    def counting(text: str) -> str:
        nonlocal calls
        calls += 1
        return real(text)

    monkeypatch.setattr(diff, "normalise", counting)
    pairs = diff._renames(sorted(old), sorted(new), old, new)
    assert len(pairs) == count
    assert all(before.split("-")[1] == after.split("-")[1] for before, after in pairs)
    assert calls <= 4 * 2 * count


class _CountingSources(dict):
    """A sources table that counts look-ups by id: the work of following ``based_on``."""

    lookups = 0

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        type(self).lookups += 1
        return super().__getitem__(key)

    def __contains__(self, key):  # type: ignore[no-untyped-def]
        type(self).lookups += 1
        return super().__contains__(key)


def test_based_on_chains_are_followed_once_per_catalogue():
    length = 2000
    sources = _CountingSources()
    for number in range(length):
        based_on = (Ref(f"s{number + 1}", HERE),) if number + 1 < length else ()
        party = "envoy" if number + 1 == length else None
        sources[f"s{number}"] = Source(HERE, id=f"s{number}", party=party, based_on=based_on)
    catalogue = Catalogue(sources=sources)
    origins = [independence.source_origin(f"s{number}", catalogue) for number in range(length)]
    assert origins == ["envoy"] * length
    assert _CountingSources.lookups <= 4 * length


def test_a_forged_cache_pack_is_rejected_without_reading_it_into_memory(
    desk: Desk, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    directory = desk.root / cache.CACHE_DIR
    directory.mkdir()
    with (directory / cache.PACK_FILE).open("wb") as stream:
        stream.write(cache.MAGIC + bytes(32))
        stream.write(os.urandom(1 << 20) * 64)  # 64 MiB that no key signed
    tracemalloc.start()
    try:
        opened = cache.ClaimCache.open(desk.root)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert opened.entries == {}
    assert peak < 8 << 20


def test_catalogue_links_to_a_device_or_a_fifo_are_not_read(desk: Desk, monkeypatch):
    (desk.root / "seeds" / "sources.yaml").unlink()
    (desk.root / "seeds" / "sources.yaml").symlink_to("/dev/zero")
    (desk.root / "seeds" / "parties.yaml").unlink()
    os.mkfifo(desk.root / "seeds" / "parties.yaml")
    read: list[Path] = []
    real = Path.read_bytes

    def recording(self: Path) -> bytes:
        read.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", recording)
    result = desk.run("validate", "--format", "json")
    assert result.exit_code == 1, result.output
    codes = {(item["path"], item["code"]) for item in json.loads(result.stdout)["findings"]}
    assert ("seeds/sources.yaml", "FC204") in codes
    assert ("seeds/parties.yaml", "FC204") in codes
    assert not [path for path in read if path.name in ("sources.yaml", "parties.yaml")]
