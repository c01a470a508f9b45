"""Opening an office server in the application: the password from the keychain or asked for,
the connection made off the GUI thread, and, when the server cannot be reached (a laptop on a
train), one plain line and the offer to open a database file on this computer instead.

``open_server_db`` answers with the open database, the path of a file to open instead, or
None when the user gave up."""

from __future__ import annotations

import logging
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from citypartner_desktop import paths
from citypartner_desktop.services import server_login
from citypartner_desktop.ui import workers
from citypartner_desktop.ui.dialogs.server_dialog import PasswordDialog

if TYPE_CHECKING:
    from citypartner_desktop.db.database import Database

log = logging.getLogger(__name__)
RECENT_KEY = "servers/recent"
RETRY = "retry"


def _tr(text: str) -> str:
    return QCoreApplication.translate("server_open", text)


def recent_servers(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a one-item list back as a string
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def remember_server(settings: QSettings, address: str) -> None:
    settings.setValue(RECENT_KEY, server_login.remembered(recent_servers(settings), address))


def ask_password(parent: QWidget | None, address: str, reason: str) -> tuple[str, bool] | None:
    """The password typed and whether to keep it, or None when cancelled. (Tests replace
    this function: a modal dialog would wait forever offscreen.)"""
    dialog = PasswordDialog(server_login.keychain_key(address), reason, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.password.text(), dialog.remember.isChecked()


def offer_local(parent: QWidget | None, problem: str) -> Path | str | None:
    """The server cannot be reached: a file to open instead, RETRY, or None (give up)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "CityPartner", problem, parent=parent)
    box.setInformativeText(_tr(
        "You can work on a database file on this computer instead — your own database, or "
        "a copy taken along — and connect to the office server again later from the File "
        "menu."))
    own = box.addButton(_tr("Open my own database"), QMessageBox.ButtonRole.AcceptRole)
    other = box.addButton(_tr("Open a file…"), QMessageBox.ButtonRole.ActionRole)
    retry = box.addButton(_tr("Try again"), QMessageBox.ButtonRole.ResetRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(own)
    box.exec()
    clicked = box.clickedButton()
    if clicked is own:
        return paths.default_database_path()
    if clicked is retry:
        return RETRY
    if clicked is other:
        return choose_file(parent)
    return None


def choose_file(parent: QWidget | None) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent, _tr("Open database file"), str(paths.default_database_path().parent),
        _tr("CityPartner databases and visit packs (*.db *.cpack *.sqlite *.sqlite3);;"
            "All files (*)"))
    return Path(name) if name else None


def open_server_db(parent: QWidget | None, address: str, settings: QSettings,
                   password: str | None = None, remember: bool = False
                   ) -> Database | Path | None:
    """Connect to the server at ``address`` (a password in it, or ``password``, is used as
    given; else the keychain's; else one is asked for when the server wants one)."""
    from citypartner_desktop.db.server import PasswordRefusedError, ServerUnavailableError
    from citypartner_desktop.services.database import open_store

    plain = server_login.keychain_key(address)
    while True:
        if password is not None:
            to_open = server_login.with_password(address, password)
        else:
            to_open = server_login.address_to_open(address)
        try:
            db: Database = workers.run_and_wait(partial(open_store, to_open))
        except PasswordRefusedError as exc:
            log.info("password asked for %s: %s", plain, exc)
            answer = ask_password(parent, address, str(exc))
            if answer is None:
                return None
            password, remember = answer
            continue
        except ServerUnavailableError as exc:
            log.warning("cannot reach %s: %s", plain, exc)
            choice = offer_local(parent, str(exc))
            if choice == RETRY:
                continue
            return choice if isinstance(choice, Path) else None
        break
    remember_server(settings, address)
    if password is not None and remember:
        problem = server_login.save_password(address, password)
        if problem is not None:
            QMessageBox.information(parent, "CityPartner", problem)
    return db
