"""The field specifications of claim files and the two catalogues, declared once.

The same declarations drive three things: reading files into the model (with FC101–FC106
findings), the JSON Schema that ``factcheck schema`` prints for editors, and the canonical
key order that ``factcheck fmt`` writes. Declaring them once keeps the three from drifting.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from factcheck import model

IDENTIFIER = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
IDENTIFIER_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
SHA256_PATTERN = "^[0-9a-f]{64}$"

TEXT = "text"
IDENTIFIER_KIND = "id"
DATE = "date"
CHOICE = "choice"
SHA256 = "sha256"
ID_LIST = "id-list"
RECORD = "record"
RECORD_LIST = "record-list"
RECORD_MAP = "record-map"
TEXT_MAP = "text-map"
RATING_LABEL = "rating-label"
"""A verdict as the desk's rating scale labels it: any text when read, checked against the
scale in ``factcheck.yaml`` by the claim checks (FC104), which know the settings."""


@dataclass(frozen=True)
class Field:
    """One field of a record: its kind, whether it is required, and what it is for."""

    name: str
    kind: str
    description: str
    required: bool = False
    nullable: bool = False
    choices: tuple[str, ...] = ()
    record: RecordSpec | None = None
    min_items: int = 0
    required_with: str = ""  # required when this other field of the record is present

    @property
    def nested(self) -> RecordSpec:
        """The spec of the mappings a record field holds: declared for every record kind."""
        if self.record is None:
            raise TypeError(f"field '{self.name}' of kind {self.kind} declares no record")
        return self.record


@dataclass(frozen=True)
class RecordSpec:
    """A kind of mapping (a position, a passage, a source ...) and how to build it."""

    name: str
    fields: tuple[Field, ...]
    build: Callable[..., Any] = field(default=dict)

    def field(self, name: str) -> Field | None:
        """The field called ``name``: a dictionary lookup, since it runs for every key read."""
        return self._by_name.get(name)

    @functools.cached_property
    def _by_name(self) -> dict[str, Field]:
        return {item.name: item for item in self.fields}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.fields)


def _build_evidence(**values: Any) -> model.Passage:
    return model.Passage(**values, is_evidence=True)


PASSAGE = RecordSpec(
    "passage",
    (
        Field("source", IDENTIFIER_KIND, "id of the archived document in seeds/sources.yaml", True),
        Field("quote", TEXT, "verbatim text from that document", True),
    ),
    model.Passage,
)

EVIDENCE = RecordSpec(
    "evidence passage",
    (
        *PASSAGE.fields,
        Field(
            "stance",
            CHOICE,
            "how the passage bears on the statement",
            True,
            choices=model.STANCES,
        ),
        Field("speaker", IDENTIFIER_KIND, "party whose assertion the passage carries"),
        Field(
            "credibility",
            CHOICE,
            "Admiralty information grade: 1 confirmed ... 6 cannot be judged",
            choices=model.CREDIBILITY_GRADES,
        ),
        Field("note", TEXT, "the desk's remark on the passage"),
    ),
    _build_evidence,
)

POSITION = RecordSpec(
    "position",
    (
        Field("party", IDENTIFIER_KIND, "id of the party that holds this position", True),
        Field("statement", TEXT, "what the party asserts, in the desk's neutral words", True),
        Field(
            "asserted_in",
            RECORD_LIST,
            "passages where the party is on record",
            True,
            record=PASSAGE,
            min_items=1,
        ),
        Field("evidence", RECORD_LIST, "passages that bear on the statement", record=EVIDENCE),
        Field(
            "corroboration",
            CHOICE,
            "independent-corroboration status",
            True,
            choices=model.CORROBORATION_STATUSES,
        ),
        Field(
            "verdict",
            RATING_LABEL,
            "the desk's rating, a label of its rating scale (absent: pending)",
            choices=model.VERDICTS,
        ),
        Field("rationale", TEXT, "why the desk rated it so", required_with="verdict"),
        Field("reviewed", DATE, "when the desk rated it (YYYY-MM-DD)"),
    ),
    model.Position,
)

DISPUTE = RecordSpec(
    "dispute",
    (
        Field("title", TEXT, "the disputed question, worded neutrally", True),
        Field("date", DATE, "when the event happened or the claim was made (YYYY-MM-DD)"),
        Field("tags", ID_LIST, "topic identifiers"),
        Field("notes", TEXT, "the desk's notes"),
        Field("claim", RECORD, "the position that asserts something", True, record=POSITION),
        Field(
            "counter_claims",
            RECORD_LIST,
            "positions that say the opposite",
            record=POSITION,
        ),
    ),
    model.Dispute,
)

SOURCE = RecordSpec(
    "source",
    (
        Field("file", TEXT, "path of the document, relative to seeds/", True),
        Field("sha256", SHA256, "hex SHA-256 digest of the document's bytes", True),
        Field(
            "original",
            TEXT,
            "the page or PDF as published, relative to seeds/, when 'file' is its readable text",
        ),
        Field("original_sha256", SHA256, "hex SHA-256 digest of the original's bytes"),
        Field("title", TEXT, "the document's title", True),
        Field("author", TEXT, "author as the document shows it", nullable=True),
        Field("publisher", TEXT, "publisher or outlet", nullable=True),
        Field("published", DATE, "publication date (YYYY-MM-DD)", nullable=True),
        Field("url", TEXT, "where the document was published", nullable=True),
        Field(
            "party",
            IDENTIFIER_KIND,
            "party a passage speaks for when it names no speaker",
            nullable=True,
        ),
        Field("based_on", ID_LIST, "ids of documents this one re-reports"),
        Field(
            "reliability",
            CHOICE,
            "Admiralty source-reliability grade: A completely reliable ... F cannot be judged",
            choices=model.RELIABILITY_GRADES,
        ),
    ),
    model.Source,
)

PARTY = RecordSpec(
    "party",
    (
        Field("name", TEXT, "the party's full name", True),
        Field(
            "side",
            IDENTIFIER_KIND,
            "the declared side it belongs to, or 'none' when the desk checked and found it "
            "aligned with no side (absent: alignment not recorded, so its passages never count)",
        ),
        Field("kind", CHOICE, "what kind of party it is", choices=model.PARTY_KINDS),
        Field(
            "description",
            TEXT,
            "who the party is, and why the desk places it on its side (required with 'side: none')",
        ),
    ),
    model.Party,
)

SOURCES_FILE = RecordSpec(
    "sources catalogue",
    (Field("sources", RECORD_MAP, "archived documents by id", True, record=SOURCE),),
)

PARTIES_FILE = RecordSpec(
    "parties catalogue",
    (
        Field("sides", TEXT_MAP, "the camps of the disputes, by id"),
        Field("parties", RECORD_MAP, "who speaks, by id", True, record=PARTY),
    ),
)

PUBLISHER = RecordSpec(
    "publisher",
    (
        Field("name", TEXT, "the desk's name, as its readers know it", True),
        Field("url", TEXT, "the desk's home page (an http or https address)"),
        Field("logo", TEXT, "the address of the desk's logo (http or https)"),
    ),
)

RATING = RecordSpec(
    "rating",
    (
        Field("label", TEXT, "the desk's label, as claim files and pages show it", True),
        Field(
            "verdict",
            CHOICE,
            "the built-in verdict whose rules the label inherits",
            True,
            choices=model.VERDICTS,
        ),
        Field("description", TEXT, "what the label means, for readers"),
    ),
)

PUBLISHING = RecordSpec(
    "settings",
    (
        Field("publisher", RECORD, "who publishes the desk's reviews", record=PUBLISHER),
        Field("site_url", TEXT, "the base address of the published dispute pages"),
        Field(
            "rating_scale",
            RECORD_LIST,
            "the desk's labels from best to worst, each mapped to a built-in verdict",
            record=RATING,
            min_items=1,
        ),
    ),
)
"""The settings of ``factcheck.yaml`` that are records, read like any file's fields."""
