"""Consistent copies with SQLite's online backup API (never a file copy of a live database)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from citypartner_desktop.atomic_files import atomic_path
from citypartner_desktop.db import damage
from citypartner_desktop.db.file_errors import describe_error
from citypartner_desktop.db.pragmas import APPLICATION_ID
from citypartner_desktop.db.revisions import KNOWN_REVISIONS
from citypartner_desktop.domain.errors import BackupError

STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


def _read_only(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    connection.text_factory = lambda raw: raw.decode("utf-8", "replace")  # a damaged file's
    return connection


def close_log(path: Path) -> None:
    """Remove the -wal and -shm files a read-only connection left beside a database in WAL
    mode (it may not delete them itself), the way SQLite does: the last writable connection
    to close checkpoints the log and deletes both. Only for a database no program has open
    (the caller holds its lock)."""
    if not Path(f"{path}-wal").exists():
        return
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA schema_version").fetchone()  # opens the log, as a writer
    finally:
        connection.close()


def backup_to(source: Path, target: Path, *, check_pages: bool = True) -> Path:
    """Copy ``source`` into ``target`` atomically (``atomic_files``: a temporary file beside
    it, synced, then renamed; a failed copy leaves no file and an older ``target`` as it was).

    One backup step copies every page inside one read transaction: a consistent snapshot even
    while the application keeps writing through its own connections. The copy is checked
    before it takes the name (``usability_problem``; SQLite's quick check too unless
    ``check_pages`` is off, for a source checked when it was opened): a copy of an emptied,
    foreign or damaged database is refused, so that it can never push a good backup out of
    the rotation."""
    if source.is_file() and source.stat().st_size == 0:
        raise BackupError(f"{source.name} was not backed up: it is empty (0 bytes). The "
                          "backups made before are kept.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as tmp:
            src = _read_only(source)
            try:
                dst = sqlite3.connect(tmp)
                try:
                    src.backup(dst)
                    dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                finally:
                    dst.close()
            finally:
                src.close()
            problem = usability_problem(tmp, pages=check_pages)
            if problem:
                raise BackupError(f"{source.name} was not backed up: its copy {problem}. "
                                  "The backups made before are kept; check the database "
                                  "with: citypartner check")
    except (sqlite3.Error, OSError, UnicodeDecodeError) as exc:
        reason = damage.unwritable_reason(target) if target.parent.is_dir() else None
        raise BackupError(f"The backup to {target} could not be written: "
                          f"{reason or describe_error(exc)}. The backups made before are "
                          "kept.") from None
    return target


def usability_problem(path: Path, *, thorough: bool = False, pages: bool = True) -> str | None:
    """Why the file ``path`` cannot serve as a backup (None: it can): "is empty", "is not a
    CityPartner database", "was made by a newer version …", or what SQLite's quick check
    (``thorough``: its full integrity check; ``pages=False``: neither) found. Read only."""
    if path.stat().st_size == 0:
        return "is empty (0 bytes)"
    problem = damage.header_problem(path)
    if problem:
        return "is not SQLite at all" if problem == damage.NOT_SQLITE else problem
    try:
        facts = read_facts(path, ())
    except BackupError as exc:
        return str(exc)
    if facts.application_id not in (0, APPLICATION_ID) or facts.revision is None:
        return "is not a CityPartner database"
    if facts.revision not in KNOWN_REVISIONS:
        return f"was made by a newer version of CityPartner (schema {facts.revision})"
    if not pages:
        return damage.wal_problem(path)
    return damage.find_damage(path, thorough=thorough)


def snapshot_into(source: Path, target: Path, passphrase: str | None = None) -> None:
    """A consistent copy of the whole database ``source`` written to the new file ``target``
    (which the caller removes on failure): SQLite's backup API, or with ``passphrase``
    SQLCipher's export into an encrypted file — the plain pages are never written to disk."""
    if passphrase is None:
        src = _read_only(source)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
        return
    from citypartner_desktop.db import cipher
    from citypartner_desktop.db.pragmas import APPLICATION_ID

    dst = cipher.connect(target, passphrase)
    try:
        # The office is attached as a plain file (empty key); one read transaction.
        dst.execute("ATTACH DATABASE ? AS office KEY ''",
                    (f"{source.resolve().as_uri()}?mode=ro",))
        dst.execute("SELECT sqlcipher_export('main', 'office')")
        dst.execute("DETACH DATABASE office")
        dst.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # not copied by the export
    finally:
        dst.close()


def unique_target(folder: Path, stem: str, reason: str, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime(STAMP_FORMAT)
    target = folder / f"{stem}-{reason}-{stamp}.db"
    n = 2
    while target.exists():  # two copies in one second: keep both
        target = folder / f"{stem}-{reason}-{stamp}-{n}.db"
        n += 1
    return target


def timestamped_backup(source: Path, folder: Path, reason: str,
                       now: datetime | None = None, *, check_pages: bool = True) -> Path:
    return backup_to(source, unique_target(folder, source.stem, reason, now or datetime.now(UTC)),
                     check_pages=check_pages)


def copy_into_live(source: Path, live: Path) -> None:
    """Replace the content of the database ``live`` by ``source`` in one SQLite transaction.

    Going through SQLite (not a file rename) keeps its write-ahead log coherent, and a crash
    half-way leaves the old content whole: the backup API writes the destination atomically."""
    src = _read_only(source)
    try:
        dst = sqlite3.connect(live, timeout=10)
        try:
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
    except sqlite3.Error as exc:
        raise BackupError(f"The restore into {live} failed and changed nothing: {exc}") from None
    finally:
        src.close()


@dataclass(frozen=True)
class FileFacts:
    application_id: int
    revision: str | None
    counts: dict[str, int]


def read_facts(path: Path, tables: Sequence[str]) -> FileFacts:
    """Schema revision and live-row counts of a (backup) file, read-only."""
    try:
        conn = _read_only(path)
    except sqlite3.Error as exc:
        raise BackupError(f"{path.name} cannot be read: {exc}") from None
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in present:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
        counts = {
            table: int(conn.execute(
                f'SELECT count(*) FROM "{table}" WHERE deleted_at IS NULL').fetchone()[0])
            for table in tables if table in present
        }
    except sqlite3.Error as exc:
        raise BackupError(f"{path.name} cannot be read: {exc}") from None
    finally:
        conn.close()
    return FileFacts(app_id, revision, counts)


def latest_change_marker(path: Path) -> str | None:
    """max(changes.changed_at) as stored in a (backup) file; None if unreadable or empty."""
    try:
        conn = _read_only(path)
        try:
            row = conn.execute("SELECT max(changed_at) FROM changes").fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return None if row is None or row[0] is None else str(row[0])
