"""The published site as data: which pages it has and what each one shows.

``factcheck site`` turns a checked workspace into static pages for readers and editors:
an index with the side-by-side verdict table, a page per dispute, a page per archived
document (its text with every quoted passage marked: the chain of custody from verdict to
archived bytes) and a page per party. This module decides what every page says, as plain
JSON-like data; ``reporters/html`` lays it out with autoescaping templates. The digest
of each page's HTML, kept from the last build, tells whether it must be written again
(``needs_writing``), so rebuilding after one claim changed rewrites only the pages that
claim touches.
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, cast

from factcheck.engine.run import Validation
from factcheck.files.yamlnodes import LINE_BREAK
from factcheck.model import PENDING, Catalogue, Dispute, Party, Source
from factcheck.rules.independence import side_label
from factcheck.rules.quotes import SourceText
from factcheck.views.claimreview import (
    claim_review,
    dispute_page,
    position_anchor,
    web_url,
)
from factcheck.views.report import (
    DisputeView,
    InvalidFile,
    PassageView,
    PositionView,
    build_dispute,
    sort_files,
)
from factcheck.workspace.loader import Archive, ClaimFile
from factcheck.workspace.root import Settings
from factcheck.workspace.schema import IDENTIFIER

MANIFEST = ".factcheck-site.json"
"""The digests of the pages last written, kept in the output directory."""


@dataclass(frozen=True)
class Page:
    """One page of the site: where it goes, which template lays it out, what it shows."""

    path: str
    template: str
    context: dict[str, Any] = field(hash=False)


def page_digest(html: bytes) -> str:
    """The digest of a rendered page: equal digests, equal pages.

    Hashing the HTML costs a fraction of rendering it, far less than serialising the
    page's data to hash that instead, and it changes exactly when the file would.
    """
    return hashlib.sha256(html).hexdigest()


def needs_writing(
    path: str, digest: str, previous: Mapping[str, str], exists: Callable[[], bool]
) -> bool:
    """Whether a page must be written: its digest changed since the last build (the
    digests in ``previous``, by path), or its file is gone (``exists()`` is false)."""
    return previous.get(path) != digest or not exists()


def stale(previous: Mapping[str, str], current: Mapping[str, str]) -> list[str]:
    """The pages the last build wrote that this one no longer has, to be removed."""
    return sorted(path for path in previous if path not in current)


def document_page(source_id: str) -> str:
    return f"documents/{source_id}.html"


def party_page(party_id: str) -> str:
    return f"parties/{party_id}.html"


def passage_anchor(position_index: int, label: str) -> str:
    """A passage's anchor on its dispute page: 'claim-A1', 'counter-claim-1-E2'."""
    return f"{position_anchor(position_index)}-{label}"


def quote_anchor(start: int, end: int) -> str:
    """A quoted passage's anchor on its document page, from where it stands in the text."""
    return f"q-{start}-{end}"


@dataclass(frozen=True)
class _Citation:
    """A passage of a dispute that quotes a document, for the document's page."""

    dispute: str
    title: str | None
    link: str
    label: str
    heading: str


@dataclass
class Gathered:
    """What the dispute pages gather for the other pages: index rows, the passages that
    quote each document, and each party's positions and evidence.

    Each dispute page gathers its own (in whichever process builds it); joined in the
    disputes' order, they give the index, document and party pages.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    citations: dict[str, dict[tuple[int, int], list[_Citation]]] = field(default_factory=dict)
    party_positions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    party_passages: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def join(self, other: Gathered) -> None:
        """Add what a later stretch of disputes gathered."""
        self.rows += other.rows
        for source, spans in other.citations.items():
            mine = self.citations.setdefault(source, {})
            for span, citations in spans.items():
                mine.setdefault(span, []).extend(citations)
        for party, entries in other.party_positions.items():
            self.party_positions.setdefault(party, []).extend(entries)
        for party, entries in other.party_passages.items():
            self.party_passages.setdefault(party, []).extend(entries)


@dataclass(frozen=True)
class DisputePart:
    """A dispute's page, rendered where the dispute was checked, and what it gathered for
    the other pages: all that the process writing the site needs of a dispute, so that
    the disputes are parsed, judged and rendered in the validation's worker processes and
    only these travel back (and are cached with the findings).

    The page's HTML travels beside the part, as its record (``engine.records``: the pages
    of ten thousand disputes take about 70 MB, which the main process never holds at
    once); ``digest`` is that of the HTML: equal digests, equal pages. A page whose record
    is gone is rendered again from its claim file (``file``). ``made_with`` names what
    else the page depends on (the templates, the publisher): a cached part serves only a
    run that would render it with the same.
    """

    file: str
    path: str
    digest: str
    gathered: Gathered
    made_with: str

    @property
    def title(self) -> str | None:
        title: str | None = self.gathered.rows[0]["title"]
        return title


SitePart = tuple[DisputePart, object]
"""A dispute's part and the reference to its page's HTML (``None`` when there is none)."""


def site_files(validation: Validation) -> tuple[list[SitePart], list[InvalidFile]]:
    """The dispute parts of the files without errors, and the files with errors, in file
    order: what the site shows and what it leaves out.

    The validation must have derived a ``SitePart`` for every dispute, so that no claim
    file is parsed again here.
    """
    clean, invalid = sort_files(validation)
    derived = validation.archive.derived
    parts = [part for item in clean if (part := derived.get(item.path)) is not None]
    return cast(list[SitePart], parts), invalid


class SiteBuilder:
    """Builds every page's data from a checked archive: dispute pages one at a time
    (``dispute_page``, each with what it gathers), then the pages that list what they
    gathered, joined in ``gathered`` (``finish``)."""

    def __init__(
        self, archive: Archive, settings: Settings, invalid: Iterable[InvalidFile] = ()
    ) -> None:
        self.archive = archive
        self.catalogue: Catalogue = archive.catalogue
        self.settings = settings
        self.invalid = list(invalid)
        self.scale = settings.rating_scale
        self.site_name = settings.publisher.name if settings.publisher else "factcheck"
        self.publishes = settings.publisher is not None and settings.site_url is not None
        """Whether the dispute pages embed ClaimReview: a review needs its author (the
        publisher) and its address (under ``site_url``)."""
        self.parties = {
            party_id: party
            for party_id, party in self.catalogue.parties.items()
            if IDENTIFIER.fullmatch(party_id)
        }
        self.sources = {
            source_id: source
            for source_id, source in self.catalogue.sources.items()
            if IDENTIFIER.fullmatch(source_id) and source_id in archive.documents
        }
        self.gathered = Gathered()
        self.paths = archive.document_paths
        self._parties_shown: dict[tuple[str | None, str], dict[str, Any]] = {}
        self._ratings_shown: dict[str | None, dict[str, Any]] = {}

    def dispute_page(self, dispute: Dispute) -> tuple[Page, Gathered]:
        """A dispute's page, judged and located as ``factcheck report`` does, and what the
        other pages list of it."""
        gathered = Gathered()
        return self.dispute(build_dispute(dispute, self.archive), gathered), gathered

    def finish(self) -> list[Callable[[], Page]]:
        """The pages that list what the dispute pages gathered, each built when called:
        the document pages are most of the work, and can be shared among processes."""
        return [
            self.index,
            *(partial(self.document, source_id) for source_id in sorted(self.sources)),
            *(partial(self.party, party_id) for party_id in sorted(self.parties)),
            self.document_listing,
            self.party_listing,
        ]

    def page_again(self, claim_file: ClaimFile) -> Page:
        """The page of a dispute whose HTML is no longer on record, read again
        from its file (which the run found unchanged; an ``OSError`` if it no longer holds
        a dispute, as when it is edited during the build)."""
        dispute = claim_file.dispute
        if dispute is None:
            raise OSError(f"{claim_file.path} changed during the build; build the site again")
        return self.dispute_page(dispute)[0]

    # -- shared pieces ---------------------------------------------------------------

    def _base(self, root: str, title: str) -> dict[str, Any]:
        return {"root": root, "title": title, "site_name": self.site_name}

    def _party(self, party_id: str | None, root: str) -> dict[str, Any]:
        """A party as pages show it. Like ``_rating``, one dict per value, shared by every
        page that shows it (page data is never changed once built): tens of thousands
        fewer dicts to build, and to pickle back from the worker processes."""
        shown = self._parties_shown.get((party_id, root))
        if shown is None:
            party = self.parties.get(party_id or "")
            shown = self._parties_shown[party_id, root] = {
                "id": party_id,
                "name": (party.name if party else None) or party_id,
                "side": party.side if party else None,
                "page": root + party_page(party_id) if party and party_id else None,
            }
        return shown

    def _rating(self, label: str | None) -> dict[str, Any]:
        shown = self._ratings_shown.get(label)
        if shown is None:
            rating = self.scale.rating(label)
            shown = self._ratings_shown[label] = {
                "label": label or PENDING,
                "verdict": rating.verdict if rating else None,
                "description": rating.description if rating else None,
                "class": f"verdict-{rating.verdict}" if rating else "verdict-pending",
            }
        return shown

    # -- the index -------------------------------------------------------------------

    def _row(self, view: DisputeView) -> dict[str, Any]:
        """The dispute's row in the index."""
        positions = [
            {
                "heading": position.heading,
                "anchor": position_anchor(index),
                "party": self._party(position.party, ""),
                "side": side_label(position.side),
                "label": position.verdict_or_pending,
                "rating": self._rating(position.verdict),
                "corroboration": position.corroboration,
            }
            for index, position in enumerate(view.positions)
        ]
        return {
            "id": view.id,
            "title": view.title,
            "page": dispute_page(view.id),
            "date": view.date,
            "tags": list(view.tags),
            "claim": positions[0] if positions else None,
            "counters": positions[1:],
        }

    def index(self) -> Page:
        """The verdict table, with a filter class on each row for every value it holds."""
        sides: dict[str, int] = {}
        tags: dict[str, int] = {}
        labels = {label: number for number, label in enumerate([*self.scale.labels, PENDING])}
        rows = []
        positions = 0
        for row in self.gathered.rows:
            classes: list[str] = []
            for position in ([row["claim"]] if row["claim"] else []) + row["counters"]:
                positions += 1
                classes.append(f"s-{sides.setdefault(position['side'], len(sides))}")
                classes.append(f"v-{labels.get(position['label'], len(labels) - 1)}")
            classes += [f"t-{tags.setdefault(tag, len(tags))}" for tag in row["tags"]]
            rows.append({**row, "classes": " ".join(dict.fromkeys(classes))})
        filters = [
            _filter("side", "Side", "s", sorted(sides.items())),
            _filter("verdict", "Verdict", "v", list(labels.items())),
            _filter("tag", "Tag", "t", sorted(tags.items())),
        ]
        context = self._base("", "Disputes")
        context.update(
            rows=rows,
            filters=filters,
            invalid=[item.as_dict() for item in self.invalid],
            totals={"disputes": len(rows), "positions": positions},
            scale=[
                {
                    "label": rating.label,
                    "verdict": rating.verdict,
                    "description": rating.description,
                }
                for rating in self.scale.ratings
            ],
        )
        return Page("index.html", "index.html", context)

    # -- a dispute -------------------------------------------------------------------

    def dispute(self, view: DisputeView, gathered: Gathered) -> Page:
        """A dispute's page from its view; what other pages list of it goes to ``gathered``."""
        gathered.rows.append(self._row(view))
        root = "../"
        positions = [
            self._position(view, index, position, root, gathered)
            for index, position in enumerate(view.positions)
        ]
        matrix = [
            {
                "label": row.passage.label,
                "where": self._where(row.passage, root),
                "origin": self._party(row.passage.origin.id, root) if row.passage.origin else None,
                "cells": [
                    {"stance": cell.stance or "none", "counts": cell.counts, "reason": cell.reason}
                    for cell in row.cells
                ],
            }
            for row in view.matrix
        ]
        reviews = [
            review
            for index, position in enumerate(view.positions)
            if self.publishes
            and (review := claim_review(view, index, position, self.catalogue, self.settings))
        ]
        context = self._base(root, view.title or view.id)
        context.update(
            id=view.id,
            path=view.path,
            date=view.date,
            tags=list(view.tags),
            notes=view.notes,
            positions=positions,
            matrix=matrix,
            claimreview=reviews,
        )
        return Page(dispute_page(view.id), "dispute.html", context)

    def _position(
        self, view: DisputeView, index: int, position: PositionView, root: str, gathered: Gathered
    ) -> dict[str, Any]:
        party = self._party(position.party, root)
        heading = position.heading
        if position.party:
            gathered.party_positions.setdefault(position.party, []).append(
                {
                    "dispute": view.id,
                    "title": view.title,
                    "link": f"../{dispute_page(view.id)}#{position_anchor(index)}",
                    "heading": heading,
                    "statement": position.statement,
                    "rating": self._rating(position.verdict),
                }
            )
        passages = {
            kind: [
                self._passage(view, index, position, passage, root, gathered)
                for passage in (
                    position.asserted_in if kind == "asserted_in" else position.evidence
                )
            ]
            for kind in ("asserted_in", "evidence")
        }
        return {
            "anchor": position_anchor(index),
            "heading": heading,
            "party": party,
            "side": side_label(position.side),
            "side_description": position.side_description,
            "statement": position.statement,
            "rating": self._rating(position.verdict),
            "corroboration": position.corroboration,
            "computed_corroboration": position.computed_corroboration,
            "independent": [
                {**self._party(origin.id, root), "stance": stance}
                for stance, origins in (
                    ("supports", position.independent_supporting),
                    ("refutes", position.independent_refuting),
                )
                for origin in origins
            ],
            "counts": {
                "supports": position.supporting,
                "refutes": position.refuting,
                "context": position.context,
            },
            "rationale": position.rationale,
            "reviewed": position.reviewed,
            **passages,
        }

    def _passage(
        self,
        view: DisputeView,
        index: int,
        position: PositionView,
        passage: PassageView,
        root: str,
        gathered: Gathered,
    ) -> dict[str, Any]:
        anchor = passage_anchor(index, passage.label)
        link = None
        spans = self._spans(passage)
        if spans:
            link = f"{root}{document_page(passage.source or '')}#{quote_anchor(*spans[0])}"
            citation = _Citation(
                view.id,
                view.title,
                f"../{dispute_page(view.id)}#{anchor}",
                passage.label,
                position.heading,
            )
            by_span = gathered.citations.setdefault(passage.source or "", {})
            for span in spans:
                cited = by_span.setdefault(span, [])
                if all((item.dispute, item.label) != (view.id, passage.label) for item in cited):
                    cited.append(citation)
        origin = passage.origin
        if passage.kind == "evidence" and origin is not None:
            gathered.party_passages.setdefault(origin.id, []).append(
                {
                    "dispute": view.id,
                    "title": view.title,
                    "link": f"../{dispute_page(view.id)}#{anchor}",
                    "label": passage.label,
                    "quote": passage.quote,
                    "stance": passage.stance,
                }
            )
        return {
            "anchor": anchor,
            "label": passage.label,
            "kind": passage.kind,
            "quote": passage.quote,
            "where": self._where(passage, root),
            "link": link,
            "stance": passage.stance,
            "origin": self._party(origin.id, root) if origin else None,
            "counts": passage.counts if passage.kind == "evidence" else None,
            "reason": passage.reason,
            "credibility": passage.credibility,
            "note": passage.note,
        }

    def _where(self, passage: PassageView, root: str) -> dict[str, Any]:
        source = passage.source
        location = passage.location
        return {
            "source": source,
            "title": passage.source_title,
            "page": root + document_page(source) if source in self.sources else None,
            "line": location.line if location else None,
        }

    def _spans(self, passage: PassageView) -> tuple[tuple[int, int], ...]:
        return passage.spans if passage.source in self.sources else ()

    # -- a document ------------------------------------------------------------------

    def document(self, source_id: str) -> Page:
        root = "../"
        source = self.sources[source_id]
        text: SourceText = self.archive.documents[source_id]
        by_span = self.gathered.citations.get(source_id, {})
        recorded = source.sha256
        actual = self.archive.digests.get(source_id)
        context = self._base(root, source.title or source_id)
        context.update(
            id=source_id,
            entry=self._entry(source, root),
            sha256=recorded,
            digest_matches=bool(recorded) and recorded == actual,
            actual_sha256=actual,
            lines=_lines(text.text, by_span),
            quoted=[
                {
                    "anchor": quote_anchor(*span),
                    "citations": [vars(item) for item in citations],
                }
                for span, citations in sorted(by_span.items())
            ],
        )
        return Page(document_page(source_id), "document.html", context)

    def _entry(self, source: Source, root: str) -> list[dict[str, Any]]:
        """The catalogue entry as (field, value, link) rows, as the desk recorded it."""
        rows: list[dict[str, Any]] = [
            {"name": "id", "value": source.id},
            {"name": "file", "value": f"seeds/{source.file}" if source.file else None},
            {"name": "title", "value": source.title},
            {"name": "author", "value": source.author},
            {"name": "publisher", "value": source.publisher},
            {"name": "published", "value": source.published},
            {"name": "url", "value": source.url, "link": web_url(source.url)},
        ]
        party = self._party(source.party, root) if source.party else None
        rows.append(
            {
                "name": "party",
                "value": party["name"] if party else None,
                "link": party["page"] if party else None,
            }
        )
        for ref in source.based_on:
            known = ref.id in self.sources
            rows.append(
                {
                    "name": "based on",
                    "value": ref.id,
                    "link": f"{root}{document_page(ref.id)}" if known else None,
                }
            )
        rows.append({"name": "reliability", "value": source.reliability})
        return [{"link": None, **row} for row in rows]

    # -- a party ---------------------------------------------------------------------

    def party(self, party_id: str) -> Page:
        root = "../"
        party: Party = self.parties[party_id]
        side = self.catalogue.sides.get(party.side or "")
        context = self._base(root, party.name or party_id)
        context.update(
            id=party_id,
            name=party.name,
            side=side_label(party.side),
            side_description=side.description if side else None,
            kind=party.kind,
            description=party.description,
            positions=self.gathered.party_positions.get(party_id, []),
            passages=self.gathered.party_passages.get(party_id, []),
        )
        return Page(party_page(party_id), "party.html", context)

    # -- the listings ----------------------------------------------------------------

    def listing(self, path: str, title: str, rows: list[dict[str, Any]]) -> Page:
        context = self._base("../", title)
        context["rows"] = rows
        return Page(path, "listing.html", context)

    def document_listing(self) -> Page:
        return self.listing("documents/index.html", "Documents", self._document_rows())

    def party_listing(self) -> Page:
        return self.listing("parties/index.html", "Parties", self._party_rows())

    def _document_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "page": f"{source_id}.html",
                "name": source.title or source_id,
                "id": source_id,
                "detail": ", ".join(item for item in (source.publisher, source.published) if item),
                "count": sum(
                    len(items) for items in self.gathered.citations.get(source_id, {}).values()
                ),
            }
            for source_id, source in sorted(self.sources.items())
        ]

    def _party_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "page": f"{party_id}.html",
                "name": party.name or party_id,
                "id": party_id,
                "detail": side_label(party.side),
                "count": len(self.gathered.party_positions.get(party_id, [])),
            }
            for party_id, party in sorted(self.parties.items())
        ]


def _filter(name: str, legend: str, prefix: str, values: list[tuple[str, int]]) -> dict[str, Any]:
    return {
        "name": name,
        "legend": legend,
        "options": [
            {"id": f"f-{prefix}-{number}", "class": f"{prefix}-{number}", "label": value}
            for value, number in values
        ],
    }


def _lines(
    text: str, by_span: Mapping[tuple[int, int], list[_Citation]]
) -> list[list[dict[str, Any]]]:
    """The document's lines, each cut into pieces that are quoted or not.

    A quoted passage becomes one ``mark`` per piece; its first piece carries its anchor,
    its last the links to the disputes that cite it. The text is cut at every line start
    and at every start and end of a quote, so overlapping quotes each keep their marks.
    """
    starts = [0] + [match.end() for match in LINE_BREAK.finditer(text)]
    opening: dict[int, list[tuple[int, int]]] = {}
    closing: dict[int, list[tuple[int, int]]] = {}
    for span in sorted(by_span):
        opening.setdefault(span[0], []).append(span)
        closing.setdefault(span[1], []).append(span)
    bounds = sorted({*starts, len(text), *opening, *closing})
    lines: list[list[dict[str, Any]]] = [[] for _ in starts]
    active: set[tuple[int, int]] = set()
    line = 0
    for left, right in itertools.pairwise(bounds):
        active.difference_update(closing.get(left, ()))
        active.update(opening.get(left, ()))
        while line + 1 < len(starts) and starts[line + 1] <= left:
            line += 1
        piece = text[left:right].rstrip("\r\n")
        anchors = [quote_anchor(*span) for span in opening.get(left, ())]
        cites = [vars(item) for span in closing.get(right, ()) for item in by_span[span]]
        if piece or anchors or cites:
            lines[line].append(
                {"text": piece, "marked": bool(active), "anchors": anchors, "cites": cites}
            )
    return lines
