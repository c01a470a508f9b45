"""Finding damage without writing a byte: the header, the write-ahead log, SQLite's checks.

Everything here reads through read-only connections or plain file reads, so a damaged file is
examined, never "repaired" behind the user's back (opening it for writing could checkpoint a
garbage log into it or let SQLite reset the log).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import struct
from pathlib import Path

from citypartner_desktop.domain.file_names import printable_name

SQLITE_HEADER = b"SQLite format 3\x00"
_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_VERSION = 3007000
MAX_REPORTED = 20
NOT_SQLITE = "it is not SQLite at all"
_FULL_BELOW = 64 * 1024  # free bytes: less than SQLite needs for its shared-memory file


WAL_HEADER_SIZE = 32  # then frames: a 24-byte header and a page each


def wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-wal")


def shm_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + "-shm")


def _wal_checksum(data: bytes, big_endian: bool) -> tuple[int, int]:
    fmt = ">" if big_endian else "<"
    s0 = s1 = 0
    for x0, x1 in struct.iter_unpack(f"{fmt}II", data):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return s0, s1


def wal_problem(db_path: Path) -> str | None:
    """What is wrong with the write-ahead log beside ``db_path`` (None: absent, empty or sound).

    SQLite silently discards a log whose header does not check out, and with it every change
    that was in it; we stop before that happens."""
    wal = wal_path(db_path)
    try:
        with wal.open("rb") as fh:
            header = fh.read(32)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"its journal file {wal.name} cannot be read ({exc.strerror})"
    if not header:
        return None
    if len(header) < 32:
        return f"its journal file {wal.name} is cut short"
    magic, version = struct.unpack(">II", header[:8])
    stored = struct.unpack(">II", header[24:32])
    if (magic not in _WAL_MAGIC or version != _WAL_VERSION
            or _wal_checksum(header[:24], magic & 1 == 1) != stored):
        return f"its journal file {wal.name} is not a valid SQLite log (garbage)"
    return None


def header_problem(db_path: Path) -> str | None:
    """Checks of the 100-byte header: SQLite at all, and not shorter than it says it is."""
    with db_path.open("rb") as fh:
        header = fh.read(100)
    if not header.startswith(SQLITE_HEADER):
        return NOT_SQLITE
    if len(header) < 100:
        return "the file is cut short (truncated)"
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", header[24:32])
    (valid_for,) = struct.unpack(">I", header[92:96])
    size = db_path.stat().st_size
    if change_counter == valid_for and pages and size < pages * page_size:
        # A checkpoint copies the log's pages into the file from page 1 on, so one cut off
        # leaves a header that counts pages not written yet; the log still holds them and
        # SQLite finishes the copy when the file is opened (its quick check follows).
        if _log_has_pages(db_path):
            return None
        return f"the file is cut short (truncated): {size:,} of {pages * page_size:,} bytes"
    return None


def _log_has_pages(db_path: Path) -> bool:
    try:
        return wal_path(db_path).stat().st_size > WAL_HEADER_SIZE
    except OSError:
        return False


class NotCheckable(Exception):
    """The file could not be read for a check because of where it lies (``reason``: "the
    disk is full", …), not because of what is in it."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def unwritable_reason(db_path: Path) -> str | None:
    """Why nothing can be written beside the database ("the disk is full", "the disk is
    read-only", "the folder is read-only"), or None. SQLite needs to write beside even a file
    it only reads (its shared-memory file), so a read there fails for this reason alone."""
    folder = db_path.resolve().parent
    try:
        if shutil.disk_usage(folder).free < _FULL_BELOW:
            return "the disk is full"
        if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & os.ST_RDONLY:
            return "the disk is read-only"
    except OSError:
        return None
    if not os.access(folder, os.W_OK):
        return "the folder is read-only"
    return None


def readable_as_immutable(db_path: Path) -> bool:
    """Whether SQLite may read the file as unchangeable (``immutable=1``: no shared-memory
    file, no locks) and see exactly its content: only when no log holds changes not yet in
    the file, and no CityPartner writes to it — this process holds its writer's lock, or
    nobody does (where not even the lock file can be made, nothing can write either)."""
    try:
        log = wal_path(db_path).stat().st_size
    except FileNotFoundError:
        log = 0
    except OSError:
        return False
    if log:
        return False
    from citypartner_desktop.db import lock as db_lock
    from citypartner_desktop.domain.errors import DatabaseInUseError

    if db_lock.held_here(db_path):
        return True

    try:
        db_lock.acquire(db_path).release()
    except DatabaseInUseError:
        return False
    except OSError:
        return True
    return True


def _read_only(db_path: Path, *, immutable: bool = False) -> sqlite3.Connection:
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    connection = sqlite3.connect(f"{db_path.resolve().as_uri()}?{flags}", uri=True)
    # A damaged file's text (and SQLite's messages quoting it) may be no UTF-8 at all.
    connection.text_factory = lambda raw: raw.decode("utf-8", "replace")
    return connection


def read_only_rows(db_path: Path, sql: str) -> list[tuple[object, ...]]:
    """The first rows of a read-only query. Where nothing can be written beside the file,
    it is read as unchangeable when that is exact (``readable_as_immutable``), else
    NotCheckable says why not; an error of the file itself is raised as SQLite's."""
    conn = _read_only(db_path)
    try:
        return conn.execute(sql).fetchmany(MAX_REPORTED)
    except sqlite3.OperationalError:
        reason = unwritable_reason(db_path)
        if reason is None:
            raise
        if not readable_as_immutable(db_path):
            raise NotCheckable(reason) from None
    finally:
        conn.close()
    conn = _read_only(db_path, immutable=True)
    try:
        return conn.execute(sql).fetchmany(MAX_REPORTED)
    finally:
        conn.close()


def _run_check(db_path: Path, pragma: str) -> list[str]:
    try:
        rows = [str(r[0]) for r in read_only_rows(db_path, f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def quick_check_problems(db_path: Path) -> list[str]:
    return _run_check(db_path, "quick_check")


def integrity_problems(db_path: Path) -> list[str]:
    return _run_check(db_path, "integrity_check")


def foreign_key_problems(db_path: Path) -> list[str]:
    try:
        rows = read_only_rows(db_path, "PRAGMA foreign_key_check")
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [f"a row (rowid {rowid}) in {table} refers to a missing row in {parent}"
            for table, rowid, parent, _fk in rows]


def attachment_problems(db_path: Path) -> list[str]:
    """One line per attachment whose bytes no longer match the SHA-256 (or size) stored with
    them: SQLite's checks see sound pages, not a file's content changed behind the app's
    back. Read row by row, so a large file is never in memory whole. Opened as SQLite's
    checks open it (``read_only_rows``): where nothing can be written beside the file, it is
    read as unchangeable, or NotCheckable says why not."""
    try:
        if not read_only_rows(db_path, "SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                       "AND name = 'attachments'"):
            return []  # not (yet) one of our databases: nothing of ours to check
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    immutable = unwritable_reason(db_path) is not None and readable_as_immutable(db_path)
    conn = _read_only(db_path, immutable=immutable)
    try:
        problems = []
        for attachment_id, name, owner_kind, owner_id, size, sha256, content in conn.execute(
                "SELECT id, file_name, owner_kind, owner_id, size, sha256, content "
                "FROM attachments ORDER BY id"):
            if not isinstance(content, bytes):
                wrong = "its bytes are missing"
            elif str(sha256 or "").lower() != hashlib.sha256(content).hexdigest():
                wrong = "its bytes no longer match its SHA-256"
            elif size != len(content):
                wrong = f"it has {len(content):,} bytes, recorded as {size}"
            else:
                continue
            problems.append(f'attachment {attachment_id} "{printable_name(str(name))}" '
                            f"(of {owner_kind} {owner_id}): {wrong}")
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    return problems


def find_damage(db_path: Path, *, thorough: bool = False) -> str | None:
    """A sentence saying what is wrong with an existing, non-empty file, or None if sound."""
    problem = header_problem(db_path) or wal_problem(db_path)
    if problem:
        return problem
    found = integrity_problems(db_path) if thorough else quick_check_problems(db_path)
    if found:
        return "SQLite's check found: " + "; ".join(found[:3])
    return None
