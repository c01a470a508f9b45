"""File ▸ Import… (and, per table page, export actions). Kept out of main_window.py, which
only creates this helper; nothing of the import machinery loads until an action runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from citypartner_desktop.ui.context import AppContext
    from citypartner_desktop.ui.dialogs.import_wizard import ImportWizard
    from citypartner_desktop.ui.main_window import MainWindow


def _tr(text: str) -> str:
    return QCoreApplication.translate("interop", text)


class InteropMenu(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx: AppContext | None = None
        self.wizard: ImportWizard | None = None
        file_menu = window.menuBar().actions()[0].menu()
        assert isinstance(file_menu, QMenu)
        self.import_action = QAction(_tr("&Import…"), window)
        self.import_action.setShortcut("Ctrl+Shift+I")
        self.import_action.triggered.connect(self.open_wizard)
        self.import_action.setEnabled(False)  # until a database is attached
        first_separator = next((a for a in file_menu.actions() if a.isSeparator()), None)
        if first_separator is None:
            file_menu.addAction(self.import_action)
        else:
            file_menu.insertAction(first_separator, self.import_action)

    def attach(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.import_action.setEnabled(True)

    def open_wizard(self) -> ImportWizard:
        from citypartner_desktop.ui.dialogs.import_wizard import ImportWizard

        assert self.ctx is not None
        self.wizard = ImportWizard(self.ctx, self.window)
        self.wizard.open()
        return self.wizard
