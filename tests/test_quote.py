"""factcheck quote: the passage as the document has it, where it is, ready to paste."""

from __future__ import annotations

from factcheck.authoring.roundtrip import make_yaml


def test_quote_prints_the_passage_its_position_and_a_yaml_passage(desk):
    result = desk.run("quote", "security-report", 'termed the claims "irresponsible')
    assert result.exit_code == 0, result.output
    assert "seeds/report.txt:5:22: found in security-report" in result.output
    # the document's own typography, not the query's
    assert "  termed the claims “irresponsible" in result.output
    snippet = result.output[result.output.index("- source:") :]
    assert snippet == "- source: security-report\n  quote: termed the claims “irresponsible\n"


def test_a_passage_across_lines_is_found_and_its_snippet_pastes_into_a_valid_claim(desk):
    query = "the planning for the attack was done in the neighbouring country and that"
    result = desk.run("quote", "security-report", query)
    assert result.exit_code == 0, result.output
    assert "seeds/report.txt:3:37: found in security-report" in result.output
    assert "  the planning for the attack was done in the\n  neighbouring country" in result.output
    snippet = result.output[result.output.index("- source:") :]
    passage = make_yaml().load(snippet)[0]
    assert passage["source"] == "security-report"
    assert passage["quote"] == query
    indented = "".join("    " + line + "\n" for line in snippet.splitlines())
    claim = (
        "title: T\nclaim:\n  party: press-office\n  statement: S\n  asserted_in:\n"
        f"{indented}  corroboration: uncorroborated\n"
    )
    desk.claim("pasted", claim)
    assert desk.findings(str(desk.root / "claims/pasted.yaml")) == []


def test_a_long_passage_becomes_a_folded_block(desk):
    query = (
        "The military press office said that the planning for the attack was done in the "
        "neighbouring country and that the bomber was a foreign national."
    )
    result = desk.run("quote", "security-report", query)
    assert result.exit_code == 0
    assert "  quote: >-\n    The military press office" in result.output
    snippet = result.output[result.output.index("- source:") :]
    assert make_yaml().load(snippet)[0]["quote"] == query


def test_an_elided_quote_shows_each_part_where_it_stands(desk):
    result = desk.run(
        "quote", "security-report", "The military press office said ... a foreign national"
    )
    assert result.exit_code == 0, result.output
    assert "seeds/report.txt:3:1:" in result.output
    assert "seeds/report.txt:4:46:" in result.output
    assert "quote: The military press office said ... a foreign national" in result.output


def test_no_exact_match_shows_the_three_closest_passages_and_exits_1(desk):
    result = desk.run("quote", "security-report", "the bomber had crossed the frontier a week")
    assert result.exit_code == 1
    assert "not found in security-report (seeds/report.txt)" in result.output
    assert "closest passages:" in result.output
    assert "  6:32  the bomber had crossed the border a week" in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("  ")]
    assert len(lines) == 3
    assert "- source:" not in result.output


def test_an_unknown_source_exits_2_naming_the_nearest(desk):
    result = desk.run("quote", "security", "anything at all here")
    assert result.exit_code == 2
    assert "unknown source 'security' (did you mean 'security-report'?)" in result.output


def test_a_short_passage_is_found_with_a_warning(desk):
    result = desk.run("quote", "analysis", "former envoy")
    assert result.exit_code == 0
    assert "FC206" in result.output


def test_file_text_cannot_reach_the_terminal_as_control_sequences(desk):
    text = "A hostile \x1b[31mred\x1b[0m passage that is long enough.\n"
    desk.write("seeds/hostile.txt", text)
    import hashlib

    digest = hashlib.sha256(text.encode()).hexdigest()
    with (desk.root / "seeds" / "sources.yaml").open("a", encoding="utf-8") as stream:
        stream.write(f"  hostile:\n    file: hostile.txt\n    sha256: {digest}\n    title: H\n")
    result = desk.run("quote", "hostile", "passage that is long enough")
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output
