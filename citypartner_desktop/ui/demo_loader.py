"""Loading the demo data from the GUI: one click on first start, in the background with
progress and cancel."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from citypartner_desktop.services import database
from citypartner_desktop.ui import workers
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.error_report import explain_failure


def _tr(text: str) -> str:
    return QCoreApplication.translate("demo", text)


def offer_demo(ctx: AppContext, parent: QWidget, *, first_start: bool) -> bool:
    """Ask whether to load the small demo office; start loading it if the user agrees (and
    say whether it was started)."""
    if not database.is_empty(ctx.db):
        QMessageBox.information(
            parent, _tr("Demo data"), _tr("Demo data can only be loaded into an empty database.")
        )
        return False
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
        return False
    demo_job(ctx, parent).start()
    return True


def demo_job(ctx: AppContext, parent: QWidget) -> workers.Job:
    """The job that loads the demo office with a progress dialog that can cancel it;
    connected, not started."""
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

    def on_failed(exc: BaseException, details: str) -> None:
        explain_failure(parent, _tr("Demo data"), _tr("The demo data could not be loaded: {0}"),
                        exc, details)

    job.on_progress(on_progress).on_failure(on_failed).on_finished(progress.close)
    job.on_success(lambda _r: ctx.notify("*"))
    progress.canceled.connect(job.cancel)
    progress.show()
    return job
