"""Long work off the GUI thread: one job contract for every background task.

A job is built, its callbacks connected, then started — never handed out already running, so
nobody (a test's ``waitSignal`` included) can connect too late and miss its end. Results,
failures and progress arrive on the main thread through queued signals. A failure nobody
handles is still reported: logged, and shown in an error dialog with the traceback and the
log file's place (``error_report``). A cancelled job reports no failure.
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Work = Callable[[Callable[[int, int, str], None], Callable[[], bool]], Any]


class Cancelled(Exception):
    """Raised inside a job when the user cancelled it."""


class JobAlreadyStarted(RuntimeError):
    """A callback was connected, or ``start`` called, after the job had started."""


class JobSignals(QObject):
    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object, str)  # the exception, and its traceback text for the details box
    finished = Signal()


log = logging.getLogger(__name__)
_running: set[Job] = set()  # keeps a job's Python object alive until its thread is done


class Job(QRunnable):
    """Runs ``work(progress, should_cancel)`` in the thread pool.

    ``title`` names the work in the error dialog a failure nobody handles gets."""

    def __init__(self, work: Work, *, title: str = "") -> None:
        super().__init__()
        self.setAutoDelete(False)  # the Python side owns it; Qt must not delete it under us
        self._work = work
        self._cancel = threading.Event()
        self._signals = JobSignals()
        self._started = False
        self._failure_handled = False
        self.title = title

    # -- building ------------------------------------------------------------------------------
    @property
    def signals(self) -> JobSignals:
        """Its signals, for connecting before ``start``: afterwards a connection could come
        after the end it waits for, so asking for them then is refused."""
        if self._started:
            raise JobAlreadyStarted("connect a job's callbacks before start()")
        return self._signals

    def on_success(self, callback: Callable[[Any], object]) -> Job:
        self.signals.succeeded.connect(callback)
        return self

    def on_failure(self, callback: Callable[[BaseException, str], object]) -> Job:
        """Handle a failure instead of the default error dialog. A cancelled job has no
        failure: its work's exception is dropped, and only ``finished`` follows.

        Connected as given: a bound method of a QObject keeps Qt's care (the connection
        goes with its object, and ``sender()`` works in it)."""
        self.signals.failed.connect(callback)
        self._failure_handled = True
        return self

    def on_progress(self, callback: Callable[[int, int, str], object]) -> Job:
        self.signals.progress.connect(callback)
        return self

    def on_finished(self, callback: Callable[[], object]) -> Job:
        """Called after success, failure or cancel alike."""
        self.signals.finished.connect(callback)
        return self

    def start(self, pool: QThreadPool | None = None) -> Job:
        if self._started:
            raise JobAlreadyStarted("a job runs once")
        if not self._failure_handled:
            self._signals.failed.connect(self._report_failure)
        self._started = True
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(self)
        return self

    @property
    def started(self) -> bool:
        return self._started

    # -- cancelling ------------------------------------------------------------------------------
    def cancel(self) -> None:
        self._cancel.set()

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def _was_cancel(self, exc: BaseException) -> bool:
        # The services raise their own "…Cancelled" errors when should_cancel() said so.
        return self.is_cancelled() or isinstance(exc, Cancelled)

    def emitted(self, sender: QObject | None) -> bool:
        """Whether a slot's ``sender()`` is this job (not an overtaken one)."""
        return sender is self._signals

    def _report_failure(self, exc: BaseException, details: str) -> None:
        if self.is_cancelled():  # cancelled after the failure was sent: the user moved on
            return
        from citypartner_desktop.ui.error_report import report_error

        report_error(exc, details, title=self.title)

    # -- running, in the pool's thread -----------------------------------------------------------
    def run(self) -> None:
        signals = self._signals
        try:
            try:
                result = self._work(signals.progress.emit, self._cancel.is_set)
            except BaseException as exc:  # delivered to the GUI, never lost in a thread
                if not self._was_cancel(exc):
                    signals.failed.emit(exc, traceback.format_exc())
            else:
                signals.succeeded.emit(result)
            signals.finished.emit()
        except RuntimeError:
            # The application quit while this job ran: its signals object is gone and there
            # is nobody left to tell. Jobs write atomically, so nothing is half done.
            log.info("background job ended after the application quit")
        finally:
            _running.discard(self)


def run_and_wait(work: Callable[[], Any]) -> Any:
    """Run ``work`` off the GUI thread and wait for it while the GUI keeps painting (a local
    event loop); its exception, if any, is raised here. For short steps the caller needs
    before going on, such as the integrity check before the database opens."""
    from PySide6.QtCore import QEventLoop

    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    job = Job(lambda _p, _c: work())
    job.on_success(lambda result: outcome.setdefault("result", result))
    job.on_failure(lambda exc, _tb: outcome.setdefault("error", exc))
    job.on_finished(loop.quit)
    job.start()
    loop.exec()  # the results arrive as queued calls, so even a job done already quits it
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("result")
