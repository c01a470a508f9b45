"""A colleague saved the record while it was being edited: for each field both changed, your
value, theirs, who changed it and when, and which to keep (yours unless chosen otherwise).

Nothing is saved here: "Save with these values" hands the choices back to the edit dialog,
which saves them; Cancel returns to it with everything typed still there.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from citypartner_desktop.services.conflicts import Conflict, Side
from citypartner_desktop.ui import colours

_SIDES: tuple[Side, ...] = ("mine", "theirs")


def local_time(when: datetime) -> str:
    """A UTC moment as this computer's local time."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


class MovedNote(QLabel):
    """The line an edit dialog shows when its record was saved or deleted elsewhere meanwhile.
    ``changed``/``deleted``: the dialog's own sentences, with {0} who and {1} when."""

    def __init__(self, changed: str, deleted: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.changed, self.deleted = changed, deleted
        self.setWordWrap(True)
        self.setStyleSheet(f"color: {colours.css(colours.soon_text())};")
        self.setAccessibleName(self.tr("Changed elsewhere"))
        self.hide()

    def say(self, who: str | None, when: datetime | None, *, deleted: bool) -> None:
        by = who or self.tr("Someone else")
        at = local_time(when) if when else self.tr("a moment ago")
        self.setText((self.deleted if deleted else self.changed).format(by, at))
        self.show()


def _field_label(label: str) -> str:
    return QCoreApplication.translate("fields", label)


class ConflictDialog(QDialog):
    def __init__(self, conflict: Conflict, record_label: str, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.choice_boxes: dict[str, QComboBox] = {}
        self.setObjectName("conflictDialog")
        self.setWindowTitle(self.tr("Changed by someone else – {0}").format(record_label))
        self.setAccessibleName(self.windowTitle())
        layout = QVBoxLayout(self)
        self.intro = QLabel(self._intro_text(), self)
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName(self.tr("What happened"))
        layout.addWidget(self.intro)
        layout.addWidget(self._grid(), 1)
        self.taken_note = QLabel(self._taken_text(), self)
        self.taken_note.setWordWrap(True)
        self.taken_note.setAccessibleName(self.tr("Fields taken from the other version"))
        self.taken_note.setVisible(bool(conflict.taken))
        layout.addWidget(self.taken_note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save_button = buttons.addButton(self.tr("&Save with these values"),
                                             QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName(self.tr("Save with these values"))
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setToolTip(self.tr("Back to your edit; nothing you typed is lost"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.save_button.setDefault(True)
        self.resize(760, min(560, 200 + 60 * len(conflict.fields)))

    # -- building -----------------------------------------------------------------------------
    def _intro_text(self) -> str:
        who = self.conflict.changed_by
        when = self.conflict.changed_at
        if who and when:
            head = self.tr("{0} saved this record at {1}, while you were editing it.").format(
                who, local_time(when))
        else:
            head = self.tr("Someone else saved this record while you were editing it.")
        return head + " " + self.tr(
            "You both changed the fields below. Choose for each which value to keep; "
            "your own are kept unless you choose theirs.")

    def _grid(self) -> QScrollArea:
        body = QWidget(self)
        grid = QGridLayout(body)
        grid.setHorizontalSpacing(14)
        muted = colours.css(colours.muted_text())
        for column, title in enumerate((self.tr("Field"), self.tr("Your value"),
                                        self.tr("Their value"), self.tr("Changed"),
                                        self.tr("Choice"))):
            header = QLabel(f"<b>{title}</b>", body)
            grid.addWidget(header, 0, column)
        for row, field in enumerate(self.conflict.fields, start=1):
            label = _field_label(field.label)
            name = QLabel(label, body)
            grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            for column, (text, accessible) in enumerate(
                    ((field.mine_text, self.tr("Your value of {0}")),
                     (field.theirs_text, self.tr("Their value of {0}"))), start=1):
                value = QLabel(text or self.tr("(empty)"), body)
                value.setWordWrap(True)
                value.setTextFormat(Qt.TextFormat.PlainText)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setAccessibleName(accessible.format(label))
                grid.addWidget(value, row, column, Qt.AlignmentFlag.AlignTop)
            changed = QLabel(self._changed_text(field.changed_by, field.changed_at), body)
            changed.setWordWrap(True)
            changed.setStyleSheet(f"color: {muted};")
            changed.setAccessibleName(self.tr("Who changed {0}").format(label))
            grid.addWidget(changed, row, 3, Qt.AlignmentFlag.AlignTop)
            box = QComboBox(body)
            box.addItem(self.tr("Keep mine"), "mine")
            box.addItem(self.tr("Take theirs"), "theirs")
            box.setAccessibleName(self.tr("Value of {0} to save").format(label))
            name.setBuddy(box)
            grid.addWidget(box, row, 4, Qt.AlignmentFlag.AlignTop)
            self.choice_boxes[field.name] = box
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(len(self.conflict.fields) + 1, 1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setAccessibleName(self.tr("Fields changed on both sides"))
        return scroll

    def _changed_text(self, who: str | None, when: datetime | None) -> str:
        if who and when:
            return self.tr("changed by {0} at {1}").format(who, local_time(when))
        return self.tr("changed elsewhere")

    def _taken_text(self) -> str:
        if not self.conflict.taken:
            return ""
        names = ", ".join(_field_label(f.label) for f in self.conflict.taken)
        return self.tr("Also changed by them, and taken as they are now (you had not changed "
                       "these): {0}.").format(names)

    # -- the choices --------------------------------------------------------------------------
    def choose(self, name: str, side: Side) -> None:
        box = self.choice_boxes[name]
        box.setCurrentIndex(box.findData(side))

    def choices(self) -> dict[str, Side]:
        chosen: dict[str, Side] = {}
        for name, box in self.choice_boxes.items():
            data = box.currentData()
            chosen[name] = next((s for s in _SIDES if s == data), "mine")
        return chosen

    def merged(self) -> dict[str, Any]:
        """The values to save with the choices made."""
        return self.conflict.merged(self.choices())
