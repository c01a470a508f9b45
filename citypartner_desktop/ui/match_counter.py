"""Counting a search's matches off the GUI thread.

A broad search ("w" matches 474,397 of 1,000,000 activities) finds its first page in a few
milliseconds but takes 20–30 ms more to count every match. The table shows the page at once
and learns the count from here a moment later, so typing never waits for the count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal

from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import pages
from citypartner_desktop.ui import workers

if TYPE_CHECKING:
    from citypartner_desktop.db.reader import ReadSource

START_DELAY_MS = 50


class MatchCounter(QObject):
    """Counts one query at a time; a new request or ``cancel`` drops the one before."""

    counted = Signal(int)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # A pool of its own: a long backup or report in the global pool never delays a count,
        # and queued counts of superseded searches are cancelled before they start.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._job: workers.Job | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def request(self, source: ReadSource, kind: str, query: ListQuery) -> None:
        self.cancel()

        def work(_progress: Any, cancelled: Any) -> int:
            if cancelled():
                raise workers.Cancelled
            return pages.count_in(source, kind, query)

        job = workers.Job(work)
        # Bound methods: Qt drops the connections if this counter is gone when a count ends.
        self._job = job.on_success(self._succeeded).on_failure(self._failed)
        # Started a moment later, once the page that asked has been painted: running beside
        # that paint (cores share caches, Python threads share the GIL), the count slowed it
        # by about 10 ms, a third of the 30 ms a search may take.
        QTimer.singleShot(START_DELAY_MS, self, self._start)

    def _start(self) -> None:
        if self._job is not None and not self._job.started:
            self._job.start(self._pool)

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self._job = None

    def wait(self, msecs: int = -1) -> bool:
        """Start the count asked for now and block until it ends (tests)."""
        self._start()
        return bool(self._pool.waitForDone(msecs))

    def _current(self) -> bool:
        return self._job is not None and self._job.emitted(self.sender())

    def _succeeded(self, rows: int) -> None:
        if self._current():
            self._job = None
            self.counted.emit(int(rows))

    def _failed(self, exc: BaseException, _details: str) -> None:
        if self._current():
            self._job = None
            self.failed.emit(str(exc))
