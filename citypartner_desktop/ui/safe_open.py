"""Opening the database safely in the application.

1. Take the writer's lock (a second instance is refused, naming the holder).
2. The checks that take microseconds (empty, not SQLite, cut short, garbage journal) and the
   refusals (newer version, foreign file), on the spot.
3. A current database is shown at once through a read-only engine, while SQLite's quick check
   reads every page off the GUI thread (seconds on a large file); when it passes, the writable
   database takes over, unnoticed. A database to create or upgrade is checked first instead.
4. On damage: say what is wrong and offer the newest good backup; the file is never written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
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


def open_checked(parent: QWidget, db_path: Path, lock: DatabaseLock | None = None
                 ) -> Database | None:
    """The open database — read-only until ``finish_check`` swaps in the writable one when
    ``database.lock`` is set on a read-only one — or None when the user declined recovery.
    ``lock``: the writer's lock if already taken (``services.first_look``).

    Raises the typed errors of a refused file (in use, newer version, foreign file)."""
    from citypartner_desktop.services import safety
    from citypartner_desktop.services.database import open_db, open_for_reading

    lock = lock or safety.take_lock(db_path)
    try:
        safety.check_file_shape(db_path)
        if safety.opens_without_writing(db_path):
            return open_for_reading(db_path, lock)
        workers.run_and_wait(lambda: safety.check_before_open(db_path))
        return open_db(db_path, lock=lock, check=False)
    except DatabaseDamagedError as exc:
        if not offer_recovery(parent, db_path, exc, lock):
            return None
        return open_db(db_path)
    except BaseException:
        lock.release()
        raise


def finish_check_job(parent: QWidget, ctx: AppContext) -> workers.Job | None:
    """The job (connected, not started) that runs the quick check of a database shown
    read-only, then swaps in the writable one, or on damage keeps it read-only and offers the
    newest good backup; None when the database is writable already."""
    from citypartner_desktop.services import safety

    reader = ctx.db
    if not reader.read_only:
        return None
    path = reader.path
    job = workers.Job(lambda _p, _c: safety.quick_check(path))

    def passed(_result: object) -> None:
        from citypartner_desktop.services.database import open_db

        if ctx.db is not reader or reader.lock is None:
            return  # closed meanwhile
        lock, reader.lock = reader.lock, None
        try:
            ctx.db = open_db(path, reader.actor, lock=lock, check=False)
        except CityPartnerError as exc:
            reader.lock = lock
            QMessageBox.warning(parent, "CityPartner", str(exc) + "\n\n" + _tr(
                "The database stays open read-only."))
            return
        reader.close()

    def failed(exc: BaseException, _tb: str) -> None:
        if ctx.db is not reader or reader.lock is None:
            return
        if not isinstance(exc, DatabaseDamagedError):
            QMessageBox.warning(parent, "CityPartner", str(exc))
            return
        lock, reader.lock = reader.lock, None
        reader.close()  # read-only: closing it writes nothing
        if offer_recovery(parent, path, exc, lock, declined=_tr(
                "The database stays open read-only, so that you can still look at it.")):
            from citypartner_desktop.services.database import open_db

            ctx.db = open_db(path, reader.actor)
            ctx.undo.clear()
            ctx.notify("*")
        else:
            from citypartner_desktop.services.database import open_for_reading

            ctx.db = open_for_reading(path, actor=reader.actor)

    return job.on_success(passed).on_failure(failed)


def offer_recovery(parent: QWidget, db_path: Path, error: DatabaseDamagedError,
                   lock: DatabaseLock, declined: str = "") -> bool:
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
            "it can still be examined.") + (" " + declined if declined else ""))
        return False
    box = QMessageBox(QMessageBox.Icon.Critical, "CityPartner", str(error), parent=parent)
    box.setInformativeText(_tr(
        "The newest good backup is {0}.\n\nRestore it? The damaged file is moved to the "
        "folder “recovery” beside the database, not deleted.").format(backup_summary(good))
        + ("\n\n" + _tr("If you do not: ") + declined if declined else ""))
    restore_button = box.addButton(_tr("Restore backup"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_tr("Not now") if declined else _tr("Quit"), QMessageBox.ButtonRole.RejectRole)
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
    again = (" " + QCoreApplication.translate(
        "safe_open", "%n erased person(s) were erased again.", "", result.erased_again)
             if result.erased_again else "")
    QMessageBox.information(parent, "CityPartner", _tr(
        "The backup {0} was restored.{1}").format(
            good.path.name,
            _tr(" The damaged file is in {0}.").format(moved) if moved else "") + again)
    return True


def after_open(parent: QWidget, ctx: AppContext) -> None:
    """Once per database file: warn about risky places. Every time: say when a crash was
    recovered. (An office server has neither a file's place nor its lock.)"""
    from citypartner_desktop.services.safety import storage_warning

    if ctx.db.is_server:
        return
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
