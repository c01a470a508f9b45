"""The contract between the main window and its features: each registers its actions in a
named place of the menus, and the window enables them when what they need is there."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QMenu

from citypartner_desktop.ui.context import AppContext, ChangeBus
from citypartner_desktop.ui.feature_host import Feature, FeatureHost, Needs, Place
from citypartner_desktop.ui.main_window import MainWindow


def _groups(menu: QMenu) -> list[list[str]]:
    """The menu as its user sees it: groups of texts between separators (a menu collapses
    separators around empty groups)."""
    groups: list[list[str]] = [[]]
    for action in menu.actions():
        if action.isSeparator():
            groups.append([])
        else:
            groups[-1].append(action.text())
    return [g for g in groups if g]


def test_the_menus_in_their_usual_order_with_each_feature_in_its_group(
        window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&File", "&Edit", "&View", "&Reports", "&Help"]
    assert _groups(window.menus.menu("file")) == [
        ["Connect to office &server…", "&Open database file…"],
        ["Load &demo data…", "&Import…", "&Export list…", "Export deadlines to calendar…",
         "Monitoring settings…", "Take on a &visit…", "&Merge visit pack…"],
        ["&Back up now", "&Restore from backup…", "&Check database"],
        ["&Quit"]]
    edit = _groups(window.menus.menu("edit"))
    assert edit[1:] == [["&New…", "&Edit…", "&Delete", "Rest&ore"], ["&Find", "&History…"],
                        ["Find d&uplicates…", "Everything we hold about this &person…",
                         "Era&se this person…"]]
    assert _groups(window.menus.menu("view"))[-1] == ["&Refresh", "&Deleted items"]
    assert _groups(window.menus.menu("reports"))[-1] == ["&Office name on reports…"]


def test_actions_wait_for_what_they_need(ctx: AppContext, qtbot: Any,
                                         tmp_path: Any) -> None:
    settings = QSettings(str(tmp_path / "frame.ini"), QSettings.Format.IniFormat)
    window = MainWindow(frame=(ChangeBus(), QUndoStack(), settings))
    qtbot.addWidget(window)
    needs_data = [window.demo_action, window.safety.backup_action,
                  window.interop.import_action, window.reports.actions["city"],
                  window.monitoring.export_action]
    assert not any(a.isEnabled() for a in needs_data)  # the frame, before the database
    window.attach(ctx)
    assert all(a.isEnabled() for a in needs_data)
    window.show_page("dashboard")  # Edit, Delete, … work on a record page's selection
    assert not window.edit_action.isEnabled() and not window.safety.history_action.isEnabled()
    window.show_page("city")
    assert window.edit_action.isEnabled() and window.safety.history_action.isEnabled()


class _Sharing(Feature):
    """A feature as a new module would write it."""

    def __init__(self, host: FeatureHost) -> None:
        super().__init__(host)
        self.action = QAction("&Share…", host)
        host.menus.add(Place.FILE_DATA, self.action, needs=Needs.DATABASE)
        self.attached_to: AppContext | None = None

    def attach(self, ctx: AppContext) -> None:
        self.attached_to = ctx


def test_a_new_feature_joins_through_the_contract(ctx: AppContext, qtbot: Any,
                                                  tmp_path: Any) -> None:
    settings = QSettings(str(tmp_path / "frame.ini"), QSettings.Format.IniFormat)
    window = MainWindow(frame=(ChangeBus(), QUndoStack(), settings))
    qtbot.addWidget(window)
    sharing = _Sharing(window)
    window.features.append(sharing)
    assert _groups(window.menus.menu("file"))[1][-1] == "&Share…"
    assert window.menus.actions_in(Place.FILE_DATA)[-1] is sharing.action
    assert not sharing.action.isEnabled()
    window.attach(ctx)
    assert sharing.attached_to is ctx and sharing.action.isEnabled()
