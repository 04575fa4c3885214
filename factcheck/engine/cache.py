"""The validation cache: what each claim file yielded, kept between runs in ``.factcheck-cache/``.

A desk with thousands of disputes changes a handful of files per commit, so a run should
only redo the work those files need. One entry per claim file records how the file looked
(size, modification time, sha256 of its bytes), what reading it found, which parties and
sources it names, and every finding at its path together with the key they were computed
under: the catalogues, the settings, the tool and the digests of the documents the claim
quotes. The disputes themselves are not stored: a command that shows them reads the file
again when it first needs one, which keeps the pack small enough to rewrite in a blink.

The cache is an optimisation that must never change a result, so it is distrustful:

- Every entry set is stored in one pack file whose header carries a magic string and an
  HMAC-SHA256 of the payload. The HMAC key is a random secret kept outside the workspace
  (in the user's cache directory, mode 0600 where modes exist), so a cache committed to the
  repository or copied from another machine, a truncated write, or any other file in its
  place fails the check and is ignored. Only then is the payload unpickled: data we did not
  write is never unpickled.
- The payload names the tool fingerprint (version, Python version, parser kind and a digest
  of the tool's own source files); any difference discards the whole cache.
- Writes go to a temporary file and ``os.replace`` it into place, so concurrent runs leave
  one complete pack or the other, never a mix.
- A run that changed only a few entries writes just those to a small, equally signed delta
  file that names the pack it applies to (by the pack's signature); rewriting the whole pack
  of a large archive for one edited claim cost more than checking the claim. Once the delta
  holds more than an eighth of the entries, the next run rewrites the pack instead. A delta
  whose pack has since been replaced (by a concurrent run) no longer applies and is ignored.
- A cache directory that cannot be created or written, or that is a link, simply means no
  cache: validation never fails because of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import platformdirs

from factcheck.files.write import write_atomic
from factcheck.files.yamlnodes import C_PARSER_AVAILABLE, read_bytes, read_chunks
from factcheck.findings import Finding, Severity

CACHE_DIR = ".factcheck-cache"
CLAIMS = "claims"
"""The name of the findings cache: ``claims.pack`` and ``claims.delta``."""
PACK_FILE = f"{CLAIMS}.pack"
DELTA_FILE = f"{CLAIMS}.delta"
MAGIC = b"factcheck-cache\x00v1\n"
DELTA_MAGIC = b"factcheck-delta\x00v1\n"
DELTA_MIN_ENTRIES = 256
"""A delta may always hold this many changed entries, however small the archive."""
KEY_FILE = "cache-key"
CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This directory is a cache written by factcheck; 'factcheck cache clear' removes it.\n"
)
MARKERS = {
    "CACHEDIR.TAG": CACHEDIR_TAG,
    ".gitignore": "# written by factcheck: the cache is never committed\n*\n",
}
"""Files the cache directory carries so that backup tools skip it and git ignores it, as
the caches of pytest and ruff do: a desk's repository needs no entry of its own."""
MAX_PACK_BYTES = 256 << 20
"""Far more than the pack of the largest archive needs; a pack over it is ignored."""
RACY_SECONDS = 2.0
"""A file modified this close to the moment its entry was written is hashed again next
time: within one tick of the file system's clock, size and mtime cannot prove it unchanged."""

EncodedFinding = tuple[str, int, int, str, str, str]
CrossKey = tuple[str, tuple[str | None, ...]]


class Entry(NamedTuple):
    """What one claim file yielded: plain data, so that it pickles quickly and safely."""

    size: int
    mtime_ns: int
    digest: str
    findings: tuple[EncodedFinding, ...]
    parties: tuple[str, ...]
    sources: tuple[str, ...]
    cross_key: CrossKey
    """The key of the tool, catalogues and settings, and the digests of the documents in
    ``sources`` (``None`` for a source the catalogue lacks): the findings below are valid
    while the file's content has ``digest`` and this key is unchanged."""
    cross_findings: tuple[EncodedFinding, ...]
    """Every finding at this file's path, from every check."""


class ExtraEntry(NamedTuple):
    """What a command derived from one claim file besides its findings (``report``'s row and
    JSON record), valid under exactly the same conditions as the findings: while the file's
    content has ``digest`` and the ``cross_key`` of its findings entry is unchanged."""

    digest: str
    cross_key: CrossKey
    payload: object


class ClaimCache:
    """The entries of one workspace, loaded from and saved to its pack and delta files.

    ``name`` chooses the files (``claims.pack`` holds the findings; a command that derives
    more per claim file keeps it apart, e.g. in ``report.pack``, so that ``validate`` never
    loads what only ``report`` reads) and ``kind`` the entries' type.
    """

    def __init__(
        self,
        directory: Path | None,
        key: bytes | None,
        name: str = CLAIMS,
        kind: type[tuple] = Entry,
    ) -> None:
        self.directory = directory
        self._key = key
        self.name = name
        self.kind = kind
        self.entries: dict[str, Any] = {}
        self.written_at = 0.0
        self.started = time.time()  # recorded as the pack's time: no entry is hashed before it
        self._pack_signature: bytes | None = None  # of the pack the entries were loaded from
        self._delta: dict[str, Any] = {}  # the loaded delta over that pack
        self._changes: dict[str, Any] = {}  # this run's changes (None: removed)

    @classmethod
    def open(
        cls, root: Path, enabled: bool = True, name: str = CLAIMS, kind: type[tuple] = Entry
    ) -> ClaimCache:
        """The cache of a workspace; empty (and never saved) when disabled or unusable."""
        if not enabled:
            return cls(None, None, name, kind)
        directory = root / CACHE_DIR
        key = _secret_key()
        if key is None or _is_link(directory):
            return cls(None, None, name, kind)
        cache = cls(directory, key, name, kind)
        cache._load()
        return cache

    @property
    def enabled(self) -> bool:
        return self.directory is not None

    @property
    def changed(self) -> bool:
        return bool(self._changes)

    def get(self, path: str) -> Any:
        """The entry of a claim file (as displayed), if the cache has one."""
        return self.entries.get(path)

    def trusts_stat(self, entry: Entry) -> bool:
        """Whether an entry's size and mtime may stand for its content (see RACY_SECONDS)."""
        return entry.mtime_ns / 1e9 < self.written_at - RACY_SECONDS

    def put(self, path: str, entry: Any) -> None:
        """Record an entry; the pack is written by ``save``."""
        if self.entries.get(path) != entry:
            self.entries[path] = entry
            self._changes[path] = entry

    def keep_only(self, paths: Iterable[str]) -> None:
        """Forget the entries of files that no longer exist."""
        wanted = set(paths)
        for path in [path for path in self.entries if path not in wanted]:
            del self.entries[path]
            self._changes[path] = None

    def save(self) -> None:
        """Write what changed atomically: a delta when it is small, else the whole pack.

        Failures leave no cache (or the previous one), silently.
        """
        if self.directory is None or self._key is None or not self._changes:
            return
        delta = {**self._delta, **self._changes}
        small = len(delta) <= max(DELTA_MIN_ENTRIES, len(self.entries) // 8)
        try:
            if not prepare_directory(self.directory):
                return
            if small and self._pack_signature is not None:
                changes = {path: _plain(entry) for path, entry in delta.items()}
                body = (self._tool(), self.started, self._pack_signature, changes)
                self._write(self._delta_file, DELTA_MAGIC, body)
                self._delta = delta
            else:
                entries = {path: tuple(entry) for path, entry in self.entries.items()}
                self._pack_signature = self._write(
                    self._pack_file, MAGIC, (self._tool(), self.started, entries)
                )
                self._delta = {}
                with contextlib.suppress(OSError):  # stale now: it names the old pack
                    (self.directory / self._delta_file).unlink()
        except OSError:
            return
        self._changes = {}

    @property
    def _pack_file(self) -> str:
        return f"{self.name}.pack"

    @property
    def _delta_file(self) -> str:
        return f"{self.name}.delta"

    def _tool(self) -> tuple[str, str]:
        """What a pack must name to be read: the tool, and which cache it is (a report pack
        copied over the claims pack carries a valid signature, but the wrong name)."""
        return fingerprint(), self.name

    def _write(self, name: str, magic: bytes, body: object) -> bytes:
        """Sign and write one file of the cache; the signature it was written with."""
        assert self.directory is not None and self._key is not None
        payload = pickle.dumps(body, protocol=pickle.HIGHEST_PROTOCOL)
        signature = hmac.new(self._key, payload, hashlib.sha256).digest()
        # not flushed to disk: a pack lost in a crash costs one cold run, while flushing
        # the tens of megabytes of a report pack cost a large part of that run
        write_atomic(self.directory / name, (magic, signature, payload), durable=False)
        return signature

    def _read(self, name: str, magic: bytes) -> tuple[bytes, Any] | None:
        """The signature and contents of one file of the cache, if we wrote it.

        A committed cache file may be a link (to /dev/zero, or out of the workspace) or
        huge: only a regular file is read, opened without blocking, up to a bound. Only a
        payload whose signature checks is unpickled.
        """
        assert self.directory is not None and self._key is not None
        path = self.directory / name
        if _is_link(path) or not self._signed(path, magic):
            return None
        data, _ = read_bytes(path, name, limit=MAX_PACK_BYTES)
        header = len(magic) + 32
        if data is None or len(data) < header or not data.startswith(magic):
            return None
        # a view, not a slice: a copy of a pack of tens of megabytes would double its cost
        signature, payload = data[len(magic) : header], memoryview(data)[header:]
        expected = hmac.new(self._key, payload, hashlib.sha256).digest()
        if not hmac.compare_digest(signature, expected):
            return None
        try:
            return signature, pickle.loads(payload)
        except Exception:  # a file we signed but cannot read: as if there were none
            return None

    def _signed(self, path: Path, magic: bytes) -> bool:
        """Whether a file of the cache carries our signature, checked a chunk at a time.

        A committed 256 MiB pack would otherwise be read whole into memory only to have its
        signature rejected; streamed, a forgery costs one pass and no memory. The bytes
        that are then read are checked again (the file may change in between).
        """
        assert self._key is not None
        header_size = len(magic) + 32
        header = b""
        mac = hmac.new(self._key, digestmod=hashlib.sha256)
        for chunk in read_chunks(path, MAX_PACK_BYTES):
            if len(header) < header_size:
                take = header_size - len(header)
                header, chunk = header + chunk[:take], chunk[take:]
            mac.update(chunk)
        if len(header) < header_size or not header.startswith(magic):
            return False
        return hmac.compare_digest(header[len(magic) :], mac.digest())

    def _load(self) -> None:
        pack = self._read(self._pack_file, MAGIC)
        if pack is None:
            return
        signature, body = pack
        try:
            tool, written_at, entries = body
            if tool != self._tool():
                return
            self.entries = {path: self.kind(*values) for path, values in entries.items()}
            self.written_at = float(written_at)
        except Exception:  # a pack we signed but cannot read: start afresh
            self.entries = {}
            return
        self._pack_signature = signature
        self._apply_delta()

    def _apply_delta(self) -> None:
        """Apply the delta written over the loaded pack, if there is one for it.

        The delta's run checked every claim file against the pack plus the delta before
        it, so the merged entries are as of that run, and so is ``written_at``.
        """
        delta = self._read(self._delta_file, DELTA_MAGIC)
        if delta is None:
            return
        try:
            tool, written_at, pack_signature, changes = delta[1]
            if tool != self._tool() or pack_signature != self._pack_signature:
                return
            loaded = {
                path: None if values is None else self.kind(*values)
                for path, values in changes.items()
            }
            written_at = float(written_at)
        except Exception:  # a delta we signed but cannot read: the pack alone stands
            return
        for path, entry in loaded.items():
            if entry is None:
                self.entries.pop(path, None)
            else:
                self.entries[path] = entry
        self._delta = loaded
        self.written_at = written_at


def clear(root: Path) -> bool:
    """Remove a workspace's cache directory; whether there was one to remove."""
    directory = root / CACHE_DIR
    if _is_link(directory):
        directory.unlink()
        return True
    if not directory.exists():
        return False
    shutil.rmtree(directory)
    return True


def fingerprint() -> str:
    """What makes cached results comparable: the tool's code, Python and the parser kind."""
    global _FINGERPRINT
    if _FINGERPRINT is None:
        from factcheck import __version__

        parser = "c" if C_PARSER_AVAILABLE else "pure"
        code = code_digest(Path(__file__).resolve().parents[1])
        _FINGERPRINT = f"{__version__}/{sys.implementation.cache_tag}/{parser}/{code}"
    return _FINGERPRINT


def code_digest(package: Path) -> str:
    """A digest of the package's own source files, so that a development checkout whose code
    changed without a version bump does not reuse results computed by the old code. Only
    the command line and the reporters are left out: they print findings, never make them.
    """
    digest = hashlib.sha256()
    for source in sorted(package.rglob("*.py")):
        relative = source.relative_to(package).as_posix()
        if relative in _PRESENTATION or relative.startswith("reporters/"):
            continue
        digest.update(relative.encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:32]


_FINGERPRINT: str | None = None
_PRESENTATION = frozenset({"cli.py", "__main__.py"})


def digest(data: bytes) -> str:
    """The sha256 of some bytes, as cache keys spell it."""
    return hashlib.sha256(data).hexdigest()


def key_of(*parts: object) -> str:
    """One digest for several key parts (strings, numbers, tuples of them)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def encode_findings(findings: Iterable[Finding]) -> tuple[EncodedFinding, ...]:
    """Findings as plain tuples (severity included, although ``decide`` sets it later)."""
    return tuple(
        (item.path, item.line, item.column, item.code, item.message, item.severity.value)
        for item in findings
    )


def decode_findings(encoded: Iterable[EncodedFinding]) -> list[Finding]:
    """The findings ``encode_findings`` stored."""
    return [
        Finding(path, line, column, code, message, Severity(severity))
        for path, line, column, code, message, severity in encoded
    ]


def key_directory() -> Path:
    """Where the cache key lives: the user's cache directory, never inside a workspace.

    platformdirs knows each system's place for it (``$XDG_CACHE_HOME/factcheck`` or
    ``~/.cache/factcheck`` on Linux, ``~/Library/Caches/factcheck`` on macOS,
    ``%LOCALAPPDATA%\\factcheck\\Cache`` on Windows), so the key is per user everywhere.
    """
    return Path(platformdirs.user_cache_dir("factcheck", appauthor=False))


def _secret_key() -> bytes | None:
    """The user's random cache key, created on first use; ``None`` when it cannot be kept."""
    directory = key_directory()
    path = directory / KEY_FILE
    for _ in range(2):
        key = _read_key(path)
        if key is not None:
            return key
        try:
            directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            _create_key(path)
        except OSError:
            return None
    return None


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or _shared(info):
            return None
        key = os.read(fd, 64)
    finally:
        os.close(fd)
    return key if len(key) == 32 else None


def _shared(info: os.stat_result) -> bool:
    """Whether others could read or replace the key, as far as the file's mode can tell.

    On POSIX systems the mode and owner say it: a key that another user owns or may read
    cannot authenticate anything. Windows has no such bits (every file reports 0o666 and no
    owner); access there follows the ACL of the per-user directory the key lives in, so
    checking the mode would refuse every key and silently turn the cache off.
    """
    if os.name != "posix":
        return False
    return bool(info.st_mode & 0o077) or info.st_uid != os.getuid()


def _create_key(path: Path) -> None:
    """Write a new key so that a concurrent run sees either no key or the whole key."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
    try:
        os.write(fd, secrets.token_bytes(32))
        os.close(fd)
        with contextlib.suppress(FileExistsError):
            os.link(temporary, path)  # fails if another run created it first: use theirs
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def _plain(entry: tuple | None) -> tuple[object, ...] | None:
    return None if entry is None else tuple(entry)


def prepare_directory(directory: Path) -> bool:
    """Create the cache directory with its markers; False if it is a link (never written
    through). May raise ``OSError``."""
    directory.mkdir(exist_ok=True)
    if _is_link(directory):
        return False
    for name, text in MARKERS.items():
        marker = directory / name
        if not marker.exists():
            write_atomic(marker, text.encode())
    return True


def _is_link(path: Path) -> bool:
    return os.path.islink(path)
