"""Finding damage without writing a byte: the header, the write-ahead log, SQLite's checks.

Everything here reads through read-only connections or plain file reads, so a damaged file is
examined, never "repaired" behind the user's back (opening it for writing could checkpoint a
garbage log into it or let SQLite reset the log).
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_VERSION = 3007000
MAX_REPORTED = 20
NOT_SQLITE = "it is not SQLite at all"


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


def _read_only(db_path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True)


def _run_check(db_path: Path, pragma: str) -> list[str]:
    conn = _read_only(db_path)
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}").fetchmany(MAX_REPORTED)]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def quick_check_problems(db_path: Path) -> list[str]:
    return _run_check(db_path, "quick_check")


def integrity_problems(db_path: Path) -> list[str]:
    return _run_check(db_path, "integrity_check")


def foreign_key_problems(db_path: Path) -> list[str]:
    conn = _read_only(db_path)
    try:
        rows = conn.execute("PRAGMA foreign_key_check").fetchmany(MAX_REPORTED)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [f"a row (rowid {rowid}) in {table} refers to a missing row in {parent}"
            for table, rowid, parent, _fk in rows]


def find_damage(db_path: Path, *, thorough: bool = False) -> str | None:
    """A sentence saying what is wrong with an existing, non-empty file, or None if sound."""
    problem = header_problem(db_path) or wal_problem(db_path)
    if problem:
        return problem
    found = integrity_problems(db_path) if thorough else quick_check_problems(db_path)
    if found:
        return "SQLite's check found: " + "; ".join(found[:3])
    return None
