"""Plain data passed between layers: queries in, rows and records out (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from citypartner_desktop.domain.specs import FieldSpec


@dataclass(frozen=True)
class ListQuery:
    """One page of a list, filtered, searched and sorted in SQL."""

    search: str = ""
    sort_field: str | None = None
    descending: bool = False
    offset: int = 0
    limit: int = 100
    deleted: bool = False  # True lists the deleted records (the "Deleted items" view)
    filters: tuple[tuple[str, str], ...] = ()  # (field, value) equality filters
    columns: tuple[str, ...] = ()  # fields to return; empty means the spec's list fields


@dataclass(frozen=True, slots=True)
class RowData:
    """One table row: raw values in the order of the spec's list fields (refs as labels)."""

    id: str
    version: int
    values: tuple[Any, ...]


@dataclass(frozen=True)
class RecordData:
    kind: str
    id: str
    version: int
    values: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    labels: dict[str, str] = field(default_factory=dict)  # ref field -> label of the target

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class RelatedSection:
    """A list of related records shown in a detail pane."""

    title: str
    kind: str  # kind of the rows
    columns: tuple[FieldSpec, ...]
    rows: tuple[RowData, ...]
    parent_field: str | None = None  # set when new rows can be added here for the record
    total: int = 0


@dataclass(frozen=True)
class Choice:
    id: str
    label: str
