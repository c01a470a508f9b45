"""File ▸ Connect to office server… and File ▸ Open database file…: what to work on.

The feature only asks; the application opens the choice in a new window and closes this one
once it is open (``ui.app.replace_window``), so a server that cannot be reached leaves the
work in hand as it was."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from citypartner_desktop.ui.feature_host import Feature, FeatureHost, Place

if TYPE_CHECKING:
    from citypartner_desktop.ui.dialogs.server_dialog import ServerDialog


class ConnectionsMenu(Feature):
    # A file's path or a server's address, and the connection dialog's SignIn (or None).
    open_requested = Signal(object, object)

    def __init__(self, host: FeatureHost) -> None:
        super().__init__(host)
        self.connect_action = QAction(host.tr("Connect to office &server…"), host)
        self.connect_action.triggered.connect(self.connect_to_server)
        self.open_action = QAction(host.tr("&Open database file…"), host)
        self.open_action.triggered.connect(self.open_file)
        host.menus.add(Place.FILE_OPEN, self.connect_action, self.open_action)

    def server_dialog(self) -> ServerDialog:
        # Imported when asked for: the window's frame is built before the data layer loads.
        from citypartner_desktop.ui.dialogs.server_dialog import ServerDialog
        from citypartner_desktop.ui.server_open import recent_servers

        return ServerDialog(recent_servers(self.window.settings), self.window)

    def connect_to_server(self) -> None:
        dialog = self.server_dialog()
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.sign_in is not None:
            self.open_requested.emit(dialog.sign_in.address, dialog.sign_in)

    def open_file(self) -> None:
        from citypartner_desktop.ui.server_open import choose_file

        path = choose_file(self.window)
        if path is not None:
            self.open_requested.emit(Path(path), None)
