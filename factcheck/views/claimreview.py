"""ClaimReview: the desk's verdicts in the interchange format of the fact-checking field.

Fact-checkers embed schema.org ClaimReview (JSON-LD) in their pages, and Google's Fact
Check Tools take the same fields through their ClaimReviewMarkupPage API. Both are built
here, as plain dictionaries, from the reported disputes: one review per rated position
(a pending position has no rating to publish). Everything in a review comes from the
claim files, the catalogue or ``factcheck.yaml``; what the desk has not recorded (a
document's address, its date) is left out, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from factcheck.model import Catalogue, Source
from factcheck.views.report import DisputeView, PositionView
from factcheck.workspace.root import Settings, WorkspaceError

SCHEMA_ORG = "https://schema.org"
WEB_SCHEMES = ("http://", "https://")


def web_url(url: str | None) -> str | None:
    """A recorded address fit to link or publish: only http and https.

    Addresses come from files anyone can edit; ``javascript:`` or ``data:`` in a link
    would run or show whatever the file says, so anything else stays plain text.
    """
    if url and url.strip().lower().startswith(WEB_SCHEMES) and not any(c.isspace() for c in url):
        return url.strip()
    return None


def dispute_page(dispute_id: str) -> str:
    """A dispute's page in the site, relative to the site's root."""
    return f"disputes/{dispute_id}.html"


def position_anchor(index: int) -> str:
    """The anchor of a dispute's position on its page: the claim, then each counter-claim."""
    return "claim" if index == 0 else f"counter-claim-{index}"


@dataclass
class Reviews:
    """The ClaimReview objects of the rated positions, and how many were still pending."""

    reviews: list[dict[str, Any]] = field(default_factory=list)
    pending: int = 0


def require_publishing(settings: Settings) -> None:
    """Refuse to publish without the desk's identity: a review must say who wrote it."""
    for name, value in (("publisher", settings.publisher), ("site_url", settings.site_url)):
        if value is None:
            raise WorkspaceError(
                f"'{name}' is not set in factcheck.yaml; ClaimReview needs it, e.g. "
                "publisher: {name: Example Desk, url: https://desk.example.org/} and "
                "site_url: https://desk.example.org/checks/"
            )


def claim_reviews(
    disputes: Iterable[DisputeView], catalogue: Catalogue, settings: Settings
) -> Reviews:
    """One ClaimReview per rated position of the disputes, in report order."""
    result = Reviews()
    for dispute in disputes:
        for index, position in enumerate(dispute.positions):
            review = claim_review(dispute, index, position, catalogue, settings)
            if review is None:
                result.pending += 1
            else:
                result.reviews.append(review)
    return result


def claim_review(
    dispute: DisputeView,
    index: int,
    position: PositionView,
    catalogue: Catalogue,
    settings: Settings,
) -> dict[str, Any] | None:
    """The ClaimReview of one position, or ``None`` while it is pending."""
    scale = settings.rating_scale
    if position.verdict is None or scale.rating(position.verdict) is None:
        return None
    review: dict[str, Any] = {"@context": SCHEMA_ORG, "@type": "ClaimReview"}
    if settings.site_url:
        page = settings.site_url + dispute_page(dispute.id)
        review["url"] = f"{page}#{position_anchor(index)}"
    if dispute.title:
        review["name"] = dispute.title
    review["claimReviewed"] = position.statement
    review["itemReviewed"] = _claim(position, catalogue)
    review["reviewRating"] = {
        "@type": "Rating",
        "alternateName": position.verdict,
        "name": position.verdict,
        "ratingValue": scale.value(position.verdict),
        "bestRating": scale.best,
        "worstRating": scale.worst,
    }
    if position.rationale:
        review["reviewRating"]["ratingExplanation"] = position.rationale
    if settings.publisher is not None:
        review["author"] = _publisher(settings)
    if position.reviewed:
        review["datePublished"] = position.reviewed
    return review


def _claim(position: PositionView, catalogue: Catalogue) -> dict[str, Any]:
    """The reviewed Claim: who made it, and where it is on record."""
    party = catalogue.parties.get(position.party or "")
    author_type = "Person" if party is not None and party.kind == "person" else "Organization"
    claim: dict[str, Any] = {
        "@type": "Claim",
        "author": {"@type": author_type, "name": position.party_name or position.party},
    }
    sources = [
        catalogue.sources[source_id]
        for source_id in dict.fromkeys(passage.source for passage in position.asserted_in)
        if source_id in catalogue.sources
    ]
    if sources:
        claim["appearance"] = [_work(source) for source in sources]
    first = _first_appearance(sources)
    if first is not None:
        claim["firstAppearance"] = _work(first)
        if first.published:
            claim["datePublished"] = first.published
    return claim


def _first_appearance(sources: list[Source]) -> Source | None:
    """The earliest appearance, when the record shows which it is.

    One appearance on record is the first known; of several, the earliest only when every
    one is dated. Otherwise the first appearance is not known, and is not claimed.
    """
    if len(sources) == 1:
        return sources[0]
    if sources and all(source.published for source in sources):
        return min(sources, key=lambda source: source.published or "")
    return None


def _work(source: Source) -> dict[str, Any]:
    """A catalogued document as a CreativeWork, with only what the catalogue records."""
    work: dict[str, Any] = {"@type": "CreativeWork"}
    url = web_url(source.url)
    if url:
        work["url"] = url
    if source.title:
        work["headline"] = source.title
    if source.published:
        work["datePublished"] = source.published
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    return work


def _publisher(settings: Settings) -> dict[str, Any]:
    publisher = settings.publisher
    assert publisher is not None
    author: dict[str, Any] = {"@type": "Organization", "name": publisher.name}
    if publisher.url:
        author["url"] = publisher.url
    if publisher.logo:
        author["logo"] = publisher.logo
    return author


def markup_pages(reviews: Iterable[dict[str, Any]], settings: Settings) -> list[dict[str, Any]]:
    """The same reviews as Fact Check Tools ClaimReviewMarkupPage objects, one per page.

    The API takes plain strings where JSON-LD has nested objects: appearances are their
    addresses (documents with none are left out), the claim's author is a name.
    """
    pages: dict[str, dict[str, Any]] = {}
    for review in reviews:
        page_url = review["url"].split("#", 1)[0]
        page = pages.get(page_url)
        if page is None:
            page = pages[page_url] = {"pageUrl": page_url}
            if settings.publisher is not None:
                author = {"name": settings.publisher.name}
                if settings.publisher.logo:
                    author["imageUrl"] = settings.publisher.logo
                page["claimReviewAuthor"] = author
            page["claimReviewMarkups"] = []
        if "datePublished" in review:
            page["publishDate"] = max(page.get("publishDate", ""), review["datePublished"])
        page["claimReviewMarkups"].append(_markup(review))
    return list(pages.values())


def _markup(review: dict[str, Any]) -> dict[str, Any]:
    claim = review["itemReviewed"]
    rating = review["reviewRating"]
    markup: dict[str, Any] = {"url": review["url"], "claimReviewed": review["claimReviewed"]}
    if "datePublished" in claim:
        markup["claimDate"] = claim["datePublished"]
    first = claim.get("firstAppearance", {}).get("url")
    if first:
        markup["claimFirstAppearance"] = first
    others = [
        work["url"]
        for work in claim.get("appearance", [])
        if "url" in work and work["url"] != first
    ]
    if others:
        markup["claimAppearances"] = others
    markup["claimAuthor"] = {"name": claim["author"]["name"]}
    markup["rating"] = {
        "textualRating": rating["alternateName"],
        "ratingValue": rating["ratingValue"],
        "bestRating": rating["bestRating"],
        "worstRating": rating["worstRating"],
    }
    if "ratingExplanation" in rating:
        markup["rating"]["ratingExplanation"] = rating["ratingExplanation"]
    return markup
