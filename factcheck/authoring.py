"""The authoring commands as library functions: new, quote, add-source, and catalogue usage.

Fact-checkers write claim files by hand; these functions make the routine parts quick and
hard to get wrong. ``new_dispute`` writes a commented template whose empty placeholders
``factcheck validate`` reports one by one until they are filled; ``find_quote`` matches a
passage exactly as the quote check does (one normaliser) and gives it back in the
document's own typography, ready to paste; ``add_source`` archives a document and records
its digest without disturbing the catalogue's comments; ``source_usage`` and
``party_usage`` say which catalogue entries the claim files lean on and which none does.

Refusals raise ``WorkspaceError`` with a message that says what to do instead; nothing here
prints, so a notebook or another program can call these functions too.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from factcheck import roundtrip, schema
from factcheck.analysis import origin_of
from factcheck.checks.fields import valid_date
from factcheck.loader import MAX_DOCUMENT_BYTES, Archive, load_archive, resolve_document
from factcheck.model import Catalogue, Party, Source
from factcheck.quotes import MIN_QUOTE_LENGTH, Closest, SourceText, fragments, normalise
from factcheck.workspace import PARTIES_FILE, SOURCES_FILE, Workspace, WorkspaceError
from factcheck.yamlnodes import Location, decode_text, load_file, read_bytes

NEAREST = 3
"""How many nearest ids a refusal names."""


def nearest_ids(word: str, known: Iterable[str], count: int = NEAREST) -> list[str]:
    """The known ids closest to a misspelt or shortened one, best first."""
    known = sorted(known)
    containing = [item for item in known if word and word in item]
    close = difflib.get_close_matches(word, known, n=count, cutoff=0.5)
    return list(dict.fromkeys(containing + close))[:count]


def unknown_id(kind: str, word: str, known: Iterable[str], where: str) -> WorkspaceError:
    """A refusal for an unknown id that names the nearest known ones."""
    known = list(known)
    close = nearest_ids(word, known)
    if close:
        hint = "did you mean " + " or ".join(f"'{item}'" for item in close) + "?"
    elif known:
        hint = f"{len(known)} {kind}s are listed in {where}"
    else:
        hint = f"{where} lists none"
    return WorkspaceError(f"unknown {kind} '{word}' ({hint})")


def check_identifier(value: str, kind: str) -> None:
    """Refuse an id that is not kebab-case, suggesting the kebab-case form."""
    if schema.IDENTIFIER.fullmatch(value):
        return
    suggestion = "-".join(re.sub(r"[^a-z0-9]+", " ", value.lower()).split())
    example = f", e.g. '{suggestion}'" if suggestion else ""
    raise WorkspaceError(
        f"'{value}' is not a valid {kind} id: use lowercase letters, digits and single "
        f"hyphens (kebab-case){example}"
    )


def load_catalogue(workspace: Workspace, kind: str) -> Archive:
    """The workspace's archive, refused when the catalogue of ``kind`` cannot be read."""
    archive = load_archive(workspace)
    _catalogue(archive, kind)
    return archive


def _catalogue(archive: Archive, kind: str) -> Catalogue:
    """The archive's catalogue, refusing to guess when the catalogue file itself is broken."""
    relative = PARTIES_FILE if kind == "party" else SOURCES_FILE
    entries = archive.catalogue.parties if kind == "party" else archive.catalogue.sources
    broken = [item for item in archive.findings if item.path == relative]
    if not entries and broken:
        first = broken[0]
        raise WorkspaceError(
            f"{relative}:{first.line}:{first.column}: {first.message}; "
            "fix the catalogue first ('factcheck validate' lists every problem)"
        )
    return archive.catalogue


def _known_party(catalogue: Catalogue, party: str) -> Party:
    if party not in catalogue.parties:
        raise unknown_id("party", party, catalogue.parties, PARTIES_FILE)
    return catalogue.parties[party]


# --- new --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewDispute:
    """A claim file written from the template: where, and its text."""

    path: str
    text: str


def new_dispute(
    workspace: Workspace,
    dispute_id: str,
    party: str,
    counter_parties: Iterable[str] = (),
    title: str | None = None,
) -> NewDispute:
    """Write ``claims/<id>.yaml`` from the commented template; never overwrite a file."""
    check_identifier(dispute_id, "dispute")
    counter_parties = list(dict.fromkeys(counter_parties))
    claims = workspace.claims_dir
    for suffix in (".yaml", ".yml"):
        existing = claims / f"{dispute_id}{suffix}"
        if os.path.lexists(existing):
            raise WorkspaceError(
                f"{workspace.relative(existing)} already exists; choose another id, or edit it"
            )
    if party in counter_parties:
        raise WorkspaceError(f"'{party}' cannot be both the party and a counter-party")
    catalogue = _catalogue(load_archive(workspace), "party")
    parties = [_known_party(catalogue, item) for item in [party, *counter_parties]]
    if title is not None and not title.strip():
        raise WorkspaceError("--title is empty; give the disputed question, or leave it out")
    text = template(dispute_id, parties[0], parties[1:], title)
    claims.mkdir(exist_ok=True)
    path = claims / f"{dispute_id}.yaml"
    roundtrip.write_atomic(workspace, path, text.encode("utf-8"), create=True)
    return NewDispute(workspace.relative(path), text)


def _describe(record: schema.RecordSpec, name: str) -> str:
    spec_field = record.field(name)
    assert spec_field is not None
    return spec_field.description


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def template(dispute_id: str, party: Party, counter_parties: list[Party], title: str | None) -> str:
    """The text of a new claim file: every field explained, every gap an empty value.

    Empty values are what ``factcheck validate`` reports as missing (FC101), each at its
    own line, so the template validates exactly when every placeholder is filled. The text
    is already in the canonical layout, so ``fmt`` leaves a fresh template alone.
    """
    dispute = schema.DISPUTE
    lines = [
        f"# claims/{dispute_id}.yaml: fill in every value marked TODO, then run",
        f"# 'factcheck validate claims/{dispute_id}.yaml', which reports each one still empty.",
        "# 'factcheck sources' lists the archived documents; 'factcheck quote SOURCE \"words\"'",
        "# finds a verbatim passage in one and prints it ready to paste.",
        "",
    ]
    if title is None:
        lines.append(f"title:   # TODO: {_describe(dispute, 'title')}")
    else:
        lines.append(roundtrip.dump({"title": roundtrip.text_value(title, 7, 0)}).rstrip("\n"))
    lines += [
        f"# date: 2024-03-26  # {_describe(dispute, 'date')}",
        f"# tags: [topic-id]  # {_describe(dispute, 'tags')}",
        f"# {_describe(dispute, 'claim')}: who, what, where on record, and the evidence",
        "claim:",
        *_position_lines(party, "  ", "  "),
    ]
    if counter_parties:
        lines += [f"# {_describe(dispute, 'counter_claims')}, one per party", "counter_claims:"]
        for counter in counter_parties:
            lines += _position_lines(counter, "  - ", "    ")
    else:
        lines += [
            f"# {_describe(dispute, 'counter_claims')}: add one like the claim above,",
            "# as a list item ('- party: ...'), for each party that says the opposite",
            "counter_claims: []",
        ]
    return "\n".join(lines) + "\n"


def _position_lines(party: Party, first: str, indent: str) -> list[str]:
    position, passage, evidence = schema.POSITION, schema.PASSAGE, schema.EVIDENCE
    stances = ", ".join(schema.EVIDENCE.field("stance").choices)  # type: ignore[union-attr]
    verdicts = ", ".join(position.field("verdict").choices[:3]) + " ..."  # type: ignore[union-attr]
    name = _one_line(party.name) or party.id
    return [
        f"{first}party: {party.id}   # {name}",
        f"{indent}statement:   # TODO: {_describe(position, 'statement')}",
        f"{indent}# {_describe(position, 'asserted_in')} (at least one)",
        f"{indent}asserted_in:",
        f"{indent}  - source:   # TODO: {_describe(passage, 'source')}",
        f"{indent}    quote:   # TODO: {_describe(passage, 'quote')}",
        f"{indent}# {_describe(position, 'evidence')}: each with source, quote",
        f"{indent}# and stance ({stances}), and optionally speaker",
        f"{indent}# ({_describe(evidence, 'speaker')}), credibility (1-6) and note",
        f"{indent}evidence: []",
        f"{indent}# {_describe(position, 'corroboration')}: 'factcheck validate' says",
        f"{indent}# what the evidence on file shows when it differs",
        f"{indent}corroboration: uncorroborated",
        f"{indent}# once reviewed, a verdict ({verdicts})",
        f"{indent}# and a rationale: {_describe(position, 'rationale')}",
        f"{indent}# verdict: unproven",
        f"{indent}# rationale: >-",
        f"{indent}#   TODO",
    ]


# --- quote ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Passage:
    """A stretch of a document exactly as it stands there, and where it starts."""

    at: Location
    text: str


@dataclass
class QuoteLookup:
    """What ``quote`` found: the passages and a YAML snippet, or the closest passages."""

    source: Source
    document: str
    query: str
    passages: list[Passage] = field(default_factory=list)
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
    catalogue = _catalogue(archive, "source")
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
        Passage(at, original_passage(document, at, part))
        for at, part in zip(match.fragments, parts, strict=True)
    ]
    lookup.occurrences = document.normal.count(parts[0]) if len(parts) == 1 else 1
    quote = " ... ".join(_one_line(passage.text) for passage in lookup.passages)
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


# --- add-source -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddedSource:
    """A document archived in seeds/ and catalogued in seeds/sources.yaml."""

    id: str
    path: str
    sha256: str
    copied: bool


def add_source(
    workspace: Workspace,
    document: str | os.PathLike[str],
    source_id: str,
    title: str,
    *,
    party: str | None = None,
    author: str | None = None,
    publisher: str | None = None,
    published: str | None = None,
    url: str | None = None,
) -> AddedSource:
    """Archive a document in seeds/ and record its digest and metadata in sources.yaml.

    The bytes are copied exactly (never over an existing file) and must be UTF-8 text, so
    quotes can be checked against them. A document already inside seeds/ is catalogued
    where it is. The new entry is appended with the keys in the declared order; the rest
    of sources.yaml, comments included, is kept.
    """
    check_identifier(source_id, "source")
    if not title.strip():
        raise WorkspaceError("--title is empty; give the document's title")
    if published is not None and not valid_date(published):
        raise WorkspaceError(
            f"--published '{published}' is not a valid date; write it as YYYY-MM-DD, "
            "e.g. 2024-03-26"
        )
    sources_path = workspace.root / SOURCES_FILE
    sources_text = _catalogue_text(workspace, sources_path)
    archive = load_archive(workspace)
    if party is not None:
        _known_party(_catalogue(archive, "party"), party)
    existing = _existing_sources(sources_text)
    if source_id in existing:
        raise WorkspaceError(
            f"source '{source_id}' is already in {SOURCES_FILE}; choose another id"
        )
    origin = Path(document)
    display = str(document)
    data, problem = read_bytes(origin, display, limit=MAX_DOCUMENT_BYTES)
    if problem is not None or data is None:
        raise WorkspaceError(problem.message if problem else f"{display}: cannot be read")
    _, problem = decode_text(data, display)
    if problem is not None:
        raise WorkspaceError(
            f"{display}:{problem.line}:{problem.column}: {problem.message}; "
            "archive a UTF-8 text copy of the document"
        )
    file, target, copied = _place(workspace, origin, existing)
    digest = hashlib.sha256(data).hexdigest()
    values = {
        "file": file,
        "sha256": digest,
        "title": title,
        "author": author,
        "publisher": publisher,
        "published": published,
        "url": url,
        "party": party,
    }
    new_text = _with_source(sources_text, source_id, values)
    if copied:
        roundtrip.write_atomic(workspace, target, data, create=True)
    try:
        if sources_text is None:
            roundtrip.write_atomic(workspace, sources_path, new_text.encode(), create=True)
        else:
            roundtrip.write_atomic(workspace, sources_path, new_text.encode())
    except BaseException:
        if copied:
            target.unlink(missing_ok=True)
        raise
    return AddedSource(source_id, workspace.relative(target), digest, copied)


def _catalogue_text(workspace: Workspace, path: Path) -> str | None:
    """The text of sources.yaml, refusing one that cannot be edited safely."""
    if not os.path.lexists(path):
        return None
    refusal = roundtrip.outside_workspace(workspace, path)
    if refusal:
        raise WorkspaceError(refusal)
    document = load_file(path, SOURCES_FILE)
    if document.findings or document.root is None:
        first = document.findings[0] if document.findings else None
        where = f"{first.path}:{first.line}:{first.column}: {first.message}" if first else ""
        raise WorkspaceError(f"{where or SOURCES_FILE + ' holds no mapping'}; fix it first")
    return path.read_text(encoding="utf-8").removeprefix("\ufeff")


def _existing_sources(text: str | None) -> dict[str, str]:
    """Source id to file, as sources.yaml lists them (before any other check)."""
    if text is None:
        return {}
    data = roundtrip.plain_data(text)
    sources = data.get("sources")
    if not isinstance(sources, dict):
        return {}
    return {
        key: value.get("file", "") if isinstance(value, dict) else ""
        for key, value in sources.items()
    }


def _place(workspace: Workspace, origin: Path, existing: dict[str, str]) -> tuple[str, Path, bool]:
    """Where the document goes in seeds/, and whether it must be copied there."""
    seeds = workspace.seeds_dir
    real_seeds = os.path.realpath(seeds)
    real = os.path.realpath(origin)
    if os.path.commonpath([real_seeds, real]) == real_seeds:
        file = Path(os.path.relpath(real, real_seeds)).as_posix()
        for other, recorded in existing.items():
            if recorded == file:
                raise WorkspaceError(f"seeds/{file} is already catalogued as source '{other}'")
        path, refusal = resolve_document(workspace, file)
        if path is None:
            raise WorkspaceError(refusal)
        return file, path, False
    name = origin.name
    if name.startswith(".") or not name:
        raise WorkspaceError(f"{origin}: give the document a visible file name")
    target = seeds / name
    if os.path.lexists(target):
        raise WorkspaceError(
            f"seeds/{name} already exists; it is not overwritten (rename the document, "
            "or catalogue the file already in seeds/)"
        )
    return name, target, True


def _with_source(text: str | None, source_id: str, values: dict[str, str | None]) -> str:
    """sources.yaml with one more entry, every comment and value of the rest kept."""
    entry = CommentedMap()
    for name in schema.SOURCE.names:
        value = values.get(name)
        if value is not None:
            entry[name] = roundtrip.text_value(value, len(name) + 2, 4)
    if text is None:
        data = CommentedMap()
        data["sources"] = CommentedMap({source_id: entry})
        return roundtrip.dump(data)

    def add(data: CommentedMap) -> None:
        sources = data.get("sources")
        if not isinstance(sources, CommentedMap):
            sources = CommentedMap()
            data["sources"] = sources
        sources.fa.set_block_style()
        sources[source_id] = entry

    new_text = roundtrip.edit_text(text, add)
    reread = roundtrip.plain_data(new_text)["sources"][source_id]
    if reread != {key: str(value) for key, value in entry.items()}:  # pragma: no cover
        raise WorkspaceError("internal error: the new entry did not read back as written")
    return new_text


# --- usage of the catalogue -------------------------------------------------------------------


@dataclass
class SourceUsage:
    """How the claim files use one archived document."""

    source: Source
    citations: int = 0
    disputes: list[str] = field(default_factory=list)
    reported_by: list[str] = field(default_factory=list)

    @property
    def used(self) -> bool:
        return bool(self.citations or self.reported_by)


@dataclass
class PartyUsage:
    """How the claim files use one party: positions it holds, passages from it."""

    party: Party
    positions: int = 0
    passages: int = 0
    disputes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def used(self) -> bool:
        return bool(self.positions or self.passages or self.sources)


def source_usage(archive: Archive) -> list[SourceUsage]:
    """Every catalogued source with its citations, in catalogue order."""
    usage = {key: SourceUsage(source) for key, source in archive.catalogue.sources.items()}
    for source in archive.catalogue.sources.values():
        for ref in source.based_on:
            if ref.id in usage and ref.id != source.id:
                usage[ref.id].reported_by.append(source.id)
    for dispute in archive.disputes:
        for position in dispute.positions:
            for passage in position.passages:
                entry = usage.get(passage.source or "")
                if entry is not None:
                    entry.citations += 1
                    _add_once(entry.disputes, dispute.id)
    return list(usage.values())


def party_usage(archive: Archive) -> list[PartyUsage]:
    """Every catalogued party with the positions it holds and the passages it speaks in."""
    catalogue = archive.catalogue
    usage = {key: PartyUsage(party) for key, party in catalogue.parties.items()}
    for source in catalogue.sources.values():
        if source.party in usage:
            usage[source.party].sources.append(source.id)
    for dispute in archive.disputes:
        for position in dispute.positions:
            if position.party in usage:
                usage[position.party].positions += 1
                _add_once(usage[position.party].disputes, dispute.id)
            for passage in position.passages:
                # an asserted_in passage speaks for the position's party (SPEC 2.3)
                origin = (
                    position.party if not passage.is_evidence else origin_of(passage, catalogue)
                )
                if origin in usage:
                    usage[origin].passages += 1
                    _add_once(usage[origin].disputes, dispute.id)
    return list(usage.values())


def _add_once(items: list[str], item: str) -> None:
    if item not in items:
        items.append(item)
