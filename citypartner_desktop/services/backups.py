"""Backups: before risky operations, on a timer when something changed, on demand; rotation;
listing what each backup holds; restoring one (after a backup of the current state).

Backups live in ``backups/`` beside the database (they travel with it) and are named
``<db stem>-<reason>-<UTC time>.db``; the name is the catalogue. Each backup is checked
before it takes its name; ``<name>.verified`` beside it says so (rotation never removes the
newest verified one).
"""

from __future__ import annotations

import configparser
import re
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from citypartner_desktop import paths
from citypartner_desktop.atomic_files import TEMP_SUFFIX
from citypartner_desktop.db import backup as db_backup
from citypartner_desktop.db import damage
from citypartner_desktop.db import lock as db_lock
from citypartner_desktop.db.database import Database, open_database
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.domain.errors import BackupError, CityPartnerError, NotFoundError
from citypartner_desktop.domain.retention import BackupStamp, RetentionPolicy, backups_to_keep
from citypartner_desktop.repositories import status as status_repo
from citypartner_desktop.repositories.erasure import ErasureEntry
from citypartner_desktop.services import erasure
from citypartner_desktop.services.safety import check_path, move_to_recovery

DEFAULT_INTERVAL_MINUTES = 30
# What the restore dialog and `citypartner restore` show of each backup.
SHOWN_COUNTS = {"cities": "cities", "contacts": "contacts", "partnerships": "partnerships",
                "agreements": "agreements", "activities": "activities",
                "evaluations": "evaluations"}
_STAMP = r"(?P<stamp>\d{8}T\d{6}Z)(?:-\d+)?"


@dataclass(frozen=True)
class BackupEntry:
    path: Path
    taken_at: datetime
    reason: str

    @property
    def size_bytes(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class BackupDetails:
    path: Path
    taken_at: datetime | None
    reason: str
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)
    problem: str | None = None
    verified: bool = False  # checked when it was made (``is_verified``)

    @property
    def usable(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class BackupSettings:
    policy: RetentionPolicy = field(default_factory=RetentionPolicy)
    interval_minutes: int = DEFAULT_INTERVAL_MINUTES


def load_settings(config_file: Path | None = None) -> BackupSettings:
    """The [backups] section of the settings file the GUI keeps (QSettings writes plain INI),
    so the command line rotates with the same counts as the application."""
    parser = configparser.ConfigParser()
    try:
        parser.read(config_file or paths.settings_file(), encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return BackupSettings()
    section = parser["backups"] if parser.has_section("backups") else {}
    defaults = RetentionPolicy()

    def number(key: str, default: int) -> int:
        try:
            return max(0, int(section.get(key, default)))
        except ValueError:
            return default

    policy = RetentionPolicy(
        daily=number("keep_daily", defaults.daily),
        weekly=number("keep_weekly", defaults.weekly),
        monthly=number("keep_monthly", defaults.monthly),
        before_operation=number("keep_before_operation", defaults.before_operation),
        max_age_days=number("max_age_days", defaults.max_age_days),
    )
    return BackupSettings(policy, max(1, number("interval_minutes", DEFAULT_INTERVAL_MINUTES)))


def list_backups(db_path: Path) -> list[BackupEntry]:
    """This database's backups, newest first (found by name; nothing else is opened)."""
    folder = paths.backup_dir_for(db_path)
    pattern = re.compile(rf"^{re.escape(db_path.stem)}-(?P<reason>.+)-{_STAMP}\.db$")
    entries = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = pattern.match(path.name)
            if match and path.is_file():
                taken = datetime.strptime(match["stamp"], db_backup.STAMP_FORMAT)
                entries.append(BackupEntry(path, taken.replace(tzinfo=UTC), match["reason"]))
    # Within one second the file's own time orders them (a restore's safety copy comes first).
    return sorted(entries, key=lambda e: (e.taken_at, e.path.stat().st_mtime_ns), reverse=True)


def describe(path: Path, *, thorough: bool = False, entry: BackupEntry | None = None
             ) -> BackupDetails:
    """What a backup holds and whether it can be restored; the file is only read."""
    if not path.is_file():
        raise NotFoundError(f"{path} does not exist.")
    problem = db_backup.usability_problem(path, thorough=thorough)
    facts = None
    if problem is None:
        try:
            facts = db_backup.read_facts(path, list(SHOWN_COUNTS.values()))
        except BackupError as exc:
            problem = str(exc)
    return BackupDetails(
        path=path,
        taken_at=entry.taken_at if entry else None,
        reason=entry.reason if entry else "file",
        revision=facts.revision if facts else None,
        counts={name: facts.counts.get(table, 0) for name, table in SHOWN_COUNTS.items()}
        if facts else {},
        problem=problem,
        verified=is_verified(path),
    )


# -- verified backups and leftovers -----------------------------------------------------------
_VERIFIED = ".verified"  # beside a backup that passed the check when it was made: its size
LEFTOVER_AGE_S = 600  # a temporary file untouched this long belongs to a killed backup
# The temporary copy, and the journal, log and shared memory SQLite keeps beside it.
_LEFTOVER_ENDINGS = tuple(TEMP_SUFFIX + end for end in ("", "-journal", "-wal", "-shm"))


def _marker(path: Path) -> Path:
    return path.with_name(path.name + _VERIFIED)


def _mark_verified(path: Path) -> None:
    _marker(path).write_text(str(path.stat().st_size), encoding="ascii")


def is_verified(path: Path) -> bool:
    """The backup passed SQLite's check when it was made, and has not changed size since."""
    try:
        return _marker(path).read_text(encoding="ascii").strip() == str(path.stat().st_size)
    except (OSError, UnicodeDecodeError):
        return False


def clean_leftovers(db_path: Path, *, now: float | None = None) -> list[Path]:
    """Remove what killed backups left in the backup folder: their temporary ``.part`` files
    (as large as the database) and SQLite journals of them, once untouched for ten minutes (a
    backup still running keeps writing to its own). Returns what was removed."""
    folder = paths.backup_dir_for(db_path)
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []  # an unreadable folder: tidying up must never stop anything
    moment = time.time() if now is None else now
    removed = []
    for path in entries:
        if not path.name.startswith(".") or not path.name.endswith(_LEFTOVER_ENDINGS):
            continue
        try:
            if moment - path.stat().st_mtime >= LEFTOVER_AGE_S:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # another process removed it, or it cannot be: try next time
    return removed


def describe_all(db_path: Path) -> list[BackupDetails]:
    return [describe(e.path, entry=e) for e in list_backups(db_path)]


def newest_good_backup(db_path: Path) -> BackupDetails | None:
    for entry in list_backups(db_path):
        details = describe(entry.path, entry=entry)
        if details.usable:
            return details
    return None


def rotate(db_path: Path, policy: RetentionPolicy, protect: Path | None = None) -> list[Path]:
    """Delete the backups the policy does not keep — never ``protect``, and never the newest
    verified backup, whatever unverified ones came after it; returns them."""
    entries = list_backups(db_path)
    keep = backups_to_keep(
        [BackupStamp(e.path.name, e.taken_at, e.reason) for e in entries], policy,
        datetime.now(UTC))
    newest_verified = next((e.path for e in entries if is_verified(e.path)), None)
    removed = []
    for entry in entries:
        if entry.path.name not in keep and entry.path not in (protect, newest_verified):
            entry.path.unlink(missing_ok=True)
            _marker(entry.path).unlink(missing_ok=True)
            removed.append(entry.path)
    return removed


def make_backup(db_path: Path, reason: str, *, now: datetime | None = None,
                check_pages: bool = True) -> Path:
    """A new backup in the rotated folder, checked before it takes its name (an emptied or
    damaged database is refused with BackupError and no backup is made) and marked verified
    — unless ``check_pages`` is off: then SQLite's quick check of the copy is left out (its
    source was checked when it was opened) and the copy is not marked."""
    clean_leftovers(db_path)
    path = db_backup.timestamped_backup(db_path, paths.backup_dir_for(db_path), reason, now,
                                        check_pages=check_pages)
    if check_pages:
        _mark_verified(path)
    return path


def backup_before(db: Database | Path, reason: str, policy: RetentionPolicy | None = None,
                  *, protect: Path | None = None) -> Path | None:
    """The safety copy taken before an operation (``reason``: "import", "merge", "restore"),
    of an open database or of a database file; ``protect``: a file rotation must not delete
    (the backup about to be restored). None on an office server: its backups are IT's
    (pg_dump), and the operation is one transaction that commits whole or not at all."""
    if not isinstance(db, Path) and db.is_server:
        return None
    db_path = db if isinstance(db, Path) else db.path
    # An open database passed SQLite's quick check when it was opened: the copy taken before
    # an import or a merge need not read every page again (seconds on a large office, which
    # the person waits for); it is not marked verified.
    path = make_backup(db_path, f"before-{reason}", check_pages=isinstance(db, Path))
    rotate(db_path, policy or load_settings().policy, protect)
    return path


def backup_before_soon(db: Database, reason: str) -> Future[Path | None]:
    """``backup_before`` started on a thread of its own, for an operation that reads for a
    while before it writes (a merge: its analysis, then the person looking at the preview).
    SQLite's backup API lets the reading go on meanwhile, so the copy is mostly done when
    the writing starts; the operation waits for it (``result()``) before writing anything."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="backup")
    try:
        return pool.submit(backup_before, db, reason)
    finally:
        pool.shutdown(wait=False)


def backup_now(db_path: Path, target: Path | None = None,
               policy: RetentionPolicy | None = None) -> Path:
    """Back up on demand: to ``target`` if given, else into the rotated backup folder."""
    check_path(db_path)
    if not db_path.is_file():
        raise NotFoundError(f"{db_path} does not exist.")
    if target is not None:
        if target.resolve() == db_path.resolve():
            raise BackupError("The backup cannot overwrite the database itself.")
        if target.is_dir():
            target = db_backup.unique_target(target, db_path.stem, "manual", datetime.now(UTC))
        path = db_backup.backup_to(db_path, target)
    else:
        path = make_backup(db_path, "manual")
        rotate(db_path, policy or load_settings().policy)
    _tidy_log(db_path)
    return path


def _tidy_log(db_path: Path) -> None:
    """The backup read the database through a read-only connection, which leaves its log files
    beside it; when no program has the database open, they go (as after any other command)."""
    try:
        lock = db_lock.acquire(db_path)
    except (CityPartnerError, OSError):
        return  # the application has it open: its log is its own
    try:
        db_backup.close_log(db_path)
    except Exception:  # tidying is best effort: the backup is made and checked
        pass
    finally:
        lock.release()


def changed_since_newest_backup(db: Database) -> bool:
    """Compares the newest audit entry in the database with the one in the newest backup."""
    with db.uow() as uow:
        current = status_repo.latest_change_marker(uow.session)
    if current is None:
        return False  # nothing was ever changed
    entries = list_backups(db.path)
    return not entries or db_backup.latest_change_marker(entries[0].path) != current


def backup_if_changed(db: Database, policy: RetentionPolicy | None = None,
                      now: datetime | None = None) -> Path | None:
    """The timer's backup: only when something changed since the newest backup."""
    if not changed_since_newest_backup(db):
        return None
    path = make_backup(db.path, "auto", now=now)
    rotate(db.path, policy or load_settings().policy)
    return path


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    safety_copy: Path | None  # the state just before the restore, when it was sound
    damaged_moved_to: Path | None  # where a damaged database went instead
    erased_again: int = 0  # people erased since the backup was taken, erased again


def restore(db_path: Path, backup: Path, actor: Actor,
            lock: db_lock.DatabaseLock | None = None) -> RestoreResult:
    """Put ``backup`` in place of the database; checks first, backs up (or moves aside a
    damaged file) second, copies atomically third, upgrades an older schema last.

    ``lock``: the caller's writer lock, if it holds one (the application, while recovering)."""
    details = describe(backup, thorough=True)
    if details.problem:
        raise BackupError(f"{backup.name} cannot be restored: it {details.problem}. "
                          "Nothing was changed.")
    if backup.resolve() == db_path.resolve():
        raise BackupError("A database cannot be restored from itself.")
    held = lock if lock is not None else db_lock.acquire(db_path)
    try:
        safety_copy = moved = None
        erased: list[ErasureEntry] = []
        if db_path.exists() and db_path.stat().st_size > 0:
            if damage.find_damage(db_path) is None:
                erased = _register_of(db_path, actor, held)
                safety_copy = backup_before(db_path, "restore", protect=backup)
            else:
                moved = move_to_recovery(db_path)
        if safety_copy is not None:
            db_backup.copy_into_live(backup, db_path)
        else:
            for leftover in (damage.wal_path(db_path), damage.shm_path(db_path)):
                leftover.unlink(missing_ok=True)  # of an empty file: no content of ours
            db_backup.backup_to(backup, db_path)
        # An older backup is upgraded now (after its own safety copy), not at the next start;
        # whoever was erased since it was taken is erased again.
        restored = open_database(db_path, actor, lock=held, check=False)
        try:
            again = erasure.reapply(restored, erased)
        finally:
            restored.close()
    finally:
        held.release()
    return RestoreResult(backup, safety_copy, moved, again)


def _register_of(db_path: Path, actor: Actor, held: db_lock.DatabaseLock
                 ) -> list[ErasureEntry]:
    """The erasure register of the database about to be replaced (none if it cannot say)."""
    try:
        current = open_database(db_path, actor, lock=held, check=False)
    except CityPartnerError:
        return []
    try:
        return erasure.register(current)
    except CityPartnerError:
        return []
    finally:
        current.close()
