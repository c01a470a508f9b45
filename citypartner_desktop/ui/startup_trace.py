"""Start-up milestones for benchmarks, read from outside the process.

``CITYPARTNER_STARTUP_TRACE=1`` prints ``citypartner-startup <milestone> <ms>`` lines on
stderr (milliseconds since the command line module was loaded); ``=exit`` also quits once the
first page of data has been painted, so a script can time many starts.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

ENV = "CITYPARTNER_STARTUP_TRACE"


def enabled() -> bool:
    return bool(os.environ.get(ENV))


_reported: set[str] = set()


def begin() -> None:
    """A new start (tests start the application many times in one process)."""
    _reported.clear()


def milestone(name: str, started: float) -> None:
    """Print the milestone, the first time it is reached."""
    if enabled() and name not in _reported:
        _reported.add(name)
        print(f"citypartner-startup {name} {1000 * (time.perf_counter() - started):.1f}",
              file=sys.stderr, flush=True)


def data_painted_now(started: float, has_data: Callable[[], bool]) -> None:
    """``first-data`` if the paint that just happened showed rows (the start paints its first
    page before the event loop runs, while the ORM is still to be loaded)."""
    if enabled() and has_data():
        milestone("first-data", started)


def when_data_painted(started: float, has_data: Callable[[], bool]) -> None:
    """Print ``first-data`` once the event loop has painted the current page with rows (and
    quit, with ``=exit``)."""
    if not enabled():
        return

    def check() -> None:
        if not has_data():
            QTimer.singleShot(5, check)
            return
        milestone("first-data", started)
        if os.environ.get(ENV) == "exit":
            QApplication.quit()

    QTimer.singleShot(0, check)
