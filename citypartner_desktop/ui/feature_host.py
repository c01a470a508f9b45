"""The contract between the main window and the features that add to it (reports, import and
export, backups, monitoring).

A feature is a ``Feature``: built with the window (its ``FeatureHost``), it registers its
actions in named places of the menus (``Menus.add``) and says what each needs to be enabled; the
window tells every feature when a database is attached, when the page changes and when it
closes. Features know the window only through ``FeatureHost``, so the window may import them
without either importing the other's module back."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QMenuBar

if TYPE_CHECKING:
    from citypartner_desktop.ui.context import AppContext
    from citypartner_desktop.ui.page_set import PageSet
    from citypartner_desktop.ui.pages.dashboard_page import DashboardPage
    from citypartner_desktop.ui.pages.record_page import RecordPage


class Place(Enum):
    """Where in the menus an action goes: a menu and its group (groups are separated)."""

    FILE_OPEN = ("file", 0)  # connect to an office server, open a file
    FILE_DATA = ("file", 1)  # bring data in and out: demo, import, export, calendar
    FILE_SAFETY = ("file", 2)  # back up, restore, check
    FILE_QUIT = ("file", 3)
    EDIT_UNDO = ("edit", 0)
    EDIT_RECORDS = ("edit", 1)  # new, edit, delete, restore
    EDIT_FIND = ("edit", 2)  # find, history
    EDIT_TOOLS = ("edit", 3)  # find duplicates
    VIEW_PAGES = ("view", 0)
    VIEW_OPTIONS = ("view", 1)  # refresh, deleted items
    REPORTS = ("reports", 0)
    REPORTS_OPTIONS = ("reports", 1)
    HELP = ("help", 0)


class Needs(Enum):
    """What an action needs before it is enabled."""

    NOTHING = 0
    DATABASE = 1  # an attached database
    RECORD_PAGE = 2  # a record page shown (not the dashboard): works on its selection


class Role(Enum):
    """Who may use an action on an office server (a file's user may use every one). The
    server enforces the same through its grants; the menus only say so beforehand."""

    VIEWER = 0  # reading, exporting, reports
    EDITOR = 1  # changing records
    ADMINISTRATOR = 2  # merging, deleting for good, managing users

    @staticmethod
    def of(access: str) -> Role:
        return {"viewer": Role.VIEWER, "editor": Role.EDITOR}.get(access, Role.ADMINISTRATOR)


class Menus:
    """The menu bar's menus, in their usual order, and the actions registered in them."""

    def __init__(self, bar: QMenuBar, titles: dict[str, str]) -> None:
        """``titles``: menu key ("file", "edit", "view", "reports", "help") → translated
        title; the menus appear in that order."""
        self._menus = {key: bar.addMenu(title) for key, title in titles.items()}
        self._groups: dict[Place, list[QAction]] = {place: [] for place in Place}
        self._needs: dict[QAction, Needs] = {}
        self._roles: dict[QAction, Role] = {}
        self._tips: dict[QAction, str] = {}
        # Each group but a menu's first starts at a separator of its own; new actions go
        # before the next group's. A menu collapses separators around empty groups.
        self._starts: dict[Place, QAction] = {}
        for place in Place:
            key, index = place.value
            if index:
                self._starts[place] = self._menus[key].addSeparator()

    def menu(self, key: str) -> QMenu:
        return self._menus[key]

    def add(self, place: Place, *actions: QAction, needs: Needs = Needs.NOTHING,
            role: Role = Role.VIEWER) -> None:
        """Put ``actions`` at the end of their group; disabled until what they need is there
        (an action that needs nothing is left to its owner, e.g. the undo stack's), and for
        a user whose ``role`` on an office server is below the one given."""
        self._groups[place].extend(actions)
        key, index = place.value
        following = next((self._starts[p] for p in Place
                          if p.value[0] == key and p.value[1] == index + 1), None)
        menu = self._menus[key]
        if following is None:
            menu.addActions(list(actions))
        else:
            menu.insertActions(following, list(actions))
        menu.setToolTipsVisible(True)  # a disabled action says why
        if needs is not Needs.NOTHING:
            for action in actions:
                self._needs[action] = needs
                action.setEnabled(False)
        if role is not Role.VIEWER:
            for action in actions:
                self._roles[action] = role
                self._tips[action] = action.toolTip()

    def actions_in(self, place: Place) -> list[QAction]:
        return list(self._groups[place])

    def update_enabled(self, *, database: bool, record_page: bool,
                       role: Role = Role.ADMINISTRATOR) -> None:
        have = {Needs.NOTHING: True, Needs.DATABASE: database,
                Needs.RECORD_PAGE: database and record_page}
        for action, needs in self._needs.items():
            action.setEnabled(have[needs] and self._roles.get(action, Role.VIEWER).value
                              <= role.value)
        for action, needed in self._roles.items():
            allowed = needed.value <= role.value
            if action not in self._needs:
                action.setEnabled(allowed)
            action.setToolTip(self._tips[action] if allowed else self.refusal(needed))

    @staticmethod
    def refusal(needed: Role) -> str:
        from PySide6.QtCore import QCoreApplication

        if needed is Role.EDITOR:
            return QCoreApplication.translate(
                "feature_host", "Your access to the office database is read-only (viewer); "
                "ask its administrator for editor rights.")
        return QCoreApplication.translate(
            "feature_host", "Only an administrator of the office database may do this.")


class FeatureHost(QMainWindow):
    """What a feature may use of the main window."""

    menus: Menus
    pages: PageSet
    dashboard: DashboardPage | None
    settings: QSettings

    @property
    def ctx(self) -> AppContext:
        raise NotImplementedError

    @property
    def current_page(self) -> RecordPage:
        raise NotImplementedError

    def show_page(self, kind: str) -> None:
        raise NotImplementedError


class Feature(QObject):
    """A part of the window's behaviour with its own actions; the window calls these hooks."""

    def __init__(self, host: FeatureHost) -> None:
        super().__init__(host)
        self.window = host

    def attach(self, ctx: AppContext) -> None:
        """The database is open: connect what needs it."""

    def page_switched(self) -> None:
        """Another page (or the dashboard) is shown."""

    def stop(self) -> None:
        """The window is closing."""
