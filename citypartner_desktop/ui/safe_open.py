"""Opening the database safely in the application: take the writer's lock, check the file off
the GUI thread (the window is already up), and on damage offer the newest good backup."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from citypartner_desktop.domain.errors import CityPartnerError, DatabaseDamagedError
from citypartner_desktop.ui import workers

if TYPE_CHECKING:
    from citypartner_desktop.db.database import Database
    from citypartner_desktop.services.safety import DatabaseLock
    from citypartner_desktop.ui.context import AppContext


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("safe_open", text)


def open_checked(parent: QWidget, db_path: Path) -> Database | None:
    """The open database, or None when the user declined recovery (a message was shown).

    Raises the typed errors of a refused file (in use, newer version, foreign file)."""
    from citypartner_desktop.services import safety
    from citypartner_desktop.services.database import open_db

    lock = safety.take_lock(db_path)
    try:
        workers.run_and_wait(lambda: safety.check_before_open(db_path))
    except DatabaseDamagedError as exc:
        if not offer_recovery(parent, db_path, exc, lock):
            return None
        return open_db(db_path)
    except BaseException:
        lock.release()
        raise
    try:
        return open_db(db_path, lock=lock, check=False)
    except BaseException:
        lock.release()
        raise


def offer_recovery(parent: QWidget, db_path: Path, error: DatabaseDamagedError,
                   lock: DatabaseLock) -> bool:
    """Say what is wrong; offer the newest good backup. True when it was restored.

    The lock is released either way (a restore hands it back when done)."""
    from citypartner_desktop.services import backups
    from citypartner_desktop.services.installation import current_actor
    from citypartner_desktop.ui.dialogs.restore_dialog import backup_summary

    good = workers.run_and_wait(lambda: backups.newest_good_backup(db_path))
    if good is None:
        lock.release()
        QMessageBox.critical(parent, "CityPartner", str(error) + "\n\n" + _tr(
            "There is no good backup of it. The file stays where it is, unchanged, so that "
            "it can still be examined."))
        return False
    box = QMessageBox(QMessageBox.Icon.Critical, "CityPartner", str(error), parent=parent)
    box.setInformativeText(_tr(
        "The newest good backup is {0}.\n\nRestore it? The damaged file is moved to the "
        "folder “recovery” beside the database, not deleted.").format(backup_summary(good)))
    restore_button = box.addButton(_tr("Restore backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore_button:
        lock.release()
        return False
    try:
        result = workers.run_and_wait(
            lambda: backups.restore(db_path, good.path, current_actor(), lock=lock))
    except CityPartnerError as exc:
        lock.release()
        QMessageBox.critical(parent, "CityPartner", str(exc))
        return False
    moved = result.damaged_moved_to
    QMessageBox.information(parent, "CityPartner", _tr(
        "The backup {0} was restored.{1}").format(
            good.path.name,
            _tr(" The damaged file is in {0}.").format(moved) if moved else ""))
    return True


def after_open(parent: QWidget, ctx: AppContext) -> None:
    """Once per database: warn about risky places. Every time: say when a crash was recovered."""
    from citypartner_desktop.services.safety import storage_warning

    lock = ctx.db.lock
    if lock is not None and lock.stale_owner is not None:
        message = _tr("CityPartner was not closed properly last time ({0}); the database "
                      "is fine.").format(lock.stale_owner.describe())
        status = getattr(parent, "statusBar", None)
        if callable(status):
            status().showMessage(message, 15_000)
    warning = storage_warning(ctx.db.path)
    if warning is None:
        return
    key = "warned/storage-" + hashlib.sha1(str(ctx.db.path.resolve()).encode()).hexdigest()[:16]
    if ctx.settings.value(key, False, type=bool):
        return
    ctx.settings.setValue(key, True)
    QMessageBox.warning(parent, _tr("Risky place for a database"), warning)
