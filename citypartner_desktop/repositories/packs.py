"""Rows for visit packs: which records a pack takes (by foreign keys), their rows read and
written as they are, the pack's description and base copy, the database's identity and the
office's ledger of merged packs."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, MetaData, Table, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from citypartner_desktop.db.base import Base
from citypartner_desktop.db.models import DatabaseIdentity, PackBase, PackInfo, PackMerge
from citypartner_desktop.repositories import bulk

_CHUNK = 900  # ids per IN (...): below SQLite's old limit of 999 bound values


def _chunks(values: Collection[str]) -> Iterator[list[str]]:
    items = sorted(values)
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def foreign_keys(table: str) -> list[tuple[str, str]]:
    """(column, referenced table) of ``table``."""
    found = []
    for column in Base.metadata.tables[table].c:
        for key in column.foreign_keys:
            found.append((column.name, key.column.table.name))
    return found


def ids_where(session: Session, table: str, column: str, values: Collection[str], *,
              live_only: bool = True) -> set[str]:
    """Ids of ``table`` whose ``column`` is one of ``values``."""
    target = Base.metadata.tables[table]
    found: set[str] = set()
    for chunk in _chunks(values):
        stmt = select(target.c.id).where(target.c[column].in_(chunk))
        if live_only:
            stmt = stmt.where(target.c.deleted_at.is_(None))
        found.update(session.execute(stmt).scalars())
    return found


def all_ids(session: Session, table: str, *, live_only: bool) -> set[str]:
    target = Base.metadata.tables[table]
    stmt = select(target.c.id)
    if live_only:
        stmt = stmt.where(target.c.deleted_at.is_(None))
    return set(session.execute(stmt).scalars())


def home_city_ids(session: Session) -> set[str]:
    cities = Base.metadata.tables["cities"]
    return set(session.execute(select(cities.c.id).where(cities.c.is_home.is_(True))).scalars())


def column_values(session: Session, table: str, column: str, ids: Collection[str]
                  ) -> set[str]:
    """The non-empty values of ``column`` in the rows ``ids`` (a foreign key's targets)."""
    target = Base.metadata.tables[table]
    found: set[str] = set()
    for chunk in _chunks(ids):
        stmt = select(target.c[column]).where(target.c.id.in_(chunk),
                                              target.c[column].is_not(None))
        found.update(str(v) for v in session.execute(stmt).scalars())
    return found


def rows(session: Session, table: str, ids: Collection[str] | None = None
         ) -> list[dict[str, Any]]:
    """The rows ``ids`` of ``table`` (all its rows without ``ids``), every column."""
    target = Base.metadata.tables[table]
    if ids is None:
        return [dict(r._mapping) for r in session.execute(select(target))]
    found: list[dict[str, Any]] = []
    for chunk in _chunks(ids):
        found.extend(dict(r._mapping) for r in session.execute(
            select(target).where(target.c.id.in_(chunk))))
    return found


def owned_ids(session: Session, table: str, kind_column: str, id_column: str,
              owners: Mapping[str, Collection[str]]) -> set[str]:
    """Ids of rows (attachments, history entries) that belong to one of ``owners``
    (record kind -> ids)."""
    target = Base.metadata.tables[table]
    found: set[str] = set()
    for kind, ids in owners.items():
        for chunk in _chunks(ids):
            found.update(session.execute(select(target.c.id).where(
                target.c[kind_column] == kind, target.c[id_column].in_(chunk))).scalars())
    return found


def insert_rows(session: Session, table: str, values: Sequence[Mapping[str, Any]]) -> None:
    """Rows as they are (every column), in one statement (``bulk.insert_all``)."""
    bulk.insert_all(session, table, values)


def update_row(session: Session, table: str, record_id: str, values: Mapping[str, Any],
               expected_version: int | None) -> bool:
    """Change a row that is no record of the service layer (a criterion score, a setting),
    only while it is at ``expected_version`` (if given); False when it moved on."""
    target = Base.metadata.tables[table]
    stmt = update(target).where(target.c.id == record_id)
    if expected_version is not None:
        stmt = stmt.where(target.c.version == expected_version)
    done = session.execute(stmt.values(**values, version=target.c.version + 1))
    return bool(getattr(done, "rowcount", 1))


def writes_beside_readers(session: Session) -> bool:
    """Whether this transaction can write while another connection reads (a backup): on
    a server, or SQLite with its write-ahead log; with a rollback journal (a folder where the
    log cannot be kept) the writer would wait for every reader."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return True
    return str(connection.exec_driver_sql("PRAGMA journal_mode").scalar()).lower() == "wal"


def delete_rows(session: Session, table: str, ids: Collection[str]) -> None:
    target = Base.metadata.tables[table]
    for chunk in _chunks(ids):
        session.execute(delete(target).where(target.c.id.in_(chunk)))


def secure_delete(session: Session) -> None:
    """From now on this connection zeroes what it deletes or overwrites (SQLite), so that a
    value taken out of a copy leaves no trace in its free pages."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("PRAGMA secure_delete = ON")


def clear_columns(session: Session, table: str, columns: Sequence[str]) -> None:
    """Empty ``columns`` in every row of ``table`` (tombstones too), leaving the rows'
    versions and times as they are."""
    target = Base.metadata.tables[table]
    session.execute(update(target).values({target.c[name]: None for name in columns}))


def set_column(session: Session, table: str, column: str, values: Mapping[str, Any]) -> None:
    """Set ``column`` of each row (id -> value), leaving versions and times as they are."""
    if not values:
        return
    target = Base.metadata.tables[table]
    stmt = (update(target).where(target.c.id == bindparam("row_id"))
            .values({target.c[column]: bindparam("new_value")}))
    session.connection().execute(stmt, [{"row_id": k, "new_value": v}
                                        for k, v in values.items()])


def delete_history(session: Session, kind: str, *, fields: Collection[str] | None = None,
                   record_ids: Collection[str] | None = None) -> None:
    """Delete the history entries of records of ``kind``: of those ``fields`` (of any
    record), or of the records ``record_ids`` (every field)."""
    changes = Base.metadata.tables["changes"]
    if fields is not None:
        session.execute(delete(changes).where(changes.c.record_kind == kind,
                                              changes.c.field.in_(sorted(fields))))
    for chunk in _chunks(record_ids or ()):
        session.execute(delete(changes).where(changes.c.record_kind == kind,
                                              changes.c.record_id.in_(chunk)))


# -- identity, pack description, base, ledger ---------------------------------------------------
def database_id(session: Session) -> str | None:
    return session.execute(select(DatabaseIdentity.database_id)).scalar()


def set_database_id(session: Session, value: str) -> None:
    session.execute(delete(DatabaseIdentity))
    session.add(DatabaseIdentity(database_id=value))


def pack_info(session: Session) -> PackInfo | None:
    return session.execute(select(PackInfo)).scalar()


def write_pack_info(session: Session, info: PackInfo) -> None:
    session.execute(delete(PackInfo))
    session.add(info)


# -- the base copy: each table's rows as packed, in a table of its own (the pack is a file) --
BASE_PREFIX = "pack_base__"


def write_base(session: Session, tables: Iterable[str]) -> None:
    """Copy every row of ``tables`` into its base table, replacing any older base."""
    connection = session.connection()
    session.execute(delete(PackBase))  # the JSON base of packs made before base tables
    for table in tables:
        name = BASE_PREFIX + table
        connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{name}"')
        connection.exec_driver_sql(f'CREATE TABLE "{name}" AS SELECT * FROM "{table}"')


def _base_tables(session: Session) -> dict[str, Table]:
    """Table -> its base table, with the columns it has (a column added by a later version
    of the program is missing in the base of an older pack)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return {}
    present = {str(r[0]) for r in connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    found: dict[str, Table] = {}
    metadata = MetaData()
    for table, source in Base.metadata.tables.items():
        name = BASE_PREFIX + table
        if name not in present:
            continue
        columns = {str(r[1]) for r in connection.exec_driver_sql(f'PRAGMA table_info("{name}")')}
        found[table] = Table(name, metadata, *(Column(c.name, c.type) for c in source.c
                                               if c.name in columns))
    return found


def base_rows(session: Session) -> Iterator[tuple[str, dict[str, Any]]]:
    """(table, row with every column as read) of every record as it was packed."""
    for table, base in _base_tables(session).items():
        for row in session.execute(select(base)):
            yield table, dict(row._mapping)


def legacy_base_rows(session: Session) -> dict[tuple[str, str], dict[str, Any]]:
    """The base of packs made before base tables: (table, id) -> the row as merged (canon)."""
    return {(t, i): dict(row) for t, i, row in session.execute(
        select(PackBase.table_name, PackBase.record_id, PackBase.row))}


def base_count(session: Session) -> int:
    found = int(session.execute(select(func.count()).select_from(PackBase)).scalar_one())
    for base in _base_tables(session).values():
        found += int(session.execute(select(func.count()).select_from(base)).scalar_one())
    return found


def clear_merges(session: Session) -> None:
    """Forget the packs merged into this database (a pack copied from an office)."""
    session.execute(delete(PackMerge))


def merge_of(session: Session, pack_id: str) -> PackMerge | None:
    return session.get(PackMerge, pack_id)


def record_merge(session: Session, merge: PackMerge) -> None:
    existing = session.get(PackMerge, merge.pack_id)
    if existing is not None:
        session.delete(existing)
        session.flush()
    session.add(merge)


def mark_undone(session: Session, pack_id: str, when: datetime) -> None:
    merge = session.get(PackMerge, pack_id)
    if merge is not None:
        merge.undone_at = when


def same_contacts(session: Session, full_name: str, email: str | None) -> list[str]:
    """Live contacts of that name (any case) and the same e-mail address, or, when the one
    looked for has none, of that name alone."""
    contacts = Base.metadata.tables["contacts"]
    stmt = select(contacts.c.id).where(func.lower(contacts.c.full_name) == full_name.lower(),
                                       contacts.c.deleted_at.is_(None))
    if email:
        stmt = stmt.where(func.lower(contacts.c.email) == email.lower())
    return list(session.execute(stmt).scalars())
