"""Load a whole workspace: the catalogues, every claim file and the archived documents.

Each file is read on its own and a file that fails to parse becomes findings, never an
abort, so one run reports every problem in every file. Reading a claim file is a pure
function of its bytes and name, which is what makes it safe to cache and to run in
parallel. Source documents are opened only inside ``seeds/`` and only when they are
regular files, so a catalogue entry cannot make the tool read elsewhere or hang on a FIFO.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from factcheck.files.paths import is_inside
from factcheck.files.yamlnodes import decode_text, load_bytes, load_file, read_bytes
from factcheck.findings import Finding, finding
from factcheck.model import Catalogue, Dispute, Position, Source
from factcheck.rules.independence import Assessment, assess
from factcheck.rules.quotes import SourceText
from factcheck.workspace import schema
from factcheck.workspace.fields import FieldReader
from factcheck.workspace.root import CLAIMS_DIR, PARTIES_FILE, SOURCES_FILE, Workspace

MAX_DOCUMENT_BYTES = 16 << 20
MAX_POSITIONS = 32
"""Positions (the claim and its counter-claims) one dispute may hold."""
MAX_NAME_BYTES = 255
"""The longest file name (one part of a path) that file systems allow."""


@dataclass
class ClaimFile:
    """One claim file as read: its dispute (``None`` when unreadable) and its findings."""

    path: str
    dispute: Dispute | None
    findings: list[Finding] = field(default_factory=list)

    @classmethod
    def deferred(cls, path: str | Path, display: str, findings: list[Finding]) -> ClaimFile:
        """A claim file whose findings are known and whose dispute is read when first used."""
        return _DeferredClaimFile(path, display, findings)


class _DeferredClaimFile(ClaimFile):
    """A claim file whose findings came from the cache: its dispute is read on first use.

    ``validate`` needs only findings, and a warm run takes them from the cache; reading ten
    thousand disputes nobody looks at would cost more than the rest of the run.
    """

    def __init__(self, path: str | Path, display: str, findings: list[Finding]) -> None:
        self.path = display
        self.findings = findings
        self._source = path

    @functools.cached_property
    def dispute(self) -> Dispute | None:  # type: ignore[override]
        return read_claim_file(self._source, self.path).dispute


class Documents(Mapping[str, SourceText]):
    """The archived documents by source id, each prepared for matching on first use.

    Preparing a document (normalising it with a map back to lines) is the slowest step of
    reading the evidence locker, and a run whose quote results all come from the cache
    needs none of them.
    """

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        self.texts = dict(texts or {})
        self._prepared: dict[str, SourceText] = {}  # by text

    def __getitem__(self, source_id: str) -> SourceText:
        """The prepared document; sources that share a file share one preparation (keyed by
        the text, whose hash Python keeps), so 200 entries naming one document cost one."""
        text = self.texts[source_id]
        prepared = self._prepared.get(text)
        if prepared is None:
            prepared = self._prepared[text] = SourceText(text)
        return prepared

    def __iter__(self) -> Iterator[str]:
        return iter(self.texts)

    def __len__(self) -> int:
        return len(self.texts)


@dataclass
class Archive:
    """Everything a run knows about a workspace, before the cross-file checks."""

    workspace: Workspace
    catalogue: Catalogue
    claim_files: list[ClaimFile]
    documents: Mapping[str, SourceText] = field(default_factory=Documents)
    findings: list[Finding] = field(default_factory=list)
    digests: dict[str, str] = field(default_factory=dict)
    """sha256 of each catalogued document's bytes by source id ('' when unreadable)."""
    derived: dict[str, object] = field(default_factory=dict)
    """What a command asked the run to derive from each readable dispute, by claim file
    path (see ``engine.incremental.Extra``); empty unless one was asked for."""
    read_record: Callable[[Any], bytes | None] | None = field(default=None, repr=False)
    """Reads a record an ``Extra`` kept by reference in ``derived`` (``None``: gone)."""
    resolved_paths: dict[str, str] | None = field(default=None, repr=False)
    """``document_paths`` once resolved."""
    _assessments: dict[tuple[int, int], tuple[Position, Assessment]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def assessment(self, dispute: Dispute, position: Position, min_origins: int) -> Assessment:
        """``rules.independence.assess`` of one position, worked out once per archive: the
        checks judge every position, and the report's views of the same batch ask again."""
        key = (id(position), min_origins)
        known = self._assessments.get(key)
        if known is None or known[0] is not position:
            known = self._assessments[key] = (
                position,
                assess(dispute, position, self.catalogue, min_origins),
            )
        return known[1]

    @property
    def disputes(self) -> list[Dispute]:
        return [item.dispute for item in self.claim_files if item.dispute is not None]

    @property
    def paths(self) -> list[str]:
        """Every file the run read, as shown in output."""
        return [SOURCES_FILE, PARTIES_FILE] + [item.path for item in self.claim_files]

    @property
    def document_paths(self) -> dict[str, str]:
        """Each catalogued document's path as shown to users, by source id: resolved once
        per run, since resolving it checks every link on the way (a worker's batches are
        given the paths the main process resolved)."""
        if self.resolved_paths is None:
            paths = {}
            for source_id, source in self.catalogue.sources.items():
                if source.file:
                    path, _ = resolve_document(self.workspace, source.file)
                    paths[source_id] = self.workspace.relative(path) if path else source.file
            self.resolved_paths = paths
        return self.resolved_paths


def load_archive(workspace: Workspace) -> Archive:
    """Read the catalogues, the claim files and the documents of a workspace."""
    archive = load_locker(workspace)
    archive.claim_files = [
        read_claim_file(path, display) if inside else outside_claim_file(display)
        for path, display, inside in workspace.claim_paths()
    ]
    return archive


def outside_claim_file(display: str) -> ClaimFile:
    """A claim file that is a link leading outside the workspace: refused, not read."""
    return ClaimFile(display, None, [_outside_workspace(display)])


def load_locker(workspace: Workspace) -> Archive:
    """Read the catalogues and the documents: everything but the claim files."""
    findings: list[Finding] = []
    catalogue = Catalogue()
    parties = _read_catalogue(workspace, PARTIES_FILE, schema.PARTIES_FILE, findings)
    if parties:
        catalogue.sides = parties.get("sides", {})
        catalogue.parties = parties.get("parties", {})
    catalogue.parties_readable = parties is not None
    sources = _read_catalogue(workspace, SOURCES_FILE, schema.SOURCES_FILE, findings)
    if sources:
        catalogue.sources = sources.get("sources", {})
    catalogue.sources_readable = sources is not None
    if workspace.claims_dir.is_dir() and not workspace.contains(workspace.claims_dir):
        findings.append(_outside_workspace(CLAIMS_DIR))
    texts: dict[str, str] = {}
    digests: dict[str, str] = {}
    reads: dict[Path, _Read] = {}
    for source in catalogue.sources.values():
        text = read_document(workspace, source, findings, digests, reads)
        if text is not None:
            texts[source.id] = text
    return Archive(workspace, catalogue, [], Documents(texts), findings, digests)


def read_claim_file(path: str | Path, display: str) -> ClaimFile:
    """Read one claim file into a dispute, reporting FC001–FC106."""
    data, problem = read_bytes(path, display)
    if data is None:
        return ClaimFile(display, None, [problem] if problem else [])
    return parse_claim(data, display)


def parse_claim(data: bytes, display: str) -> ClaimFile:
    """Parse claim-file bytes; the dispute id comes from the file name."""
    findings: list[Finding] = []
    name = PurePosixPath(display)
    dispute_id = name.stem
    if name.suffix != ".yaml":
        findings.append(
            finding(
                display,
                1,
                1,
                "FC106",
                f"claim files end in '.yaml'; rename it to {dispute_id}.yaml",
            )
        )
    elif not schema.IDENTIFIER.fullmatch(dispute_id):
        findings.append(
            finding(
                display,
                1,
                1,
                "FC106",
                f"file name '{name.name}' is not a valid dispute id: use lowercase letters, digits "
                "and single hyphens, e.g. 'bisham-attack-planning.yaml'",
            )
        )
    document = load_bytes(data, display)
    findings.extend(document.findings)
    if document.root is None:
        return ClaimFile(display, None, findings)
    reader = FieldReader(display)
    dispute = reader.read_record(document.root, schema.DISPUTE, id=dispute_id, path=display)
    findings.extend(reader.findings)
    if dispute is not None:
        dispute = _label_positions(dispute, findings)
    return ClaimFile(display, dispute, findings)


def _label_positions(dispute: Dispute, findings: list[Finding]) -> Dispute:
    """Name each position by its role, keeping at most ``MAX_POSITIONS`` of them.

    Every view compares each position with the others (the evidence matrix has a column
    per position and a row per passage), so a dispute with thousands of counter-claims
    would cost the square of its size; the excess is refused with a finding instead.
    """
    claim = _changed(dispute.claim, role="claim") if dispute.claim else None
    counters = tuple(
        _changed(position, role=f"counter-claim {index}")
        for index, position in enumerate(dispute.counter_claims, start=1)
        if isinstance(position, Position)
    )
    if len(counters) >= MAX_POSITIONS:
        first = counters[MAX_POSITIONS - 1].at
        findings.append(
            finding(
                dispute.path,
                first.line,
                first.column,
                "FC004",
                f"more than {MAX_POSITIONS} positions in one dispute: this counter-claim and "
                f"the {len(counters) - MAX_POSITIONS} after it are not read; "
                "split the dispute into narrower questions",
            )
        )
        counters = counters[: MAX_POSITIONS - 1]
    return _changed(dispute, claim=claim, counter_claims=counters)


def _changed(record: Any, **changes: Any) -> Any:
    """``dataclasses.replace`` for the model's records, without its per-call introspection.

    The records are frozen dataclasses with no ``__post_init__``, so a copy of the instance
    dictionary with the changes is exactly what ``replace`` would build, several times
    faster; this runs three times per claim file.
    """
    copy = object.__new__(type(record))
    copy.__dict__.update(record.__dict__, **changes)
    return copy


def _read_catalogue(
    workspace: Workspace, relative: str, spec: schema.RecordSpec, findings: list[Finding]
) -> dict | None:
    path = workspace.root / relative
    if not path.exists():
        findings.append(
            finding(
                relative, 1, 1, "FC204", f"{relative} is missing; create it (see docs/formats.md)"
            )
        )
        return None
    if not workspace.contains(path):
        findings.append(_outside_workspace(relative))
        return None
    document = load_file(path, relative)
    findings.extend(document.findings)
    if document.root is None:
        return None
    reader = FieldReader(relative)
    values = reader.read_record(document.root, spec)
    findings.extend(reader.findings)
    return values


def _outside_workspace(display: str) -> Finding:
    return finding(
        display,
        1,
        1,
        "FC204",
        f"{display} is a link that leads outside the workspace; replace it with the file itself",
    )


def resolve_document(workspace: Workspace, file: str) -> tuple[Path | None, str]:
    """The path of a catalogued document inside ``seeds/``, or why it is refused."""
    posix = PurePosixPath(file.replace("\\", "/"))
    if "\0" in file:
        return None, "the file name holds a NUL character, which no file name can; fix the name"
    if any(len(part.encode()) > MAX_NAME_BYTES for part in posix.parts):
        return None, f"a part of the file name is over {MAX_NAME_BYTES} bytes; shorten it"
    if posix.is_absolute() or (file[1:3] == ":/" or file[1:3] == ":\\"):
        return None, f"file '{file}' is an absolute path; give a path relative to seeds/"
    if ".." in posix.parts:
        return None, f"file '{file}' uses '..'; documents must stay inside seeds/"
    seeds = workspace.seeds_dir
    candidate = seeds.joinpath(*posix.parts)
    if not is_inside(seeds, candidate):
        return None, f"file '{file}' is a link that leads outside seeds/; copy the document in"
    return candidate, ""


def read_document(
    workspace: Workspace,
    source: Source,
    findings: list[Finding],
    digests: dict[str, str] | None = None,
    reads: dict[Path, _Read] | None = None,
) -> str | None:
    """Read a catalogued document, checking containment, its sha256 and its encoding.

    ``digests`` receives the sha256 of the bytes read ('' when none were), which is what
    cached quote results are keyed by. An ``original`` (the page or PDF whose readable
    text ``file`` holds) is checked the same way, though only its text is matched.
    ``reads`` remembers each file already read (see ``_Read``).
    """
    reads = {} if reads is None else reads
    if digests is not None:
        digests[source.id] = ""
    if source.original is not None:
        _archived(workspace, source, "original", findings, reads)
    done = _archived(workspace, source, "file", findings, reads)
    if done is None:
        return None
    if digests is not None:
        digests[source.id] = done.digest
    if not done.decoded:
        display = workspace.relative(workspace.seeds_dir / str(source.file))
        done.text, problem = decode_text(done.data or b"", display)
        done.decoded, done.data = True, None  # the text is what is kept from now on
        if problem is not None:
            findings.append(problem)
    return done.text


DIGEST_FIELD = {"file": "sha256", "original": "original_sha256"}


@dataclass
class _Read:
    """One archived file as read: its digest and bytes (then its text), or why it cannot
    be read. A catalogue of 200 entries naming one 16 MiB document (through links too)
    reads, hashes, decodes and holds it once."""

    digest: str = ""
    data: bytes | None = None
    problem: str = ""
    text: str | None = None
    decoded: bool = False


def archived_bytes(
    workspace: Workspace, source: Source, name: str, findings: list[Finding]
) -> bytes | None:
    """The bytes of a source's ``file`` or ``original`` inside seeds/, or ``None`` with
    FC204 when it is missing, unreadable or outside; FC205 when they do not match the
    digest on record."""
    done = _archived(workspace, source, name, findings, {})
    return done.data if done is not None else None


def _archived(
    workspace: Workspace,
    source: Source,
    name: str,
    findings: list[Finding],
    reads: dict[Path, _Read],
) -> _Read | None:
    """``archived_bytes``, reading each file once through ``reads``."""
    file = getattr(source, name)
    if file is None:
        return None
    where = source.locate(name)
    path, refusal = resolve_document(workspace, file)

    def unusable(message: str) -> None:
        findings.append(finding(SOURCES_FILE, where.line, where.column, "FC204", message))

    if path is None:
        unusable(refusal)
        return None
    display = workspace.relative(path)
    if not path.exists():
        unusable(
            f"source '{source.id}': {display} does not exist; add the document or fix the path"
        )
        return None
    key = path.resolve()
    done = reads.get(key)
    if done is None:
        data, problem = read_bytes(path, display, limit=MAX_DOCUMENT_BYTES)
        if data is None:
            done = _Read(problem=problem.message if problem else "cannot be read")
        else:
            done = _Read(hashlib.sha256(data).hexdigest(), data)
        reads[key] = done
    if done.problem:
        unusable(f"source '{source.id}': {display}: {done.problem}")
        return None
    recorded = getattr(source, DIGEST_FIELD[name])
    if recorded and done.digest != recorded:
        at = source.locate(DIGEST_FIELD[name])
        findings.append(
            finding(
                SOURCES_FILE,
                at.line,
                at.column,
                "FC205",
                f"{display} does not match its recorded sha256: the file's digest is "
                f"{done.digest}; restore the archived copy, or, if the change is intended, "
                f"record the new digest with 'factcheck record-digest {source.id}'",
            )
        )
    return done
