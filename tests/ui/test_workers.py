"""The background job contract (build, connect, start) and the road every unexpected error
takes: the rotating log file and an error dialog with the traceback and the log's place."""

from __future__ import annotations

import logging
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from citypartner_desktop import paths
from citypartner_desktop.ui import workers
from citypartner_desktop.ui.error_report import log_file, setup_logging, show_unexpected_error


def _error_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
            and w.icon() == QMessageBox.Icon.Critical]


@pytest.fixture
def logged(qapp: QApplication) -> Path:
    """The app's log file, set up as the GUI does, in this test's user log folder."""
    file = setup_logging()
    yield file
    for box in _error_boxes():
        box.close()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == "citypartner-file"]:
        root.removeHandler(handler)
        handler.close()


def _flushed_log(file: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return file.read_text(encoding="utf-8")


def _boom(_progress: Any, _cancelled: Any) -> None:
    raise ZeroDivisionError("the figures do not add up")


def test_the_log_lives_in_the_user_log_folder_and_rotates(logged: Path) -> None:
    import logging.handlers

    assert logged == log_file() == paths.user_log_dir() / "citypartner.log"
    handlers = [h for h in logging.getLogger().handlers if h.get_name() == "citypartner-file"]
    assert len(handlers) == 1
    assert isinstance(handlers[0], logging.handlers.RotatingFileHandler)
    assert handlers[0].maxBytes > 0 and handlers[0].backupCount > 0


def test_a_job_is_connected_before_it_starts_never_after(qtbot: Any) -> None:
    job = workers.Job(lambda _p, _c: 42)
    with qtbot.waitSignal(job.signals.succeeded, timeout=10_000) as done:
        job.start()
    assert done.args == [42]
    with pytest.raises(workers.JobAlreadyStarted):
        job.signals  # noqa: B018  # a connection now could miss the end it waits for
    with pytest.raises(workers.JobAlreadyStarted):
        job.on_success(print)
    with pytest.raises(workers.JobAlreadyStarted):
        job.start()


def test_a_quick_job_cannot_end_before_its_waiter_is_connected(qtbot: Any) -> None:
    """The race the contract removes: the work is over before the test looks, yet the end
    still arrives, because it was connected before the start."""
    ran = threading.Event()
    job = workers.Job(lambda _p, _c: ran.set())
    with qtbot.waitSignal(job.signals.finished, timeout=10_000):
        job.start()
        assert ran.wait(10)  # the worker is done before the event loop delivers anything


def test_an_unhandled_failure_is_logged_and_shown_with_details(logged: Path,
                                                               qtbot: Any) -> None:
    job = workers.Job(_boom, title="Counting")
    with qtbot.waitSignal(job.signals.finished, timeout=10_000):
        job.start()
    qtbot.waitUntil(lambda: bool(_error_boxes()), timeout=5_000)
    box = _error_boxes()[0]
    assert "Counting failed: the figures do not add up" in box.text()
    assert "ZeroDivisionError" in box.detailedText()
    assert "Traceback" in box.detailedText()
    assert str(logged) in box.informativeText()
    text = _flushed_log(logged)
    assert "Counting failed" in text and "ZeroDivisionError: the figures do not add up" in text


def test_a_handled_failure_goes_to_its_handler_only(logged: Path, qtbot: Any) -> None:
    seen: list[str] = []
    job = workers.Job(_boom).on_failure(lambda exc, _details: seen.append(str(exc)))
    with qtbot.waitSignal(job.signals.finished, timeout=10_000):
        job.start()
    qtbot.wait(20)
    assert seen == ["the figures do not add up"]
    assert _error_boxes() == []


def test_a_cancelled_job_reports_no_failure(logged: Path, qtbot: Any) -> None:
    seen: list[str] = []

    def work(_progress: Any, cancelled: Any) -> None:
        if cancelled():
            raise workers.Cancelled
        raise AssertionError("the job should have seen the cancel")

    job = workers.Job(work).on_failure(lambda exc, _d: seen.append(repr(exc)))
    unhandled = workers.Job(work)
    for each in (job, unhandled):
        each.cancel()
        with qtbot.waitSignal(each.signals.finished, timeout=10_000):
            each.start()
    qtbot.wait(20)
    assert seen == [] and _error_boxes() == []


def test_progress_and_results_arrive_on_the_main_thread(qtbot: Any) -> None:
    threads: list[bool] = []
    main = threading.current_thread()

    def work(progress: Any, _cancelled: Any) -> str:
        progress(1, 2, "half")
        return "done"

    job = workers.Job(work)
    job.on_progress(lambda *_a: threads.append(threading.current_thread() is main))
    job.on_success(lambda _r: threads.append(threading.current_thread() is main))
    with qtbot.waitSignal(job.signals.finished, timeout=10_000):
        job.start()
    assert threads == [True, True]


def test_run_and_wait_returns_or_raises_here(qapp: QApplication) -> None:
    assert workers.run_and_wait(lambda: "ok") == "ok"
    with pytest.raises(ZeroDivisionError):
        workers.run_and_wait(lambda: 1 / 0)


def test_unexpected_errors_are_logged_and_shown_with_details(logged: Path,
                                                             qtbot: Any) -> None:
    try:
        raise RuntimeError("disk on fire")
    except RuntimeError as exc:
        show_unexpected_error(RuntimeError, exc, exc.__traceback__)
    box = _error_boxes()[0]
    assert "disk on fire" in box.text()
    assert "Traceback" in box.detailedText() and str(logged) in box.informativeText()
    assert "disk on fire" in _flushed_log(logged)


def test_the_gui_hands_escaped_exceptions_to_the_error_report(
        qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from citypartner_desktop.ui import app

    hooks: list[object] = []
    monkeypatch.setattr(app, "_run", lambda *_a: hooks.append(sys.excepthook) or 0)
    assert app.run_gui(tmp_path / "office.db") == 0
    assert hooks == [show_unexpected_error]
    assert sys.excepthook is not show_unexpected_error  # put back after the loop
