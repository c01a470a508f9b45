"""Make a visit pack: the chosen records copied as they are (ids, versions, times, history)
into a new CityPartner database file, with a base copy of every record (the common ancestor
of the merge back) and a description: which office it came from, when, by whom, for what.

The file is written beside its final name and renamed at the end, so an interrupted pack never
leaves half a file under the name the user chose. An office on a server packs the same way.

With minimal contacts (``Scope.minimal_contacts``) the contacts go without their private
details (``minimal``), in the pack's rows and in its base copy alike; a pack copied whole from
the office file is cleared and compacted, so that no copy of the values stays in it."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from citypartner_desktop.db import backup as db_backup
from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.models import PackInfo
from citypartner_desktop.db.schema import HEAD_REVISION
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.repositories import archive as archive_repo
from citypartner_desktop.repositories import bulk
from citypartner_desktop.repositories import packs as repo
from citypartner_desktop.services.database import open_db
from citypartner_desktop.services.visit_packs import minimal
from citypartner_desktop.services.visit_packs.scope import Scope, select

_TITLES_SHOWN = 3


@dataclass(frozen=True)
class PackMade:
    path: Path
    title: str
    records: int  # records in the pack (history entries not counted)
    attachments: int
    seconds: float
    contacts: int = 0  # contacts in the pack (deleted ones included): personal data
    minimal_contacts: bool = False  # without their e-mail, phone, notes, …


def _title(rows: dict[str, list[dict[str, object]]], scope: Scope) -> str:
    if scope.everything:
        return "All records"
    chosen = set(scope.partnerships)
    titles = sorted(str(r["title"]) for r in rows.get("partnerships", [])
                    if not chosen or r["id"] in chosen)
    cities = sorted(str(r["name"]) for r in rows.get("cities", []) if r["id"] in scope.cities)
    named = cities + titles if scope.cities else titles
    if len(named) <= _TITLES_SHOWN:
        return ", ".join(named)
    return f"{', '.join(named[:_TITLES_SHOWN])} and {len(named) - _TITLES_SHOWN} more"


def create(office: Database, scope: Scope, target: Path, *, today: date | None = None,
           passphrase: str | None = None) -> PackMade:
    """Write the pack to ``target`` (replacing a file there); refuses to write over the
    office's own file. With ``passphrase`` the pack is encrypted from its first byte on."""
    started = time.perf_counter()
    target = target.expanduser()
    if office.file is not None and target.resolve() == office.file.resolve():
        raise ValidationError.single("pack", f"{target} is the office database itself; "
                                             "choose another file")
    if target.is_dir():
        raise ValidationError.single("pack", f"{target} is a folder; name a file")
    if passphrase is not None and not passphrase:
        raise ValidationError.single("passphrase", "is empty")
    # Everything from an office file: the file itself, copied page by page in one snapshot
    # (seconds for a million rows, where reading and writing row by row takes minutes).
    whole_file = scope.everything and office.file is not None
    with office.uow() as uow:
        uow.one_snapshot()  # a colleague's save half-way through must not split the pack
        office_id = repo.database_id(uow.session)
        if office_id is None:  # a schema before 0011 never reaches here (opened = upgraded)
            raise ValidationError.single("database", "has no identity; run citypartner init")
        rows: dict[str, list[dict[str, object]]] = {}
        if not whole_file:
            selection = select(uow, scope, today or date.today())
            rows = {t: repo.rows(uow.session, t, ids) for t, ids in selection.items() if ids}
            if scope.minimal_contacts:
                minimal.minimise_rows(rows)  # never written to the pack, not even for a moment
    title = _title(rows, scope)
    part = target.with_name(target.name + ".part")
    _remove(part)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        if whole_file:
            assert office.file is not None
            db_backup.snapshot_into(office.file, part, passphrase)
        pack = open_db(part, office.actor, passphrase=passphrase)
    except BaseException:
        _remove(part)
        raise
    try:
        with pack.uow() as uow:
            if whole_file:
                repo.clear_merges(uow.session)  # the office's ledger is no part of a pack
                if not scope.attachments:
                    repo.delete_rows(uow.session, "attachments",
                                     repo.all_ids(uow.session, "attachments", live_only=False))
                if scope.minimal_contacts:
                    minimal.minimise_file(uow)
            else:
                # Indexes, search tables, counts and labels built once at the end, not row
                # by row.
                with bulk.large_page_cache(uow.session), bulk.indexes_suspended(uow.session):
                    for table in archive_repo.tables():
                        repo.insert_rows(uow.session, table, rows.get(table, []))
            repo.set_database_id(uow.session, str(uuid.uuid4()))  # the pack is its own
            repo.write_pack_info(uow.session, PackInfo(
                pack_id=str(uuid.uuid4()), source_database_id=office_id,
                source=office.location, schema_revision=HEAD_REVISION, made_at=utcnow(),
                made_by=office.actor.user, title=title, scope=scope.as_json()))
            repo.write_base(uow.session, (t for t in archive_repo.tables() if t != "changes"))
            counts = bulk.row_counts(uow.session, archive_repo.tables())
            uow.commit()
        if whole_file and (not scope.attachments or scope.minimal_contacts):
            # What was left out leaves no trace in free pages, nor in the search tables' freed
            # cells (secure_delete on for the rebuild).
            pack.compact(secure=True)
    except BaseException:
        pack.close()
        _remove(part)
        raise
    pack.close()
    os.replace(part, target)
    return PackMade(target, title, sum(n for t, n in counts.items() if t != "changes"),
                    counts["attachments"], time.perf_counter() - started,
                    contacts=counts["contacts"], minimal_contacts=scope.minimal_contacts)


def _remove(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"),
                     path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
