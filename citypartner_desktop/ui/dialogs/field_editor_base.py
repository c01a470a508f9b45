"""What every field editor offers the record dialog: value() gives the raw input for the
service, set_value() shows a stored value, and ``edited`` says the user changed it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from citypartner_desktop.domain.specs import FieldSpec


class FieldEditor(QWidget):
    """Common interface: value() gives raw input for the service, set_value() shows a value."""

    edited = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setAccessibleName(spec.label)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any, label: str = "") -> None:
        raise NotImplementedError

    def focus_widget(self) -> QWidget:
        return self

    def set_locked(self, locked: bool) -> None:
        self.setEnabled(not locked)


def _single(layout_owner: QWidget, widget: QWidget) -> None:
    layout = QHBoxLayout(layout_owner)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget)

