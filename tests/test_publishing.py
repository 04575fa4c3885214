"""The desk's identity and rating scale, and the ClaimReview export built from them.

The export is checked as a consumer reads it: the JSON-LD is expanded by a real JSON-LD
processor (pyld) against the schema.org context (a subset of schema.org's own context
file, release 30.0, shipped in tests/data so that no test touches the network), and every
property Google's ClaimReview documentation marks required or recommended is looked up
by its full schema.org IRI, so a misspelt or misplaced property fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import DOCUMENTS, PARTIES_YAML, VALID_CLAIM, Desk, sources_yaml

CONTEXT = json.loads((Path(__file__).parent / "data" / "schemaorg-context.jsonld").read_text())
S = "http://schema.org/"

SETTINGS = """\
publisher:
  name: Example Desk
  url: https://desk.example.org/
  logo: https://desk.example.org/logo.png
site_url: https://desk.example.org/checks
"""

SCALE = """\
rating_scale:
  - label: "True"
    verdict: supported
    description: The evidence bears it out.
  - label: Half true
    verdict: partly-supported
  - label: Unproven
    verdict: unproven
  - label: "False"
    verdict: refuted
"""

# The report and the analysis, with what a catalogue may know of them: the analysis has an
# address and a date, the report only a publisher.
CATALOGUED = (
    sources_yaml(DOCUMENTS)
    .replace(
        "    party: daily-news\n",
        "    party: daily-news\n    publisher: Daily News\n",
    )
    .replace(
        "    party: envoy\n",
        "    party: envoy\n    url: https://analysis.example.net/a1\n"
        "    published: 2024-03-28\n    publisher: The Analyst\n",
    )
)


@pytest.fixture
def publishing_desk(desk: Desk) -> Desk:
    desk.write("factcheck.yaml", SETTINGS)
    desk.write("seeds/sources.yaml", CATALOGUED)
    return desk


def labelled(claim: str) -> str:
    """The valid claim rated on the desk's scale instead of the built-in verdicts."""
    return claim.replace("verdict: unproven", "verdict: Unproven")


# -- settings ---------------------------------------------------------------------------


def test_bad_publishing_settings_are_listed_with_code_line_and_column(desk: Desk) -> None:
    desk.write(
        "factcheck.yaml",
        """\
        publisher:
          url: javascript:alert(1)
        site_url: ftp://desk.example.org/
        rating_scale:
          - label: "True"
            verdict: suported
          - label: pending
            verdict: unproven
        """,
    )
    result = desk.run("validate")
    assert result.exit_code == 2
    message = result.output
    assert "factcheck.yaml:2:3: error FC101 publisher is missing required field 'name'" in message
    assert "factcheck.yaml:2:8: error FC104 publisher url must be an http or https" in message
    assert "factcheck.yaml:3:11: error FC104 site_url must be an http or https" in message
    assert "'suported' is not an allowed verdict (did you mean 'supported'?)" in message
    assert "the label 'pending' means a position not yet rated" in message


def test_good_publishing_settings_change_nothing_for_validate(publishing_desk: Desk) -> None:
    publishing_desk.write("factcheck.yaml", SETTINGS + SCALE)
    publishing_desk.claim("attack-planning", labelled(VALID_CLAIM))
    result = publishing_desk.run("validate")
    assert result.exit_code == 0, result.output


# -- the rating scale -------------------------------------------------------------------


def test_claim_files_use_the_desks_labels(publishing_desk: Desk) -> None:
    publishing_desk.write("factcheck.yaml", SETTINGS + SCALE)
    assert publishing_desk.codes() == ["FC104", "FC104"]  # 'unproven' is not a label here
    result = publishing_desk.run("validate")
    assert "'unproven' is not an allowed verdict (did you mean 'Unproven'?); use 'True'" in (
        result.output
    )
    publishing_desk.claim("attack-planning", labelled(VALID_CLAIM))
    assert publishing_desk.codes() == []


def test_a_label_inherits_the_rules_of_its_verdict(publishing_desk: Desk) -> None:
    publishing_desk.write("factcheck.yaml", SETTINGS + SCALE)
    claim = labelled(VALID_CLAIM).replace("verdict: Unproven", 'verdict: "True"', 1)
    publishing_desk.claim("attack-planning", claim)
    result = publishing_desk.run("validate")
    assert result.exit_code == 1
    assert (
        "FC302 verdict 'True' (a 'supported' verdict) needs corroboration 'corroborated', "
        "but the evidence shows 'single-source'; allowed verdicts here: 'Half true' or 'Unproven'"
    ) in result.output
    publishing_desk.claim(
        "attack-planning", claim.replace('verdict: "True"', "verdict: Half true", 1)
    )
    assert publishing_desk.codes() == []


def test_changing_the_scale_rechecks_cached_claim_files(publishing_desk: Desk) -> None:
    publishing_desk.claim("attack-planning", labelled(VALID_CLAIM))
    publishing_desk.write("factcheck.yaml", SETTINGS + SCALE)
    assert publishing_desk.run("validate").exit_code == 0  # fills the cache
    publishing_desk.write("factcheck.yaml", SETTINGS)
    assert publishing_desk.run("validate").exit_code == 1  # 'Unproven' is no longer a verdict


def test_reports_filter_and_count_by_label(publishing_desk: Desk) -> None:
    publishing_desk.write("factcheck.yaml", SETTINGS + SCALE)
    publishing_desk.claim("attack-planning", labelled(VALID_CLAIM))
    result = publishing_desk.run("report", "--format", "json", "--verdict", "Unproven")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["totals"]["by_verdict"] == {"Unproven": 2}
    refused = publishing_desk.run("report", "--verdict", "unproven")
    assert refused.exit_code == 2
    assert "known: True, Half true, Unproven, False, pending" in refused.output


def test_the_schema_follows_the_configured_scale(publishing_desk: Desk) -> None:
    publishing_desk.write("factcheck.yaml", SETTINGS + SCALE)
    schema = json.loads(publishing_desk.run("schema").stdout)
    verdict = schema["definitions"]["position"]["properties"]["verdict"]
    assert verdict["enum"] == ["True", "Half true", "Unproven", "False"]
    assert "reviewed" in schema["definitions"]["position"]["properties"]


def test_reviewed_is_a_date(publishing_desk: Desk) -> None:
    claim = VALID_CLAIM.replace(
        "  rationale: One independent", "  reviewed: 2024-02-30\n  rationale: One independent"
    )
    publishing_desk.claim("attack-planning", claim)
    assert publishing_desk.codes() == ["FC105"]


# -- ClaimReview ------------------------------------------------------------------------


def expand(document: object) -> list[dict]:
    """The JSON-LD expanded with pyld, the schema.org context served from tests/data."""
    from pyld import jsonld

    def loader(url: str, options: dict | None = None) -> dict:
        if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
            raise AssertionError(f"the test would fetch {url}")
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "document": CONTEXT,
            "documentUrl": url,
        }

    return jsonld.expand(document, {"documentLoader": loader})


def value(node: dict, prop: str) -> object:
    """The single value (or node) of a property of an expanded node, by its schema.org IRI."""
    values = node.get(S + prop)
    assert values, f"{prop} is missing from {sorted(node)}"
    first = values[0]
    return first.get("@value", first.get("@id", first)) if isinstance(first, dict) else first


def export(desk: Desk, *args: str) -> tuple[object, str]:
    result = desk.run("export", "claimreview", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result.stderr


def rated_claim() -> str:
    """The valid claim with a review date on the claim and the counter-claim pending."""
    claim = VALID_CLAIM.replace(
        "  rationale: One independent", "  reviewed: 2024-04-02\n  rationale: One independent"
    )
    return claim.replace(
        "    verdict: unproven\n    rationale: Only the ministry's denial is on file.\n", ""
    )


def test_export_gives_every_required_and_recommended_property(publishing_desk: Desk) -> None:
    publishing_desk.claim("attack-planning", rated_claim())
    document, stderr = export(publishing_desk)
    assert "1 review exported; 1 pending position skipped" in stderr
    [review] = expand(document)
    assert review["@type"] == [S + "ClaimReview"]
    # required
    assert value(review, "claimReviewed") == "The attack was planned in the neighbouring country."
    assert value(review, "url") == (
        "https://desk.example.org/checks/disputes/attack-planning.html#claim"
    )
    rating = value(review, "reviewRating")
    assert rating["@type"] == [S + "Rating"]
    assert value(rating, "alternateName") == "unproven"
    # recommended
    assert value(rating, "name") == "unproven"
    assert value(rating, "ratingValue") == 4  # supported 6 ... refuted 1
    assert value(rating, "bestRating") == 6
    assert value(rating, "worstRating") == 1
    assert value(rating, "ratingExplanation").startswith("One independent origin")
    assert value(review, "datePublished") == "2024-04-02"
    author = value(review, "author")
    assert author["@type"] == [S + "Organization"]
    assert value(author, "name") == "Example Desk"
    assert value(author, "url") == "https://desk.example.org/"
    assert value(author, "logo") == "https://desk.example.org/logo.png"
    claim = value(review, "itemReviewed")
    assert claim["@type"] == [S + "Claim"]
    claim_author = value(claim, "author")
    assert claim_author["@type"] == [S + "Organization"]  # kind: military
    assert value(claim_author, "name") == "Military press office of the north"
    appearance = value(claim, "appearance")
    assert value(appearance, "headline") == "Security Report"
    assert value(value(appearance, "publisher"), "name") == "Daily News"
    # the report is the one appearance on record, so it is the first known; it has no
    # address and no date in the catalogue, and none is invented
    first = value(claim, "firstAppearance")
    assert value(first, "headline") == "Security Report"
    assert S + "url" not in first and S + "datePublished" not in first
    assert S + "datePublished" not in claim


def test_dates_and_addresses_come_from_the_catalogue(publishing_desk: Desk) -> None:
    claim = rated_claim().replace(
        "    - source: security-report\n      quote: >-\n        said that",
        "    - source: analysis\n      quote: the planning for the attack was done across the"
        " border\n    - source: security-report\n      quote: >-\n        said that",
        1,
    )
    publishing_desk.claim("attack-planning", claim)
    [review] = expand(export(publishing_desk)[0])
    item = value(review, "itemReviewed")
    assert [value(work, "headline") for work in item[S + "appearance"]] == [
        "Analysis",
        "Security Report",
    ]
    # two appearances, one undated: which came first is not on record
    assert S + "firstAppearance" not in item
    publishing_desk.write(
        "seeds/sources.yaml",
        CATALOGUED.replace("    publisher: Daily News\n", "    published: 2024-03-27\n"),
    )
    [review] = expand(export(publishing_desk)[0])
    item = value(review, "itemReviewed")
    first = value(item, "firstAppearance")
    assert value(first, "headline") == "Security Report"
    assert value(item, "datePublished") == "2024-03-27"
    analysis = item[S + "appearance"][0]
    assert value(analysis, "url") == "https://analysis.example.net/a1"


def test_export_uses_the_desks_labels_and_person_authors(publishing_desk: Desk) -> None:
    publishing_desk.write("factcheck.yaml", SETTINGS + SCALE)
    publishing_desk.write(
        "seeds/parties.yaml", PARTIES_YAML.replace("kind: military", "kind: person")
    )
    publishing_desk.claim("attack-planning", labelled(VALID_CLAIM))
    document, _ = export(publishing_desk)
    reviews = expand(document)
    assert len(reviews) == 2
    rating = value(reviews[0], "reviewRating")
    assert (value(rating, "alternateName"), value(rating, "ratingValue")) == ("Unproven", 2)
    assert value(rating, "bestRating") == 4
    assert value(value(reviews[0], "itemReviewed"), "author")["@type"] == [S + "Person"]
    assert value(reviews[1], "url").endswith("attack-planning.html#counter-claim-1")


def test_a_non_web_address_is_never_published(publishing_desk: Desk) -> None:
    publishing_desk.write(
        "seeds/sources.yaml",
        CATALOGUED.replace("    publisher: Daily News\n", "    url: javascript:alert(1)\n"),
    )
    document, _ = export(publishing_desk)
    assert "javascript" not in json.dumps(document)


def test_export_names_the_missing_setting(desk: Desk) -> None:
    result = desk.run("export", "claimreview")
    assert result.exit_code == 2
    assert "'publisher' is not set in factcheck.yaml" in result.output
    desk.write("factcheck.yaml", "publisher:\n  name: Example Desk\n")
    result = desk.run("export", "claimreview")
    assert result.exit_code == 2
    assert "'site_url' is not set in factcheck.yaml" in result.output


def test_fact_check_tools_format(publishing_desk: Desk, tmp_path: Path) -> None:
    publishing_desk.claim("attack-planning", rated_claim())
    target = tmp_path / "markup.json"
    result = publishing_desk.run(
        "export", "claimreview", "--format", "factcheck-api", "--output", str(target)
    )
    assert result.exit_code == 0, result.output
    [page] = json.loads(target.read_text(encoding="utf-8"))
    assert page["pageUrl"] == "https://desk.example.org/checks/disputes/attack-planning.html"
    assert page["publishDate"] == "2024-04-02"
    assert page["claimReviewAuthor"] == {
        "name": "Example Desk",
        "imageUrl": "https://desk.example.org/logo.png",
    }
    [markup] = page["claimReviewMarkups"]
    assert markup["claimReviewed"] == "The attack was planned in the neighbouring country."
    assert markup["claimAuthor"] == {"name": "Military press office of the north"}
    assert markup["rating"]["textualRating"] == "unproven"
    assert (markup["rating"]["ratingValue"], markup["rating"]["bestRating"]) == (4, 6)
    assert "claimFirstAppearance" not in markup  # the report has no address on record


def test_diff_shows_a_changed_scale_and_publisher(publishing_desk: Desk) -> None:
    import subprocess

    root = publishing_desk.root
    git = ["git", "-c", "user.name=desk", "-c", "user.email=desk@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=root, check=True)
    publishing_desk.write("factcheck.yaml", SETTINGS.replace("Example Desk", "New Desk") + SCALE)
    publishing_desk.claim("attack-planning", labelled(VALID_CLAIM))
    result = publishing_desk.run("diff", "--format", "json")
    assert result.exit_code == 0, result.output
    changes = {item["id"]: item["changes"][0] for item in json.loads(result.stdout)["catalogue"]}
    assert changes["publisher"]["new"] == (
        "New Desk (https://desk.example.org/) (https://desk.example.org/logo.png)"
    )
    assert changes["rating_scale"]["old"].startswith("supported, partly-supported")
    assert changes["rating_scale"]["new"] == (
        "True = supported, Half true = partly-supported, Unproven = unproven, False = refuted"
    )


def test_new_claim_files_offer_the_desks_labels(publishing_desk: Desk) -> None:
    publishing_desk.write("factcheck.yaml", SETTINGS + SCALE)
    result = publishing_desk.run("new", "bridge-closure", "--party", "press-office")
    assert result.exit_code == 0, result.output
    text = (publishing_desk.root / "claims/bridge-closure.yaml").read_text(encoding="utf-8")
    assert "# once reviewed, a verdict (True, Half true, Unproven ...)" in text
    assert "# verdict: Unproven" in text
