"""Opening a database and reporting on it (the `init` and `info` commands)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citypartner_desktop.db import damage
from citypartner_desktop.db.database import (
    Database,
    open_database,
    open_reader,
    open_server,
    opens_without_writing,
)
from citypartner_desktop.db.schema import HEAD_REVISION
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.domain.errors import ReadOnlyPlaceError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.repositories import status as status_repo
from citypartner_desktop.repositories import table_rows
from citypartner_desktop.services import backups
from citypartner_desktop.services.installation import current_actor
from citypartner_desktop.services.safety import (
    DatabaseLock,
    check_before_open,
    check_path,
    take_lock,
)

# `info` counts, keyed by the plural snake_case names of DESIGN.md §4.
COUNTED: dict[str, str] = {
    "cities": "city",
    "contacts": "contact",
    "programmes": "programme",
    "partnerships": "partnership",
    "memberships": "membership",
    "goals": "goal",
    "agreements": "agreement",
    "activities": "activity",
    "actions": "action",
    "evaluations": "evaluation",
    "attachments": "attachment",
}


# Passphrases of encrypted visit packs given in this process (--passphrase-file, the app's
# prompt), by the pack's resolved path: only in memory, never written anywhere.
_passphrases: dict[Path, str] = {}


def remember_passphrase(path: Path, passphrase: str) -> None:
    _passphrases[path.expanduser().resolve()] = passphrase


def passphrase_for(path: Path) -> str | None:
    return _passphrases.get(path.expanduser().resolve())


def open_db(
    path: Path,
    actor: Actor | None = None,
    *,
    lock: DatabaseLock | None = None,
    check: bool = True,
    passphrase: str | None = None,
    read_only_ok: bool = False,
) -> Database:
    """Lock, check, then open (creating or upgrading as needed), or raise a DatabaseError
    saying why not. ``check=False`` when the caller just ran ``safety.check_before_open``.
    ``read_only_ok``: where nothing can be written (a full disk, a read-only folder) the
    caller only reads, and gets the database read as it is; otherwise ReadOnlyPlaceError.
    ``passphrase``: create or open an encrypted visit pack (an encrypted pack's remembered
    passphrase is used without it; none at all is PassphraseNeededError)."""
    from citypartner_desktop.db.cipher import is_encrypted_pack

    if passphrase is None and is_encrypted_pack(path):
        passphrase = passphrase_for(path)
        if passphrase is None:
            from citypartner_desktop.domain.errors import PassphraseNeededError

            raise PassphraseNeededError(path)
    if passphrase is not None:
        from citypartner_desktop.db.database import open_encrypted

        return open_encrypted(path, actor or current_actor(), passphrase, lock=lock)
    if not check:
        return open_database(path, actor or current_actor(), lock=lock, check=False)
    check_path(path)  # a folder, a link looping or leading nowhere: before any lock file
    try:
        held = lock if lock is not None else take_lock(path)
    except OSError:  # the lock file cannot be made
        reason = damage.unwritable_reason(path)
        if reason is None:
            raise
        return _where_nothing_is_written(path, actor, None, read_only_ok, reason)
    try:
        # SQLite writes beside even a file it only reads (its shared-memory file): on a full
        # or read-only disk that fails half-way through a read, so decide before opening.
        reason = damage.unwritable_reason(path)
        if reason is not None:
            return _where_nothing_is_written(path, actor, held, read_only_ok, reason)
        check_before_open(path)
        opened = open_database(path, actor or current_actor(), lock=held, check=False)
    except BaseException:
        if lock is None:  # ours: a refused file must not stay locked
            held.release()
        raise
    backups.clean_leftovers(path)  # what a backup killed at the last run left behind
    return opened


def _where_nothing_is_written(path: Path, actor: Actor | None, held: DatabaseLock | None,
                              read_only_ok: bool, reason: str) -> Database:
    """A database on a full or read-only disk, or in a read-only folder: read as it is
    (``read_only_ok``: info, export, reports) — never created, upgraded or changed there."""
    check_path(path)
    if not path.is_file() or path.stat().st_size == 0:
        raise ReadOnlyPlaceError(f"{path} cannot be created: {reason}.")
    if not read_only_ok:
        raise ReadOnlyPlaceError(
            f"{path} cannot be changed where it is: {reason}. It can still be read (info, "
            "export, report, check); free some space, or copy it to a folder you can write "
            "to.")
    check_before_open(path)
    if not damage.readable_as_immutable(path):
        raise ReadOnlyPlaceError(
            f"{path} cannot be read where it is: {reason}, and its journal "
            f"({damage.wal_path(path).name}) holds saved changes that only CityPartner writing "
            "there can bring in. Free some space, or copy the database with its -wal file to "
            "a folder you can write to.")
    if not opens_without_writing(path):
        raise ReadOnlyPlaceError(f"{path} needs an upgrade to this version, which cannot be "
                                 f"written: {reason}.")
    return open_reader(path, actor or current_actor(), held, immutable=True)


def open_store(location: Path | str, *, set_up: bool = False,
               read_only_ok: bool = False) -> Database:
    """What the user named — a file's path or an office server's address — as one opened
    store. A file is created or upgraded as needed (after a backup); a server's schema is set
    up or upgraded only when ``set_up`` (``citypartner init``, run by IT). ``read_only_ok``:
    a command that only reads (``open_db``)."""
    if isinstance(location, Path):
        return open_db(location, read_only_ok=read_only_ok)
    from citypartner_desktop.services.server_login import address_to_open

    return open_server(address_to_open(location), current_actor(), set_up=set_up)


def open_for_reading(path: Path, lock: DatabaseLock | None = None,
                     actor: Actor | None = None) -> Database:
    """Read-only, for showing the data while ``safety.quick_check`` runs; holds ``lock`` (the
    writer's) so that ``open_db(path, lock=db.lock, check=False)`` can follow."""
    return open_reader(path, actor or current_actor(), lock)


@dataclass(frozen=True)
class DatabaseInfo:
    path: str
    schema_revision: str
    counts: dict[str, int]
    size_bytes: int
    health: str
    access: str = "administrator"

    def as_json(self) -> dict[str, object]:
        return {
            "schema_revision": self.schema_revision,
            "counts": self.counts,
            "path": self.path,
            "size_bytes": self.size_bytes,
            "health": self.health,
            "access": self.access,
        }


def info(db: Database) -> DatabaseInfo:
    with db.uow() as uow:
        counts = {name: table_rows.count_rows(uow, kind, ListQuery())
                  for name, kind in COUNTED.items()}
        revision = status_repo.revision(uow.session) or HEAD_REVISION
    return DatabaseInfo(db.location, revision, counts, db.size_bytes(), db.health(), db.access)


def is_empty(db: Database) -> bool:
    with db.uow() as uow:
        return all(table_rows.count_rows(uow, k, ListQuery()) == 0
                   for k in ("city", "partnership", "contact"))
