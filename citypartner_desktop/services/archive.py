"""The whole database as one archive and back: for archiving and for moving between
installations. Lossless: ids, timestamps, versions, deleted rows, the audit trail and the bytes
of attachments. Restoring goes only into an empty database, in one transaction after a backup;
attachments whose bytes do not match their SHA-256 refuse the archive, and unsafe attachment file
names ("../x", "CON") are replaced by safe ones (noted, and kept in the history)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from citypartner_desktop.db.base import utcnow
from citypartner_desktop.db.database import Database
from citypartner_desktop.db.schema import HEAD_REVISION
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.domain.file_names import printable_name
from citypartner_desktop.repositories import archive as repo
from citypartner_desktop.repositories import bulk
from citypartner_desktop.repositories import status as status_repo
from citypartner_desktop.services import attachments, audit, backups, erasure

Progress = Callable[[int, int, str], None]
Notes = Callable[[str], None]


def tables() -> list[str]:
    return repo.archive_tables()


def column_kinds(table: str) -> dict[str, str]:
    return repo.column_kinds(table)


def schema_revision(db: Database) -> str:
    with db.uow() as uow:
        return status_repo.revision(uow.session) or HEAD_REVISION


def read_all(db: Database) -> Iterator[tuple[str, list[str], Iterator[tuple[Any, ...]]]]:
    """(table, columns, rows) for every record table, from one consistent snapshot."""
    with db.uow() as uow:
        uow.one_snapshot()
        for table in repo.archive_tables():
            yield table, list(repo.column_kinds(table)), repo.read_rows(uow.session, table)


def restore_all(db: Database, data: Mapping[str, tuple[Sequence[str], Sequence[Sequence[Any]]]],
                revision: str, *, progress: Progress | None = None,
                notes: Notes | None = None) -> dict[str, int]:
    """Insert every table of an archive into this empty database; rows per table.

    Attachments are checked against their SHA-256 first (a mismatch refuses the archive);
    a file name that is not a safe base name is replaced by one, told to ``notes`` and
    recorded in the history."""
    if revision != HEAD_REVISION:
        raise ValidationError.single(
            "archive", f"was written by schema {revision}; this version reads archives of "
                       f"schema {HEAD_REVISION} (export it again with a matching version)")
    unknown = set(data) - set(repo.archive_tables())
    if unknown:
        raise ValidationError.single("archive", f"has tables this version does not know: "
                                                f"{', '.join(sorted(unknown))}")
    for table, (columns, _rows) in data.items():
        extra = set(columns) - set(repo.column_kinds(table))
        if extra:
            raise ValidationError.single(
                "archive", f"table {table} has columns this version does not know: "
                           f"{', '.join(sorted(extra))}")
    renamed: dict[str, tuple[str, str]] = {}
    if "attachments" in data:
        columns, rows = data["attachments"]
        checked = attachments.checked_archive_rows(columns, rows)
        data = {**data, "attachments": (columns, checked.rows)}
        renamed = checked.renamed
    with db.uow() as uow:
        if repo.count_rows(uow.session):
            raise ValidationError.single(
                "database", "is not empty; an archive is restored only into a new, empty "
                            "database (citypartner init --db NEW.db)")
    if "contacts" in data:
        columns, rows = data["contacts"]
        at, name = columns.index("id"), columns.index("full_name")
        erasure.check_may_bring_back(db, (str(r[at]) for r in rows
                                          if r[name] != erasure.ERASED_NAME), (), "This archive")
    backups.backup_before(db, "import")
    counts: dict[str, int] = {}
    total = sum(len(rows) for _c, rows in data.values())
    done = 0
    with db.uow() as uow, bulk.large_page_cache(uow.session):
        for table in repo.archive_tables():
            if table not in data:
                continue
            columns, rows = data[table]
            repo.insert_rows(uow.session, table, columns, rows)
            counts[table] = len(rows)
            done += len(rows)
            if progress is not None:
                progress(done, total, f"Restoring {table}…")
        now = utcnow()
        for attachment_id, (old, new) in renamed.items():
            # The old name escaped: the history shows what it held, not what it pretends.
            audit.record(uow, "attachment", attachment_id, "file_name", printable_name(old),
                         new, now)
        uow.commit()
    again = erasure.reapply(db)
    if notes is not None and again:
        notes(f"{again} of the people in the archive had been erased since it was made "
              "(the erasure register); they were erased again")
    if notes is not None:
        for attachment_id, (old, new) in renamed.items():
            notes(f'attachment {attachment_id}: the file name "{printable_name(old)}" is not '
                  f'safe to save under; it was stored as "{new}"')
    return counts
