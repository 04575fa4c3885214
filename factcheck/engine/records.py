"""Record files: the large per-dispute texts an ``Extra`` derives, kept on disk by reference.

``report --format json`` writes a record of about 5.5 KB per dispute, 55 MB for ten
thousand. Kept in the cache's pack, every warm run of every format would read, verify and
unpickle them, and a cold run would pickle and write them all after the workers finished;
kept in memory, they would double the main process. So the main process appends each record
to a record file as the workers send it back, and keeps only a ``RecordRef``: the file's
name, the record's offset and length, and its digest.

The references live in the signed pack (``cache.py``), so the digest vouches for the bytes:
a record that does not match, or whose file is gone, truncated, replaced or a link, reads as
missing, and the command derives it again. With the cache on, the file sits in
``.factcheck-cache/`` beside the pack that names it; a run that adds records writes one new
file and copies into it the records it still references from older files, and the files no
pack names any more are removed. Without a cache, the records go to an anonymous temporary
file that disappears with the process.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import stat
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

SUFFIX = ".records"
_NAME = re.compile(r"[a-z]+-[0-9a-f]{32}\.records\Z")
DIGEST_SIZE = 16


class RecordRef(NamedTuple):
    """Where one record is: its file (by name), offset and length, and its digest."""

    file: str
    offset: int
    length: int
    digest: bytes


def digest(data: bytes) -> bytes:
    """A record's digest: sha256 (which processors hash fastest), its first 16 bytes."""
    return hashlib.sha256(data).digest()[:DIGEST_SIZE]


Derived = tuple[object, Any]
"""What an ``Extra`` with records derives: ``(value, record)``. The record is bytes where
it is derived, ``(bytes, digest)`` once ``sealed`` and a ``RecordRef`` (or ``None``) once
kept; this module alone looks inside."""


def sealed(derived: object) -> Derived:
    """A derived ``(value, record)`` with the record's digest beside it, worked out where it
    was derived (in the workers, in parallel) rather than in the process that keeps it."""
    value, record = cast(Derived, derived)
    return value, (record, digest(record)) if record is not None else None


def unsealed(derived: object) -> Derived:
    """A ``sealed`` derivation as it was derived: ``(value, record)``, the record's bytes
    without their digest."""
    value, record = cast(Derived, derived)
    return value, record[0] if record is not None else None


def ref_of(payload: object) -> RecordRef | None:
    """The record reference a kept ``(value, record)`` holds, if any."""
    if isinstance(payload, tuple) and len(payload) == 2 and isinstance(payload[1], RecordRef):
        return payload[1]
    return None


class RecordFile:
    """The records of one run: written to a new file, read back from any file a reference
    names (see the module's docstring)."""

    def __init__(self, directory: Path | None, name: str) -> None:
        self.directory = directory
        self.prefix = f"{name}-"
        self.started = time.time()
        self.current: str | None = None
        """The name of the file this run writes, once it has written a record."""
        self._writer: IO[bytes] | None = None
        self._size = 0
        self._readers: dict[str, tuple[int, int] | None] = {}
        """By file name: a descriptor to read it and its size when opened (``None``: unusable).
        Only this run's own file grows, and this run knows its size."""

    def keep(self, derived: object, needed: bool = True) -> Derived:
        """A ``sealed`` derivation with its record appended to the file, by reference. A
        record this run no longer needs is appended only if the file outlasts the run (in
        the cache's directory); without a cache it is dropped, a page of the file system
        saved (``factcheck site --no-cache`` writes each page as it arrives)."""
        value, record = cast(Derived, derived)
        if record is None or not (needed or self.directory is not None):
            return value, None
        return value, self.add(*record)

    def vouched(self, payload: object) -> object:
        """A cached ``(value, record)``, its record dropped when its file is not there or
        too short (its bytes are checked when read): the value still stands, and a
        command that needs the record derives it again."""
        ref = ref_of(payload)
        if ref is None or self.available(ref):
            return payload
        return cast(Derived, payload)[0], None

    def add(self, data: bytes, known_digest: bytes | None = None) -> RecordRef:
        """Append a record (whose ``digest`` may be known already); where it is."""
        writer = self._writer or self._open_writer()
        writer.write(data)
        ref = RecordRef(self.current or "", self._size, len(data), known_digest or digest(data))
        self._size += len(data)
        return ref

    def read(self, ref: RecordRef) -> bytes | None:
        """A record's bytes, or ``None`` when its file no longer holds exactly them. A
        record of this run's own file (which it created, and no other run writes) is not
        hashed again."""
        own = ref.file == self.current
        if own and self._writer is not None:
            self._writer.flush()
        reader = self._reader(ref.file)
        if reader is None:
            return None
        try:
            data = os.pread(reader[0], ref.length, ref.offset)
        except OSError:
            return None
        if len(data) != ref.length or not (own or digest(data) == ref.digest):
            return None
        return data

    def available(self, ref: RecordRef) -> bool:
        """Whether a reference's file is there and long enough (its bytes are checked when
        read): a cached reference to a removed file is derived again, not trusted."""
        reader = self._reader(ref.file)
        size = self._size if ref.file == self.current else reader[1] if reader else -1
        return size >= ref.offset + ref.length

    def gather(self, payloads: Mapping[str, object]) -> dict[str, Derived]:
        """Copy into this run's file the records that ``payloads`` (kept derivations, by
        claim file) reference in older files, so that the pack names one file: the
        payloads that changed. Nothing is copied when this run wrote no record (the older
        files stay as they are)."""
        if self.current is None:
            return {}
        moved: dict[str, Derived] = {}
        for path, payload in payloads.items():
            ref = ref_of(payload)
            if ref is not None and ref.file != self.current:
                data = self.read(ref)
                if data is not None:
                    moved[path] = cast(Derived, payload)[0], self.add(data, ref.digest)
        return moved

    def remove_unreferenced(self, payloads: Iterable[object]) -> None:
        """Remove the record files no kept derivation names, written before this run
        started (a concurrent run's file is left to it)."""
        if self.directory is None:
            return
        referenced = {ref.file for ref in map(ref_of, payloads) if ref is not None}
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.directory):
                if (
                    entry.name.startswith(self.prefix)
                    and _NAME.match(entry.name)
                    and entry.name not in referenced
                    and entry.name != self.current
                    and entry.stat(follow_symlinks=False).st_mtime < self.started
                ):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)

    def close(self) -> None:
        """Finish writing; the file stays readable through this object."""
        if self._writer is not None:
            with contextlib.suppress(OSError):
                self._writer.flush()

    def _open_writer(self) -> IO[bytes]:
        if self.directory is None:
            self._writer = tempfile.TemporaryFile()  # noqa: SIM115  (open as long as the run)
            self.current = ""
            self._readers[""] = (self._writer.fileno(), 0)
            return self._writer
        name = f"{self.prefix}{secrets.token_hex(16)}{SUFFIX}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        try:
            descriptor = os.open(self.directory / name, flags, 0o600)
        except OSError:  # the cache cannot take it: keep the records for this run only
            self.directory = None
            return self._open_writer()
        self._writer = os.fdopen(descriptor, "wb")
        self.current = name
        return self._writer

    def _reader(self, name: str) -> tuple[int, int] | None:
        """A descriptor for reading a record file: only a regular file of the cache directory
        with a name this module gives (never a link, never blocking)."""
        if name not in self._readers:
            self._readers[name] = self._open_reader(name)
        return self._readers[name]

    def _open_reader(self, name: str) -> tuple[int, int] | None:
        if self.directory is None or not _NAME.match(name) or not name.startswith(self.prefix):
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            descriptor = os.open(self.directory / name, flags)
        except OSError:
            return None
        try:
            info = os.fstat(descriptor)
            if stat.S_ISREG(info.st_mode):
                return descriptor, info.st_size
        except OSError:
            pass
        os.close(descriptor)
        return None
