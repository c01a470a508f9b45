"""A table model that pages rows from SQL: rowCount from count(*), rows fetched a page at a
time into a small cache. A row is formatted for display once, when a view first asks for it:
only the visible rows of a page pay for it (formatting a phone number costs ~100 µs).
Sorting and search happen in SQL.

A search is not counted before its first page is read. When that page is not full, its length
is the count; when it is, a search with few matches is counted at once, and a broad one is
shown with that page as its only rows while a worker (``MatchCounter``) counts every match;
then the other rows are announced with ``rowsInserted``, as a model that fetches more does.
``counting`` says which state it is in."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.formatting import display
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.domain.specs import FieldKind, FieldSpec, spec_for
from citypartner_desktop.services import pages
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.match_counter import MatchCounter

ID_ROLE = Qt.ItemDataRole.UserRole + 1
VERSION_ROLE = Qt.ItemDataRole.UserRole + 2
PAGE_SIZE = 200
MAX_CACHED_PAGES = 16  # bounds memory whatever was scrolled through
# A search with fewer matches is counted at once (in a millisecond), a broader one on a worker.
COUNT_NOW_BELOW = 10_000

_NUMERIC = (FieldKind.INT, FieldKind.FLOAT)
AnyIndex = QModelIndex | QPersistentModelIndex
# Roles as plain ints: a view asks ~10 roles of every visible cell on each paint, and comparing
# an int with a PySide6 enum member costs a Python call each time.
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole.value)
_ID = int(ID_ROLE)
_VERSION = int(VERSION_ROLE)
_ANSWERED = frozenset({_DISPLAY, _TOOLTIP, _ALIGNMENT, _ID, _VERSION})
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_LEFT = int((Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter).value)


class _Row:
    """One cached row: its raw values until a view first shows it, then their display texts."""

    __slots__ = ("_texts", "_values", "id", "version")

    def __init__(self, record_id: str, version: int, values: tuple[Any, ...] | None,
                 texts: tuple[str, ...] | None = None) -> None:
        self.id = record_id
        self.version = version
        self._values = values
        self._texts = texts

    def texts(self, columns: tuple[FieldSpec, ...]) -> tuple[str, ...]:
        if self._texts is None:
            values = self._values or ()
            self._texts = tuple(display(c, v) for c, v in zip(columns, values, strict=True))
            self._values = None
        return self._texts


class PagedRecordModel(QAbstractTableModel):
    count_settled = Signal()  # a search's rows were counted (``counting`` is False again)

    def __init__(self, ctx: AppContext, kind: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.kind = kind
        self.spec = spec_for(kind)
        self.columns: tuple[FieldSpec, ...] = tuple(
            self.spec.field(f) for f in self.spec.list_fields
        )
        self._alignments = tuple(_RIGHT if c.kind in _NUMERIC else _LEFT for c in self.columns)
        self._query = ListQuery(limit=PAGE_SIZE)
        self._known_count: int | None = None  # counted when a view first asks (hidden pages don't)
        self._pages: OrderedDict[int, list[_Row]] = OrderedDict()
        self.error: str | None = None
        self._counter = MatchCounter(self)
        self._counter.counted.connect(self._counted)
        self._counter.failed.connect(self._count_failed)

    # -- what the page asks for -------------------------------------------------------------
    @property
    def query(self) -> ListQuery:
        return self._query

    def set_search(self, text: str) -> None:
        self._requery(search=text)

    def set_show_deleted(self, deleted: bool) -> None:
        self._requery(deleted=deleted)

    @property
    def counting(self) -> bool:
        """Whether the rows shown are a full first page of a search still being counted."""
        return self._counter.busy

    def wait_for_count(self, msecs: int = 5000) -> None:
        """Count now and block until the count is delivered (tests)."""
        if self._counter.busy:
            self._counter.wait(msecs)
            QCoreApplication.sendPostedEvents(self._counter)  # the queued result

    def refresh(self) -> None:
        self.beginResetModel()
        self._counter.cancel()
        self._pages.clear()
        self._known_count = None
        self.endResetModel()

    def reload(self) -> None:
        """Read the rows shown again after a change (a colleague's, on an office server) and
        tell the views only what changed: ``dataChanged`` for rows edited in place; rows
        added or gone as a layout change that moves the persistent indexes with their
        records, then ``rowsInserted``/``rowsRemoved`` at the end. The selection and the
        scroll position stay where the user left them. Before anything was shown, or while
        a broad search is being counted, it is a plain ``refresh``."""
        if self._known_count is None or self._counter.busy or self.error is not None:
            self.refresh()
            return
        try:
            if self._query.search.strip():
                counted = pages.count_if_few(self._ctx.reader, self.kind, self._query,
                                             COUNT_NOW_BELOW)
                if counted is None:
                    self.refresh()
                    return
                new_count = counted
            else:
                new_count = pages.count(self._ctx.reader, self.kind, self._query)
            fresh = OrderedDict((n, self._read(n, new_count)) for n in self._pages)
        except CityPartnerError:
            self.refresh()  # says what went wrong in the table, as a first read does
            return
        old_count, old_pages = self._known_count, self._pages
        if new_count == old_count and all(
                [r.id for r in old_pages[n]] == [r.id for r in fresh[n]] for n in fresh):
            self._pages = fresh
            last = len(self.columns) - 1
            for page_no, rows in fresh.items():
                for offset, (before, after) in enumerate(zip(old_pages[page_no], rows,
                                                             strict=True)):
                    if before.version != after.version:
                        row = page_no * PAGE_SIZE + offset
                        self.dataChanged.emit(self.index(row, 0), self.index(row, last))
            return
        self._relayout(old_pages, fresh, old_count, new_count)

    def _relayout(self, old_pages: OrderedDict[int, list[_Row]],
                  fresh: OrderedDict[int, list[_Row]], old_count: int, new_count: int) -> None:
        def ids_by_row(chosen: OrderedDict[int, list[_Row]]) -> dict[int, str]:
            return {n * PAGE_SIZE + i: r.id for n, rows in chosen.items()
                    for i, r in enumerate(rows)}

        old_ids = ids_by_row(old_pages)
        new_rows = {record_id: row for row, record_id in ids_by_row(fresh).items()}
        self.layoutAboutToBeChanged.emit()
        moved_from, moved_to = [], []
        for index in self.persistentIndexList():
            record_id = old_ids.get(index.row())
            target = new_rows.get(record_id) if record_id is not None else None
            moved_from.append(index)
            if target is None or target >= old_count:
                moved_to.append(QModelIndex())  # the record is gone from what is shown
            else:
                moved_to.append(self.index(target, index.column()))
        self._pages = fresh
        self.changePersistentIndexList(moved_from, moved_to)
        self.layoutChanged.emit()
        if new_count > old_count:
            self.beginInsertRows(QModelIndex(), old_count, new_count - 1)
            self._known_count = new_count
            self.endInsertRows()
        elif new_count < old_count:
            self.beginRemoveRows(QModelIndex(), new_count, old_count - 1)
            self._known_count = new_count
            self.endRemoveRows()

    def _requery(self, **changes: Any) -> None:
        from dataclasses import replace

        self._query = replace(self._query, **changes)
        self.refresh()

    @property
    def _count(self) -> int:
        if self._known_count is None and self._query.search.strip():
            self._known_count = self._count_from_first_page()
        if self._known_count is None:
            try:
                self._known_count = pages.count(self._ctx.reader, self.kind, self._query)
                self.error = None
            except CityPartnerError as exc:
                self._known_count, self.error = 0, str(exc)
        return self._known_count

    def _count_from_first_page(self) -> int:
        self.error = None
        page = self._fetch(0)
        if self.error is not None or len(page) < PAGE_SIZE:
            return len(page)
        try:
            counted = pages.count_if_few(self._ctx.reader, self.kind, self._query,
                                         COUNT_NOW_BELOW)
            if counted is not None:
                return counted
            self._counter.request(self._ctx.source, self.kind, self._query)
        except CityPartnerError as exc:
            self.error = str(exc)
        return len(page)

    def _counted(self, rows: int) -> None:
        shown = self._known_count or 0
        if rows > shown:
            self.beginInsertRows(QModelIndex(), shown, rows - 1)
            self._known_count = rows
            self.endInsertRows()
        # Fewer: rows were deleted since the page was read; the next refresh shows it.
        self.count_settled.emit()

    def _count_failed(self, message: str) -> None:
        self.error = message
        self.count_settled.emit()

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return QCoreApplication.translate("fields", self.columns[section].label)
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        # The roles not answered go first: they are most of what a paint asks.
        if role not in _ANSWERED or not index.isValid():
            return None
        if role == _ALIGNMENT:
            return self._alignments[index.column()]
        row_no = index.row()
        if row_no >= self._count:
            return None
        row = self._row(row_no)
        if row is None:
            return None
        if role == _ID:
            return row.id
        if role == _VERSION:
            return row.version
        return row.texts(self.columns)[index.column()]  # display and tool tip

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns):
            field = self.columns[column].name
            descending = order == Qt.SortOrder.DescendingOrder
            current = self._query.sort_field or self.columns[0].name
            if (field, descending) != (current, self._query.descending):  # views re-sort often
                self._requery(sort_field=field, descending=descending)

    # -- paging -------------------------------------------------------------------------------
    def _row(self, row: int) -> _Row | None:
        page_no, offset = divmod(row, PAGE_SIZE)
        page = self._pages.get(page_no)
        if page is None:
            page = self._fetch(page_no)
        else:
            self._pages.move_to_end(page_no)
        return page[offset] if offset < len(page) else None

    def _read(self, page_no: int, count: int) -> list[_Row]:
        """A page's rows from the database, of a table of ``count`` rows (not needed for
        the first page)."""
        from dataclasses import replace

        start = page_no * PAGE_SIZE
        # SQLite's OFFSET walks every skipped row, so pages in the second half are read from
        # the other end in reversed order: the last page costs what the first one does.
        # (Page 0 never is: it is read before a search is counted.)
        from_end = start > 0 and start > count // 2
        if from_end:
            end = min(start + PAGE_SIZE, count)
            if end <= start:
                return []
            query = replace(self._query, offset=count - end, limit=end - start,
                            descending=not self._query.descending,
                            sort_field=self._query.sort_field or self.columns[0].name)
        else:
            query = replace(self._query, offset=start, limit=PAGE_SIZE)
        rows = pages.list_page(self._ctx.reader, self.kind, query)
        if from_end:
            rows.reverse()
        return [_Row(r.id, r.version, r.values) for r in rows]

    def _fetch(self, page_no: int) -> list[_Row]:
        try:
            # The first page is what a search is counted by: it must not ask for the count.
            page = self._read(page_no, self._count if page_no else 0)
        except CityPartnerError as exc:
            # A placeholder row that says what went wrong, rather than an empty table.
            self.error = str(exc)
            page = [_Row("", 0, None, (f"⚠ {exc}",) + ("",) * (len(self.columns) - 1))]
        self._pages[page_no] = page
        if len(self._pages) > MAX_CACHED_PAGES:
            self._pages.popitem(last=False)
        return page

    def cached_pages(self) -> int:
        return len(self._pages)

    def row_of(self, record_id: str, *, search_pages: int = 0) -> int | None:
        """Row of a record among the pages already fetched, else among the first
        ``search_pages`` pages (fetched if needed) — to select a record just saved."""
        for page_no, page in self._pages.items():
            for offset, cached in enumerate(page):
                if cached.id == record_id:
                    return page_no * PAGE_SIZE + offset
        for page_no in range(min(search_pages, -(-self._count // PAGE_SIZE))):
            if page_no not in self._pages:
                for offset, cached in enumerate(self._fetch(page_no)):
                    if cached.id == record_id:
                        return page_no * PAGE_SIZE + offset
        return None
