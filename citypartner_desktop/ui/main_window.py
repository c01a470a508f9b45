"""The main window: menus, a sidebar of pages, the status bar. Thin by design — the work is
in the pages, dialogs and services.

It starts in two steps so that it can be on screen before the data layer is even imported:
the frame (menus, sidebar, status bar) needs only Qt; ``attach`` then adds the pages for an
open database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from citypartner_desktop import __version__
from citypartner_desktop.domain.specs import PAGE_KINDS, spec_for
from citypartner_desktop.ui.connections_menu import ConnectionsMenu
from citypartner_desktop.ui.context import AppContext, ChangeBus
from citypartner_desktop.ui.feature_host import Feature, FeatureHost, Menus, Needs, Place, Role
from citypartner_desktop.ui.interop_menu import InteropMenu
from citypartner_desktop.ui.live_updates import LiveUpdates
from citypartner_desktop.ui.monitoring_actions import MonitoringActions
from citypartner_desktop.ui.page_set import PageSet
from citypartner_desktop.ui.privacy_actions import PrivacyActions
from citypartner_desktop.ui.reports_menu import ReportsMenu
from citypartner_desktop.ui.safety_actions import SafetyActions
from citypartner_desktop.ui.shortcuts import Shortcut, set_shortcut
from citypartner_desktop.ui.visit_packs import VisitPacks

if TYPE_CHECKING:
    from citypartner_desktop.ui.pages.dashboard_page import DashboardPage
    from citypartner_desktop.ui.pages.record_page import RecordPage

DASHBOARD = "dashboard"  # the home page: sidebar row 0, before the record pages


class MainWindow(FeatureHost):
    closing = Signal()  # the window is being closed (the start may still be under way)

    def __init__(
        self,
        ctx: AppContext | None = None,
        parent: QWidget | None = None,
        *,
        frame: tuple[ChangeBus, QUndoStack, QSettings] | None = None,
    ) -> None:
        """``MainWindow(ctx)`` is the whole window; ``MainWindow(frame=(bus, undo, settings))``
        only its frame, to be shown at once and completed with ``attach(ctx)``."""
        super().__init__(parent)
        if ctx is not None:
            frame = (ctx.bus, ctx.undo, ctx.settings)
        assert frame is not None, "a context or the frame's parts are needed"
        self.bus, self.undo, self.settings = frame
        self._ctx: AppContext | None = None
        self._attached = False  # the database is fully open: actions on data work
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("CityPartner"))
        self.sidebar = QListWidget(self)
        self.sidebar.setAccessibleName(self.tr("Sections"))
        self.sidebar.setMinimumWidth(140)
        self.stack = QStackedWidget(self)
        self.pages = PageSet(self.stack)
        self.dashboard: DashboardPage | None = None
        self._record_kind = PAGE_KINDS[0]  # the record page that Edit/Delete/… work on
        self.sidebar.addItem(self.tr("Dashboard"))
        for kind in PAGE_KINDS:
            self.sidebar.addItem(self.tr(spec_for(kind).plural))
        # Horizontal by default. The frame leaves PySide6's ``Qt`` namespace alone: building its
        # enums costs 20-40 ms, which the data pages pay after the window is on screen (a
        # positional parent would be tried as a Qt.Orientation first, building them).
        splitter = QSplitter(parent=self)
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([170, 1100])
        self.setCentralWidget(splitter)
        self.count_label = QLabel(self)
        self.count_label.setAccessibleName(self.tr("Record count"))
        self.statusBar().addWidget(self.count_label, 1)
        self.path_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.path_label)
        self._build_menus()
        # The features add their own actions to the menus (feature_host's contract).
        self.connections = ConnectionsMenu(self)
        self.safety = SafetyActions(self)
        self.interop = InteropMenu(self)
        self.monitoring = MonitoringActions(self)
        self.reports = ReportsMenu(self)
        self.live = LiveUpdates(self)
        self.packs = VisitPacks(self)
        self.privacy = PrivacyActions(self)
        self.features: list[Feature] = [self.connections, self.safety, self.interop,
                                        self.monitoring, self.reports, self.live, self.packs,
                                        self.privacy]
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        if ctx is not None:
            self.attach(ctx)

    def show_data(self, ctx: AppContext) -> None:
        """Add the pages, reading through ``ctx.reader``: data on screen before the ORM loads."""
        if self._ctx is not None:
            return
        self._ctx = ctx
        from citypartner_desktop.ui.pages.dashboard_page import DashboardPage

        source = ctx.source
        self.setWindowTitle(self.tr("CityPartner – {0}").format(source.name))
        self.path_label.setText(source.where)
        # Reads through a reader of its own, so it loads before the data layer too.
        self.dashboard = DashboardPage(ctx, self.stack)
        self.dashboard.status_changed.connect(
            lambda text: self.count_label.setText(text) if self.on_dashboard else None)
        self.stack.addWidget(self.dashboard)
        self.pages.attach(PAGE_KINDS, self._build_page)  # each page is built when first shown
        self.sidebar.currentRowChanged.connect(self._switch)
        self.show_page(DASHBOARD)  # the app opens on its home page

    def attach(self, ctx: AppContext) -> None:
        """Complete the window for the open database: pages (unless ``show_data`` added them
        already) and every action that works on records."""
        self.show_data(ctx)
        self._attached = True
        if ctx.db.is_server:
            self.setWindowTitle(self.tr("CityPartner – {0} (office server, {1})").format(
                ctx.source.name, self.tr(ctx.db.access)))
        for feature in self.features:
            feature.attach(ctx)
        self._switch(self.sidebar.currentRow())

    def _build_page(self, kind: str) -> RecordPage:
        from citypartner_desktop.ui.pages.record_page import RecordPage

        page = RecordPage(self.ctx, kind, self.stack)
        page.status_changed.connect(self._page_status)
        page.show_deleted.toggled.connect(lambda _on: self._features_page_switched())
        page.restore_state()
        return page

    @property
    def ctx(self) -> AppContext:
        assert self._ctx is not None, "the window has no database attached yet"
        return self._ctx

    @property
    def current_page(self) -> RecordPage:
        """The record page shown, or the last one shown while the dashboard is up."""
        return self.pages[self._record_kind]

    @property
    def on_dashboard(self) -> bool:
        return self.sidebar.currentRow() == 0

    def show_page(self, kind: str) -> None:
        row = 0 if kind == DASHBOARD else PAGE_KINDS.index(kind) + 1
        if self.sidebar.currentRow() == row:
            self._switch(row)  # already selected (e.g. the first row): still build and show it
        else:
            self.sidebar.setCurrentRow(row)

    # -- menus --------------------------------------------------------------------------------
    def _action(self, text: str, slot: object, shortcut: Shortcut | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            set_shortcut(action, shortcut)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        self.menus = Menus(self.menuBar(), {
            "file": self.tr("&File"), "edit": self.tr("&Edit"), "view": self.tr("&View"),
            "reports": self.tr("&Reports"), "help": self.tr("&Help")})
        add = self.menus.add
        self.demo_action = self._action(self.tr("Load &demo data…"), self._load_demo)
        add(Place.FILE_DATA, self.demo_action, needs=Needs.DATABASE, role=Role.EDITOR)
        add(Place.FILE_QUIT,
            self._action(self.tr("&Quit"), self.close, QKeySequence.StandardKey.Quit))

        undo = self.undo.createUndoAction(self, self.tr("&Undo"))
        set_shortcut(undo, QKeySequence.StandardKey.Undo)
        redo = self.undo.createRedoAction(self, self.tr("&Redo"))
        set_shortcut(redo, QKeySequence.StandardKey.Redo)
        self.undo_action, self.redo_action = undo, redo
        add(Place.EDIT_UNDO, undo, redo)  # the undo stack enables them itself
        self.new_action = self._action(
            self.tr("&New…"),
            lambda: self.current_page.new_record(),
            QKeySequence.StandardKey.New,
        )
        self.edit_action = self._action(
            self.tr("&Edit…"), lambda: self.current_page.edit_selected(), "Ctrl+E"
        )
        self.delete_action = self._action(
            self.tr("&Delete"),
            lambda: self.current_page.delete_selected(),
            QKeySequence.StandardKey.Delete,
        )
        self.restore_action = self._action(
            self.tr("Rest&ore"), lambda: self.current_page.restore_selected()
        )
        self.find_action = self._action(
            self.tr("&Find"),
            lambda: self.current_page.focus_search(),
            QKeySequence.StandardKey.Find,
        )
        add(Place.EDIT_RECORDS, self.new_action, self.edit_action, self.delete_action,
            self.restore_action, needs=Needs.RECORD_PAGE, role=Role.EDITOR)
        add(Place.EDIT_FIND, self.find_action, needs=Needs.RECORD_PAGE)

        add(Place.VIEW_PAGES, self._action(self.tr("&Dashboard"),
                                           lambda: self.show_page(DASHBOARD), "Ctrl+0"))
        for i, kind in enumerate(PAGE_KINDS):
            add(Place.VIEW_PAGES, self._action(self.tr(spec_for(kind).plural),
                                               lambda _c=False, k=kind: self.show_page(k),
                                               f"Ctrl+{i + 1}"))
        self.refresh_action = self._action(
            self.tr("&Refresh"),
            lambda: self.ctx.notify("*"),
            QKeySequence.StandardKey.Refresh,
        )
        add(Place.VIEW_OPTIONS, self.refresh_action, needs=Needs.DATABASE)
        add(Place.HELP, self._action(self.tr("&About CityPartner"), self._about))

    # -- behaviour ----------------------------------------------------------------------------
    def _switch(self, row: int) -> None:
        if row == 0:
            self.stack.setCurrentIndex(0)
            self.count_label.setText(self.dashboard.status_text() if self.dashboard else "")
        elif 1 <= row <= len(PAGE_KINDS):
            self._record_kind = PAGE_KINDS[row - 1]
            self.pages[self._record_kind]  # built on first visit
            self.stack.setCurrentIndex(row)
            self.count_label.setText(self.current_page.status_text())
        else:
            return
        # Edit, Delete, … work on a record page's selection: not on the dashboard.
        self.menus.update_enabled(database=self._attached,
                                  record_page=not self.on_dashboard and self.dashboard is not None,
                                  role=Role.of(self.ctx.db.access) if self._attached
                                  else Role.ADMINISTRATOR)
        if self.dashboard is not None:
            self._features_page_switched()

    def _features_page_switched(self) -> None:
        for feature in self.features:
            feature.page_switched()

    def _page_status(self, text: str) -> None:
        if self.sender() is self.stack.currentWidget():
            self.count_label.setText(text)

    def _load_demo(self) -> None:
        from citypartner_desktop.ui.demo_loader import offer_demo

        offer_demo(self.ctx, self, first_start=False)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About CityPartner"),
            self.tr(
                "CityPartner Desktop {0}\n\nPartner cities, partnerships, agreements, "
                "activities and evaluations for a city's international-relations office.\n\n"
                "Database: {1}"
            ).format(__version__, self._ctx.where if self._ctx else "–"),
        )

    def save_state(self) -> None:
        settings = self.settings
        settings.setValue("window/geometry", self.saveGeometry())
        if self.pages:  # closed before a database was attached: only the geometry is known
            for page in self.pages.built():  # a page never shown has nothing new to save
                page.save_state()
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        for feature in self.features:
            feature.stop()
        self.save_state()
        super().closeEvent(event)
        self.closing.emit()
