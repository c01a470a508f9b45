"""Errors of the file system in words a person can act on, and paths that cannot be a
database file. Plain ``os``: the window's first look at a file uses it before the data layer
(SQLAlchemy and all) is loaded."""

from __future__ import annotations

import errno
import os
from pathlib import Path

_OS_ERRORS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied (the folder is read-only for you)",
    errno.EPERM: "permission denied",
    errno.ELOOP: "a symbolic link loops back on itself",
    errno.EISDIR: "it is a folder, not a file",
    errno.ENOENT: "it does not exist",
}
_SQLITE_ERRORS = (
    ("database or disk is full", "the disk is full"),
    ("attempt to write a readonly database", "the file or its folder is read-only"),
    ("unable to open database file", "the file cannot be opened (missing, a folder, or "
                                     "no permission)"),
    ("disk i/o error", "the disk reported an error"),
)


def describe_error(exc: BaseException) -> str:
    """An OS or SQLite error in words a person can act on: the disk is full, the folder is
    read-only, … (SQLite's own messages may carry undecodable bytes of a damaged file)."""
    if isinstance(exc, OSError) and exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    text = str(exc) if not isinstance(exc, UnicodeDecodeError) else "unreadable bytes"
    lowered = text.lower()
    for known, words in _SQLITE_ERRORS:
        if known in lowered:
            return words
    return text


def path_problem(db_path: Path) -> str | None:
    """Why ``db_path`` cannot be a database file (None: it is a file, or nothing is there
    and a database may be created): a folder, a link that loops or leads nowhere."""
    try:
        db_path.stat()
    except FileNotFoundError:
        if db_path.is_symlink():
            return f"is a link to {os.readlink(db_path)}, which does not exist"
        return None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "is a symbolic link that leads back to itself (a loop)"
        return f"cannot be reached: {describe_error(exc)}"
    if db_path.is_dir():
        return "is a folder, not a database file"
    if not db_path.is_file():
        return "is not a regular file"
    return None
