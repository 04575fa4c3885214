"""``factcheck site``: the pages it writes, what they hold, and what a rebuild rewrites.

The pages are parsed with the standard library's HTML parser, the way a browser tokenises
them, so an injected element or attribute shows up as one; ``test_site_browser.py`` then
loads them in a real browser.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factcheck.views.site import MANIFEST
from tests.conftest import VALID_CLAIM, WARNING_ONLY_CLAIM, Desk
from tests.site_fixtures import PAYLOADS, build_site, hostile_workspace

SETTINGS = """\
publisher:
  name: Example Desk
  url: https://desk.example.org/
site_url: https://desk.example.org/checks/
"""


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, the ClaimReview blocks, and the
    text a reader sees (character references resolved)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.json_ld: list[str] = []
        self.text: list[str] = []
        self._in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_json = tag == "script" and dict(attrs).get("type") == "application/ld+json"

    def handle_endtag(self, tag: str) -> None:
        self._in_json = False

    def handle_data(self, data: str) -> None:
        if self._in_json:
            self.json_ld.append(data)
        else:
            self.text.append(data)


def parse(path: Path) -> Elements:
    parser = Elements()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


@pytest.fixture
def site_desk(desk: Desk) -> Desk:
    desk.write("factcheck.yaml", SETTINGS)
    return desk


def build(desk: Desk, output: Path) -> str:
    result = desk.run("site", "--output", str(output))
    assert result.exit_code == 0, result.output
    return result.stderr


def test_site_has_an_index_and_a_page_per_dispute_document_and_party(
    site_desk: Desk, tmp_path: Path
) -> None:
    output = tmp_path / "site"
    stderr = build(site_desk, output)
    assert "written" in stderr
    names = {path.relative_to(output).as_posix() for path in pages(output)}
    assert {
        "index.html",
        "disputes/attack-planning.html",
        "documents/security-report.html",
        "documents/analysis.html",
        "parties/press-office.html",
        "parties/envoy.html",
        "documents/index.html",
        "parties/index.html",
    } <= names
    for path in pages(output):
        tags = parse(path).tags
        assert ("main", {"id": "main"}) in tags, path  # a landmark on every page
        stylesheets = [attrs["href"] for tag, attrs in tags if tag == "link"]
        assert all(not href.startswith(("http", "//")) for href in stylesheets), path


def test_dispute_page_embeds_the_reviews_the_export_gives(site_desk: Desk, tmp_path: Path) -> None:
    output = tmp_path / "site"
    build(site_desk, output)
    embedded = [
        json.loads(block) for block in parse(output / "disputes/attack-planning.html").json_ld
    ]
    exported = json.loads(site_desk.run("export", "claimreview").stdout)
    assert embedded == exported
    assert len(embedded) == 2


def test_without_publisher_the_pages_carry_no_review(desk: Desk, tmp_path: Path) -> None:
    output = tmp_path / "site"
    stderr = build(desk, output)
    assert "publisher and site_url not set" in stderr
    assert parse(output / "disputes/attack-planning.html").json_ld == []


def test_quotes_link_to_their_place_in_the_document(site_desk: Desk, tmp_path: Path) -> None:
    output = tmp_path / "site"
    build(site_desk, output)
    dispute = parse(output / "disputes/attack-planning.html")
    links = [
        attrs["href"]
        for tag, attrs in dispute.tags
        if tag == "a" and "quote-link" in (attrs.get("class") or "")
    ]
    assert len(links) == 4  # two asserted, two evidence passages
    for link in links:
        page, anchor = link.split("#")
        document = parse(output / "disputes" / page)
        marks = [attrs.get("id") for tag, attrs in document.tags if tag == "mark"]
        assert anchor in marks, (link, marks)


def test_a_url_becomes_a_link_only_when_it_is_http(site_desk: Desk, tmp_path: Path) -> None:
    sources = (site_desk.root / "seeds/sources.yaml").read_text(encoding="utf-8")
    site_desk.write(
        "seeds/sources.yaml",
        sources.replace(
            "    party: envoy\n", "    party: envoy\n    url: https://example.net/a\n"
        ).replace(
            "    party: daily-news\n", "    party: daily-news\n    url: javascript:alert(1)\n"
        ),
    )
    output = tmp_path / "site"
    build(site_desk, output)
    hrefs = lambda name: [  # noqa: E731
        attrs.get("href") for tag, attrs in parse(output / "documents" / name).tags if tag == "a"
    ]
    assert "https://example.net/a" in hrefs("analysis.html")
    assert not any("javascript" in (href or "") for href in hrefs("security-report.html"))
    assert "javascript:alert(1)" in (output / "documents/security-report.html").read_text()


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    workspace = hostile_workspace(tmp_path / "workspace")
    output = tmp_path / "site"
    result = build_site(workspace, output)
    assert result.exit_code == 0, result.output
    for path in pages(output):
        page = parse(path)
        for tag, attrs in page.tags:
            assert tag not in ("img", "b", "textarea"), (path, tag)
            assert tag != "script" or attrs.get("type") == "application/ld+json", path
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            assert not (attrs.get("href") or "").startswith("javascript"), (path, attrs)
        for block in page.json_ld:
            assert "</script" not in block
            json.loads(block)
    text = (output / "disputes/bridge-closure.html").read_text(encoding="utf-8")
    assert "<script>alert('script')</script>" in "".join(
        parse(output / "disputes/bridge-closure.html").text
    )
    assert all(payload not in text for payload in PAYLOADS)


def test_a_rebuild_rewrites_only_the_pages_a_change_affects(
    site_desk: Desk, tmp_path: Path
) -> None:
    site_desk.claim(
        "second-dispute",
        VALID_CLAIM.replace("Was the attack planned", "Was a second attack planned"),
    )
    output = tmp_path / "site"
    build(site_desk, output)
    before = {path: path.stat().st_mtime_ns for path in pages(output)}
    assert "0 pages written" in build(site_desk, output)
    assert {path: path.stat().st_mtime_ns for path in pages(output)} == before

    site_desk.claim(
        "second-dispute",
        VALID_CLAIM.replace("Was the attack planned", "Was a second attack planned").replace(
            "Only the ministry's denial is on file.", "The ministry's denial alone is on file."
        ),
    )
    assert "1 page written" in build(site_desk, output)
    changed = [path for path in pages(output) if path.stat().st_mtime_ns != before[path]]
    assert [path.relative_to(output).as_posix() for path in changed] == [
        "disputes/second-dispute.html"
    ]

    (site_desk.root / "claims/second-dispute.yaml").unlink()
    assert "1 removed" in build(site_desk, output)
    assert not (output / "disputes/second-dispute.html").exists()


def test_a_forged_manifest_removes_nothing_outside_the_site(
    site_desk: Desk, tmp_path: Path
) -> None:
    output = tmp_path / "site"
    build(site_desk, output)
    victim = tmp_path / "victim.html"
    victim.write_text("keep me", encoding="utf-8")
    manifest = json.loads((output / ".factcheck-site.json").read_text(encoding="utf-8"))
    manifest["../victim.html"] = "0" * 64
    (output / ".factcheck-site.json").write_text(json.dumps(manifest), encoding="utf-8")
    build(site_desk, output)
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_output_must_be_a_directory(site_desk: Desk, tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")
    result = site_desk.run("site", "--output", str(target))
    assert result.exit_code == 2
    assert "is a file" in result.output


def test_pages_built_in_worker_processes_are_the_same(site_desk: Desk, tmp_path: Path) -> None:
    for number in range(6):
        site_desk.claim(
            f"dispute-{number}",
            VALID_CLAIM.replace("Was the attack planned", f"Was attack {number} planned"),
        )
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    assert site_desk.run("site", "--output", str(serial)).exit_code == 0
    result = site_desk.run(
        "site", "--output", str(parallel), env={"FACTCHECK_PARALLEL_THRESHOLD": "1"}
    )
    assert result.exit_code == 0, result.output
    files = sorted(path.relative_to(serial) for path in serial.rglob("*") if path.is_file())
    assert files == sorted(
        path.relative_to(parallel) for path in parallel.rglob("*") if path.is_file()
    )
    for name in files:
        assert (serial / name).read_bytes() == (parallel / name).read_bytes(), name


def test_a_warm_cache_builds_the_same_site_elsewhere(site_desk: Desk, tmp_path: Path) -> None:
    """The cache keeps each page's HTML in a record file: a page it vouches for is written
    from there wherever it is needed, and a change of publisher renders every page anew."""
    for number in range(3):
        site_desk.claim(
            f"dispute-{number}",
            VALID_CLAIM.replace("Was the attack planned", f"Was attack {number} planned"),
        )
    first, second, third = tmp_path / "first", tmp_path / "second", tmp_path / "third"
    fresh = tmp_path / "fresh"
    build(site_desk, first)
    assert (site_desk.root / ".factcheck-cache/site.pack").is_file()
    build(site_desk, second)
    in_workers = {"FACTCHECK_PARALLEL_THRESHOLD": "1"}
    assert site_desk.run("site", "--output", str(third), env=in_workers).exit_code == 0
    assert site_desk.run("site", "--no-cache", "--output", str(fresh)).exit_code == 0
    for name in [path.relative_to(fresh) for path in pages(fresh)]:
        for output in (first, second, third):
            assert (output / name).read_bytes() == (fresh / name).read_bytes(), (output, name)

    site_desk.write("factcheck.yaml", SETTINGS.replace("Example Desk", "Other Desk"))
    build(site_desk, second)
    assert "Other Desk" in (second / "disputes/dispute-0.html").read_text(encoding="utf-8")


def test_a_damaged_record_file_renders_the_pages_again(site_desk: Desk, tmp_path: Path) -> None:
    first, second, fresh = tmp_path / "first", tmp_path / "second", tmp_path / "fresh"
    build(site_desk, first)
    [records] = (site_desk.root / ".factcheck-cache").glob("site-*.records")
    records.write_bytes(records.read_bytes().replace(b"planned", b"plotted"))
    build(site_desk, second)
    assert site_desk.run("site", "--no-cache", "--output", str(fresh)).exit_code == 0
    for name in [path.relative_to(fresh) for path in pages(fresh)]:
        assert (second / name).read_bytes() == (fresh / name).read_bytes(), name
    assert "plotted" not in (second / "disputes/attack-planning.html").read_text("utf-8")


def test_a_link_in_the_output_is_replaced_by_the_page_never_written_through(
    site_desk: Desk, tmp_path: Path
) -> None:
    output = tmp_path / "site"
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me", encoding="utf-8")
    page = output / "disputes/attack-planning.html"
    page.parent.mkdir(parents=True)
    page.symlink_to(outside)
    build(site_desk, output)
    assert outside.read_text(encoding="utf-8") == "keep me"
    assert not page.is_symlink() and "Was the attack planned" in page.read_text("utf-8")
    assert not [path for path in output.rglob("*.tmp")]


IN_WORKERS = {"FACTCHECK_PARALLEL_THRESHOLD": "1"}


@pytest.mark.parametrize("env", [None, IN_WORKERS], ids=["serial", "in-workers"])
def test_a_claim_file_with_an_error_gets_no_page(
    site_desk: Desk, tmp_path: Path, env: dict[str, str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pages are written as the checks of their file come back; a file with an error,
    whether a check's or one the desk's settings make, never gets one, not for a moment."""
    from factcheck.reporters import html

    written: list[str] = []
    write = html.replace_quickly

    def replace_quickly(path: Path, data: bytes) -> None:
        written.append(path.name)
        write(path, data)

    monkeypatch.setattr(html, "replace_quickly", replace_quickly)
    site_desk.claim(
        "misquoted",
        VALID_CLAIM.replace("the bomber had crossed", "the bomber had flown"),
    )
    site_desk.claim("short-quote", WARNING_ONLY_CLAIM)
    output = tmp_path / "site"
    result = site_desk.run("site", "--output", str(output), env=env)
    assert result.exit_code == 1, result.output
    assert not (output / "disputes/misquoted.html").exists()
    assert (output / "disputes/short-quote.html").is_file()  # a warning only
    assert "misquoted.html" not in written and "short-quote.html" in written

    site_desk.write("factcheck.yaml", SETTINGS + "severity: {FC206: error}\n")
    result = site_desk.run("site", "--no-cache", "--output", str(output), env=env)
    assert result.exit_code == 1, result.output
    assert not (output / "disputes/short-quote.html").exists()
    assert "1 removed" in result.stderr
    assert written.count("short-quote.html") == 1
    assert (output / "disputes/attack-planning.html").is_file()


def test_a_page_written_before_the_run_found_an_error_is_taken_back(
    site_desk: Desk, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the early decision miss an error the whole run finds, the page it wrote is
    taken back before the site is finished."""
    from factcheck.reporters.html import SiteWriter

    monkeypatch.setattr(SiteWriter, "_has_error", lambda self, findings: False)
    site_desk.claim(
        "misquoted",
        VALID_CLAIM.replace("the bomber had crossed", "the bomber had flown"),
    )
    output = tmp_path / "site"
    result = site_desk.run("site", "--output", str(output))
    assert result.exit_code == 1, result.output
    assert not (output / "disputes/misquoted.html").exists()
    assert "misquoted" not in (output / MANIFEST).read_text(encoding="utf-8")
    assert (output / "disputes/attack-planning.html").is_file()


@pytest.mark.parametrize("env", [None, IN_WORKERS], ids=["serial", "in-workers"])
def test_a_page_that_cannot_be_written_is_a_clear_error(
    site_desk: Desk, tmp_path: Path, env: dict[str, str] | None
) -> None:
    """A page that fails as it arrives (here a directory stands where it goes) stops the
    build with exit status 2 and the reason, after the validation, never a traceback."""
    output = tmp_path / "site"
    (output / "disputes/attack-planning.html").mkdir(parents=True)
    result = site_desk.run("site", "--output", str(output), env=env)
    assert result.exit_code == 2, result.output
    assert f"cannot write the site to {output}" in result.stderr
    assert "Is a directory" in result.stderr
    assert "Traceback" not in result.output
    assert not list(output.rglob("*.tmp"))


def test_a_build_that_stops_part_way_leaves_a_manifest_true_to_the_files(
    site_desk: Desk, tmp_path: Path
) -> None:
    """Pages are written while the build runs: when it stops part-way, the manifest still
    says which page holds what, so the next build rewrites what it must."""
    output, fresh = tmp_path / "site", tmp_path / "fresh"
    build(site_desk, output)
    claim = site_desk.root / "claims/attack-planning.yaml"
    original = claim.read_text(encoding="utf-8")
    claim.write_text(original.replace("that is not enough", "that is too few"), "utf-8")
    document = output / "documents/security-report.html"
    document.unlink()
    document.mkdir()  # the document page cannot be written: the build stops there
    result = site_desk.run("site", "--output", str(output))
    assert result.exit_code == 2, result.output
    assert "too few" in (output / "disputes/attack-planning.html").read_text("utf-8")

    claim.write_text(original, "utf-8")
    document.rmdir()
    build(site_desk, output)
    assert site_desk.run("site", "--no-cache", "--output", str(fresh)).exit_code == 0
    for name in [path.relative_to(fresh) for path in pages(fresh)]:
        assert (output / name).read_bytes() == (fresh / name).read_bytes(), name


def test_a_change_to_the_renderers_code_renders_every_page_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache's digest of the tool leaves the reporters out, so the templates' digest
    (the manifest's salt and part of a cached page's key) covers the module that renders
    the pages: a changed escape or encoder cannot leave old pages in place."""
    from factcheck.reporters import html

    before = html.templates_digest()
    changed = tmp_path / "__init__.py"
    changed.write_bytes(Path(html.__file__).read_bytes() + b"\n# changed\n")
    monkeypatch.setattr(html, "__file__", str(changed))
    html.templates_digest.cache_clear()
    try:
        assert html.templates_digest() != before
    finally:
        html.templates_digest.cache_clear()
