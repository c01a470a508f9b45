"""One editor widget per kind of field. Editors keep exactly what the user typed, so a
refused value is never lost; parsing and checking is the service's job."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer
from PySide6.QtWidgets import (
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from citypartner_desktop.domain import vocab
from citypartner_desktop.domain.records import Choice
from citypartner_desktop.domain.specs import FieldKind, FieldSpec
from citypartner_desktop.ui.dialogs.details_editor import DetailsEditor
from citypartner_desktop.ui.dialogs.field_editor_base import FieldEditor as FieldEditor
from citypartner_desktop.ui.dialogs.field_editor_base import _single


class LineEditor(FieldEditor):
    def __init__(
        self, spec: FieldSpec, parent: QWidget | None = None, completions: list[str] | None = None
    ) -> None:
        super().__init__(spec, parent)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(spec.label)
        self.edit.setPlaceholderText(spec.placeholder)
        if completions:
            completer = QCompleter(completions, self.edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.edit.setCompleter(completer)
        self.edit.textEdited.connect(lambda _t: self.edited.emit())
        _single(self, self.edit)

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, value: Any, label: str = "") -> None:
        if value is None:
            text = ""
        elif isinstance(value, float):
            # Every digit a float holds (``:g`` kept six: a latitude of 51.759445 came back
            # as 51.7594 from a dialog saved for another field), without a trailing ".0".
            text = format(value, ".15g") if abs(value) < 1e15 else str(value)
        else:
            text = str(value)
        self.edit.setText(text)

    def focus_widget(self) -> QWidget:
        return self.edit

    def set_locked(self, locked: bool) -> None:
        self.edit.setReadOnly(locked)


class TextEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName(spec.label)
        self.edit.setTabChangesFocus(True)  # keyboard users can leave the field with Tab
        self.edit.setFixedHeight(72)
        self.edit.textChanged.connect(self.edited.emit)
        _single(self, self.edit)

    def value(self) -> Any:
        return self.edit.toPlainText()

    def set_value(self, value: Any, label: str = "") -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def focus_widget(self) -> QWidget:
        return self.edit


class DateEditor(LineEditor):
    """Typed as YYYY-MM-DD (may stay empty), with a calendar button for the mouse."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.edit.setPlaceholderText("YYYY-MM-DD")
        button = QToolButton(self)
        button.setText("…")
        button.setAccessibleName(self.tr("Pick {0} from a calendar").format(spec.label))
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        self.calendar = QCalendarWidget(menu)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        button.setMenu(menu)
        menu.aboutToShow.connect(self._sync_calendar)
        self._menu = menu
        self.calendar.clicked.connect(self._picked)
        layout = self.layout()
        assert isinstance(layout, QHBoxLayout)
        layout.addWidget(button)

    def _sync_calendar(self) -> None:
        try:
            current = date.fromisoformat(self.edit.text().strip())
        except ValueError:
            current = date.today()
        self.calendar.setSelectedDate(QDate(current.year, current.month, current.day))

    def _picked(self, qdate: QDate) -> None:
        self.edit.setText(qdate.toString("yyyy-MM-dd"))
        self._menu.close()
        self.edited.emit()


class BoolEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.box = QCheckBox(spec.label, self)
        self.box.setAccessibleName(spec.label)
        self.box.toggled.connect(lambda _b: self.edited.emit())
        _single(self, self.box)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any, label: str = "") -> None:
        self.box.setChecked(bool(value))

    def focus_widget(self) -> QWidget:
        return self.box


class ChoiceEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(spec.label)
        if not spec.required:
            self.combo.addItem("", None)
        for key, label in spec.vocab:
            self.combo.addItem(self.tr(label), key)
        self.combo.currentIndexChanged.connect(lambda _i: self.edited.emit())
        _single(self, self.combo)

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any, label: str = "") -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))

    def focus_widget(self) -> QWidget:
        return self.combo


class MultiChoiceEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for i, (key, label) in enumerate(spec.vocab):
            box = QCheckBox(self.tr(label), self)
            box.setAccessibleName(f"{spec.label}: {label}")
            box.toggled.connect(lambda _b: self.edited.emit())
            grid.addWidget(box, i // 4, i % 4)
            self.boxes[key] = box

    def value(self) -> Any:
        return tuple(k for k, b in self.boxes.items() if b.isChecked())

    def set_value(self, value: Any, label: str = "") -> None:
        chosen = set(value or ())
        for key, box in self.boxes.items():
            box.setChecked(key in chosen)

    def focus_widget(self) -> QWidget:
        return next(iter(self.boxes.values()))


class RefEditor(FieldEditor):
    """Type-ahead over live records of another kind; the value is the picked record's id.

    Text that was typed but not picked from the list is passed on as it is, so the service
    reports it ("does not exist") instead of the dialog silently dropping it.
    """

    def __init__(
        self, spec: FieldSpec, lookup: Callable[[str], list[Choice]], parent: QWidget | None = None
    ) -> None:
        super().__init__(spec, parent)
        self._lookup = lookup
        self._id: str | None = None
        self._label = ""
        self._choices: dict[str, str] = {}
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(spec.label)
        self.edit.setPlaceholderText(self.tr("Type to search…"))
        self.edit.setClearButtonEnabled(True)
        self._model = QStringListModel(self)
        completer = QCompleter(self._model, self.edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.activated[str].connect(self._picked)  # type: ignore[index]  # overloaded
        self.edit.setCompleter(completer)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self._refresh)
        self.edit.textEdited.connect(self._typed)
        _single(self, self.edit)

    def _typed(self, text: str) -> None:
        if text != self._label:
            self._id = None
        self._timer.start()
        self.edited.emit()

    def _refresh(self) -> None:
        choices = self._lookup(self.edit.text())
        self._choices = {c.label: c.id for c in choices}
        self._model.setStringList(list(self._choices))
        completer = self.edit.completer()
        if self.edit.hasFocus() and choices:
            completer.complete()

    def _picked(self, label: str) -> None:
        record_id = self._choices.get(label)
        if record_id:
            self._id, self._label = record_id, label
            self.edit.setText(label)
            self.edited.emit()

    def value(self) -> Any:
        text = self.edit.text().strip()
        if self._id and text == self._label:
            return self._id
        if text and text in self._choices:
            return self._choices[text]
        return text or None

    def set_value(self, value: Any, label: str = "") -> None:
        self._id = value or None
        self._label = label if value else ""
        self.edit.setText(self._label)

    def focus_widget(self) -> QWidget:
        return self.edit

    def set_locked(self, locked: bool) -> None:
        self.edit.setReadOnly(locked)
        self.edit.setClearButtonEnabled(not locked)


class ScoresEditor(FieldEditor):
    """The six OECD-DAC criteria: a score 1–5 ("–" = not scored) and a rationale each."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.rows: dict[str, tuple[QSpinBox, QLineEdit]] = {}
        for i, (key, label) in enumerate(vocab.CRITERIA):
            spin = QSpinBox(self)
            spin.setRange(0, 5)
            spin.setSpecialValueText("–")
            spin.setAccessibleName(self.tr("{0} score").format(label))
            rationale = QLineEdit(self)
            rationale.setPlaceholderText(self.tr("Rationale"))
            rationale.setAccessibleName(self.tr("{0} rationale").format(label))
            spin.valueChanged.connect(lambda _v: self.edited.emit())
            rationale.textEdited.connect(lambda _t: self.edited.emit())
            grid.addWidget(QLabel(self.tr(label), self), i, 0)
            grid.addWidget(spin, i, 1)
            grid.addWidget(rationale, i, 2)
            self.rows[key] = (spin, rationale)

    def value(self) -> Any:
        return {
            key: (spin.value() or None, rationale.text())
            for key, (spin, rationale) in self.rows.items()
            if spin.value() or rationale.text().strip()
        }

    def set_value(self, value: Any, label: str = "") -> None:
        scores = value or {}
        for key, (spin, rationale) in self.rows.items():
            score, text = scores.get(key, (None, ""))
            spin.setValue(score or 0)
            rationale.setText(text or "")

    def focus_widget(self) -> QWidget:
        return next(iter(self.rows.values()))[0]


@cache
def country_completions() -> list[str]:
    import pycountry

    names = {getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    return sorted(names)


@cache
def timezone_completions() -> list[str]:
    import zoneinfo

    return sorted(zoneinfo.available_timezones())


# Editors made from the field's spec alone.
_PLAIN_EDITORS: dict[FieldKind, Callable[[FieldSpec, QWidget | None], FieldEditor]] = {
    FieldKind.MULTILINE: TextEditor,
    FieldKind.DATE: DateEditor,
    FieldKind.BOOL: BoolEditor,
    FieldKind.CHOICE: ChoiceEditor,
    FieldKind.MULTICHOICE: MultiChoiceEditor,
    FieldKind.SCORES: ScoresEditor,
    FieldKind.DETAILS: DetailsEditor,
}


def make_editor(
    spec: FieldSpec, lookup: Callable[[str, str], list[Choice]], parent: QWidget | None = None
) -> FieldEditor:
    kind = spec.kind
    editor = _PLAIN_EDITORS.get(kind)
    if editor is not None:
        return editor(spec, parent)
    if kind is FieldKind.REF and spec.ref:
        ref = spec.ref
        return RefEditor(spec, lambda text: lookup(ref, text), parent)
    if kind is FieldKind.COUNTRY:
        return LineEditor(spec, parent, country_completions())
    if kind is FieldKind.TIMEZONE:
        return LineEditor(spec, parent, timezone_completions())
    return LineEditor(spec, parent)
