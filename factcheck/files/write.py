"""One atomic write for every file the tool writes: claim files, catalogues, the cache.

An interrupted run leaves either the old file or the new one, never half of each: the data
goes to a temporary file in the target's directory, is flushed to disk, given the old
file's mode (or the umask's, for a new file), renamed over the target, and the directory
is synced so that the rename itself survives a crash.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from factcheck.files.yamlnodes import read_bytes


class ChangedMeanwhile(Exception):
    """The file no longer holds what the writer read: another process edited it."""


def write_atomic(
    path: Path,
    data: bytes | tuple[bytes, ...],
    *,
    create: bool = False,
    expected: bytes | None = None,
    durable: bool = True,
) -> None:
    """Replace (or with ``create``, add) a file in one step, keeping the old file's mode.

    If anything fails before the rename, the old file is untouched and the temporary file
    is removed. ``durable=False`` skips flushing to disk: for build outputs such as the
    published site, which the next build rewrites anyway, and where ten thousand flushes
    would cost more than the build. A link is written through to its target (callers decide, with
    ``paths.is_inside``, whether that target may be written). With ``create`` an existing
    file is never overwritten: ``FileExistsError``. With ``expected`` (the bytes the
    writer read), a file that changed since is not replaced: ``ChangedMeanwhile``, so an
    edit made while ``fmt`` ran is never lost. ``data`` may come in parts, written one
    after the other, so that a large payload is never copied to put a header before it.
    """
    target = Path(os.path.realpath(path))
    if create and os.path.lexists(path):
        raise FileExistsError(errno.EEXIST, "already exists", str(path))
    try:
        mode = _default_mode() if create else stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = _default_mode()
    descriptor, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(descriptor, "wb") as stream:
            for part in (data,) if isinstance(data, bytes) else data:
                stream.write(part)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        if create:
            _link_new(temporary, target)
        else:
            if expected is not None and not _still_holds(target, expected):
                raise ChangedMeanwhile(str(path))
            os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if durable:
        _sync_directory(target.parent)


def replace_quickly(path: Path | str, data: bytes) -> None:
    """``write_atomic`` for build outputs written by the thousand (the site's pages): the
    same one-step replacement, but not flushed to disk, with the umask's mode rather than
    the old file's, and without resolving links (a link in the output is replaced by the
    file, never written through). Its temporary file is named after the process, so it
    needs no random name: ten thousand pages take less than half ``write_atomic``'s time."""
    temporary = f"{path}.{os.getpid()}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    try:
        descriptor = os.open(temporary, flags, 0o666)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        finally:
            os.close(descriptor)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _still_holds(target: Path, expected: bytes) -> bool:
    """Whether a file still holds exactly ``expected``, read no further than that."""
    data, _ = read_bytes(target, target.name, limit=len(expected))
    return data == expected


def _link_new(temporary: str, target: Path) -> None:
    """Move a finished file into place only if nothing has appeared there meanwhile."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: the check above must do
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "already exists", str(target)) from None
        os.replace(temporary, target)
        return
    os.unlink(temporary)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable, where the platform allows it."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
