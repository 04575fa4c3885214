"""add-source with real documents: a web page and a PDF statement, archived with their text.

Both fixtures are made here (no network): a small HTML page with a menu, an article and a
footer, and a two-page PDF written with pypdf. The tests that read them need the
``documents`` extra, which CI installs; without it they are skipped, and the refusal that
names what to install is tested instead.
"""

from __future__ import annotations

import hashlib
import io
import sys
from pathlib import Path

import pytest

from factcheck.authoring.roundtrip import plain_data
from tests.conftest import VALID_CLAIM

PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ministry rejects claim over attack | Daily News</title>
<meta property="og:title" content="Ministry rejects claim over attack">
<meta name="author" content="Amina Rahimi">
<meta property="og:site_name" content="Daily News">
<meta property="article:published_time" content="2024-03-28T09:30:00Z">
<link rel="canonical" href="https://news.example.org/2024/ministry-rejects-claim">
</head>
<body>
<nav><a href="/">Home</a> | <a href="/world">World news menu</a></nav>
<article>
<h1>Ministry rejects claim over attack</h1>
<p>The defence ministry on Thursday termed the claims “irresponsible and far from the
reality”, a spokesman said in a statement.</p>
<p>Officials said an inquiry into the attack had been opened and that its findings would
be shared with the public once the investigation was complete.</p>
<p>An independent researcher said the bomber had crossed the border a week before the
attack, according to documents seen by the newspaper.</p>
</article>
<footer>Copyright 2024 Daily News. All rights reserved.</footer>
</body>
</html>
"""

PDF_PAGES = [
    [
        "The Ministry of Defence said the attack was planned",
        "in the neighbouring country, a spokesman told reporters.",
    ],
    ["The inquiry into the attack continues with the help of the police."],
]


def needs_documents_extra() -> None:
    for module in ("trafilatura", "pypdf"):
        pytest.importorskip(module, reason="the 'documents' extra is not installed")


def make_pdf(path: Path, info: dict[str, str]) -> bytes:
    """A small PDF with a line of Helvetica text per string, and its document info."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = PdfWriter()
    for lines in PDF_PAGES:
        page = writer.add_blank_page(612, 792)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
        )
        content = DecodedStreamObject()
        shown = " ".join(f"({line}) '" for line in lines)
        content.set_data(f"BT /F1 12 Tf 72 720 Td 14 TL {shown} ET".encode())
        page.replace_contents(content)
    writer.add_metadata(info)
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())
    return buffer.getvalue()


@pytest.fixture
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


def _entry(desk, source_id: str) -> dict:
    return plain_data((desk.root / "seeds/sources.yaml").read_text())["sources"][source_id]


def test_a_web_page_is_archived_with_its_text_and_the_metadata_it_declares(desk, downloads):
    needs_documents_extra()
    page = downloads / "ministry.html"
    page.write_text(PAGE, encoding="utf-8")
    result = desk.run("add-source", str(page), "--id", "ministry-rejects", "--party", "daily-news")
    assert result.exit_code == 0, result.output
    assert (desk.root / "seeds/ministry.html").read_bytes() == page.read_bytes()
    text = (desk.root / "seeds/ministry.html.txt").read_text(encoding="utf-8")
    assert "termed the claims “irresponsible and far from the reality”" in text
    assert "menu" not in text and "rights reserved" not in text
    entry = _entry(desk, "ministry-rejects")
    assert entry["file"] == "ministry.html.txt"
    assert entry["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert entry["original"] == "ministry.html"
    assert entry["original_sha256"] == hashlib.sha256(page.read_bytes()).hexdigest()
    declared = {
        "title": "Ministry rejects claim over attack",
        "author": "Amina Rahimi",
        "publisher": "Daily News",
        "published": "2024-03-28",
        "url": "https://news.example.org/2024/ministry-rejects-claim",
    }
    for name, value in declared.items():
        assert entry[name] == value
        assert f"{name}: {value}  (as the document declares it: check it)" in result.output
    # the text is what quotes are matched against
    desk.claim(
        "attack-planning",
        VALID_CLAIM.replace(
            "- source: security-report\n        quote: termed",
            "- source: ministry-rejects\n        quote: termed",
        ),
    )
    assert desk.run("validate").exit_code == 0
    # the original is guarded by its own digest
    page_copy = desk.root / "seeds/ministry.html"
    page_copy.write_text(PAGE.replace("Thursday", "Friday"), encoding="utf-8")
    assert [code for _, code, _, _ in desk.findings()] == ["FC205"]


def test_a_pdf_statement_is_archived_with_its_text_and_declared_metadata(desk, downloads):
    needs_documents_extra()
    pdf = downloads / "statement.pdf"
    data = make_pdf(
        pdf,
        {
            "/Title": "Statement on the attack",
            "/Author": "Ministry of Defence",
            "/CreationDate": "D:20240326120000Z",
        },
    )
    result = desk.run(
        "add-source",
        str(pdf),
        "--id",
        "mod-statement",
        "--party",
        "defence-ministry",
        "--reliability",
        "B",
        "--based-on",
        "security-report",
    )
    assert result.exit_code == 0, result.output
    assert (desk.root / "seeds/statement.pdf").read_bytes() == data
    entry = _entry(desk, "mod-statement")
    assert entry["title"] == "Statement on the attack"
    assert entry["author"] == "Ministry of Defence"
    assert entry["published"] == "2024-03-26"
    assert "publisher" not in entry and "url" not in entry  # a PDF does not declare them
    assert entry["reliability"] == "B"
    assert entry["based_on"] == ["security-report"]
    found = desk.run("quote", "mod-statement", "the attack was planned in the neighbouring country")
    assert found.exit_code == 0, found.output
    assert "seeds/statement.pdf.txt:1:" in found.output


def test_the_desks_options_win_over_what_the_document_declares(desk, downloads):
    needs_documents_extra()
    page = downloads / "ministry.html"
    page.write_text(PAGE, encoding="utf-8")
    result = desk.run("add-source", str(page), "--id", "m", "--title", "The desk's title")
    assert result.exit_code == 0, result.output
    assert _entry(desk, "m")["title"] == "The desk's title"
    assert "title: Ministry" not in result.output


def test_a_document_that_declares_no_title_needs_one(desk, downloads):
    needs_documents_extra()
    page = downloads / "bare.html"
    page.write_text(
        "<html><body><p>"
        + "A paragraph with enough words to be the article. " * 5
        + "</p></body></html>"
    )
    before = (desk.root / "seeds/sources.yaml").read_text()
    result = desk.run("add-source", str(page), "--id", "bare")
    assert result.exit_code == 2
    assert "declares no title; give the document's title with --title" in result.output
    assert (desk.root / "seeds/sources.yaml").read_text() == before
    assert not (desk.root / "seeds/bare.html").exists()


def test_without_the_extra_the_refusal_says_what_to_install(desk, downloads, monkeypatch):
    for module in ("trafilatura", "pypdf"):
        monkeypatch.setitem(sys.modules, module, None)  # import fails as if not installed
    page = downloads / "ministry.html"
    page.write_text(PAGE, encoding="utf-8")
    result = desk.run("add-source", str(page), "--id", "m")
    assert result.exit_code == 2
    assert "reading HTML needs the 'documents' extra (trafilatura is missing)" in result.output
    assert "python3 -m pip install 'trafilatura>=1.12' lxml_html_clean 'pypdf>=4.0'" in (
        result.output
    )
    assert not (desk.root / "seeds/ministry.html").exists()


def test_based_on_and_reliability_are_checked(desk, downloads):
    document = downloads / "note.txt"
    document.write_text("A note that repeats what the report said about the attack.\n")
    unknown = desk.run(
        "add-source", str(document), "--id", "note", "--title", "Note", "--based-on", "analysys"
    )
    assert unknown.exit_code == 2
    assert "unknown source 'analysys' (did you mean 'analysis'?)" in unknown.output
    bad = desk.run(
        "add-source", str(document), "--id", "note", "--title", "N", "--reliability", "G"
    )
    assert bad.exit_code == 2
    added = desk.run(
        "add-source",
        str(document),
        "--id",
        "note",
        "--title",
        "Note",
        "--based-on",
        "analysis",
        "--based-on",
        "security-report",
        "--reliability",
        "F",
    )
    assert added.exit_code == 0, added.output
    entry = _entry(desk, "note")
    assert entry["based_on"] == ["analysis", "security-report"]
    assert entry["reliability"] == "F"
    assert (
        "    based_on: [analysis, security-report]\n"
        in (desk.root / "seeds/sources.yaml").read_text()
    )


def test_a_broken_pdf_is_refused_with_its_name(desk, downloads):
    needs_documents_extra()
    broken = downloads / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4 not really a PDF\n")
    result = desk.run("add-source", str(broken), "--id", "broken", "--title", "B")
    assert result.exit_code == 2
    assert f"{broken}: not a readable PDF (" in result.output
    assert not (desk.root / "seeds/broken.pdf").exists()


def test_a_page_in_its_declared_encoding_is_read_as_such(desk, downloads):
    needs_documents_extra()
    sentence = "The ministère said the café was closed during the inquiry into the attack. "
    page = downloads / "cafe.html"
    page.write_bytes(
        (
            '<html><head><meta charset="windows-1252"><title>Café statement</title></head>'
            f"<body><article><p>{sentence * 3}</p></article></body></html>"
        ).encode("cp1252")
    )
    result = desk.run("add-source", str(page), "--id", "cafe")
    assert result.exit_code == 0, result.output
    assert "title: Café statement" in result.output
    text = (desk.root / "seeds/cafe.html.txt").read_text(encoding="utf-8")
    assert "The ministère said the café was closed" in text
