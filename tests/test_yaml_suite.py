"""The official YAML test suite through the reader: no crash, no hang, and known gaps pinned.

Each of the suite's 402 cases is read by both parser paths (libyaml with the pure-Python
confirmation of its syntax errors, and the pure-Python parser alone, used where libyaml
is missing). No case may raise. A valid case that still gets FC001, an invalid one read
without any finding, and a case the two paths read differently are each a known gap of
the parsers, listed here and in the README's security section: the lists are exact, so a
parser upgrade that closes a gap (or opens one) fails a test until the list is updated.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from factcheck.files.yamlnodes import (
    C_PARSER_AVAILABLE,
    Document,
    Mapping,
    Node,
    Sequence,
    load_bytes,
)

CASES: dict[str, dict] = json.loads(
    (Path(__file__).parent / "yaml_suite" / "cases.json").read_text(encoding="utf-8")
)

# Valid YAML that neither parser can read (FC001): libyaml and ruamel.yaml both refuse it.
UNREAD = {
    "4MUZ/00", "4MUZ/01", "4MUZ/02", "5MUD", "6BCT", "6CA3", "9SA2", "A2M4", "BEC7",
    "CFD4", "DK95/00", "DK95/03", "DK95/04", "HWV9", "K3WX", "NJ66", "Q5MG", "QT73",
    "R4YG", "UT92", "VJP3/01", "WZ62", "Y79Y/010",
}  # fmt: skip
# Valid YAML the pure-Python parser alone cannot read (it is confirmed only after libyaml).
UNREAD_BY_PURE_ONLY = {
    "4QFQ", "9MMW", "DC7X", "DK95/05", "DK95/07", "DWX9", "HS5T", "J3BT", "K54U",
    "MUS6/03", "NB6Z", "T26H", "UV7Q",
}  # fmt: skip
# Invalid YAML both paths read without any finding: wrongly indented flow or quoted text
# (9C9N, QB6E), a tab as indentation (DK95/01). (A comment glued to what precedes it, as
# in SU5Z and X4QW, is refused by the reader itself.)
ACCEPTED = {"9C9N", "DK95/01", "QB6E"}
# Invalid YAML that libyaml reads and the pure parser refuses: a block scalar indented
# less than its first line (S98Z).
ACCEPTED_BY_LIBYAML_ONLY = {"S98Z"}
# Where the two paths read a case differently (the sets above, and MUS6/00: a '%YAML 1.1#'
# directive with a comment glued to it, which libyaml reads and the pure parser refuses).
DIFFERENT = UNREAD_BY_PURE_ONLY | ACCEPTED_BY_LIBYAML_ONLY | {"MUS6/00"}

CASE_SECONDS = 5  # a generous guard per case; the whole suite reads in about a second


def read(name: str, pure: bool) -> Document:
    started = time.perf_counter()
    document = load_bytes(CASES[name]["yaml"].encode("utf-8"), f"{name}.yaml", pure=pure)
    assert time.perf_counter() - started < CASE_SECONDS, name
    return document


def plain(node: Node | None) -> object:
    if isinstance(node, Mapping):
        return {key: plain(value) for key, (_, value) in node.entries.items()}
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    return None if node is None else (node.text, node.plain)


def reading(document: Document) -> tuple[object, list[str]]:
    return plain(document.root), sorted({item.code for item in document.findings})


PATHS = [pytest.param(True, id="pure")]
if C_PARSER_AVAILABLE:
    PATHS.insert(0, pytest.param(False, id="libyaml"))


@pytest.mark.parametrize("pure", PATHS)
def test_every_case_is_read_without_a_crash_and_the_gaps_are_the_known_ones(pure: bool):
    unread, accepted = set(), set()
    for name, case in CASES.items():
        _, codes = reading(read(name, pure))
        if not case["error"] and "FC001" in codes:
            unread.add(name)
        if case["error"] and not codes:
            accepted.add(name)
    assert unread == UNREAD | (UNREAD_BY_PURE_ONLY if pure or not C_PARSER_AVAILABLE else set())
    assert accepted == ACCEPTED | (ACCEPTED_BY_LIBYAML_ONLY if not pure else set())


@pytest.mark.skipif(not C_PARSER_AVAILABLE, reason="libyaml is not installed")
def test_both_paths_read_every_other_case_alike():
    different = {name for name in CASES if reading(read(name, False)) != reading(read(name, True))}
    assert different == DIFFERENT


def test_the_corpus_is_the_whole_suite():
    assert len(CASES) == 402
    assert sum(case["error"] for case in CASES.values()) == 94
