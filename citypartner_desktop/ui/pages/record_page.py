"""A page for one kind of record: search, a paged SQL table, and the detail pane.

New / Edit / Delete / Restore work on the selection; everything a user can do by mouse is
also in the context menu and reachable by keyboard.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.specs import FieldKind, spec_for
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.detail_pane import DetailPane
from citypartner_desktop.ui.table_model import ID_ROLE, PagedRecordModel
from citypartner_desktop.ui.undo import CreateCommand, DeleteCommand, RestoreCommand

if TYPE_CHECKING:
    from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog

SEARCH_DEBOUNCE_MS = 250
ROW_HEIGHT = 24
SELECT_SEARCH_PAGES = 5  # how far to look for a just-saved record to select it (5 × 200 rows)


def open_record_dialog(
    ctx: AppContext,
    kind: str,
    record_id: str | None = None,
    preset: dict[str, Any] | None = None,
    parent: QWidget | None = None,
    lock_fields: tuple[str, ...] = (),
) -> RecordDialog:
    """The record dialog, imported when first opened: a page is shown without it, and
    importing it (with the gazetteer type-ahead) would slow the start."""
    from citypartner_desktop.ui.dialogs import city_dialog

    return city_dialog.open_record_dialog(ctx, kind, record_id, preset, parent, lock_fields)


class RecordPage(QWidget):
    status_changed = Signal(str)

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.spec = spec_for(kind)
        self.setObjectName(f"{kind}Page")
        self.model = PagedRecordModel(ctx, kind, self)
        self.record_actions: list[tuple[str, Callable[[str], object]]] = []
        self.page_actions: list[tuple[str, Callable[[], object]]] = []
        self._build()
        ctx.bus.changed.connect(self._on_changed)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        plural = self.tr(self.spec.plural)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Search {0}…").format(plural.lower()))
        self.search.setAccessibleName(self.tr("Search {0}").format(plural.lower()))
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._apply_search)
        bar.addWidget(self.search, 1)
        if not self.spec.search_fields:
            self.search.hide()
        self.show_deleted = QCheckBox(self.tr("Show deleted"), self)
        self.show_deleted.setAccessibleName(self.tr("Show deleted {0}").format(plural.lower()))
        self.show_deleted.setToolTip(self.tr(
            "Deleted items: list the deleted {0}, to look at their history or restore them "
            "(View ▸ Deleted items)").format(plural.lower()))
        self.show_deleted.toggled.connect(self._toggle_deleted)
        bar.addWidget(self.show_deleted)
        self.new_button = self._button(self.tr("New…"), self.new_record, bar)
        self.edit_button = self._button(self.tr("Edit…"), self.edit_selected, bar)
        self.delete_button = self._button(self.tr("Delete"), self.delete_selected, bar)
        self.restore_button = self._button(self.tr("Restore"), self.restore_selected, bar)
        self.restore_button.hide()
        layout.addLayout(bar)

        self.table = QTableView(self)
        self.table.setAccessibleName(plural)
        self.table.setModel(self.model)
        # Indicator first: enabling sorting sorts at once by the indicator (Qt's default is
        # descending), which would cost a needless re-query of every page.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # never resize-to-contents
        vertical.setDefaultSectionSize(ROW_HEIGHT)
        vertical.hide()
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setDefaultSectionSize(150)
        # A name or title column carries the most text; a date needs little room.
        header.resizeSection(0, 110 if self.model.columns[0].kind is FieldKind.DATE else 260)
        # activated: double-click, or Enter for keyboard users (platform conventions apply)
        self.table.activated.connect(lambda _i: self.edit_selected())
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.model.modelReset.connect(self._after_reset)
        self.model.count_settled.connect(self._report_status)

        self.detail = DetailPane(self.ctx, self.kind, self)
        self.detail.add_requested.connect(self._add_child)
        self.detail.edit_requested.connect(self._edit_child)
        self.detail.remove_requested.connect(self._remove_child)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 420])
        layout.addWidget(self.splitter, 1)

    def _button(self, text: str, slot: object, bar: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(slot)
        bar.addWidget(button)
        return button

    # -- state -------------------------------------------------------------------------------
    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        value = index.data(ID_ROLE) if index.isValid() else None
        return str(value) if value else None

    def status_text(self) -> str:
        n = self.model.rowCount()
        plural = self.tr(self.spec.plural).lower()
        what = self.tr("Deleted {0}").format(plural) if self.show_deleted.isChecked() else plural
        # A broad search shows its first page before its matches are counted (a moment).
        shown = f"{n:,}+" if self.model.counting else f"{n:,}"
        text = self.tr("{0}: {1}").format(what[:1].upper() + what[1:], shown)
        if self.model.query.search.strip():
            text += self.tr(" matching “{0}”").format(self.model.query.search.strip())
        if self.model.error:
            text += f" — {self.model.error}"
        return text

    def save_state(self) -> None:
        settings = self.ctx.settings
        settings.setValue(f"pages/{self.kind}/header", self.table.horizontalHeader().saveState())
        settings.setValue(f"pages/{self.kind}/splitter", self.splitter.saveState())

    def restore_state(self) -> None:
        settings = self.ctx.settings
        header = settings.value(f"pages/{self.kind}/header")
        if isinstance(header, QByteArray):
            self.table.horizontalHeader().restoreState(header)
            self.model.sort(
                self.table.horizontalHeader().sortIndicatorSection(),
                self.table.horizontalHeader().sortIndicatorOrder(),
            )
        splitter = settings.value(f"pages/{self.kind}/splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    # -- reactions ------------------------------------------------------------------------------
    def _apply_search(self) -> None:
        self._debounce.stop()
        if self.search.text() != self.model.query.search:
            self.model.set_search(self.search.text())

    def _toggle_deleted(self, deleted: bool) -> None:
        self.restore_button.setVisible(deleted)
        self.delete_button.setVisible(not deleted)
        self.edit_button.setEnabled(not deleted)
        self.model.set_show_deleted(deleted)

    def _after_reset(self) -> None:
        self.detail.show_record(None)
        self._report_status()

    def _report_status(self) -> None:
        if self.isVisible():  # a hidden page counts its rows when it is shown, not now
            self.status_changed.emit(self.status_text())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record_id = current.data(ID_ROLE) if current.isValid() else None
        self.detail.show_record(str(record_id) if record_id else None)

    def _on_changed(self, kind: str, ids: list[str]) -> None:
        if not (kind == "*" or kind == self.kind or self._shows_in_detail(kind)):
            return
        selected = self.selected_id()
        if not self.isVisible():  # read again when shown: nothing to keep in place
            self.model.refresh()
            if selected:
                self._select(selected)
            return
        # Rows change in place: the selection and the scroll position stay (a colleague's
        # save on an office server arrives while the user is reading or typing).
        self.model.reload()
        now = self.selected_id()
        if selected and now != selected:
            self._select(selected)  # moved out of the rows kept: find it again
        elif now is not None:
            self.detail.show_record(now)  # its details may be what changed
        self._report_status()

    def _shows_in_detail(self, kind: str) -> bool:
        return any(box.section.kind == kind for box in self.detail.sections)

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.tr("New…"), self.new_record)
        if self.selected_id():
            if self.show_deleted.isChecked():
                menu.addAction(self.tr("Restore"), self.restore_selected)
            else:
                menu.addAction(self.tr("Edit…"), self.edit_selected)
                menu.addAction(self.tr("Delete"), self.delete_selected)
                for text, act in self.record_actions:
                    menu.addAction(text, partial(self._on_selected, act))
            menu.addAction(self.tr("History…"), self.show_history)
        menu.addSeparator()
        for text, page_act in self.page_actions:
            menu.addAction(text, page_act)
        menu.addAction(self.tr("Hide deleted") if self.show_deleted.isChecked()
                       else self.tr("Show deleted"), self.show_deleted.toggle)
        menu.addAction(self.tr("Refresh"), self.model.refresh)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def add_record_action(self, text: str, act: Callable[[str], object]) -> None:
        """A command on the selected record (e.g. "Report…") in its context menu; ``act``
        gets the record's id. (Menus, not buttons: the button bar must fit small screens.)"""
        self.record_actions.append((text, act))

    def add_page_action(self, text: str, act: Callable[[], object]) -> None:
        """A command on the whole list as shown (e.g. "Export…") in the context menu."""
        self.page_actions.append((text, act))

    def _on_selected(self, act: Callable[[str], object]) -> None:
        record_id = self.selected_id()
        if record_id and not self.show_deleted.isChecked():
            act(record_id)

    # -- commands -----------------------------------------------------------------------------
    def new_record(self) -> None:
        dialog = open_record_dialog(self.ctx, self.kind, parent=self)
        if dialog.exec() and dialog.saved:
            self._select(dialog.saved.id)

    def edit_selected(self) -> None:
        record_id = self.selected_id()
        if record_id and not self.show_deleted.isChecked():
            open_record_dialog(self.ctx, self.kind, record_id, parent=self).exec()

    def delete_selected(self) -> None:
        record_id = self.selected_id()
        if record_id:
            self.delete_record(self.kind, record_id)

    def restore_selected(self) -> None:
        from citypartner_desktop.services import records  # loaded after the first paint

        record_id = self.selected_id()
        if not record_id:
            return
        try:
            label = records.label(self.ctx.db.uow(), self.kind, record_id)
            records.restore(self.ctx.db.uow(), self.kind, record_id)
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.tr("Cannot restore"), str(exc))
            return
        self.ctx.undo.push(RestoreCommand(self.ctx, self.kind, record_id, label))
        self.ctx.notify(self.kind, [record_id])

    def show_history(self) -> None:
        """The selected record's changes (deleted records have a history too)."""
        record_id = self.selected_id()
        if not record_id:
            return
        from citypartner_desktop.ui.dialogs.history_dialog import HistoryDialog

        try:
            dialog = HistoryDialog(self.ctx, self.kind, record_id, self)
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.tr("History"), str(exc))
            return
        dialog.exec()

    def delete_record(self, kind: str, record_id: str) -> bool:
        """Ask, then soft-delete (with what depends on it); Edit ▸ Undo brings it back."""
        from citypartner_desktop.services import records

        try:
            label = records.label(self.ctx.db.uow(), kind, record_id)
            impact = records.delete_impact(self.ctx.db.uow(), kind, record_id)
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.tr("Cannot delete"), str(exc))
            return False
        what = self.tr(spec_for(kind).label).lower()
        text = self.tr("Delete {0} “{1}”?").format(what, label)
        if impact.dependants:
            text += "\n\n" + self.tr("This also deletes: {0}.").format(impact.describe())
        text += "\n\n" + self.tr("You can undo this with Edit ▸ Undo.")
        answer = QMessageBox.question(
            self,
            self.tr("Delete"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            records.delete(self.ctx.db.uow(), kind, record_id)
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.tr("Cannot delete"), str(exc))
            return False
        self.ctx.undo.push(DeleteCommand(self.ctx, kind, record_id, label))
        self.ctx.notify(kind, [record_id])
        return True

    def select_record(self, record_id: str) -> bool:
        """Show a record of this page selected (with its details), e.g. when clicked on the
        dashboard: the search and the deleted view are cleared first. False when it is not
        among the first pages of the list."""
        if self.show_deleted.isChecked():
            self.show_deleted.setChecked(False)
        if self.search.text():
            self.search.clear()
        self._apply_search()
        row = self.model.row_of(record_id, search_pages=SELECT_SEARCH_PAGES)
        if row is None:  # added since the page was last read?
            self.model.refresh()
            row = self.model.row_of(record_id, search_pages=SELECT_SEARCH_PAGES)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        self.table.setFocus()
        return True

    def _select(self, record_id: str) -> None:
        row = self.model.row_of(record_id, search_pages=SELECT_SEARCH_PAGES)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))

    def _add_child(self, kind: str, parent_field: str, parent_id: str) -> None:
        if kind == "attachment":
            self._attach_file(parent_id)
            return
        open_record_dialog(self.ctx, kind, preset={parent_field: parent_id}, parent=self).exec()

    def _attach_file(self, owner_id: str) -> None:
        from citypartner_desktop.services import attachments

        folder = str(self.ctx.settings.value("folders/attachments", ""))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Attach file"), folder)
        if not path:
            return
        self.ctx.settings.setValue("folders/attachments", str(Path(path).parent))
        try:
            new_id = attachments.attach(self.ctx.db.uow(), self.kind, owner_id, Path(path))
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.tr("Attach file"), str(exc))
            return
        self.ctx.undo.push(CreateCommand(self.ctx, "attachment", new_id, Path(path).name))
        self.ctx.notify("attachment", [new_id])

    def _save_attachment(self, attachment_id: str) -> None:
        from citypartner_desktop.services import attachments

        try:
            folder = Path(str(self.ctx.settings.value("folders/save", "") or Path.home()))
            # The proposal is the folder and a safe base name: a stored "../x" or "C:\x" must
            # not point the dialog (and a quick Enter) outside the folder.
            proposed = attachments.suggested_path(self.ctx.db.uow(), attachment_id, folder)
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save attachment"),
                                                  str(proposed))
            if path:
                self.ctx.settings.setValue("folders/save", str(Path(path).parent))
                attachments.save_copy(self.ctx.db.uow(), attachment_id, Path(path))
        except (CityPartnerError, OSError) as exc:
            QMessageBox.warning(self, self.tr("Save attachment"), str(exc))

    def _edit_child(self, kind: str, record_id: str) -> None:
        if kind == "attachment":
            self._save_attachment(record_id)
            return
        parent_field = spec_for(kind).parent_field
        locked = (parent_field,) if parent_field and self.detail.record_id else ()
        open_record_dialog(self.ctx, kind, record_id, parent=self, lock_fields=locked).exec()

    def _remove_child(self, kind: str, record_id: str) -> None:
        self.delete_record(kind, record_id)
