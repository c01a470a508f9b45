"""Long work off the GUI thread: one QRunnable helper with progress, cancel, and results
delivered on the main thread through queued signals."""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it."""


class JobSignals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)  # the exception, and its traceback text for the details box
    finished = Signal()


log = logging.getLogger(__name__)
_running: set[Job] = set()  # keeps a job's Python object alive until its thread is done


class Job(QRunnable):
    """Runs ``work(progress, should_cancel)`` in the thread pool."""

    def __init__(
        self, work: Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Python side owns it; Qt must not delete it under us
        self._work = work
        self._cancel = threading.Event()
        self.signals = JobSignals()

    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def run(self) -> None:
        try:
            try:
                result = self._work(self.signals.progress.emit, self._cancel.is_set)
            except BaseException as exc:  # delivered to the GUI, never lost in a thread
                self.signals.failed.emit(exc, traceback.format_exc())
            else:
                self.signals.succeeded.emit(result)
            self.signals.finished.emit()
        except RuntimeError:
            # The application quit while this job ran: its signals object is gone and there
            # is nobody left to tell. Jobs write atomically, so nothing is half done.
            log.info("background job ended after the application quit")
        finally:
            _running.discard(self)


def start(job: Job, pool: QThreadPool | None = None) -> Job:
    _running.add(job)
    (pool or QThreadPool.globalInstance()).start(job)
    return job


def run_and_wait(work: Callable[[], Any]) -> Any:
    """Run ``work`` off the GUI thread and wait for it while the GUI keeps painting (a local
    event loop); its exception, if any, is raised here. For short steps the caller needs
    before going on, such as the integrity check before the database opens."""
    from PySide6.QtCore import QEventLoop

    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    job = Job(lambda _p, _c: work())
    job.signals.succeeded.connect(lambda result: outcome.setdefault("result", result))
    job.signals.failed.connect(lambda exc, _tb: outcome.setdefault("error", exc))
    job.signals.finished.connect(loop.quit)
    start(job)
    loop.exec()  # the results arrive as queued calls, so even a job done already quits it
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
