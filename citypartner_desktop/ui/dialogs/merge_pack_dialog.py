"""File ▸ Merge visit pack…: before anything is written, what the pack brings (new, updated,
deleted records), the conflicts side by side — before the visit, the office now, the visit —
each with a choice (the office's by default; all at once with one click), and the new records
that look like ones the office has (merged into the office's unless "keep both")."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.services.visit_packs.merge import Analysis
from citypartner_desktop.services.visit_packs.plan import DELETED, FieldConflict, Side

COLUMNS = ("Record", "Field", "Before the visit", "Office now", "From the visit", "Keep")


def shown(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _with_who(text: str, who: str) -> str:
    return f"{text}\n— {who}" if who else text


class MergePackDialog(QDialog):
    def __init__(self, analysis: Analysis, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analysis = analysis
        self.choice_boxes: dict[tuple[str, str, str], QComboBox] = {}
        self.setObjectName("mergePackDialog")
        self.setWindowTitle(self.tr("Merge visit pack – {0}").format(analysis.facts.title))
        layout = QVBoxLayout(self)
        about = analysis.facts
        made = about.made_at.astimezone().strftime("%Y-%m-%d %H:%M")
        self.intro = QLabel(self.tr("Visit pack for {0}, made on {1} by {2}.").format(
            about.title, made, about.made_by), self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        s = analysis.summary()
        self.summary = QLabel(self.tr(
            "{0} new, {1} updated, {2} deleted, {3} restored records and {4} history entries "
            "come from the visit; {5} conflicts need a choice.").format(
            s["new"], s["updated"], s["deleted"], s["restored"], s["history"], s["conflicts"]),
            self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("What the merge does"))
        layout.addWidget(self.summary)
        if analysis.merged_before is not None:
            when, who = analysis.merged_before
            self.summary.setText(self.tr("This pack was merged on {0} by {1}; merging it again "
                                         "changes nothing.").format(
                when.astimezone().strftime("%Y-%m-%d %H:%M"), who))
        self.table = self._conflict_table()
        layout.addWidget(self.table, 1)
        all_buttons = QHBoxLayout()
        self.office_all = QPushButton(self.tr("Use &office for all"), self)
        self.office_all.clicked.connect(lambda: self.choose_all("office"))
        self.visit_all = QPushButton(self.tr("Use &visit for all"), self)
        self.visit_all.clicked.connect(lambda: self.choose_all("pack"))
        all_buttons.addWidget(self.office_all)
        all_buttons.addWidget(self.visit_all)
        all_buttons.addStretch(1)
        layout.addLayout(all_buttons)
        for widget in (self.table, self.office_all, self.visit_all):
            widget.setVisible(bool(analysis.plan.conflicts))
        self.duplicates = QListWidget(self)
        self.duplicates.setAccessibleName(self.tr("New records the office has already"))
        for duplicate in analysis.duplicates:
            item = QListWidgetItem(self.tr("{0} “{1}”: keep both (else merged into the "
                                           "office's)").format(
                self.tr(analysis.kind_label(duplicate.table)), duplicate.label), self.duplicates)
            item.setData(Qt.ItemDataRole.UserRole, duplicate.pack_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.duplicates.setVisible(bool(analysis.duplicates))
        self.duplicates.setMaximumHeight(120)
        layout.addWidget(self.duplicates)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.merge_button = buttons.addButton(self.tr("&Merge"),
                                              QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setEnabled(analysis.merged_before is None
                                     and not analysis.plan.is_empty())
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(960, 560 if analysis.plan.conflicts else 260)

    def _conflict_table(self) -> QTableWidget:
        conflicts = self.analysis.plan.conflicts
        table = QTableWidget(len(conflicts), len(COLUMNS), self)
        table.setAccessibleName(self.tr("Conflicts"))
        table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        table.verticalHeader().hide()
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        for column in (2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        for row, conflict in enumerate(conflicts):
            cells = self._cells(conflict)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                table.setItem(row, column, item)
            box = QComboBox(table)
            box.addItem(self.tr("Office"), "office")
            box.addItem(self.tr("Visit"), "pack")
            box.setAccessibleName(self.tr("Keep for {0}, {1}").format(cells[0], cells[1]))
            table.setCellWidget(row, 5, box)
            self.choice_boxes[conflict.key] = box
        table.setWordWrap(True)
        table.resizeRowsToContents()  # long texts (aims, minutes) read in full
        return table

    def _cells(self, conflict: FieldConflict) -> tuple[str, ...]:
        a = self.analysis
        key = (conflict.table, conflict.record_id)
        record = f"{self.tr(a.kind_label(conflict.table))} “{a.label(key)}”"
        if conflict.field == DELETED:
            office = self.tr("deleted") if conflict.office is True else self.tr("changed")
            visit = self.tr("deleted") if conflict.pack is True else self.tr("changed")
            return (record, self.tr("Deleted or changed"), self.tr("there"), office, visit)
        return (record, self.tr(a.field_label(conflict.table, conflict.field)),
                shown(conflict.base), _with_who(shown(conflict.office), a.who(conflict, "office")),
                _with_who(shown(conflict.pack), a.who(conflict, "pack")))

    def choose(self, key: tuple[str, str, str], side: Side) -> None:
        box = self.choice_boxes[key]
        box.setCurrentIndex(box.findData(side))

    def choose_all(self, side: Side) -> None:
        for key in self.choice_boxes:
            self.choose(key, side)

    def choices(self) -> dict[tuple[str, str, str], Side]:
        chosen: dict[tuple[str, str, str], Side] = {}
        for key, box in self.choice_boxes.items():
            chosen[key] = "pack" if box.currentData() == "pack" else "office"
        return chosen

    def keep_both(self) -> frozenset[str]:
        return frozenset(
            str(self.duplicates.item(r).data(Qt.ItemDataRole.UserRole))
            for r in range(self.duplicates.count())
            if self.duplicates.item(r).checkState() == Qt.CheckState.Checked)
