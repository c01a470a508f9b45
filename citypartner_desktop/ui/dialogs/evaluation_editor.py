"""The evaluation editor: the OECD-DAC scores, the red/amber/green health check per side, KPI
measurements against the partnership's goals (progress shown as it is typed), findings,
lessons, the recommendation, and action items that become actions. Saved as a whole by
services.evaluations (one transaction): a refused part saves nothing and is named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.deadlines import kpi_progress
from citypartner_desktop.domain.errors import CityPartnerError, ConflictError, ValidationError
from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.domain.validation import parse_float
from citypartner_desktop.services import conflicts, evaluation_merge, evaluations, records
from citypartner_desktop.services.conflicts import Side
from citypartner_desktop.services.evaluations import ActionItem, EvaluationForm, GoalInfo
from citypartner_desktop.ui import colours
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.conflict_dialog import ConflictDialog, MovedNote
from citypartner_desktop.ui.dialogs.field_editors import FieldEditor, ScoresEditor, make_editor

GENERAL = ("partnership_id", "period", "evaluated_on", "kind", "method", "evaluator",
           "recommendation")
EDITED = (*GENERAL, "findings", "lessons")
ACTION_COLUMNS = ("What", "Owner", "Due (YYYY-MM-DD)")


@dataclass(frozen=True)
class Saved:
    id: str


# A colleague saving the evaluation again and again while its conflicts are settled: after this
# many merges the save stops and says so (as the record dialog does).
_CONFLICT_ROUNDS = 3


def _number(value: float | None) -> str:
    """A stored number as typed back: the shortest text that reads back as the same number
    (six digits, as "g" gives, would round 1234567.5 on the next save)."""
    if value is None:
        return ""
    for digits in (15, 17):
        text = f"{value:.{digits}g}"
        if float(text) == value:
            break
    return text


class EvaluationEditor(QDialog):
    def __init__(self, ctx: AppContext, evaluation_id: str | None = None,
                 preset: dict[str, Any] | None = None, parent: QWidget | None = None,
                 lock_fields: tuple[str, ...] = ()) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.evaluation_id = evaluation_id
        self.version: int | None = None
        self.saved: Saved | None = None
        self.goals: tuple[GoalInfo, ...] = ()
        self._action_ids: list[str | None] = []
        self._done_dates: dict[str, Any] = {}
        self.setObjectName("evaluationEditor")
        self.setWindowTitle(self.tr("New evaluation") if evaluation_id is None
                            else self.tr("Evaluation"))
        self._build()
        self._load(preset or {}, lock_fields)
        self._initial = self.form()
        self._base = self._initial  # what the saved evaluation was, to merge a colleague's save
        self.conflict_dialog: ConflictDialog | None = None
        self._listening = evaluation_id is not None
        if self._listening:
            ctx.bus.changed.connect(self._evaluation_changed)
        self.resize(880, 560)

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(f"color: {colours.css(colours.error_text())}; "
                                  "font-weight: bold;")
        self.banner.setAccessibleName(self.tr("Problems"))
        self.banner.hide()
        outer.addWidget(self.banner)
        self.moved_note = MovedNote(
            self.tr("{0} changed this evaluation at {1} — when you save you can choose which "
                    "values to keep."),
            self.tr("{0} deleted this evaluation at {1}; it must be restored from Deleted "
                    "items before your changes can be saved."), self)
        outer.addWidget(self.moved_note)
        self.tabs = QTabWidget(self)
        outer.addWidget(self.tabs, 1)
        spec = spec_for("evaluation")

        general = QWidget(self.tabs)
        form = QFormLayout(general)
        self.editors: dict[str, FieldEditor] = {}
        for name in GENERAL:
            field = spec.field(name)
            editor = make_editor(field, self._lookup, general)
            label = self.tr(field.label) + (" *" if field.required else "")
            form.addRow(label, editor)
            self.editors[name] = editor
        self.editors["partnership_id"].edited.connect(self._partnership_changed)
        self.tabs.addTab(general, self.tr("General"))

        self.scores = ScoresEditor(spec.field("scores"), self.tabs)
        scores_page = QWidget(self.tabs)
        scores_layout = QVBoxLayout(scores_page)
        scores_layout.addWidget(QLabel(self.tr(
            "Score each OECD-DAC criterion from 1 (poor) to 5 (excellent), with the reason; "
            "“–” leaves it unscored."), scores_page))
        scores_layout.addWidget(self.scores)
        scores_layout.addStretch(1)
        self.tabs.addTab(scores_page, self.tr("Scores"))

        health_page = QWidget(self.tabs)
        grid = QGridLayout(health_page)
        self.health: dict[tuple[str, str], tuple[QComboBox, QLineEdit]] = {}
        for c, (_side, side_label) in enumerate(vocab.HEALTH_SIDES):
            head = QLabel(f"<b>{self.tr(side_label)}</b>", health_page)
            grid.addWidget(head, 0, 1 + 2 * c, 1, 2)
        for r, (aspect, aspect_label) in enumerate(vocab.HEALTH_ASPECTS, 1):
            grid.addWidget(QLabel(self.tr(aspect_label), health_page), r, 0)
            for c, (side, side_label) in enumerate(vocab.HEALTH_SIDES):
                combo = QComboBox(health_page)
                combo.addItem("–", None)
                for key, label in vocab.RAG:
                    combo.addItem(self.tr(label), key)
                combo.setAccessibleName(f"{self.tr(side_label)}: {self.tr(aspect_label)}")
                combo.currentIndexChanged.connect(
                    lambda _i, box=combo: self._colour(box))
                note = QLineEdit(health_page)
                note.setPlaceholderText(self.tr("Note"))
                note.setAccessibleName(
                    f"{self.tr(side_label)}: {self.tr(aspect_label)} {self.tr('note')}")
                grid.addWidget(combo, r, 1 + 2 * c)
                grid.addWidget(note, r, 2 + 2 * c)
                self.health[(side, aspect)] = (combo, note)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(4, 1)
        grid.setRowStretch(len(vocab.HEALTH_ASPECTS) + 1, 1)
        self.tabs.addTab(health_page, self.tr("Health check"))

        kpi_page = QWidget(self.tabs)
        kpi_layout = QVBoxLayout(kpi_page)
        self.kpi_hint = QLabel(kpi_page)
        self.kpi_hint.setWordWrap(True)
        kpi_layout.addWidget(self.kpi_hint)
        self.kpi_table = QTableWidget(0, 6, kpi_page)
        self.kpi_table.setAccessibleName(self.tr("KPI measurements"))
        self.kpi_table.setHorizontalHeaderLabels(
            [self.tr("Goal"), self.tr("Baseline"), self.tr("Target"), self.tr("Actual"),
             self.tr("Progress"), self.tr("Note")])
        self.kpi_table.verticalHeader().hide()
        header = self.kpi_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.kpi_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.kpi_edits: dict[str, tuple[QLineEdit, QLabel, QLineEdit]] = {}
        kpi_layout.addWidget(self.kpi_table, 1)
        self.tabs.addTab(kpi_page, self.tr("KPIs"))

        text_page = QWidget(self.tabs)
        text_form = QFormLayout(text_page)
        for name in ("findings", "lessons"):
            field = spec.field(name)
            editor = make_editor(field, self._lookup, text_page)
            text_form.addRow(self.tr(field.label), editor)
            self.editors[name] = editor
        self.tabs.addTab(text_page, self.tr("Findings and lessons"))

        actions_page = QWidget(self.tabs)
        actions_layout = QVBoxLayout(actions_page)
        actions_layout.addWidget(QLabel(self.tr(
            "What the evaluation decides to do: each item becomes an action of the "
            "partnership, with its owner and due date, and shows on the dashboard."),
            actions_page))
        self.actions_table = QTableWidget(0, len(ACTION_COLUMNS), actions_page)
        self.actions_table.setAccessibleName(self.tr("Action items"))
        self.actions_table.setHorizontalHeaderLabels([self.tr(c) for c in ACTION_COLUMNS])
        self.actions_table.verticalHeader().hide()
        a_header = self.actions_table.horizontalHeader()
        a_header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        a_header.resizeSection(1, 180)
        a_header.resizeSection(2, 150)
        actions_layout.addWidget(self.actions_table, 1)
        buttons = QHBoxLayout()
        self.add_action_button = QPushButton(self.tr("Add action item"), actions_page)
        self.add_action_button.clicked.connect(lambda: self.add_action_row())
        self.remove_action_button = QPushButton(self.tr("Remove action item"), actions_page)
        self.remove_action_button.clicked.connect(self.remove_action_row)
        buttons.addWidget(self.add_action_button)
        buttons.addWidget(self.remove_action_button)
        buttons.addStretch(1)
        actions_layout.addLayout(buttons)
        self.tabs.addTab(actions_page, self.tr("Action items"))

        bottom = QDialogButtonBox(self)
        self.compare_button = bottom.addButton(self.tr("Compare with…"),
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.compare_button.clicked.connect(self.compare)
        self.save_button = bottom.addButton(QDialogButtonBox.StandardButton.Save)
        bottom.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.save_button.clicked.connect(self.save)
        bottom.rejected.connect(self.reject)
        outer.addWidget(bottom)

    def _lookup(self, kind: str, text: str) -> list[Any]:
        return records.lookup(self.ctx.db.uow(), kind, text)

    def _colour(self, box: QComboBox) -> None:
        swatch = colours.health(str(box.currentData()))
        box.setStyleSheet(f"QComboBox {{ {swatch.style()} }}" if swatch else "")

    # -- loading ------------------------------------------------------------------------------
    def _load(self, preset: dict[str, Any], lock_fields: tuple[str, ...]) -> None:
        if self.evaluation_id is None:
            form = EvaluationForm(partnership_id=str(preset.get("partnership_id") or ""))
            label = (records.label(self.ctx.db.uow(), "partnership", form.partnership_id)
                     if form.partnership_id else "")
            self._show_form(form, label, ())
            if form.partnership_id:
                self._set_goals(evaluations.goals_of(self.ctx.db.uow(), form.partnership_id))
            else:
                self._set_goals(())
        else:
            loaded = evaluations.load(self.ctx.db.uow(), self.evaluation_id)
            self.version = loaded.version
            self._show_form(loaded.form, loaded.partnership, loaded.goals)
            lock_fields = (*lock_fields, "partnership_id")  # its goals and actions depend on it
        for name in lock_fields:
            if name in self.editors:
                self.editors[name].set_locked(True)
        self.compare_button.setEnabled(self.evaluation_id is not None)

    def _show_form(self, form: EvaluationForm, partnership: str,
                   goals: tuple[GoalInfo, ...]) -> None:
        for name in EDITED:
            value = getattr(form, name)
            self.editors[name].set_value(value, partnership if name == "partnership_id" else "")
        self.editors["kind"].set_value(form.kind or "annual")
        self.scores.set_value(form.scores)
        for key, (combo, note) in self.health.items():
            rating, text = form.health.get(key, (None, ""))
            combo.setCurrentIndex(max(0, combo.findData(rating)) if rating else 0)
            note.setText(text)
        if goals:
            self._set_goals(goals, form.kpis)
        self.actions_table.setRowCount(0)
        self._action_ids = []
        for item in form.actions:
            self.add_action_row(item)

    def _partnership_changed(self) -> None:
        value = self.editors["partnership_id"].value()
        if value and records.label(self.ctx.db.uow(), "partnership", str(value)):
            self._set_goals(evaluations.goals_of(self.ctx.db.uow(), str(value)))

    def _set_goals(self, goals: tuple[GoalInfo, ...],
                   kpis: dict[str, tuple[Any, str]] | None = None) -> None:
        self.goals = goals
        kpis = kpis or {}
        self.kpi_table.setRowCount(len(goals))
        self.kpi_edits = {}
        for row, goal in enumerate(goals):
            unit = f" {goal.unit}" if goal.unit else ""
            cells = (goal.title, _number(goal.baseline) + unit, _number(goal.target) + unit)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.kpi_table.setItem(row, column, item)
            actual = QLineEdit(self.kpi_table)
            actual.setAccessibleName(self.tr("Actual: {0}").format(goal.title))
            progress = QLabel(self.kpi_table)
            progress.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            progress.setAccessibleName(self.tr("Progress: {0}").format(goal.title))
            note = QLineEdit(self.kpi_table)
            note.setAccessibleName(self.tr("Note: {0}").format(goal.title))
            value, text = kpis.get(goal.id, (None, ""))
            actual.setText(_number(value) if isinstance(value, float | int) else str(value or ""))
            note.setText(text)
            actual.textChanged.connect(lambda _t, g=goal: self._update_progress(g))
            self.kpi_table.setCellWidget(row, 3, actual)
            self.kpi_table.setCellWidget(row, 4, progress)
            self.kpi_table.setCellWidget(row, 5, note)
            self.kpi_edits[goal.id] = (actual, progress, note)
            self._update_progress(goal)
        self.kpi_hint.setText(
            self.tr("Measured values of the partnership's goals; progress is how far the actual "
                    "value has come from the baseline to the target.") if goals else
            self.tr("The partnership has no goals yet: add them on its page (Goals) to measure "
                    "KPIs here."))

    def _update_progress(self, goal: GoalInfo) -> None:
        actual, label, _note = self.kpi_edits[goal.id]
        text = actual.text().strip()
        if not text:
            label.setText("")
            return
        try:
            value = parse_float(text)
        except ValueError:
            label.setText(self.tr("not a number"))
            label.setStyleSheet(f"color: {colours.css(colours.error_text())}")
            return
        share = kpi_progress(goal.baseline, goal.target, value)
        label.setStyleSheet("")
        label.setText("–" if share is None else f"{100 * share:.0f} %")

    def add_action_row(self, item: ActionItem | None = None) -> int:
        row = self.actions_table.rowCount()
        self.actions_table.insertRow(row)
        texts = ("", "", "") if item is None else (
            item.title, item.owner, "" if item.due_date is None else str(item.due_date))
        for column, text in enumerate(texts):
            self.actions_table.setItem(row, column, QTableWidgetItem(text))
        self._action_ids.append(None if item is None else item.id)
        if item is not None and item.id and item.done_date:
            self._done_dates[item.id] = item.done_date
        if item is None:
            self.actions_table.setCurrentCell(row, 0)
        return row

    def remove_action_row(self) -> None:
        row = self.actions_table.currentRow()
        if row >= 0:
            self.actions_table.removeRow(row)
            del self._action_ids[row]

    # -- saving -------------------------------------------------------------------------------
    def form(self) -> EvaluationForm:
        values = {name: self.editors[name].value() for name in EDITED}
        scores = self.scores.value()
        health = {key: (combo.currentData(), note.text().strip())
                  for key, (combo, note) in self.health.items()}
        kpis: dict[str, tuple[float | str | None, str]] = {
            goal_id: (actual.text().strip(), note.text().strip())
            for goal_id, (actual, _label, note) in self.kpi_edits.items()}
        actions = []
        for row in range(self.actions_table.rowCount()):
            title, owner, due = (self._cell(row, c) for c in range(3))
            if not (title or owner or due):
                continue  # an empty line left over
            record_id = self._action_ids[row]
            actions.append(ActionItem(title, owner, due or None, record_id,
                                      self._done_dates.get(record_id or "")))
        return EvaluationForm(
            partnership_id=str(values["partnership_id"] or ""),
            period=str(values["period"] or ""), evaluated_on=values["evaluated_on"],
            kind=str(values["kind"] or ""), method=str(values["method"] or ""),
            evaluator=str(values["evaluator"] or ""), findings=str(values["findings"] or ""),
            lessons=str(values["lessons"] or ""), recommendation=values["recommendation"],
            scores=scores, health=health, kpis=kpis, actions=actions)

    def _cell(self, row: int, column: int) -> str:
        item = self.actions_table.item(row, column)
        return item.text().strip() if item is not None else ""

    def save(self) -> bool:
        """Save the whole evaluation; False while not saved (refused, or a conflict dialog is
        open: its choices then save)."""
        return self._save()

    def _save(self, rounds: int = 0) -> bool:
        try:
            new_id = evaluations.save(self.ctx.db.uow(), self.form(), self.evaluation_id,
                                      self.version)
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        except ConflictError as exc:
            if self.evaluation_id is not None and rounds < _CONFLICT_ROUNDS:
                return self._settle(rounds)
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return False
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return False
        self.saved = Saved(new_id)
        if self.evaluation_id is None:
            self._push_undo(new_id)
        self.ctx.notify("evaluation", [new_id])
        self.ctx.notify("action", [])
        self.accept()
        return True

    # -- saved elsewhere meanwhile ----------------------------------------------------------------
    def _settle(self, rounds: int) -> bool:
        """A colleague saved this evaluation since it was loaded: take every part only they
        changed, and where both changed a part differently, ask (the conflict dialog)."""
        assert self.evaluation_id is not None
        try:
            found = evaluation_merge.compute(self.ctx.db.uow(), self.evaluation_id, self._base,
                                             self.form())
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return False
        self.moved_note.say(found.conflict.changed_by, found.conflict.changed_at, deleted=False)
        if not found.conflict.needs_choice:
            return self._save_merged(found, {}, rounds + 1)
        dialog = ConflictDialog(found.conflict, found.theirs.period, self)
        self.conflict_dialog = dialog
        dialog.accepted.connect(lambda: self._save_merged(found, dialog.choices(), rounds + 1))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # window-modal; the editor stays as it is behind it
        return False

    def _save_merged(self, found: evaluation_merge.EvaluationConflict,
                     choices: dict[str, Side], rounds: int) -> bool:
        """Show the merged evaluation in the editor (what is saved is what is seen) and save it
        over the evaluation as it is now."""
        if self.conflict_dialog is not None and self.conflict_dialog.conflict is found.conflict:
            self.conflict_dialog = None
        merged = found.merged(choices)
        self._show_form(merged, found.partnership, found.goals)
        self.version = found.version
        self._base = found.theirs
        self.moved_note.hide()
        return self._save(rounds)

    def _evaluation_changed(self, kind: str, ids: list[str]) -> None:
        """The change bus: when this evaluation was saved elsewhere, say so at once."""
        if self.saved is not None or self.evaluation_id is None or self.version is None:
            return
        if kind != "*" and (kind != "evaluation" or (ids and self.evaluation_id not in ids)):
            return
        try:
            moved = conflicts.moved_since(self.ctx.db.uow(), "evaluation", self.evaluation_id,
                                          self.version)
        except CityPartnerError:
            return  # the next save says what is wrong
        if moved is not None:
            self.moved_note.say(moved.changed_by, moved.changed_at, deleted=moved.deleted)

    def done(self, result: int) -> None:
        """Closed (saved or cancelled): the change bus outlives the editor."""
        if self._listening:
            self._listening = False
            self.ctx.bus.changed.disconnect(self._evaluation_changed)
        super().done(result)

    def _push_undo(self, new_id: str) -> None:
        """A new evaluation and its new actions go with one Edit ▸ Undo. (Changes to an
        existing evaluation are not undoable yet: they are in its History.)"""
        from citypartner_desktop.ui.undo import CreateCommand

        saved = evaluations.load(self.ctx.db.uow(), new_id)
        self.ctx.undo.beginMacro(self.tr("New evaluation “{0}”").format(saved.form.period))
        self.ctx.undo.push(CreateCommand(self.ctx, "evaluation", new_id, saved.form.period))
        for item in saved.form.actions:
            if item.id:
                self.ctx.undo.push(CreateCommand(self.ctx, "action", item.id, item.title))
        self.ctx.undo.endMacro()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Say what is wrong, in words, and go to the first tab concerned."""
        spec = spec_for("evaluation")
        lines, first_tab = [], None
        for key, reason in errors.items():
            tab, text = self._describe(spec, key, reason)
            lines.append(text)
            first_tab = tab if first_tab is None else first_tab
        self.banner.setText(self.tr("Not saved:") + "\n• " + "\n• ".join(lines))
        self.banner.show()
        if first_tab is not None:
            self.tabs.setCurrentIndex(first_tab)

    def _describe(self, spec: Any, key: str, reason: str) -> tuple[int, str]:
        head = key.split(".")[0]
        if head == "score":
            return 1, reason
        if head == "health":
            return 2, reason
        if head == "kpi":
            goal = next((g for g in self.goals if g.id == key.split(".")[1]), None)
            return 3, f"{self.tr('KPI')} “{goal.title if goal else '?'}”: {reason}"
        if head == "action":
            return 5, reason if reason.startswith("Action item") else (
                self.tr("Action item {0}: {1}").format(key.split(".")[1], reason))
        label = self.tr(spec.field(key).label) if key in spec.field_names else key
        tab = 4 if key in ("findings", "lessons") else 0
        return tab, f"{label}: {reason}"

    def reject(self) -> None:
        """Cancel, Esc or the close button: typed changes are only dropped when confirmed."""
        if self.saved is None and self.form() != self._initial:
            answer = QMessageBox.question(
                self, self.tr("Discard changes?"),
                self.tr("You have typed changes that are not saved. Discard them?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    # -- compare ------------------------------------------------------------------------------
    def compare(self) -> None:
        if self.evaluation_id is None:
            return
        from citypartner_desktop.ui.dialogs.evaluation_compare import choose_and_compare

        choose_and_compare(self.ctx, self.evaluation_id,
                           str(self.editors["partnership_id"].value() or ""), self)
