"""Errors the user can't fix: written to a rotating log file in the user log folder, and shown
in a dialog with the traceback under *Details* and the log file's place. One road for a
background job's unhandled failure and for any exception that escapes a slot
(``sys.excepthook``)."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from citypartner_desktop import paths

log = logging.getLogger("citypartner")
LOG_NAME = "citypartner.log"
_HANDLER_NAME = "citypartner-file"
_open_boxes: set[QMessageBox] = set()  # a parentless box lives until it is closed


def log_file() -> Path:
    return paths.user_log_dir() / LOG_NAME


def setup_logging() -> Path:
    """Log to ``citypartner.log`` in the user log folder, 1 MB a file, five old files kept."""
    import logging.handlers

    file = log_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        file, maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == _HANDLER_NAME]:
        root.removeHandler(old)  # started twice in one process (tests): one file handler
        old.close()
    handler.set_name(_HANDLER_NAME)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # logging.config calls in libraries (fileConfig/dictConfig) disable loggers that already
    # exist unless told otherwise; the app's own must keep writing to its file.
    log.disabled = False
    return file


def report_error(exc: BaseException, details: str, *, title: str = "",
                 parent: QWidget | None = None) -> QMessageBox | None:
    """Log the error and show it; the box opens without blocking (a job's failure arrives in
    the middle of other work) and is returned, or None without a running application."""
    # Qt's enum namespace costs 20-40 ms to build: not at start-up (app imports this module).
    from PySide6.QtCore import Qt

    log.error("%s failed\n%s", title or "the application", details)
    if QApplication.instance() is None:
        print(details, file=sys.stderr)
        return None
    tr = QApplication.translate
    headline = (tr("errors", "{0} failed: {1}").format(title, exc) if title
                else tr("errors", "Something went wrong: {0}").format(exc))
    box = QMessageBox(QMessageBox.Icon.Critical, "CityPartner", headline,
                      QMessageBox.StandardButton.Close, parent or QApplication.activeWindow())
    box.setAccessibleName(tr("errors", "Error"))
    box.setInformativeText(tr(
        "errors", "Your saved data is safe. The details below are also in the log file:\n{0}"
    ).format(log_file()))
    box.setDetailedText(details)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _open_boxes.add(box)
    box.finished.connect(lambda _r: _open_boxes.discard(box))
    box.open()
    return box


def explain_failure(parent: QWidget, title: str, template: str, exc: BaseException,
                    details: str) -> None:
    """A failure the user can act on (our refusals, a file system's "no") is a warning that
    says what, put into ``template`` at ``{0}``; anything else is a bug, reported with its
    traceback."""
    from citypartner_desktop.domain.errors import CityPartnerError

    if isinstance(exc, CityPartnerError | OSError):
        QMessageBox.warning(parent, title, template.format(exc))
    else:
        report_error(exc, details, title=title, parent=parent)


def show_unexpected_error(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> None:
    """The ``sys.excepthook`` of the GUI: an exception that escaped a slot or a callback."""
    report_error(exc, "".join(traceback.format_exception(exc_type, exc, tb)))
