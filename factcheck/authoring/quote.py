"""``factcheck quote``: find a passage in a source as the quote check does, ready to paste.

It uses the one quote normaliser, so what it finds is exactly what ``validate`` accepts,
given back in the document's own typography.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from factcheck.authoring import roundtrip
from factcheck.authoring.lookup import (
    NEAREST,
    catalogue_of,
    unknown_id,
)
from factcheck.files.yamlnodes import Location
from factcheck.model import Source
from factcheck.rules.quotes import MIN_QUOTE_LENGTH, Closest, SourceText, fragments, normalise
from factcheck.text import one_line
from factcheck.workspace.loader import load_archive
from factcheck.workspace.root import SOURCES_FILE, Workspace, WorkspaceError


@dataclass(frozen=True)
class DocumentPassage:
    """A stretch of a document exactly as it stands there, and where it starts."""

    at: Location
    text: str


@dataclass
class QuoteLookup:
    """What ``quote`` found: the passages and a YAML snippet, or the closest passages."""

    source: Source
    document: str
    query: str
    passages: list[DocumentPassage] = field(default_factory=list)
    snippet: str = ""
    occurrences: int = 0
    missing: str = ""
    closest: list[Closest] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.passages)

    @property
    def too_short(self) -> bool:
        return len(normalise(self.query)) < MIN_QUOTE_LENGTH


def find_quote(workspace: Workspace, source_id: str, text: str) -> QuoteLookup:
    """Find TEXT in a source as the quote check would, in the document's own words."""
    if not fragments(text):
        raise WorkspaceError("the text to find is empty; give a few words of the passage")
    archive = load_archive(workspace)
    catalogue = catalogue_of(archive, "source")
    if source_id not in catalogue.sources:
        raise unknown_id("source", source_id, catalogue.sources, SOURCES_FILE)
    source = catalogue.sources[source_id]
    display = f"seeds/{source.file}"
    document = archive.documents.get(source_id)
    if document is None:
        reasons = [item.message for item in archive.findings if f"'{source_id}'" in item.message]
        reason = reasons[0] if reasons else f"{display} cannot be read"
        raise WorkspaceError(f"source '{source_id}': {reason}")
    lookup = QuoteLookup(source, display, text)
    match = document.find(text)
    if not match.found:
        lookup.missing = match.missing_fragment
        lookup.closest = document.closest(match.missing_fragment, NEAREST)
        return lookup
    parts = fragments(text)
    lookup.passages = [
        DocumentPassage(at, original_passage(document, at, part))
        for at, part in zip(match.fragments, parts, strict=True)
    ]
    lookup.occurrences = document.normal.count(parts[0]) if len(parts) == 1 else 1
    quote = " ... ".join(one_line(passage.text) for passage in lookup.passages)
    lookup.snippet = passage_snippet(source_id, quote)
    return lookup


def original_passage(document: SourceText, at: Location, fragment: str) -> str:
    """The document's own text of a matched fragment that starts at ``at``.

    The match is made on normalised text; this finds the shortest stretch of the original
    that normalises to the fragment, so the passage keeps the document's typography.
    """
    text = document.text
    start = document.offset(at)
    wanted = len(fragment)
    size = max(wanted, 1)
    while len(normalise(text[start : start + size])) < wanted and start + size < len(text):
        size *= 2
    low, high = 1, min(size, len(text) - start)
    while low < high:
        middle = (low + high) // 2
        if len(normalise(text[start : start + middle])) >= wanted:
            high = middle
        else:
            low = middle + 1
    passage = text[start : start + low]
    return passage if normalise(passage) == fragment else fragment


def passage_snippet(source_id: str, quote: str) -> str:
    """A YAML passage ready to paste under ``asserted_in:`` or ``evidence:``."""
    entry = CommentedMap()
    entry["source"] = source_id
    entry["quote"] = roundtrip.text_value(quote, len("quote: "), 2)
    snippet = textwrap.dedent(roundtrip.dump(CommentedSeq([entry])))
    reread = roundtrip.make_yaml().load(snippet)
    if str(reread[0]["quote"]) != quote:  # pragma: no cover - guarded by foldable()
        entry["quote"] = quote
        snippet = textwrap.dedent(roundtrip.dump(CommentedSeq([entry])))
    return snippet
