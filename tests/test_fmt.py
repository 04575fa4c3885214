"""factcheck fmt: the canonical layout, comments kept, values kept, atomic writes."""

from __future__ import annotations

import errno
import os
import stat
import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factcheck.authoring import fmt
from factcheck.authoring.roundtrip import (
    comments,
    fold_positions,
    foldable,
    format_text,
    plain_data,
)
from factcheck.files.yamlnodes import load_text
from factcheck.workspace import schema

MESSY = """\
# Bisham: who planned it?

# the claim comes first in this file
claim:   # ISPR's position
  # what they say
  statement: The attack was planned in Afghanistan and the suicide bomber was an Afghan national, ISPR said.
  party: press-office   # the army's media wing
  asserted_in:
  - quote: "said that the planning for the attack was done in the neighbouring country"  # verbatim
    source: security-report
  # a second passage would go here
  corroboration: uncorroborated
# the question
title: Was the attack planned across the border?   # neutral wording
tags: [attack]
"""

CANONICAL = """\
# Bisham: who planned it?

# the question
title: Was the attack planned across the border?   # neutral wording
tags: [attack]
# the claim comes first in this file
claim:   # ISPR's position
  party: press-office   # the army's media wing
  # what they say
  statement: >-
    The attack was planned in Afghanistan and the suicide bomber was an Afghan national,
    ISPR said.
  asserted_in:
    - source: security-report
      quote: >-  # verbatim
        said that the planning for the attack was done in the neighbouring country
  # a second passage would go here
  corroboration: uncorroborated
"""


def test_messy_file_gets_the_canonical_layout_with_every_comment():
    assert format_text(MESSY, schema.DISPUTE) == CANONICAL
    assert comments(CANONICAL) == comments(MESSY)
    assert plain_data(CANONICAL) == plain_data(MESSY)


def test_canonical_file_is_left_alone():
    assert format_text(CANONICAL, schema.DISPUTE) == CANONICAL


def test_the_fixture_claim_and_catalogues_are_already_canonical(desk):
    result = desk.run("fmt", "--check")
    assert result.exit_code == 0, result.output
    assert "3 files already formatted" in result.output


def test_unknown_keys_keep_their_place_after_the_known_ones():
    text = "zeta: 1\ntitle: T\nalpha: 2\nclaim:\n  mood: calm\n  party: p\n"
    assert format_text(text, schema.DISPUTE) == (
        "title: T\nclaim:\n  party: p\n  mood: calm\nzeta: 1\nalpha: 2\n"
    )


def test_values_are_never_reinterpreted():
    text = (
        "title: 'yes'\ndate: 2024-02-30\nnotes: null\nclaim:\n  party: 0012\n"
        "  statement: ~\n  corroboration:\n  verdict: no\n"
    )
    assert format_text(text, schema.DISPUTE) == text


def test_list_items_are_indented_under_their_key_and_comments_follow_them():
    text = textwrap.dedent(
        """\
        tags:
        - one   # first
        # before two
        - two
        title: T
        """
    )
    assert format_text(text, schema.DISPUTE) == textwrap.dedent(
        """\
        title: T
        tags:
          - one # first
          # before two
          - two
        """
    )


def test_a_comment_inside_a_flow_list_survives_by_writing_the_list_in_block_style():
    text = "title: T\ntags: [\n  one,  # why\n  two\n]\n"
    formatted = format_text(text, schema.DISPUTE)
    assert comments(formatted) == comments(text)
    assert plain_data(formatted) == plain_data(text)
    assert "  - one\n" in formatted


def test_long_quoted_text_becomes_a_folded_block_that_reads_back_the_same():
    quote = "a 'quoted' text with a # hash, a colon: and   several  spaces " * 2
    quote = quote.strip()
    text = f'title: T\nnotes: "{quote}"\n'
    formatted = format_text(text, schema.DISPUTE)
    assert "notes: >-\n" in formatted
    assert plain_data(formatted)["notes"] == quote
    assert all(len(line) <= 88 for line in formatted.splitlines())


@pytest.mark.parametrize(
    "value",
    [
        "trailing space " * 8,
        " leading space" * 8,
        "tab\tinside " * 10,
        "line\\nbreak " * 10,
        "bell\\a char " * 10,
    ],
)
def test_text_that_a_folded_block_would_change_keeps_its_style(value):
    text = f'title: T\nnotes: "{value}"\n'
    formatted = format_text(text, schema.DISPUTE)
    assert "notes: >-" not in formatted
    assert plain_data(formatted) == plain_data(text)


def test_existing_block_scalars_keep_their_line_breaks():
    text = "title: T\nnotes: >-\n  short\n  lines\n  kept\nclaim:\n  statement: |\n    a\n      b\n"
    assert format_text(text, schema.DISPUTE) == text


def test_a_comment_after_a_block_scalar_is_not_swallowed_by_it():
    text = "title: T\nnotes: >-\n  text\n    # deep comment\nclaim: {}\n"
    # the '# deep comment' line is text of the block (it is indented as deep), and stays so
    assert plain_data(format_text(text, schema.DISPUTE)) == plain_data(text)
    text = "notes: >-\n  text\n# shallow comment\ntitle: T\n"
    formatted = format_text(text, schema.DISPUTE)
    assert comments(formatted) == comments(text)
    assert plain_data(formatted)["notes"] == "text"


def test_catalogues_are_ordered_by_their_own_declarations():
    parties = "parties:\n  x:\n    kind: person\n    name: X   # full name\nsides: {}\n"
    assert format_text(parties, schema.PARTIES_FILE) == (
        "sides: {}\nparties:\n  x:\n    name: X   # full name\n    kind: person\n"
    )
    sources = "sources:\n  a:\n    title: A\n    sha256: " + "0" * 64 + "\n    file: a.txt\n"
    assert format_text(sources, schema.SOURCES_FILE).splitlines()[2:] == [
        "    file: a.txt",
        "    sha256: " + "0" * 64,
        "    title: A",
    ]


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("aaa bbb ccc", 7, [7]),
        ("aaa bbb ccc", 6, [3, 7]),
        ("aaa  bbb ccc", 4, [8]),  # never at a double space
        ("averyverylongword next", 4, [17]),
    ],
)
def test_fold_positions_break_only_at_single_spaces(text, width, expected):
    assert fold_positions(text, width) == expected


def test_foldable_refuses_what_a_folded_block_cannot_hold():
    assert foldable("plain words")
    assert not foldable(" leading")
    assert not foldable("trailing ")
    assert not foldable("two\nlines")
    assert not foldable("")


# --- hypothesis: idempotence and preservation on generated claim files -----------------------

_WORDS = st.text(
    alphabet=st.sampled_from("abcdefghij’“”—:#'\"-, ."), min_size=1, max_size=12
).filter(lambda word: word.strip() == word and word)
_TEXT = st.lists(_WORDS, min_size=1, max_size=30).map(" ".join)
_IDS = st.from_regex(r"[a-z]{1,8}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
_COMMENT = st.one_of(st.none(), st.text(alphabet="abc XYZ#:-'", max_size=20))


def _scalar(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@st.composite
def claim_files(draw) -> str:
    """A claim file with random text, key order, indentation styles and comments."""

    def comment() -> str:
        value = draw(_COMMENT)
        return f"   # {value}" if value is not None else ""

    def above(indent: str) -> list[str]:
        value = draw(_COMMENT)
        return [f"{indent}# {value}"] if value is not None else []

    sequence_indent = draw(st.sampled_from(["", "  "]))
    passages = []
    for _ in range(draw(st.integers(1, 3))):
        fields = [
            f"source: {draw(_IDS)}{comment()}",
            f"quote: {_scalar(draw(_TEXT))}{comment()}",
        ]
        if draw(st.booleans()):
            fields.reverse()
        prefix = f"  {sequence_indent}"
        passages += above(prefix)
        passages.append(f"{prefix}- {fields[0]}")
        passages.append(f"{prefix}  {fields[1]}")
    position = [
        f"  party: {draw(_IDS)}{comment()}",
        f"  statement: {_scalar(draw(_TEXT))}{comment()}",
        "  corroboration: uncorroborated",
        f"  rationale: {_scalar(draw(_TEXT))}",
    ]
    position = draw(st.permutations(position))
    claim = ["claim:" + comment(), *above("  "), *position, "  asserted_in:", *passages]
    top = [
        [f"title: {_scalar(draw(_TEXT))}{comment()}"],
        [f"tags: [{draw(_IDS)}]"],
        claim,
    ]
    blocks = draw(st.permutations(top))
    lines = above("")
    for block in blocks:
        lines += above("") + block
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claim_files())
def test_fmt_is_idempotent_and_keeps_values_and_comments(text):
    formatted = format_text(text, schema.DISPUTE)
    assert plain_data(formatted) == plain_data(text)
    assert comments(formatted) == comments(text)
    assert format_text(formatted, schema.DISPUTE) == formatted


# --- the command ------------------------------------------------------------------------------


def test_fmt_rewrites_and_then_has_nothing_left_to_do(desk):
    path = desk.claim("messy", MESSY)
    result = desk.run("fmt", str(path))
    assert result.exit_code == 0, result.output
    assert "reformatted claims/messy.yaml" in result.output
    assert path.read_text(encoding="utf-8") == CANONICAL
    again = desk.run("fmt", str(path))
    assert again.exit_code == 0
    assert "1 file already formatted" in again.output


def test_fmt_check_changes_nothing_lists_the_file_and_exits_1(desk):
    path = desk.claim("messy", MESSY)
    result = desk.run("fmt", "--check")
    assert result.exit_code == 1
    assert "would reformat claims/messy.yaml" in result.output
    assert "1 file would be reformatted, 3 files already formatted" in result.output
    assert path.read_text(encoding="utf-8") == MESSY


def test_fmt_diff_shows_a_unified_diff_and_writes_nothing(desk):
    path = desk.claim("messy", MESSY)
    result = desk.run("fmt", "--diff", str(path))
    assert result.exit_code == 0
    assert "--- claims/messy.yaml" in result.output
    assert "-  - quote: " in result.output
    assert "+    - source: security-report" in result.output
    assert " title: Was the attack planned across the border?   # neutral wording" in result.output
    assert path.read_text(encoding="utf-8") == MESSY


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("title: [unclosed\n", "FC001"),
        ("title: a\ntitle: b\n", "FC003"),
        ("title: &a T\nnotes: *a\n", "FC004"),
        ("- a list\n", "FC002"),
    ],
)
def test_a_file_with_a_yaml_error_is_reported_and_never_rewritten(desk, text, code):
    path = desk.claim("broken", text)
    result = desk.run("fmt")
    assert result.exit_code == 1
    assert "claims/broken.yaml:" in result.output
    assert code in result.output
    assert "1 file left unchanged because of errors" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_a_file_that_is_not_utf8_is_never_rewritten(desk):
    path = desk.root / "claims" / "latin.yaml"
    path.write_bytes(b"title: caf\xe9\n")
    result = desk.run("fmt", str(path))
    assert result.exit_code == 1
    assert "FC005" in result.output
    assert path.read_bytes() == b"title: caf\xe9\n"


def test_an_interrupted_write_leaves_the_old_file_intact_and_says_so(desk, monkeypatch):
    path = desk.claim("messy", MESSY)

    def fail(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    result = desk.run("fmt", str(path))
    assert result.exit_code == 2
    assert "cannot write claims/messy.yaml: No space left on device; the file is intact" in (
        result.stderr
    )
    assert "internal error" not in result.output
    assert path.read_text(encoding="utf-8") == MESSY
    assert sorted(item.name for item in path.parent.iterdir()) == [
        "attack-planning.yaml",
        "messy.yaml",
    ]


def test_the_file_mode_is_kept(desk):
    path = desk.claim("messy", MESSY)
    path.chmod(0o640)
    assert desk.run("fmt", str(path)).exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_link_out_of_the_workspace_is_not_followed(desk, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    outside.write_text(MESSY, encoding="utf-8")
    (desk.root / "claims" / "linked.yaml").symlink_to(outside)
    result = desk.run("fmt")
    assert result.exit_code == 1
    assert "claims/linked.yaml" in result.output
    assert "leads outside the workspace" in result.output
    assert outside.read_text(encoding="utf-8") == MESSY


def test_a_link_inside_the_workspace_is_written_through_and_stays_a_link(desk):
    target = desk.write("drafts/messy.yaml", MESSY)
    link = desk.root / "claims" / "messy.yaml"
    link.symlink_to(target)
    assert desk.run("fmt", str(link)).exit_code == 0
    assert link.is_symlink()
    assert target.read_text(encoding="utf-8") == CANONICAL


def test_a_path_that_is_not_a_workspace_file_is_a_usage_error(desk):
    other = desk.write("notes.yaml", "a: 1\n")
    result = desk.run("fmt", str(other))
    assert result.exit_code == 2
    assert "not a claim file or catalogue" in result.output


def test_the_catalogues_keep_their_comments(desk):
    text = "# who speaks\nparties:\n  envoy:   # the envoy\n    kind: person\n    name: A former envoy\n"
    path = desk.write("seeds/parties.yaml", desk.root.joinpath("seeds/parties.yaml").read_text())
    path.write_text(text, encoding="utf-8")
    assert desk.run("fmt", str(path)).exit_code == 0
    assert path.read_text(encoding="utf-8") == (
        "# who speaks\nparties:\n  envoy:   # the envoy\n    name: A former envoy\n    kind: person\n"
    )


def test_commented_out_fields_at_the_end_of_a_block_stay_in_it():
    text = textwrap.dedent(
        """\
        title: T
        claim:
          asserted_in:
          - source: x
            quote: y
            # note: to do
          party: p
          # verdict: unproven
        counter_claims: []
        """
    )
    assert format_text(text, schema.DISPUTE) == textwrap.dedent(
        """\
        title: T
        claim:
          party: p
          asserted_in:
            - source: x
              quote: y
              # note: to do
          # verdict: unproven
        counter_claims: []
        """
    )


def test_the_pre_commit_hooks_run_factcheck_commands_that_pass_on_a_clean_desk(desk):
    import shlex
    from pathlib import Path

    from factcheck.authoring.roundtrip import make_yaml

    hooks_file = Path(__file__).resolve().parent.parent / ".pre-commit-hooks.yaml"
    hooks = {hook["id"]: hook for hook in make_yaml().load(hooks_file.read_text())}
    assert set(hooks) == {"factcheck-validate", "factcheck-fmt"}
    assert hooks["factcheck-validate"]["pass_filenames"] == "false"
    for hook in hooks.values():
        program, *arguments = shlex.split(hook["entry"])
        assert program == "factcheck"
        result = desk.run(*arguments)
        assert result.exit_code == 0, result.output
    messy = desk.claim("messy", MESSY)
    assert desk.run(*shlex.split(hooks["factcheck-fmt"]["entry"])[1:], str(messy)).exit_code == 1


def test_an_edit_made_while_fmt_runs_is_never_overwritten(desk, monkeypatch):
    path = desk.claim("messy", MESSY)
    edited = MESSY.replace("neutral wording", "edited meanwhile")
    real = fmt.format_text

    def another_program_edits(text, spec):  # type: ignore[no-untyped-def]
        path.write_text(edited, encoding="utf-8")
        return real(text, spec)

    monkeypatch.setattr(fmt, "format_text", another_program_edits)
    result = desk.run("fmt", str(path))
    assert result.exit_code == 1
    assert "the file changed while fmt ran" in result.output
    assert path.read_text(encoding="utf-8") == edited


@pytest.mark.parametrize(
    "text",
    [
        "title: T\nnotes: 0\t0\n",  # a tab inside plain text: valid, refused by round-trip
        "%YAML 1.2\n---\ntitle: T\n",  # a directive the layout would drop
        "--- # a comment on the document marker\ntitle:   T\n",
        "title:   T\r# a comment, with CR-only line ends\rnotes: n\r",
    ],
)
def test_a_valid_file_fmt_cannot_lay_out_is_kept_and_does_not_fail_the_check(desk, text):
    path = desk.claim("valid", text)
    result = desk.run("fmt", "--check", str(path))
    assert result.exit_code in (0, 1)
    assert "left unchanged because of errors" not in result.output
    assert "internal error" not in result.output
    if result.exit_code == 1:  # a layout was reached: it keeps the file's meaning
        assert "would reformat claims/valid.yaml" in result.output
    written = desk.run("fmt", str(path))
    assert written.exit_code == 0, written.output
    assert ("%YAML 1.2" in text) == ("%YAML 1.2" in path.read_text(encoding="utf-8"))
    before = load_text(text.replace("\r", "\n"), "x").root
    after = load_text(path.read_text(encoding="utf-8").replace("\r", "\n"), "x").root
    assert after is not None and before is not None
    assert {key: node.text for key, (_, node) in after.entries.items()} == {
        key: node.text for key, (_, node) in before.entries.items()
    }


def test_a_file_larger_than_fmt_rewrites_is_left_unchanged_and_said_so(desk):
    from factcheck.authoring.roundtrip import MAX_FORMAT_BYTES

    notes = "word " * (MAX_FORMAT_BYTES // 5 + 10)
    text = MESSY + f"notes: {notes}\n"
    path = desk.claim("huge", text)
    result = desk.run("fmt", str(path))
    assert result.exit_code == 1
    assert "left unchanged: it holds" in result.output and "split the file" in result.output
    assert path.read_text(encoding="utf-8") == text


def test_a_layout_that_cannot_be_reached_safely_is_never_written(desk, monkeypatch):
    from factcheck.authoring.roundtrip import FormatError

    def unsafe(text, spec):
        raise FormatError("a comment would be lost")

    monkeypatch.setattr(fmt, "format_text", unsafe)
    path = desk.claim("messy", MESSY)
    result = desk.run("fmt", str(path))
    # kept as written, and not a failure: a valid file must not block 'fmt --check'
    assert result.exit_code == 0
    assert (
        "kept claims/messy.yaml as written: the layout cannot be reached without risk "
        "(a comment would be lost)"
    ) in result.output
    assert path.read_text(encoding="utf-8") == MESSY


def test_a_file_that_appears_while_a_new_one_is_written_is_not_overwritten(desk, monkeypatch):
    """The race guard: the existence check passed, then another process created the file."""
    from factcheck.files import write

    existing = (desk.root / "claims" / "attack-planning.yaml").read_text(encoding="utf-8")
    monkeypatch.setattr(write.os.path, "lexists", lambda path: False)
    result = desk.run("new", "attack-planning", "--party", "press-office")
    assert result.exit_code == 2
    assert "claims/attack-planning.yaml already exists; it is not overwritten" in result.output
    assert (desk.root / "claims" / "attack-planning.yaml").read_text(encoding="utf-8") == existing
    leftovers = [item.name for item in (desk.root / "claims").iterdir()]
    assert leftovers == ["attack-planning.yaml"]
