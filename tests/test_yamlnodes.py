"""FC001–FC005: the safe, positioned reader, stated as inline YAML with expected positions."""

from __future__ import annotations

import pytest

from factcheck.files.yamlnodes import (
    MAX_FILE_BYTES,
    Mapping,
    Scalar,
    Sequence,
    load_bytes,
    load_text,
    read_bytes,
)

PARSERS = [pytest.param(False, id="c-parser"), pytest.param(True, id="pure-python")]


def problems(data: bytes, pure: bool) -> list[tuple[str, int, int]]:
    return [(f.code, f.line, f.column) for f in load_bytes(data, "x.yaml", pure=pure).findings]


@pytest.mark.parametrize("pure", PARSERS)
@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"a: [1, 2\nb: c\n", "FC001"),
        (b"a:\n\tb: 1\n", "FC001"),
        (b'a: "unclosed\n', "FC001"),
        (b"", "FC002"),
        (b"# only a comment\n", "FC002"),
        (b"- a list\n", "FC002"),
        (b"just text\n", "FC002"),
        (b"a: 1\n---\nb: 2\n", "FC002"),
        (b"a: 1\nb: 2\na: 3\n", "FC003"),
        (b"a: &x 1\n", "FC004"),
        (b"a: *x\n", "FC004"),
        (b"a: !!python/object/apply:os.system ['echo hi']\n", "FC004"),
        (b"a: !!python/name:os.system\n", "FC004"),
        (b"a: !!binary aGk=\n", "FC004"),
        (b"a: !custom x\n", "FC004"),
        (b"a: !!str x\n", "FC004"),
        (b"<<: {a: 1}\n", "FC004"),
        (b"a: " + b"[" * 40 + b"]" * 40 + b"\n", "FC004"),
        (b"\xff\xfea\x00:\x00", "FC005"),
        (b"a: caf\xe9\n", "FC005"),
        (b"a: \xed\xa0\x80\n", "FC005"),
        (b"a: b\x00c\n", "FC005"),
    ],
)
def test_each_unsafe_or_broken_input_gets_its_code(data: bytes, expected: str, pure: bool):
    codes = [code for code, _, _ in problems(data, pure)]
    assert expected in codes
    assert load_bytes(data, "x.yaml", pure=pure).root is None or expected == "FC003"


@pytest.mark.parametrize("pure", PARSERS)
def test_positions_are_one_based_line_and_column(pure: bool):
    document = load_bytes(b"title: x\nclaim:\n  party: ispr\n  list:\n    - one\n", "x", pure=pure)
    root = document.root
    assert isinstance(root, Mapping)
    claim = root.get("claim")
    assert isinstance(claim, Mapping)
    assert claim.key_at("party").line == 3 and claim.key_at("party").column == 3
    party = claim.get("party")
    assert isinstance(party, Scalar) and (party.at.line, party.at.column) == (3, 10)
    items = claim.get("list")
    assert isinstance(items, Sequence)
    assert (items.items[0].at.line, items.items[0].at.column) == (5, 7)


@pytest.mark.parametrize("pure", PARSERS)
def test_duplicate_key_points_at_second_occurrence(pure: bool):
    assert problems(b"a: 1\nb:\n  c: 1\n  c: 2\n", pure) == [("FC003", 4, 3)]


@pytest.mark.parametrize("pure", PARSERS)
def test_anchor_and_alias_are_reported_where_they_stand(pure: bool):
    assert problems(b"a: &x 1\nb: *x\n", pure) == [("FC004", 1, 4), ("FC004", 2, 4)]


@pytest.mark.parametrize("pure", PARSERS)
def test_second_document_is_reported_at_its_start(pure: bool):
    assert problems(b"a: 1\n---\nb: 2\n", pure) == [("FC002", 2, 1)]


def test_bad_utf8_byte_is_located():
    assert problems(b"a: ok\nb: caf\xe9\n", False) == [("FC005", 2, 7)]


@pytest.mark.parametrize("pure", PARSERS)
def test_bom_and_crlf_are_fine(pure: bool):
    document = load_bytes(b"\xef\xbb\xbfa: 1\r\nb: two\r\n", "x", pure=pure)
    assert document.findings == []
    assert isinstance(document.root, Mapping)
    value = document.root.get("b")
    assert isinstance(value, Scalar) and value.text == "two" and value.at.line == 2


@pytest.mark.parametrize("pure", PARSERS)
def test_yaml_1_1_booleans_stay_text(pure: bool):
    document = load_bytes(b"a: no\nb: yes\nc: on\nd: 2024-03-26\n", "x", pure=pure)
    root = document.root
    assert isinstance(root, Mapping)
    assert [root.get(key).text for key in "abcd"] == ["no", "yes", "on", "2024-03-26"]
    assert root.get("a").kind() == "text"


def test_oversized_input_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    data, problem = read_bytes(big, "big.yaml")
    assert data is None and problem is not None and problem.code == "FC004"
    assert [f.code for f in load_bytes(b"a: " + b"x" * MAX_FILE_BYTES, "x").findings] == ["FC004"]


def test_a_fifo_is_refused_without_hanging(tmp_path):
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    data, problem = read_bytes(fifo, "pipe.yaml")
    assert data is None and problem is not None and problem.code == "FC204"


def test_alias_bomb_is_refused_quickly():
    lines = [b"a: &a [x, x, x, x, x, x, x, x, x]"]
    for index in range(1, 10):
        prev, name = chr(ord("a") + index - 1), chr(ord("a") + index)
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]".encode())
    document = load_bytes(b"\n".join(lines) + b"\n", "bomb.yaml")
    assert document.root is None
    assert {f.code for f in document.findings} == {"FC004"}


def test_c_and_pure_parsers_build_the_same_nodes():
    data = b"title: x\nclaim:\n  party: ispr\n  tags: [a, b]\n  quote: >-\n    folded\n    text\n"
    assert load_bytes(data, "x", pure=False) == load_bytes(data, "x", pure=True)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ('key: "value"# glued\n', 13),
        ("key: 'value'# glued\n", 13),
        ("key: >-#glued\n  text\n", 8),
        ("key: |# glued\n  text\n", 7),
        ("key: [a, b]# glued\n", 12),
        ("key: {a: b}# glued\n", 12),
    ],
)
@pytest.mark.parametrize("pure", [False, True], ids=["libyaml", "pure"])
def test_a_comment_glued_to_what_precedes_it_is_a_syntax_error(text, column, pure):
    document = load_text(text, "x.yaml", pure=pure)
    assert [(item.code, item.line, item.column) for item in document.findings] == [
        ("FC001", 1, column)
    ]


@pytest.mark.parametrize(
    "text", ['key: "value" # c\n', "key: >- # c\n  a#b\n", "key: [a, b] # c\n", "key: a#b\n"]
)
def test_a_comment_after_a_space_and_a_hash_inside_text_are_fine(text):
    assert load_text(text, "x.yaml").findings == []
