"""factcheck add-source: archive a document exactly and catalogue it, keeping comments."""

from __future__ import annotations

import hashlib
import os

import pytest

from factcheck.authoring.roundtrip import plain_data

DOCUMENT = "A new report\n\nOfficials said the “crossing” took place at night — twice.\n"
COMMENTED = """\
# the desk's archive
sources:
  security-report:   # the main report
    file: report.txt
    sha256: {report}
    title: Security Report
    party: daily-news
  # analysis pieces
  analysis:
    file: analysis.txt
    sha256: {analysis}
    title: Analysis
    party: envoy
# end of the catalogue
"""


@pytest.fixture
def document(tmp_path_factory):
    path = tmp_path_factory.mktemp("downloads") / "new-report.txt"
    path.write_bytes(DOCUMENT.encode("utf-8"))
    return path


def _commented(desk) -> str:
    digests = {
        name: hashlib.sha256((desk.root / "seeds" / file).read_bytes()).hexdigest()
        for name, file in (("report", "report.txt"), ("analysis", "analysis.txt"))
    }
    text = COMMENTED.format(**digests)
    (desk.root / "seeds" / "sources.yaml").write_text(text, encoding="utf-8")
    return text


def test_add_source_copies_the_bytes_and_appends_the_entry_keeping_comments(desk, document):
    before = _commented(desk)
    result = desk.run(
        "add-source",
        str(document),
        "--id",
        "new-report",
        "--title",
        "A new report: the crossing",
        "--party",
        "researcher",
        "--published",
        "2024-04-01",
        "--url",
        "https://example.org/report",
    )
    assert result.exit_code == 0, result.output
    copied = desk.root / "seeds" / "new-report.txt"
    assert copied.read_bytes() == document.read_bytes()
    digest = hashlib.sha256(document.read_bytes()).hexdigest()
    assert f"sha256 {digest}" in result.output
    after = (desk.root / "seeds" / "sources.yaml").read_text(encoding="utf-8")
    assert after.startswith(before.removesuffix("# end of the catalogue\n"))
    assert after.endswith(
        "  new-report:\n"
        "    file: new-report.txt\n"
        f"    sha256: {digest}\n"
        "    title: 'A new report: the crossing'\n"
        "    published: 2024-04-01\n"
        "    url: https://example.org/report\n"
        "    party: researcher\n"
        "# end of the catalogue\n"
    )
    # the new source is usable at once: a quote from it validates
    result = desk.run("quote", "new-report", 'the "crossing" took place at night - twice')
    assert result.exit_code == 0, result.output


def test_a_document_already_in_seeds_is_catalogued_where_it_is(desk):
    path = desk.write("seeds/extra/notes.txt", DOCUMENT)
    result = desk.run("add-source", str(path), "--id", "notes", "--title", "Notes")
    assert result.exit_code == 0, result.output
    assert "catalogued in place at seeds/extra/notes.txt" in result.output
    entry = plain_data((desk.root / "seeds/sources.yaml").read_text())["sources"]["notes"]
    assert entry["file"] == "extra/notes.txt"
    again = desk.run("add-source", str(path), "--id", "notes-2", "--title", "Notes")
    assert again.exit_code == 2
    assert "already catalogued as source 'notes'" in again.output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--id", "security-report"], "source 'security-report' is already in seeds/sources.yaml"),
        (["--id", "New_Report"], "'New_Report' is not a valid source id"),
        (["--id", "new-report", "--published", "2024-02-30"], "is not a valid date"),
        (["--id", "new-report", "--published", "1 April 2024"], "is not a valid date"),
        (["--id", "new-report", "--party", "reseacher"], "did you mean 'researcher'"),
        (["--id", "new-report", "--title", " "], "--title is empty"),
    ],
)
def test_add_source_refusals_change_nothing(desk, document, options, message):
    before = (desk.root / "seeds" / "sources.yaml").read_bytes()
    arguments = ["add-source", str(document), "--title", "T", *options]
    result = desk.run(*arguments)
    assert result.exit_code == 2
    assert message in result.output
    assert (desk.root / "seeds" / "sources.yaml").read_bytes() == before
    assert not (desk.root / "seeds" / "new-report.txt").exists()


def test_add_source_never_overwrites_a_document(desk, tmp_path_factory):
    other = tmp_path_factory.mktemp("other") / "report.txt"
    other.write_text("a different report\n", encoding="utf-8")
    original = (desk.root / "seeds" / "report.txt").read_bytes()
    result = desk.run("add-source", str(other), "--id", "other-report", "--title", "Other")
    assert result.exit_code == 2
    assert "seeds/report.txt already exists" in result.output
    assert (desk.root / "seeds" / "report.txt").read_bytes() == original


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"caf\xe9 au lait\n", "not UTF-8 text"), (b"text\x00with a NUL\n", "NUL byte")],
)
def test_add_source_refuses_what_is_not_utf8_text(desk, tmp_path_factory, data, message):
    path = tmp_path_factory.mktemp("bad") / "bad.txt"
    path.write_bytes(data)
    result = desk.run("add-source", str(path), "--id", "bad", "--title", "Bad")
    assert result.exit_code == 2
    assert message in result.output
    assert not (desk.root / "seeds" / "bad.txt").exists()


def test_add_source_refuses_a_broken_catalogue(desk, document):
    (desk.root / "seeds" / "sources.yaml").write_text("sources:\n  a: [\n", encoding="utf-8")
    result = desk.run("add-source", str(document), "--id", "new-report", "--title", "T")
    assert result.exit_code == 2
    assert "seeds/sources.yaml:" in result.output
    assert "fix it first" in result.output


def test_an_interrupted_catalogue_write_leaves_everything_as_it_was(desk, document, monkeypatch):
    before = _commented(desk)

    def fail(*args, **kwargs):
        raise OSError("disk unplugged")

    monkeypatch.setattr(os, "replace", fail)
    result = desk.run("add-source", str(document), "--id", "new-report", "--title", "T")
    assert result.exit_code == 2
    assert (desk.root / "seeds" / "sources.yaml").read_text(encoding="utf-8") == before
    assert sorted(path.name for path in (desk.root / "seeds").iterdir()) == [
        "analysis.txt",
        "parties.yaml",
        "report.txt",
        "sources.yaml",
    ]


def test_record_digest_shows_the_change_then_records_it_keeping_comments(desk):
    import subprocess

    _commented(desk)
    git = ["git", "-C", str(desk.root), "-c", "user.email=desk@example.org", "-c", "user.name=D"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "archive"], check=True)
    report = desk.root / "seeds" / "report.txt"
    report.write_text(report.read_text().replace("Security Report", "Security Report (corrected)"))
    assert [code for _, code, _, _ in desk.findings()] == ["FC205"]
    shown = desk.run("record-digest", "security-report")
    assert shown.exit_code == 1
    assert "-Security Report\n+Security Report (corrected)\n" in shown.stdout
    assert "nothing recorded: read the diff above, then run again with --yes" in shown.output
    assert [code for _, code, _, _ in desk.findings()] == ["FC205"]
    recorded = desk.run("record-digest", "security-report", "--yes")
    assert recorded.exit_code == 0, recorded.output
    assert desk.findings() == []
    sources = (desk.root / "seeds" / "sources.yaml").read_text()
    assert "# the desk's archive" in sources and "# analysis pieces" in sources
    assert desk.run("record-digest", "security-report").exit_code == 0
    unknown = desk.run("record-digest", "security-reprot")
    assert unknown.exit_code == 2
    assert "did you mean 'security-report'?" in unknown.output
