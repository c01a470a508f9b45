"""Opening a database and reporting on it (the `init` and `info` commands)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from citypartner_desktop.db.database import Database, open_database, open_reader, open_server
from citypartner_desktop.db.schema import HEAD_REVISION
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.repositories import status as status_repo
from citypartner_desktop.repositories import table_rows
from citypartner_desktop.services.installation import current_actor
from citypartner_desktop.services.safety import DatabaseLock, check_before_open, take_lock

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
) -> Database:
    """Lock, check, then open (creating or upgrading as needed), or raise a DatabaseError
    saying why not. ``check=False`` when the caller just ran ``safety.check_before_open``.
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
    held = lock if lock is not None else take_lock(path)
    try:
        check_before_open(path)
        return open_database(path, actor or current_actor(), lock=held, check=False)
    except BaseException:
        if lock is None:  # ours: a refused file must not stay locked
            held.release()
        raise


def open_store(location: Path | str, *, set_up: bool = False) -> Database:
    """What the user named — a file's path or an office server's address — as one opened
    store. A file is created or upgraded as needed (after a backup); a server's schema is set
    up or upgraded only when ``set_up`` (``citypartner init``, run by IT)."""
    if isinstance(location, Path):
        return open_db(location)
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
