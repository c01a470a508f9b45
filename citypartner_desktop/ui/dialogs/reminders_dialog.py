"""Reminders on start: what is due today or overdue, in a window that does not block the app.

Each reminder opens its record, can be snoozed until a day, or marked done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.services import reminders
from citypartner_desktop.services.reminders import KIND_LABELS, DueReminders, Reminder
from citypartner_desktop.ui import colours
from citypartner_desktop.ui.context import AppContext

SNOOZE_DAYS = 7


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


def ask_date(parent: QWidget, title: str, label: str, default: date,
             minimum: date) -> date | None:
    """A small dialog asking for one day (a calendar pops up), or None if cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    form = QFormLayout(dialog)
    edit = QDateEdit(to_qdate(default), dialog)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setMinimumDate(to_qdate(minimum))
    edit.setAccessibleName(label)
    form.addRow(label, edit)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                               | QDialogButtonBox.StandardButton.Cancel, dialog)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    return from_qdate(edit.date()) if dialog.exec() else None


class RemindersDialog(QDialog):
    open_record = Signal(str, str)  # kind, id

    def __init__(self, ctx: AppContext, due: DueReminders, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today = today
        self.items = list(due.items)
        self.total = due.total
        self.setWindowTitle(self.tr("Due today and overdue"))
        self.setModal(False)  # the app stays usable beside it
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, 4, self)
        self.table.setAccessibleName(self.tr("Reminders"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Due"), self.tr("What"), self.tr("Item"), self.tr("Partnership")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self.open_selected())
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.open_button = self._button(self.tr("Open"), self.open_selected, buttons)
        self.snooze_button = self._button(self.tr("Snooze until…"), self.snooze_selected,
                                          buttons)
        self.done_button = self._button(self.tr("Mark done"), self.done_selected, buttons)
        buttons.addStretch(1)
        self._button(self.tr("Close"), self.close, buttons)
        layout.addLayout(buttons)
        self.ask_until: Callable[[], date | None] = self._ask_until
        self._fill()

    def _button(self, text: str, slot: Callable[[], object], bar: QHBoxLayout) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(slot)
        bar.addWidget(button)
        return button

    def _fill(self) -> None:
        self.table.setRowCount(len(self.items))
        late_brush = QBrush(colours.late_text())
        for row, r in enumerate(self.items):
            late = r.overdue(self.today)
            cells = (r.due.isoformat() + ("" if late else self.tr(" (today)")),
                     self.tr(KIND_LABELS[r.kind]), r.title, r.partnership)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if late:
                    item.setForeground(late_brush)
                self.table.setItem(row, column, item)
        shown = len(self.items)
        text = self.tr("{0} item(s) are due today or overdue.").format(f"{self.total:,}")
        if self.total > shown:
            text += " " + self.tr("The first {0} are listed; the dashboard has them all.").format(
                shown)
        self.summary.setText(text if self.items else self.tr("Nothing more is due today."))
        if self.items:
            self.table.selectRow(0)
        for button in (self.open_button, self.snooze_button, self.done_button):
            button.setEnabled(bool(self.items))

    def selected(self) -> Reminder | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def open_selected(self) -> None:
        reminder = self.selected()
        if reminder is not None:
            self.open_record.emit(reminder.record_kind, reminder.record_id)

    def _ask_until(self) -> date | None:
        return ask_date(self, self.tr("Snooze"), self.tr("Remind me again on"),
                        self.today + timedelta(days=SNOOZE_DAYS),
                        self.today + timedelta(days=1))

    def snooze_selected(self) -> None:
        reminder = self.selected()
        if reminder is None:
            return
        until = self.ask_until()
        if until is None:
            return
        try:
            reminders.snooze(self.ctx.db.uow(), reminder, until, self.today)
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.tr("Snooze"), str(exc))
            return
        self._drop(reminder)

    def done_selected(self) -> None:
        reminder = self.selected()
        if reminder is None:
            return
        try:
            reminders.mark_done(self.ctx.db.uow(), reminder, self.today)
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.tr("Mark done"), str(exc))
            return
        self._drop(reminder)
        self.ctx.notify(reminder.record_kind, [reminder.record_id])

    def _drop(self, reminder: Reminder) -> None:
        row = self.items.index(reminder)
        self.items.remove(reminder)
        self.total -= 1
        self._fill()
        if self.items:
            self.table.selectRow(min(row, len(self.items) - 1))
