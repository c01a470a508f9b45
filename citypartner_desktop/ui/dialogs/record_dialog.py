"""The edit dialog of any kind of record, built from its spec.

Contract (as in picard's option pages): load values → the user edits → Save validates through
the service; refused fields turn red with the reason beneath them, focus goes to the first one,
and nothing typed is lost. A successful save is pushed on the undo stack.

Someone else may save the same record meanwhile (another window, a colleague on the office
server). The dialog says so as soon as the change bus reports it, and a save refused for it
opens the conflict dialog: per field both changed, keep mine or take theirs; what only they
changed is taken without asking, what only the user changed is kept.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.domain.errors import (
    CityPartnerError,
    ConflictError,
    DuplicateCityError,
    ValidationError,
)
from citypartner_desktop.domain.records import Choice, RecordData
from citypartner_desktop.domain.specs import FieldKind, spec_for
from citypartner_desktop.domain.validation import parse_field
from citypartner_desktop.services import conflicts, records
from citypartner_desktop.ui import colours
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.conflict_dialog import ConflictDialog, MovedNote
from citypartner_desktop.ui.dialogs.field_editors import FieldEditor, make_editor
from citypartner_desktop.ui.undo import CreateCommand, UpdateCommand

# Fields that can be checked without the database while the user types.
_LOCAL_CHECK = {
    FieldKind.EMAIL,
    FieldKind.COUNTRY,
    FieldKind.INT,
    FieldKind.FLOAT,
    FieldKind.DATE,
    FieldKind.TIMEZONE,
    FieldKind.URL,
    FieldKind.LANGUAGES,
    FieldKind.CURRENCY,
}
_PARTNERSHIP_SCOPED = ("activity", "evaluation", "goal")
# A record saved elsewhere again and again while its conflicts are settled: after this many
# rounds without a choice to make, the save stops and says so.
_CONFLICT_ROUNDS = 5


class RecordDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        kind: str,
        record_id: str | None = None,
        preset: dict[str, Any] | None = None,
        parent: QWidget | None = None,
        lock_fields: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        self._lock_fields = lock_fields
        self.ctx = ctx
        self.kind = kind
        self.spec = spec_for(kind)
        self.record_id = record_id
        self.saved: RecordData | None = None
        self._original: RecordData | None = None
        self._preset = dict(preset or {})
        self.editors: dict[str, FieldEditor] = {}
        self.error_labels: dict[str, QLabel] = {}
        self.conflict_dialog: ConflictDialog | None = None
        self.setObjectName(f"{kind}Dialog")
        self.setAccessibleName(self.windowTitle())
        self._build()
        self._load()
        self._initial = self.values()
        # What the editors showed of ``_original``: a field still showing it is untouched.
        self._shown = dict(self._initial)
        self.resize(640, min(760, self._body.sizeHint().height() + 120))
        self._listening = bool(self.record_id)
        if self._listening:
            self.ctx.bus.changed.connect(self._record_changed)
        if not ctx.may_edit:  # a viewer on an office server: the server would refuse it
            self.save_button.setEnabled(False)
            self.moved_note.setText(self.tr(
                "Your access to the office database is read-only (viewer): you can look, "
                "not save."))
            self.moved_note.show()

    # -- building -----------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        self.extra_area = QVBoxLayout()  # for kind-specific helpers such as the gazetteer
        outer.addLayout(self.extra_area)
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        error_colour = colours.css(colours.error_text())
        self.banner.setStyleSheet(f"color: {error_colour}; font-weight: bold;")
        self.banner.setAccessibleName(self.tr("Problems"))
        self.banner.hide()
        outer.addWidget(self.banner)
        self.moved_note = MovedNote(
            self.tr("{0} changed this record at {1} — when you save you can choose which "
                    "values to keep."),
            self.tr("{0} deleted this record at {1}; it must be restored from Deleted items "
                    "before your changes can be saved."), self)
        outer.addWidget(self.moved_note)
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        form = QFormLayout()
        body_layout.addLayout(form)
        body_layout.addStretch(1)  # extra height goes below the form, not into a field
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for field in self.spec.fields:
            if not field.shown:
                continue
            editor = make_editor(field, self._lookup, body)
            error = QLabel(body)
            error.setStyleSheet(f"color: {error_colour};")
            error.setWordWrap(True)
            error.hide()
            column = QVBoxLayout()
            column.setSpacing(2)
            column.addWidget(editor)
            column.addWidget(error)
            text = QCoreApplication.translate("fields", field.label)
            label = QLabel(f"{text} *" if field.required else text, body)
            label.setBuddy(editor.focus_widget())
            if field.kind is FieldKind.BOOL:
                label.setText("")
            form.addRow(label, column)
            self.editors[field.name] = editor
            self.error_labels[field.name] = error
            timer = QTimer(self, singleShot=True, interval=400)
            timer.timeout.connect(lambda name=field.name: self._check_locally(name))
            editor.edited.connect(timer.start)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self._body = body
        outer.addWidget(scroll)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        outer.addWidget(buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, lambda: self.save())

    def _load(self) -> None:
        label = self.tr(self.spec.label)
        if self.record_id:
            self._original = records.get(self.ctx.db.uow(), self.kind, self.record_id)
            for name, editor in self.editors.items():
                editor.set_value(
                    self._original.values.get(name), self._original.labels.get(name, "")
                )
            title = self._original.values.get(self.spec.title_field)
            shown = self._original.labels.get(self.spec.title_field, title)
            self.setWindowTitle(self.tr("Edit {0} – {1}").format(label.lower(), shown or ""))
        else:
            for name, editor in self.editors.items():
                editor.set_value(self.spec.field(name).default)
            self.setWindowTitle(self.tr("New {0}").format(label.lower()))
        for name, value in self._preset.items():
            ref = self.spec.field(name).ref
            shown = records.label(self.ctx.db.uow(), ref, value) if ref and value else ""
            self.editors[name].set_value(value, shown)
            self.editors[name].set_locked(True)
        for name in self._lock_fields:
            self.editors[name].set_locked(True)

    # -- lookups for reference fields -----------------------------------------------------------
    def _lookup(self, kind: str, text: str) -> list[Choice]:
        filters: tuple[tuple[str, str], ...] = ()
        partnership = self._partnership_context()
        if kind in _PARTNERSHIP_SCOPED and partnership:
            filters = (("partnership_id", partnership),)
        try:
            return records.lookup(self.ctx.db.uow(), kind, text, 30, filters)
        except CityPartnerError:
            return []

    def _partnership_context(self) -> str | None:
        if "partnership_id" in self.editors:
            value = self.editors["partnership_id"].value()
            return value if isinstance(value, str) and len(value) == 36 else None
        if "evaluation_id" in self.editors and self.kind == "kpi_measurement":
            evaluation = self.editors["evaluation_id"].value()
            if evaluation:
                try:
                    data = records.get(self.ctx.db.uow(), "evaluation", evaluation)
                except CityPartnerError:
                    return None
                return str(data.values["partnership_id"])
        return None

    # -- validation feedback --------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {name: editor.value() for name, editor in self.editors.items()}

    def _check_locally(self, name: str) -> None:
        field = self.spec.field(name)
        if field.kind not in _LOCAL_CHECK:
            return
        try:
            parse_field(field, self.editors[name].value())
        except ValueError as exc:
            self._mark(name, str(exc))
        else:
            self._mark(name, None)

    def _mark(self, name: str, reason: str | None) -> None:
        editor, label = self.editors[name], self.error_labels[name]
        target = editor.focus_widget()
        if reason:
            field_label = QCoreApplication.translate("fields", self.spec.field(name).label)
            label.setText(f"{field_label} {reason}")
            label.show()
            target.setStyleSheet(colours.invalid_field().style())
            target.setAccessibleDescription(label.text())
        else:
            label.clear()
            label.hide()
            target.setStyleSheet("")
            target.setAccessibleDescription("")

    def show_errors(self, errors: dict[str, str]) -> None:
        for name in self.editors:
            self._mark(name, errors.get(name))
        shown = [n for n in self.editors if n in errors]
        others = {n: r for n, r in errors.items() if n not in self.editors}
        lines = [self.tr("Please correct the marked fields.")] if shown else []
        lines += [f"{n}: {r}" for n, r in others.items()]
        self.banner.setText("\n".join(lines))
        self.banner.setVisible(bool(lines))
        if shown:
            self.editors[shown[0]].focus_widget().setFocus()

    # -- saving ---------------------------------------------------------------------------------
    def save(self, *, confirm_duplicate: bool = False) -> bool:
        """Save what the editors hold; False while not saved (refused, or a conflict dialog
        is open: its choices then save)."""
        return self._save(self.values(), confirm_duplicate=confirm_duplicate)

    def _save(self, values: dict[str, Any], *, confirm_duplicate: bool = False,
              rounds: int = 0) -> bool:
        try:
            if self.record_id and self._original:
                result = records.update(
                    self.ctx.db.uow(),
                    self.kind,
                    self.record_id,
                    values,
                    expected_version=self._original.version,
                    confirm_duplicate=confirm_duplicate,
                )
            else:
                result = records.create(
                    self.ctx.db.uow(), self.kind, values, confirm_duplicate=confirm_duplicate
                )
        except DuplicateCityError as exc:
            self.show_errors(exc.errors)
            if self._confirm_duplicate(exc):
                return self._save(values, confirm_duplicate=True, rounds=rounds)
            return False
        except ValidationError as exc:
            self.show_errors(exc.errors)
            return False
        except ConflictError as exc:
            if self.record_id and self._original and rounds < _CONFLICT_ROUNDS:
                return self._settle(values, confirm_duplicate=confirm_duplicate, rounds=rounds)
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return False
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return False
        self.saved = result
        self._push_undo(result)
        self.ctx.notify(self.kind, [result.id])
        self.accept()
        return True

    # -- saved elsewhere meanwhile ----------------------------------------------------------------
    def _settle(self, values: dict[str, Any], *, confirm_duplicate: bool, rounds: int) -> bool:
        """The record was saved elsewhere since it was loaded: take what only they changed, and
        when both changed a field differently, ask (the conflict dialog; its choices save)."""
        assert self.record_id and self._original
        untouched = {n for n, v in values.items() if n in self._shown and self._shown[n] == v}
        try:
            conflict = conflicts.compute(self.ctx.db.uow(), self.kind, self.record_id,
                                         self._original, values, untouched)
        except CityPartnerError as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return False
        self.moved_note.say(conflict.changed_by, conflict.changed_at, deleted=False)
        if not conflict.needs_choice:
            # Nothing of either side is lost: their fields and mine together, without asking.
            return self._save_merged(conflict, {}, confirm_duplicate=confirm_duplicate,
                                     rounds=rounds + 1)
        dialog = self._conflict_dialog(conflict)
        self.conflict_dialog = dialog
        dialog.accepted.connect(lambda: self._save_merged(
            conflict, dialog.choices(), confirm_duplicate=confirm_duplicate))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()  # window-modal; the edit dialog stays as it is behind it
        return False

    def _conflict_dialog(self, conflict: conflicts.Conflict) -> ConflictDialog:
        title = self.spec.title_field
        shown = conflict.current.labels.get(title, conflict.current.values.get(title))
        return ConflictDialog(conflict, str(shown or ""), self)

    def _save_merged(self, conflict: conflicts.Conflict, choices: dict[str, conflicts.Side],
                     *, confirm_duplicate: bool, rounds: int = 0) -> bool:
        """Save the merged values over the record as it is now: the editors show what is
        saved, and an undo returns to the colleague's version, not the stale one."""
        if self.conflict_dialog is not None and self.conflict_dialog.conflict is conflict:
            self.conflict_dialog = None
        merged = conflict.merged(choices)
        current = conflict.current
        theirs = set(conflict.taken_silently) | {n for n, s in choices.items() if s == "theirs"}
        for name in theirs:
            if name in self.editors:
                self.editors[name].set_value(current.values.get(name),
                                             current.labels.get(name, ""))
                self._shown[name] = self.editors[name].value()
                self._mark(name, None)
        self._original = current
        self.moved_note.hide()
        return self._save(merged, confirm_duplicate=confirm_duplicate, rounds=rounds)

    def _record_changed(self, kind: str, ids: list[str]) -> None:
        """The change bus: when this record was saved by someone else, say so at once."""
        if self.saved is not None or self._original is None or not self.record_id:
            return  # this dialog's own save (it closes now), or nothing loaded to compare
        if kind != "*" and (kind != self.kind or (ids and self.record_id not in ids)):
            return
        try:
            moved = conflicts.moved_since(self.ctx.db.uow(), self.kind, self.record_id,
                                          self._original.version)
        except CityPartnerError:
            return  # the next save says what is wrong
        if moved is not None:
            self.moved_note.say(moved.changed_by, moved.changed_at, deleted=moved.deleted)

    def done(self, result: int) -> None:
        """Closed (saved or cancelled): the change bus outlives the dialog."""
        if self._listening:
            self._listening = False
            self.ctx.bus.changed.disconnect(self._record_changed)
        super().done(result)

    def reject(self) -> None:
        """Cancel, Esc or the close button: typed changes are only dropped when confirmed."""
        if self.saved is None and self.values() != self._initial:
            answer = QMessageBox.question(
                self,
                self.tr("Discard changes?"),
                self.tr("You have typed changes that are not saved. Discard them?"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def _confirm_duplicate(self, exc: DuplicateCityError) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Same city twice?"),
            self.tr("{0}\n\nAdd it anyway (for example a different town of the same name)?").format(
                next(iter(exc.errors.values()))
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _push_undo(self, result: RecordData) -> None:
        label = str(
            result.labels.get(self.spec.title_field)
            or result.values.get(self.spec.title_field)
            or ""
        )
        if self._original is None:
            self.ctx.undo.push(CreateCommand(self.ctx, self.kind, result.id, label))
        elif result.version != self._original.version:
            self.ctx.undo.push(
                UpdateCommand(
                    self.ctx, self.kind, result.id, label, self._original.values, result.values,
                    result.version,
                )
            )
