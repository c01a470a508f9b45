"""Start the desktop application: Qt application, error reporting, database, main window."""

from __future__ import annotations

import gc
import logging
import signal
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEventLoop, QSettings, QThreadPool, QTimer
from PySide6.QtGui import QIcon, QUndoStack
from PySide6.QtWidgets import QApplication, QMessageBox

from citypartner_desktop import paths
from citypartner_desktop.domain.errors import CityPartnerError, ReadOnlyPlaceError
from citypartner_desktop.ui.context import AppContext, ChangeBus
from citypartner_desktop.ui.error_report import setup_logging, show_unexpected_error

if TYPE_CHECKING:
    from citypartner_desktop.db.database import Database
    from citypartner_desktop.ui.main_window import MainWindow

log = logging.getLogger("citypartner")
# How long the start waits for the dashboard's first figures before loading the data layer
# anyway (a slow disk); they are painted whenever they arrive.
FIRST_FIGURES_WAIT_MS = 3000
# How long a window being replaced (File ▸ Connect…) waits for its running jobs.
JOBS_WAIT_MS = 5000


def settings_for_ui() -> QSettings:
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)


def make_context(location: Path | str, *, read_only: bool = False) -> AppContext:
    """A context without the window (benchmarks, scripts), on a file or an office server.
    ``read_only`` (a file): no writer's lock, so that it can look at a database another
    process has open."""
    from citypartner_desktop.services.database import open_for_reading, open_store

    if isinstance(location, Path) and read_only:
        db = open_for_reading(location)
    else:
        db = open_store(location)
    return AppContext(db=db, bus=ChangeBus(), undo=QUndoStack(), settings=settings_for_ui())


def warm_gazetteer() -> None:
    """Build the gazetteer index in the background once, so the city dialog is instant."""
    from citypartner_desktop.services import gazetteer
    from citypartner_desktop.ui import workers

    if not gazetteer.is_ready():
        workers.Job(lambda _p, _c: gazetteer.ensure_index(),
                    title=QApplication.translate("app", "Building the place index")).start()


def run_gui(location: Path | str, started: float | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("CityPartner")
    app.setOrganizationName("CityPartner")
    previous_hook, sys.excepthook = sys.excepthook, show_unexpected_error
    try:
        return _run(app, location, time.perf_counter() if started is None else started)
    finally:
        sys.excepthook = previous_hook


def freeze_start_objects() -> None:
    """Leave the objects made during the start out of the garbage collector's full passes:
    modules, classes, Qt wrappers and the ORM's mappers live as long as the application. A
    full pass walks every tracked object (about 40 ms here, 60,000 objects with PySide6
    wrappers among them) and Python runs one now and then as pages of rows are read, which
    showed as a hitch in the middle of typing a search."""
    gc.freeze()


def stop_on_logout(app: QApplication) -> QTimer:
    """End as the user would on SIGTERM (a logout, a shutdown, ``kill``): windows closed as
    by their close button (their state saved, the database closed, its lock released).
    Python runs signal handlers only between bytecodes, which Qt's event loop never gives
    it: a timer wakes the interpreter twice a second so that the handler runs."""
    def close_everything(_signum: int, _frame: object) -> None:
        QTimer.singleShot(0, lambda: (app.closeAllWindows(), app.quit()))

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, close_everything)
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)
    wake.start(500)
    return wake


class ClosedDuringStart(Exception):
    """The user closed the window before the database was open: nothing to run."""


def _run(app: QApplication, location: Path | str, started: float) -> int:
    try:
        opened = start_gui(location, started)
    except ClosedDuringStart:
        return 0
    if opened is None:
        return 1
    freeze_start_objects()
    stop_on_logout(app)
    try:
        return app.exec()
    finally:
        for ctx in _open_contexts:
            ctx.close_db()
        _open_contexts.clear()


def _trace_first_data(window: MainWindow, started: float, *, painted: bool = False) -> None:
    """The ``first-data`` milestone: ``painted``, if the paint just done showed the current
    page's rows (or it has none); else once the event loop has painted them."""
    from citypartner_desktop.ui import startup_trace

    dashboard = window.dashboard
    if window.on_dashboard and dashboard is not None:
        has_data = dashboard.has_painted
    else:
        page = window.current_page

        def has_data() -> bool:
            return page.model.rowCount() == 0 or page.model.cached_pages() > 0

    if painted:
        startup_trace.data_painted_now(started, has_data)
    else:
        startup_trace.when_data_painted(started, has_data)


def wait_for_dashboard(window: MainWindow, timeout_ms: int = FIRST_FIGURES_WAIT_MS) -> bool:
    """Run the event loop until the dashboard has its first figures (or could not get them),
    at most ``timeout_ms``; False if the user closed the window meanwhile.

    At start-up the figures are computed through a reader on a worker thread; the ORM import
    that follows holds the GUI thread for half a second, and the result could not be painted
    before it ends. The window stays responsive while it waits."""
    page = window.dashboard
    if page is not None and not (page.has_painted() or page.error):
        loop = QEventLoop()
        page.settled.connect(loop.quit)
        window.closing.connect(loop.quit)
        timeout = QTimer(loop, singleShot=True, interval=timeout_ms)  # goes with the loop
        timeout.timeout.connect(loop.quit)
        timeout.start()
        loop.exec()
        page.settled.disconnect(loop.quit)
        window.closing.disconnect(loop.quit)
        QApplication.processEvents()  # paint them now
    return window.isVisible()


def start_gui(location: Path | str, started: float | None = None, *,
              password: str | None = None, remember: bool = False
              ) -> tuple[AppContext, MainWindow] | None:
    """Show the window's frame, then open the database — a file or an office server — and add
    the pages; on a new database, offer the demo. The frame is painted before the data layer
    (SQLAlchemy and all) is even imported, so the window is there at once; for a current
    file the dashboard's figures follow through a read-only reader, still before the data
    layer is loaded.

    ``password``, ``remember``: typed in the connection dialog, for a server (kept in the
    keychain, when asked to, once the server took it).

    Returns None when the database cannot be opened (the user was told why); raises
    ClosedDuringStart when the window was closed before it was.

    Separate from the event loop so tests can start the application without ``exec()``
    (after which Qt refuses to show widgets in that process)."""
    from citypartner_desktop.ui import startup_trace
    from citypartner_desktop.ui.main_window import MainWindow

    bus, undo, settings = ChangeBus(), QUndoStack(), settings_for_ui()
    window = MainWindow(frame=(bus, undo, settings))
    window.show()
    QApplication.processEvents()  # paint the frame now, before the slow imports below
    if started is not None:
        startup_trace.begin()
        startup_trace.milestone("window-shown", started)
    # An SVG icon loads Qt's icon engine plugin (about 10 ms): after the frame is up.
    QApplication.setWindowIcon(QIcon(str(paths.resource_path("icons/citypartner.svg"))))
    setup_logging()  # after the window is up: the log file can wait a few milliseconds
    ctx = AppContext(db=None, bus=bus, undo=undo, settings=settings)
    db: Database | None = None
    if isinstance(location, str):
        from citypartner_desktop.ui.server_open import open_server_db

        try:
            opened = open_server_db(window, location, settings, password, remember)
        except CityPartnerError as exc:
            QMessageBox.critical(window, "CityPartner", str(exc))
            opened = None
        if isinstance(opened, Path):
            location = opened  # the server is out of reach: a file on this computer instead
        else:
            db = opened
    if isinstance(location, Path):
        db = _open_pack_or_file(window, ctx, location, started)
    if db is None:
        ctx.close_db()
        window.close()
        return None
    ctx.db = db
    window.attach(ctx)
    window.connections.open_requested.connect(
        lambda where, login: replace_window(window, where, login))
    _after_attach(window, ctx, started)
    _open_contexts.append(ctx)
    return ctx, window


def _open_pack_or_file(window: MainWindow, ctx: AppContext, db_path: Path,
                       started: float | None) -> Database | None:
    """An encrypted visit pack asks for its passphrase (none of a plain file's checks can read
    it); any other file is opened safely."""
    # Not services.database here: it loads SQLAlchemy, which a plain file's first page is
    # painted without.
    from citypartner_desktop.db.cipher import is_encrypted_pack

    if not is_encrypted_pack(db_path):
        return _open_file(window, ctx, db_path, started)
    from citypartner_desktop.db.database import Database as OpenedDatabase
    from citypartner_desktop.ui.passphrase import open_encrypted_pack

    try:
        opened = open_encrypted_pack(window, db_path)
    except CityPartnerError as exc:
        QMessageBox.critical(window, "CityPartner", str(exc))
        return None
    return opened if isinstance(opened, OpenedDatabase) else None


def _open_file(window: MainWindow, ctx: AppContext, db_path: Path, started: float | None
               ) -> Database | None:
    """The file opened safely (first look, checks, recovery), or None (the user was told)."""
    look = None
    try:
        from citypartner_desktop.services.first_look import first_look

        # The writer's lock, and for a current file a read-only reader: the first page is
        # painted through it before the ORM (half a second of imports) is loaded.
        look = first_look(db_path)
        if look.reader is not None:
            ctx.attach_reader(look.reader)
            window.show_data(ctx)
            QApplication.processEvents()  # paint the first page
            if not wait_for_dashboard(window):
                look.lock.release()
                ctx.close_db()
                raise ClosedDuringStart
            if started is not None:
                _trace_first_data(window, started, painted=True)
        from citypartner_desktop.ui.safe_open import open_checked

        # Quick file checks; a current database is opened read-only while SQLite's quick
        # check runs off the GUI thread (finish_check), then becomes writable.
        return open_checked(window, db_path, look.lock)
    except CityPartnerError as exc:
        log.warning("cannot open %s: %s", db_path, exc)
        if look is not None:
            look.lock.release()  # refused: the file must not stay locked (releasing is idempotent)
        if isinstance(exc, ReadOnlyPlaceError) and db_path.is_file():
            return _read_only_instead(window, db_path, exc)
        QMessageBox.critical(window, "CityPartner", str(exc))
        return None


def _read_only_instead(window: MainWindow, db_path: Path, exc: CityPartnerError
                       ) -> Database | None:
    """A database where nothing can be written (a full disk, a read-only folder or medium):
    offered read-only — to look, search, export and report — rather than refused."""
    asked = QMessageBox.question(
        window, "CityPartner", str(exc) + "\n\n" + QApplication.translate(
            "app", "Open it read-only? You can look, search, export and make reports; "
                   "nothing can be changed until it is somewhere you can write to."),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    if asked != QMessageBox.StandardButton.Yes:
        return None
    from citypartner_desktop.services.database import open_db

    try:
        return open_db(db_path, read_only_ok=True)
    except CityPartnerError as again:
        QMessageBox.critical(window, "CityPartner", str(again))
        return None


def _after_attach(window: MainWindow, ctx: AppContext, started: float | None) -> None:
    from citypartner_desktop.ui.safe_open import after_open, finish_check_job

    after_open(window, ctx)
    check = finish_check_job(window, ctx)
    if check is not None:
        check.start()
    if started is not None:
        _trace_first_data(window, started)
    warm_gazetteer()
    if ctx.db.created:
        from citypartner_desktop.ui.demo_loader import offer_demo

        offer_demo(ctx, window, first_start=True)
    else:
        reminders = window.monitoring.reminders_job()
        if reminders is not None:
            reminders.start()


# Every database opened in this process (File ▸ Connect… opens another): closed at exit.
_open_contexts: list[AppContext] = []


def replace_window(old: MainWindow, location: Path | str, login: object = None) -> bool:
    """Open ``location`` in a new window and close ``old`` when it opened (else ``old``
    stays as it was). ``login``: a ``SignIn`` of the connection dialog, for its password."""
    if isinstance(location, Path) and old.ctx.is_open and not old.ctx.db.is_server \
            and old.ctx.db.path.resolve() == location.resolve():
        old.statusBar().showMessage(old.tr("That database is the one open."), 8000)
        return False
    password = getattr(login, "password", None)
    remember = bool(getattr(login, "remember", False))
    try:
        opened = start_gui(location, password=password, remember=remember)
    except ClosedDuringStart:
        return False
    if opened is None:
        return False
    old_ctx = old.ctx
    old.close()
    # Its last jobs (the dashboard, reminders) may still be reading: let them end first, or
    # their connections would outlive the closed database.
    QThreadPool.globalInstance().waitForDone(JOBS_WAIT_MS)
    old_ctx.close_db()
    if old_ctx in _open_contexts:
        _open_contexts.remove(old_ctx)
    return True
