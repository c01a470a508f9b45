"""What every page and dialog shares: the open database, the change bus, undo, settings.

Passed explicitly (no global singletons), so tests build one per test.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QUndoStack

if TYPE_CHECKING:  # the window's frame is built before the data layer is imported
    from citypartner_desktop.db.database import Database


class ChangeBus(QObject):
    """Emitted after every committed change: kind ("*" for everything) and the ids touched."""

    changed = Signal(str, list)


@dataclass
class AppContext:
    db: Database
    bus: ChangeBus
    undo: QUndoStack
    settings: QSettings

    def notify(self, kind: str, ids: list[str] | None = None) -> None:
        self.bus.changed.emit(kind, ids or [])
