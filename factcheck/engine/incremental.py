"""Check every claim file of a workspace, reusing cached results and using every core.

The checks see the whole workspace, but almost everything they find about a claim file
depends on that file, the catalogues, the settings and the documents the file quotes, and
nothing else. So the work is split the same way:

- **per claim file**: read and parse it, then run the claim checks (``check_claims``) on
  an archive holding just a batch of claim files, and keep the findings at that file's path.
  These results are cached under the file's content digest; its cross-file findings also
  under a key made of the catalogues, the settings, the tool and the digests of the
  documents it quotes, so they are recomputed exactly when one of those changes;
- **once per run**: the findings about the catalogues and documents, including which
  parties and sources no claim uses. These need only the parties and sources each claim
  names, which the cache keeps, so they are recomputed every run from those.

Parsing and checking the claim files that need it is spread over a pool of processes when
there are enough of them to pay for starting it; results come back in file order, and if
the pool fails for any reason the files it has not returned are examined serially, so no
finding is ever lost, and none is found twice.
"""

from __future__ import annotations

import contextlib
import gc
import os
import stat
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from factcheck.checks import check_claims
from factcheck.checks.references import check_catalogue, mentioned_ids, named_ids
from factcheck.engine import cache as store
from factcheck.engine.records import RecordFile, sealed, unsealed
from factcheck.files.yamlnodes import read_bytes, read_file
from factcheck.findings import Finding
from factcheck.model import Catalogue, Dispute
from factcheck.rules.quotes import SourceText
from factcheck.workspace.loader import (
    Archive,
    ClaimFile,
    load_locker,
    outside_claim_file,
    parse_claim,
)
from factcheck.workspace.root import PARTIES_FILE, SOURCES_FILE, Workspace

PARALLEL_THRESHOLD = 400
"""Fewer claim files than this to parse are parsed in-process: starting workers and
sending results back costs more than it saves (see docs/performance.md).
``FACTCHECK_PARALLEL_THRESHOLD`` overrides it, e.g. to test the parallel path."""

FILES_PER_SECOND = 1_500
"""About how many claim files one process parses and checks in a second: a run that must
parse more than this per worker tells its ``Progress`` (a bar on a terminal)."""

Work = tuple[str, str]  # (file system path, displayed path)


@dataclass(frozen=True)
class Extra:
    """What a command derives from each readable dispute besides the findings.

    ``report`` needs a row and a JSON record per dispute; deriving them beside the checks
    puts the work in the worker processes on a cold run, and caching them beside the
    findings (in ``<name>.pack``, under the same keys) lets a warm run skip parsing
    altogether. ``derive`` must be a module-level function (workers receive it by name)
    that returns plain, picklable data.
    """

    name: str
    derive: Callable[[Archive, Dispute], object]
    serves: Callable[[object], bool] | None = None
    """Whether a cached value will do (default: any); two extras may share a cache, one
    deriving more than the other."""
    records: bool = False
    """``derive`` returns ``(value, record)``, where the record is bytes (or ``None``) too
    large to keep beside the value: it goes to a record file (``engine.records``), the
    value keeps a ``RecordRef``, and ``archive.read_record`` reads it back."""


Arrival = Callable[[str, list[Finding], object], bool]
"""Told, in the main process, of each claim file this run examines, as soon as its batch
is back and in file order: the file's path, every finding at it (severities undecided) and
what the ``Extra`` derived, as ``derive`` returned it. A command can act on a file while
the workers still check the others: ``factcheck site`` writes the file's page. It answers
whether the command is done with the derived record, which then need not be kept unless
the cache keeps it. Not told of the files the cache answers for, nor of those without a
derived value."""


class Progress(Protocol):
    """Told how many claim files a run must parse, then as batches of them are done."""

    def start(self, total: int) -> None: ...

    def advance(self, count: int) -> None: ...


def check_workspace(
    workspace: Workspace,
    *,
    cache: bool = False,
    workers: int | None = None,
    extra: Extra | None = None,
    progress: Progress | None = None,
    arrived: Arrival | None = None,
) -> tuple[Archive, list[Finding]]:
    """Load a workspace and run every check; the findings are undecided and unsorted.

    With ``cache`` the results are read from and written to ``.factcheck-cache/``;
    ``workers`` caps the processes used (default: the CPUs this process may run on).
    With ``extra``, ``archive.derived`` holds what it derives, by claim file path, and
    ``arrived`` hears of each file as it is derived (see ``Arrival``).
    ``progress`` hears of the parsing when it will take more than about a second.
    """
    catalogue_key = _catalogue_key(workspace)
    archive = load_locker(workspace)
    claims = ClaimRun(workspace, archive, catalogue_key, cache, extra, arrived)
    with gc_paused():
        claims.examine(workspace.claim_paths(), worker_count(workers), progress)
        claims.save()
        found = _global_findings(archive, claims.parties, claims.sources)
        for findings in claims.findings:
            found.extend(findings)
    return archive, found


class ClaimRun:
    """The claim files of one run: what the cache already knows and what must be done."""

    def __init__(
        self,
        workspace: Workspace,
        archive: Archive,
        catalogue: str,
        enabled: bool,
        extra: Extra | None = None,
        arrived: Arrival | None = None,
    ):
        self.workspace = workspace
        self.archive = archive
        self.min_origins = workspace.settings.min_independent_origins
        self.base_key = store.key_of(
            store.fingerprint(), catalogue, self.min_origins, workspace.settings.rating_scale
        )
        self.cache = store.ClaimCache.open(workspace.root, enabled)
        self.extra = extra
        self.extras = (
            store.ClaimCache.open(workspace.root, enabled, extra.name, store.ExtraEntry)
            if extra is not None
            else None
        )
        self.arrived = arrived if extra is not None else None
        self.records: RecordFile | None = None
        if extra is not None and extra.records:
            self.records = RecordFile(self._records_directory(), extra.name)
            archive.read_record = self.records.read
        self.findings: list[list[Finding]] = []
        self.parties: set[str] = set()
        self.sources: set[str] = set()

    def _records_directory(self) -> Path | None:
        """The cache directory when the cache is on and usable: where record files go."""
        if self.extras is None or self.extras.directory is None:
            return None
        try:
            return self.extras.directory if store.prepare_directory(self.extras.directory) else None
        except OSError:
            return None

    def examine(
        self,
        paths: Sequence[tuple[str, str, bool]],
        workers: int,
        progress: Progress | None = None,
    ) -> None:
        """Fill the archive's claim files, in order, and the findings at each of them: what
        the cache still knows is reused, the rest is examined (in workers when it pays)."""
        claim_files, entries, work = self._reuse(paths)
        jobs: list[Work] = [(paths[index][0], paths[index][1]) for index in work]
        for index, (claim_file, entry, derived) in zip(
            work, self._run(jobs, workers, progress), strict=True
        ):
            path, display, _ = paths[index]
            entries[index] = entry
            claim_files[index] = claim_file or self._claim_file(path, display, entry)  # type: ignore[arg-type]
            if entry is not None:
                self._remember(display, entry, derived)
        self.findings = [
            self._findings_of(*pair) for pair in zip(claim_files, entries, strict=True)
        ]
        shown = [display for _, display, _ in paths]
        self.cache.keep_only(shown)
        if self.extras is not None:
            self.extras.keep_only(shown)
        self.archive.claim_files = claim_files  # type: ignore[assignment]

    def _reuse(
        self, paths: Sequence[tuple[str, str, bool]]
    ) -> tuple[list[ClaimFile | None], list[store.Entry | None], list[int]]:
        """The claim files and entries the cache still vouches for, and which files (by
        index) must be examined again."""
        claim_files: list[ClaimFile | None] = [None] * len(paths)
        entries: list[store.Entry | None] = [None] * len(paths)
        work: list[int] = []
        for index, (path, display, inside) in enumerate(paths):
            if not inside:
                claim_files[index] = outside_claim_file(display)
                continue
            entry = self._current_entry(path, display)
            if (
                entry is None
                or entry.cross_key != self.cross_key(entry)
                or not self._derived_from_cache(display, entry)
            ):
                work.append(index)
                continue
            entries[index] = entry
            claim_files[index] = self._claim_file(path, display, entry)
        return claim_files, entries, work

    def _run(self, jobs: list[Work], workers: int, progress: Progress | None) -> list[Examined]:
        """Examine the files that need it, in workers when there are enough of them; the
        progress bar only when the work will take more than about a second."""
        if progress is not None and len(jobs) >= FILES_PER_SECOND * workers:
            progress.start(len(jobs))
        else:
            progress = None
        results: list[Examined] = []
        if len(jobs) >= parallel_threshold() and workers > 1:
            results = self._parallel(jobs, workers, progress)
        return results + self._serial(jobs[len(results) :], progress)

    def _remember(self, display: str, entry: store.Entry, derived: object) -> None:
        """Keep a freshly examined file's entry (and what ``extra`` derived) for next time."""
        self.cache.put(display, entry)
        if self.extras is not None:
            self.extras.put(display, store.ExtraEntry(entry.digest, entry.cross_key, derived))
            self.archive.derived[display] = derived

    def _stored(self, work: list[Work], batch: list[Examined]) -> list[Examined]:
        """A batch as it arrives: ``arrived`` is told of each file, and each record is
        written to the record file and kept by reference (the main process never holds
        the records of the whole run), unless the command is done with it and no cache
        will keep it either."""
        records = self.records
        if self.arrived is None and records is None:
            return batch
        stored: list[Examined] = []
        for (_, display), (claim_file, entry, derived) in zip(work, batch, strict=True):
            if derived is not None:
                done = self._arrive(display, entry, derived)
                if records is not None:
                    derived = records.keep(derived, needed=not done)
            stored.append((claim_file, entry, derived))
        return stored

    def _arrive(self, display: str, entry: store.Entry | None, derived: object) -> bool:
        """Tell ``arrived`` of a file; whether the command is done with its record."""
        if self.arrived is None or entry is None:
            return False
        findings = store.decode_findings(entry.cross_findings)
        as_derived = unsealed(derived) if self.records is not None else derived
        return self.arrived(display, findings, as_derived)

    def _findings_of(
        self, claim_file: ClaimFile | None, entry: store.Entry | None
    ) -> list[Finding]:
        """The findings at one claim file; the ids it names count as used."""
        assert claim_file is not None
        if entry is None:  # unreadable or outside the workspace: nothing else to find
            return list(claim_file.findings)
        self.parties.update(entry.parties)
        self.sources.update(entry.sources)
        return store.decode_findings(entry.cross_findings)

    def cross_key(self, entry: store.Entry) -> store.CrossKey:
        """What a claim file's findings depend on besides its content (see ``Entry``)."""
        return cross_key(self.base_key, self.archive.digests, entry.sources)

    def save(self) -> None:
        self.cache.save()
        if self.extras is None:
            return
        entries = self.extras.entries
        if self.records is not None:
            payloads = {path: entry.payload for path, entry in entries.items()}
            for path, payload in self.records.gather(payloads).items():
                self.extras.put(path, entries[path]._replace(payload=payload))
        self.extras.save()
        if self.records is not None:
            self.records.close()
            self.records.remove_unreferenced(entry.payload for entry in entries.values())

    def _derived_from_cache(self, display: str, entry: store.Entry) -> bool:
        """Whether what ``extra`` derives from this file is cached under the findings' key
        (always true without an ``extra``); the cached value goes into the archive."""
        if self.extras is None:
            return True
        cached = self.extras.get(display)
        if cached is None or (cached.digest, cached.cross_key) != (entry.digest, entry.cross_key):
            return False
        assert self.extra is not None
        payload = cached.payload if self.records is None else self.records.vouched(cached.payload)
        if self.extra.serves is not None and not self.extra.serves(payload):
            return False
        self.archive.derived[display] = payload
        return True

    def _current_entry(self, path: str, display: str) -> store.Entry | None:
        """The cached entry if the file is unchanged: same size and mtime, or same bytes."""
        entry = self.cache.get(display)
        if entry is None:
            return None
        try:
            info = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        if (
            info.st_size == entry.size
            and info.st_mtime_ns == entry.mtime_ns
            and self.cache.trusts_stat(entry)
        ):
            return entry
        data, _ = read_bytes(path, display)
        if data is None or store.digest(data) != entry.digest:
            return None
        entry = entry._replace(size=info.st_size, mtime_ns=info.st_mtime_ns)
        self.cache.put(display, entry)
        return entry

    def _claim_file(self, path: str, display: str, entry: store.Entry) -> ClaimFile:
        return ClaimFile.deferred(path, display, store.decode_findings(entry.findings))

    def _context(self) -> Context:
        return Context(
            self.workspace,
            self.archive.catalogue,
            self.archive.documents,
            self.archive.digests,
            self.base_key,
            self.extra,
            self.archive.document_paths if self.extra is not None else None,
        )

    def _serial(self, work: list[Work], progress: Progress | None) -> list[Examined]:
        """Examine the files in this process, in batches when someone watches the progress."""
        context = self._context()
        results: list[Examined] = []
        for batch in _batches(work, 256):
            results.extend(self._stored(batch, examine_claims(context, batch)))
            if progress is not None:
                progress.advance(len(batch))
        return results

    def _parallel(
        self, work: list[Work], workers: int, progress: Progress | None = None
    ) -> list[Examined]:
        """Examine the files in worker processes, in order, as far as the pool gets: if it
        fails in any way, the results stop at the last batch it returned, and the caller
        examines the rest itself. Only the pool's failures count as such: an error while
        keeping a batch's results (``_stored``, ``arrived``) is the command's to report,
        and no file is examined, nor told of, twice."""
        batches = _batches(work, max(16, min(256, -(-len(work) // (workers * 4)))))
        results: list[Examined] = []
        try:
            pool = ProcessPoolExecutor(
                max_workers=min(workers, len(batches)),
                initializer=_start_worker,
                initargs=(self._context(),),
            )
        except Exception:  # the pool could not start
            return results
        with pool:
            try:
                examined = pool.map(_examine_in_worker, batches)
            except Exception:  # the workers could not start
                return results
            for batch_work in batches:
                try:
                    batch = next(examined)
                except Exception:  # a worker failed: stop at the last batch returned
                    break
                results.extend(self._stored(batch_work, batch))
                if progress is not None:
                    progress.advance(len(batch))
        return results


Examined = tuple[ClaimFile | None, store.Entry | None, object]
"""A claim file examined: the file (``None`` when its entry stands for it, as a worker
sends back), its cache entry (``None`` when unreadable) and what ``Extra`` derived."""


def _batches(work: list[Work], size: int) -> list[list[Work]]:
    return [work[start : start + size] for start in range(0, len(work), size)]


@dataclass
class Context:
    """What checking a claim file needs from the rest of the workspace."""

    workspace: Workspace
    catalogue: Catalogue
    documents: Mapping[str, SourceText]
    digests: dict[str, str]
    base_key: str
    extra: Extra | None = None
    document_paths: dict[str, str] | None = None
    """Resolved once, for what ``extra`` derives (see ``Archive.document_paths``)."""

    @property
    def min_origins(self) -> int:
        return self.workspace.settings.min_independent_origins


def examine_claims(context: Context, work: list[Work]) -> list[Examined]:
    """Read, parse and check claim files: each one's claim file, cache entry and extra.

    A file that cannot be read has no entry: it is examined again next time.
    """
    read: list[tuple[ClaimFile, os.stat_result | None, bytes]] = []
    for path, display in work:
        data, problem, info = read_file(path, display)
        if data is None:
            read.append((ClaimFile(display, None, [problem] if problem else []), None, b""))
            continue
        read.append((parse_claim(data, display), info, data))
    batch = Archive(
        context.workspace,
        context.catalogue,
        [item for item, _, _ in read],
        context.documents,
        resolved_paths=context.document_paths,
    )
    by_path = cross_findings(batch, context.min_origins)
    results: list[Examined] = []
    for claim_file, info, data in read:
        if info is None:
            results.append((claim_file, None, None))
            continue
        parties, sources = usage(claim_file.dispute, data)
        entry = store.Entry(
            info.st_size,
            info.st_mtime_ns,
            store.digest(data),
            store.encode_findings(claim_file.findings),
            parties,
            sources,
            cross_key(context.base_key, context.digests, sources),
            store.encode_findings(by_path[claim_file.path]),
        )
        derived = None
        if context.extra is not None and claim_file.dispute is not None:
            derived = context.extra.derive(batch, claim_file.dispute)
            if context.extra.records:
                derived = sealed(derived)
        results.append((claim_file, entry, derived))
    return results


def cross_key(base_key: str, digests: dict[str, str], sources: tuple[str, ...]) -> store.CrossKey:
    """The catalogues, settings and tool (``base_key``) and the digests of the cited documents.

    Kept as a tuple rather than hashed: comparing it is the only per-file work of a warm run
    besides a ``stat``.
    """
    return base_key, tuple(map(digests.get, sources))


def cross_findings(batch: Archive, min_origins: int) -> dict[str, list[Finding]]:
    """Every finding at each claim file's path, from reading it and from the claim checks."""
    by_path = {item.path: list(item.findings) for item in batch.claim_files}
    scale = batch.workspace.settings.rating_scale
    for item in check_claims(batch, min_origins, scale):
        bucket = by_path.get(item.path)
        if bucket is not None:
            bucket.append(item)
    return by_path


def usage(dispute: Dispute | None, data: bytes = b"") -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The party and source ids a dispute names: what the catalogue checks need of it.

    A claim file that could not be parsed (``dispute`` is ``None``) still names ids: every
    id its text mentions counts as used, so a syntax error in one file does not make the
    entries only it cites look unused (FC207).
    """
    if dispute is None:
        mentioned = tuple(sorted(mentioned_ids(data)))
        return mentioned, mentioned
    parties, sources = named_ids([dispute])
    return tuple(sorted(parties)), tuple(sorted(sources))


def _global_findings(archive: Archive, parties: set[str], sources: set[str]) -> list[Finding]:
    """The findings about the catalogues and documents, given what the claim files name."""
    return [*archive.findings, *check_catalogue(archive, parties, sources)]


def _catalogue_key(workspace: Workspace) -> str:
    """The catalogues' bytes, read before the run reads them: a change in between is seen.

    Read as the catalogues themselves are (bounded, without blocking, regular files only),
    so a catalogue that is a link to /dev/zero or a FIFO costs nothing here either.
    """
    parts = []
    for relative in (SOURCES_FILE, PARTIES_FILE):
        data, problem = read_bytes(workspace.root / relative, relative)
        parts.append(store.digest(data) if data is not None else f"unreadable: {problem}")
    return store.key_of(*parts)


def parallel_threshold() -> int:
    """How many files make a pool of workers worth starting (``PARALLEL_THRESHOLD``)."""
    try:
        return max(1, int(os.environ["FACTCHECK_PARALLEL_THRESHOLD"]))
    except (KeyError, ValueError):
        return PARALLEL_THRESHOLD


def worker_count(workers: int | None) -> int:
    if workers is not None:
        return max(1, workers)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Build many small acyclic objects without the cyclic collector rescanning them all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_WORKER: Context | None = None


def _start_worker(context: Context) -> None:
    global _WORKER
    gc.disable()  # a worker lives for one run and builds only acyclic objects
    _WORKER = context


def _examine_in_worker(work: list[Work]) -> list[Examined]:
    """Examine a batch in a worker; only entries travel back, unless a file had none."""
    assert _WORKER is not None
    return [
        (None if entry is not None else claim_file, entry, derived)
        for claim_file, entry, derived in examine_claims(_WORKER, work)
    ]
