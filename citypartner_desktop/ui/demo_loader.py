"""Loading the demo data from the GUI: one click on first start, in the background with
progress and cancel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.services import database
from citypartner_desktop.ui import workers
from citypartner_desktop.ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("demo", text)


def offer_demo(ctx: AppContext, parent: QWidget, *, first_start: bool) -> workers.Job | None:
    """Ask whether to load the small demo office; start loading it if the user agrees."""
    if not database.is_empty(ctx.db):
        QMessageBox.information(
            parent, _tr("Demo data"), _tr("Demo data can only be loaded into an empty database.")
        )
        return None
    box = QMessageBox(parent)
    box.setWindowTitle(_tr("Welcome to CityPartner") if first_start else _tr("Demo data"))
    box.setText(
        _tr(
            "This database is empty. Load a small demo office — real partner cities, "
            "partnerships, agreements, activities and evaluations — to look around?"
        )
    )
    box.setInformativeText(_tr("You can start with an empty database instead."))
    load = box.addButton(_tr("Load demo data"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(
        _tr("Start empty") if first_start else _tr("Cancel"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(load)
    box.exec()
    if box.clickedButton() is not load:
        return None
    return start_demo(ctx, parent)


def start_demo(ctx: AppContext, parent: QWidget) -> workers.Job:
    from citypartner_desktop.services.demo import load_demo

    progress = QProgressDialog(_tr("Loading demo data…"), _tr("Cancel"), 0, 0, parent)
    progress.setWindowTitle(_tr("Demo data"))
    progress.setMinimumDuration(0)
    db = ctx.db
    job = workers.Job(
        lambda report, cancelled: load_demo(
            db, "small", 1, progress=report, should_cancel=cancelled
        )
    )

    def on_progress(done: int, total: int, what: str) -> None:
        progress.setMaximum(max(total, 1))
        progress.setValue(min(done, total))
        progress.setLabelText(what)

    def on_failed(exc: object, details: str) -> None:
        if job.is_cancelled():
            return
        message = str(exc) if isinstance(exc, CityPartnerError) else repr(exc)
        QMessageBox.warning(
            parent, _tr("Demo data"), _tr("The demo data could not be loaded: {0}").format(message)
        )

    job.signals.progress.connect(on_progress)
    job.signals.succeeded.connect(lambda _r: ctx.notify("*"))
    job.signals.failed.connect(on_failed)
    job.signals.finished.connect(progress.close)
    progress.canceled.connect(job.cancel)
    workers.start(job)
    progress.show()
    return job
