"""FC201–FC207: references across files, documents, and quotes against their sources."""

from __future__ import annotations

import hashlib
import os

import pytest

from tests.conftest import REPORT_TEXT, VALID_CLAIM, WARNING_ONLY_CLAIM


def test_fc201_unknown_party_with_suggestion(desk):
    desk.claim("attack-planning", VALID_CLAIM.replace("party: press-office", "party: press-ofice"))
    result = desk.run("validate")
    assert (
        "claims/attack-planning.yaml:5:10: error FC201 unknown party 'press-ofice' "
        "(did you mean 'press-office'?)" in result.output
    )
    assert result.exit_code == 1


def test_fc201_unknown_speaker_and_unknown_side(desk):
    desk.claim("attack-planning", VALID_CLAIM.replace("speaker: envoy", "speaker: envoi"))
    parties = (desk.root / "seeds/parties.yaml").read_text()
    desk.write("seeds/parties.yaml", parties.replace("side: south", "side: sout"))
    findings = desk.findings()
    assert ("claims/attack-planning.yaml", "FC201", 16, 16) in findings
    assert ("seeds/parties.yaml", "FC201", 11, 11) in findings


def test_fc202_unknown_source_and_based_on(desk):
    desk.claim("attack-planning", VALID_CLAIM.replace("- source: analysis", "- source: analysys"))
    sources = (desk.root / "seeds/sources.yaml").read_text()
    desk.write("seeds/sources.yaml", sources + "    based_on: [security-reprot]\n")
    findings = desk.findings()
    assert ("claims/attack-planning.yaml", "FC202", 13, 15) in findings
    assert ("seeds/sources.yaml", "FC202", 12, 16) in findings


def test_fc203_quote_not_found_shows_closest_passage(desk):
    desk.claim(
        "attack-planning",
        VALID_CLAIM.replace("quote: termed the claims", "quote: called the claims"),
    )
    result = desk.run("validate")
    line = next(line for line in result.output.splitlines() if "FC203" in line)
    assert line.startswith(
        "claims/attack-planning.yaml:25:16: error FC203 quote not found in source 'security-report' (seeds/report.txt)"
    )
    assert "closest passage at line 5" in line
    assert "the quote has 'called' where the source has 'termed'" in line


def test_fc203_typography_and_wrapping_do_not_matter(desk):
    text = VALID_CLAIM.replace(
        'quote: termed the claims "irresponsible and far from the reality"',
        "quote: >-\n          termed   the claims\n          “irresponsible and far from the reality”",
    )
    desk.claim("attack-planning", text)
    assert desk.findings() == []


def test_fc203_elision_fragments_must_be_in_order(desk):
    ok = VALID_CLAIM.replace(
        'quote: termed the claims "irresponsible and far from the reality"',
        'quote: The defence ministry termed ... "irresponsible and far from the reality"',
    )
    desk.claim("attack-planning", ok)
    assert desk.findings() == []
    reversed_order = VALID_CLAIM.replace(
        'quote: termed the claims "irresponsible and far from the reality"',
        "quote: far from the reality [...] The defence ministry termed",
    )
    desk.claim("attack-planning", reversed_order)
    assert [code for _, code, _, _ in desk.findings()] == ["FC203"]


def test_fc203_case_matters(desk):
    desk.claim("attack-planning", VALID_CLAIM.replace("termed the claims", "Termed The Claims"))
    assert [code for _, code, _, _ in desk.findings()] == ["FC203"]


@pytest.mark.parametrize(
    ("file", "why"),
    [
        ("/etc/passwd", "absolute path"),
        ("../outside.txt", "uses '..'"),
        ("missing.txt", "does not exist"),
        ("a-directory", "not a regular file"),
    ],
)
def test_fc204_documents_must_be_regular_files_inside_seeds(desk, file, why):
    (desk.root / "seeds" / "a-directory").mkdir()
    (desk.root / "outside.txt").write_text(REPORT_TEXT)
    sources = (desk.root / "seeds/sources.yaml").read_text()
    desk.write("seeds/sources.yaml", sources.replace("file: report.txt", f"file: {file}"))
    result = desk.run("validate")
    assert result.exit_code == 1
    assert "seeds/sources.yaml:3:11: error FC204" in result.output
    assert why in result.output
    assert "root:" not in result.output  # nothing of /etc/passwd is echoed


def test_fc204_link_leading_outside_is_refused(desk, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    outside.write_text(REPORT_TEXT)
    os.symlink(outside, desk.root / "seeds" / "link.txt")
    sources = (desk.root / "seeds/sources.yaml").read_text()
    desk.write("seeds/sources.yaml", sources.replace("file: report.txt", "file: link.txt"))
    assert ("seeds/sources.yaml", "FC204", 3, 11) in desk.findings()


def test_fc204_fifo_does_not_hang(desk):
    os.mkfifo(desk.root / "seeds" / "pipe.txt")
    sources = (desk.root / "seeds/sources.yaml").read_text()
    desk.write("seeds/sources.yaml", sources.replace("file: report.txt", "file: pipe.txt"))
    assert ("seeds/sources.yaml", "FC204", 3, 11) in desk.findings()


def test_fc205_changed_document(desk):
    (desk.root / "seeds/report.txt").write_text(REPORT_TEXT + "An added line.\n")
    result = desk.run("validate")
    digest = hashlib.sha256((REPORT_TEXT + "An added line.\n").encode()).hexdigest()
    assert (
        f"seeds/sources.yaml:4:13: error FC205 seeds/report.txt does not match its recorded sha256: the file's digest is {digest}"
        in result.output
    )


def test_fc206_short_quote_is_a_warning(desk):
    text = WARNING_ONLY_CLAIM
    desk.claim("attack-planning", text)
    result = desk.run("validate")
    assert "claims/attack-planning.yaml:25:16: warning FC206" in result.output
    assert result.exit_code == 0
    assert desk.run("validate", "--strict").exit_code == 1


def test_fc207_unused_party_and_source(desk):
    parties = (desk.root / "seeds/parties.yaml").read_text()
    desk.write("seeds/parties.yaml", parties + "  bystander:\n    name: Nobody cites me\n")
    (desk.root / "seeds/spare.txt").write_text("Spare text\n")
    sources = (desk.root / "seeds/sources.yaml").read_text()
    digest = hashlib.sha256(b"Spare text\n").hexdigest()
    desk.write(
        "seeds/sources.yaml",
        sources + f"  spare:\n    file: spare.txt\n    sha256: {digest}\n    title: Spare\n",
    )
    findings = desk.findings()
    assert ("seeds/parties.yaml", "FC207", 27, 3) in findings
    assert ("seeds/sources.yaml", "FC207", 12, 3) in findings


def test_not_utf8_document_is_located(desk):
    data = b"Security Report\n\nbad byte \xff here\n"
    (desk.root / "seeds/report.txt").write_bytes(data)
    sources = (desk.root / "seeds/sources.yaml").read_text()
    old = hashlib.sha256(REPORT_TEXT.encode()).hexdigest()
    desk.write("seeds/sources.yaml", sources.replace(old, hashlib.sha256(data).hexdigest()))
    assert ("seeds/report.txt", "FC005", 3, 10) in desk.findings()


def test_fc203_hint_names_the_first_differing_word_not_an_opening_quotation_mark(desk):
    desk.write(
        "seeds/report.txt",
        REPORT_TEXT + 'He said: "Our forces were never in the city at all," the spokesman added.\n',
    )
    sources = (desk.root / "seeds/sources.yaml").read_text()
    digest = hashlib.sha256((desk.root / "seeds/report.txt").read_bytes()).hexdigest()
    desk.write(
        "seeds/sources.yaml",
        sources.replace(hashlib.sha256(REPORT_TEXT.encode()).hexdigest(), digest),
    )
    desk.claim(
        "attack-planning",
        VALID_CLAIM.replace(
            'quote: termed the claims "irresponsible and far from the reality"',
            "quote: Our forces were always in the city at all",
        ),
    )
    line = next(line for line in desk.run("validate").output.splitlines() if "FC203" in line)
    assert "after 'forces were' the quote has 'always' where the source has 'never'" in line


def test_fc203_elision_in_the_wrong_order_says_so(desk):
    desk.claim(
        "attack-planning",
        VALID_CLAIM.replace(
            'quote: termed the claims "irresponsible and far from the reality"',
            "quote: far from the reality [...] The defence ministry termed",
        ),
    )
    line = next(line for line in desk.run("validate").output.splitlines() if "FC203" in line)
    assert "letter case" not in line
    assert "put the parts in the source's order" in line


def test_fc203_points_at_the_first_line_of_a_block_quote(desk):
    desk.claim(
        "attack-planning",
        VALID_CLAIM.replace("neighbouring country\n  evidence", "neighbouring kingdom\n  evidence"),
    )
    # the quote is written 'quote: >-' on line 9; its words start on line 10, column 9
    assert desk.findings() == [("claims/attack-planning.yaml", "FC203", 10, 9)]


@pytest.mark.parametrize(
    ("catalogue", "broken"),
    [("seeds/parties.yaml", "parties: [unclosed\n"), ("seeds/sources.yaml", "sources: {a: [\n")],
)
def test_an_unreadable_catalogue_comes_alone_not_with_a_flood_of_unknown_ids(
    desk, catalogue, broken
):
    desk.write(catalogue, broken)
    findings = desk.findings()
    assert [(path, code) for path, code, _, _ in findings if path.startswith("claims/")] == []
    assert (catalogue, "FC001") in [(path, code) for path, code, _, _ in findings]


def test_entries_named_only_by_a_claim_file_that_fails_to_parse_are_not_unused(desk):
    desk.claim("attack-planning", VALID_CLAIM + "  broken: [\n")
    findings = desk.findings()
    assert [code for _, code, _, _ in findings] == ["FC001"]
