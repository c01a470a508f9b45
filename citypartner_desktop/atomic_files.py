"""The one way the application writes a file: never a half-written file where a good one was.

DESIGN.md §5: reports, exports, backups, attachments saved out and settings are written to a
temporary file in the target's folder, which is flushed to disk, renamed over the target and
made durable by syncing the folder. If anything goes wrong before the rename (an error, a full
disk, a cancel, Ctrl+C), the temporary file is removed and an existing target is untouched.

    with atomic_path(target) as tmp:        # for writers that want a path (SQLite's backup
        book.save(tmp)                      # API, openpyxl, text files opened with .open("w"))

    with atomic_file(target) as out:        # for writers that want a binary file (ReportLab)
        out.write(data)

    write_bytes(target, data)

Why here: db (backups, the gazetteer), services (attachments, the installation id), reports
and interop all write files, so the writer has to sit below the lowest of them. ``domain``
holds pure rules without I/O and ``paths`` only says where things live, so this is a top-level
module of its own at the bottom of the layers (pyproject.toml), importing nothing of ours.

The temporary file is ``.<name>.<random>.part`` beside the target (the same file system, so
the rename is atomic). It is created with ``os.open(..., 0o666)`` rather than ``mkstemp``
(0600) so that a new file gets the permissions a plain ``open()`` would give it (the umask
applies, read without changing it: ``os.umask`` is process-wide and not thread-safe); a file
that replaces an existing one keeps that file's permissions, as rewriting it in place would.
A symbolic link is written through, like ``open()`` does: the file it points to is replaced.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

TEMP_SUFFIX = ".part"
# Characters of the target's name kept in the temporary name: 48 code points are at most 192
# bytes in UTF-8, which leaves room for the rest within the usual 255-byte name limit.
_NAME_KEPT = 48
# Windows cannot open a folder with os.open, so there the folder is not synced; everywhere
# else it is, so that the rename itself survives a power cut.
_SYNC_FOLDERS = os.name != "nt"
# What a file system that cannot sync a folder says (some network and FUSE file systems).
_FOLDER_SYNC_UNSUPPORTED = frozenset({errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})
_CREATE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield the path of a new, empty temporary file beside ``target`` for the caller to
    write (by path; it may be truncated and rewritten). When the block ends normally the file
    is synced and renamed over ``target``; if it raises anything, the temporary file is
    removed and ``target`` is as it was. Raises OSError if the file cannot be made or put in
    place, leaving nothing behind either (if only the folder sync fails, which is after the
    rename, the new file is in place)."""
    final = _final(target)
    fd, temp = _create_temp(final)
    os.close(fd)
    try:
        yield temp
        fd = os.open(temp, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows syncs only
        try:                                                      # a writable handle
            _seal(fd, temp, final)
        finally:
            os.close(fd)
        _publish(temp, final)
    except BaseException:
        _discard(temp)
        raise


@contextlib.contextmanager
def atomic_file(target: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Like ``atomic_path``, but yield the temporary file opened for binary writing."""
    final = _final(target)
    fd, temp = _create_temp(final)
    try:
        with open(fd, "wb") as out:
            yield out
            out.flush()
            _seal(out.fileno(), temp, final)
        _publish(temp, final)
    except BaseException:
        _discard(temp)
        raise


def write_bytes(target: str | os.PathLike[str], data: bytes) -> None:
    """Put ``data`` in ``target`` atomically."""
    with atomic_file(target) as out:
        out.write(data)


def _final(target: str | os.PathLike[str]) -> Path:
    path = Path(target)
    if not path.name:
        raise IsADirectoryError(errno.EISDIR, "A file name is needed", str(path))
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _create_temp(final: Path) -> tuple[int, Path]:
    for _ in range(100):
        temp = final.parent / f".{final.name[:_NAME_KEPT]}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
        try:
            return os.open(temp, _CREATE_FLAGS, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "No free temporary file name", str(final.parent))


def _seal(fd: int, temp: Path, final: Path) -> None:
    """Give the written file the target's permissions, then put it on disk."""
    if os.name != "nt":  # Windows has only a read-only flag, which os.replace cannot overwrite
        with contextlib.suppress(FileNotFoundError):
            mode = os.stat(final).st_mode
            if stat.S_ISREG(mode):
                os.chmod(temp, stat.S_IMODE(mode))
    os.fsync(fd)


def _publish(temp: Path, final: Path) -> None:
    os.replace(temp, final)
    if _SYNC_FOLDERS:
        _sync_folder(final.parent)


def _sync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in _FOLDER_SYNC_UNSUPPORTED:
            raise
    finally:
        os.close(fd)


def _discard(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink(missing_ok=True)
