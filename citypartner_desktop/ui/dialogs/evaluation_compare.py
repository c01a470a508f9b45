"""Two evaluations of one partnership side by side: what moved (scores, health, KPI progress)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.services import evaluations
from citypartner_desktop.services.evaluations import Change, Comparison
from citypartner_desktop.ui import colours
from citypartner_desktop.ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("compare", text)


ARROWS = {1: "▲ better", -1: "▼ worse", 0: ""}
COLOURS = {1: colours.better_text, -1: colours.worse_text}  # by direction of the change
ROW_HEIGHT = 22


class CompareDialog(QDialog):
    def __init__(self, comparison: Comparison, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.comparison = comparison
        before, after = comparison.before, comparison.after
        self.setWindowTitle(self.tr("Compare evaluations – {0}").format(after.partnership))
        self.setObjectName("compareDialog")
        layout = QVBoxLayout(self)
        heading = QLabel(self.tr("<b>{0}</b><br>{1} ({2}) compared with {3} ({4})").format(
            after.partnership, after.form.period, after.form.evaluated_on,
            before.form.period, before.form.evaluated_on), self)
        layout.addWidget(heading)
        self.tables: dict[str, QTableWidget] = {}
        b_head = f"{before.form.period} ({before.form.evaluated_on})"
        a_head = f"{after.form.period} ({after.form.evaluated_on})"
        for key, title, what, changes in (
                ("scores", self.tr("OECD-DAC scores (1–5)"), self.tr("Criterion"),
                 comparison.scores),
                ("health", self.tr("Health check"), self.tr("Side and aspect"),
                 comparison.health),
                ("kpis", self.tr("KPI progress towards target"), self.tr("Goal"),
                 comparison.kpis)):
            layout.addWidget(QLabel(f"<b>{title}</b>", self))
            table = self._table(title, what, changes, b_head, a_head)
            layout.addWidget(table)
            self.tables[key] = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 720)

    def _table(self, title: str, what: str, changes: Sequence[Change], before: str,
               after: str) -> QTableWidget:
        table = QTableWidget(len(changes), 4, self)
        table.setAccessibleName(title)
        table.setHorizontalHeaderLabels([what, before, after, self.tr("Change")])
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for row, change in enumerate(changes):
            cells = (change.label, change.before, change.after, self.tr(ARROWS[change.direction]))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                colour = COLOURS.get(change.direction)
                if colour is not None and column == 3:
                    item.setForeground(QBrush(colour()))
                table.setItem(row, column, item)
        table.setFixedHeight(ROW_HEIGHT * (max(len(changes), 1) + 1) + 6)
        return table

    def change_text(self, key: str, row: int) -> str:
        item = self.tables[key].item(row, 3)
        return item.text() if item is not None else ""


def choose_and_compare(ctx: AppContext, evaluation_id: str, partnership_id: str,
                       parent: QWidget) -> CompareDialog | None:
    """Ask which other evaluation of the partnership to compare with (the previous one is
    offered first), then show the comparison."""
    others = [(i, text) for i, text in evaluations.evaluations_of(ctx.db.uow(), partnership_id)
              if i != evaluation_id]
    if not others:
        QMessageBox.information(parent, _tr("Compare evaluations"), _tr(
            "This is the partnership's only evaluation: there is nothing to compare it with."))
        return None
    texts = [text for _i, text in others]
    mine = next((n for n, (i, _t) in enumerate(evaluations.evaluations_of(
        ctx.db.uow(), partnership_id)) if i == evaluation_id), 0)
    default = min(mine, len(texts) - 1)  # the one before this, when there is one
    text, ok = QInputDialog.getItem(parent, _tr("Compare evaluations"),
                                    _tr("Compare with:"), texts, default, False)
    if not ok:
        return None
    other = others[texts.index(text)][0]
    return show_comparison(ctx, evaluation_id, other, parent)


def show_comparison(ctx: AppContext, first: str, second: str,
                    parent: QWidget) -> CompareDialog | None:
    try:
        comparison = evaluations.compare(ctx.db.uow(), first, second)
    except CityPartnerError as exc:
        QMessageBox.warning(parent, _tr("Compare evaluations"), str(exc))
        return None
    dialog = CompareDialog(comparison, parent)
    dialog.setModal(False)
    dialog.show()
    return dialog
