"""The dashboard's personal-data panel: its figures, the contacts behind them (each opening its
contact, with the data-protection facts in the details), its setting, and its refresh."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from citypartner_desktop.services import privacy_review, records
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.monitoring_settings import MonitoringSettingsDialog
from citypartner_desktop.ui.main_window import MainWindow
from citypartner_desktop.ui.pages.dashboard_page import DashboardPage, Section, tile_style
from tests.services.test_privacy_review import TODAY, People, build


@pytest.fixture
def people(ctx: AppContext) -> People:
    return build(ctx.db)


@pytest.fixture
def board(window: MainWindow, people: People, qtbot: Any) -> DashboardPage:
    """The window's dashboard as of the fixed day of the test data, its review painted."""
    page = window.dashboard
    assert page is not None
    page.today = lambda: TODAY
    with qtbot.waitSignal(page.privacy_loaded, timeout=10_000):
        page.refresh()
    return page


def _names(section: Section) -> list[str]:
    return [section.table.item(r, 0).text() for r in range(section.table.rowCount())]


def _figure(board: DashboardPage, key: str) -> str:
    return board.privacy_figures[key].text().replace("\n", " ")


def test_the_panel_shows_the_counts_and_the_contacts(board: DashboardPage) -> None:
    assert board.privacy_box.title() == "Personal data"
    assert _figure(board, "review_due") == "2 contacts due for review"
    assert _figure(board, "no_basis") == "2 contacts without a legal basis"
    assert _figure(board, "erasure") == "5 contacts inactive for 5 years"
    assert _names(board.review_due) == ["Ada Overdue", "Ben Today"]
    assert board.review_due.table.item(0, 1).text() == "due since 2026-11-01"
    assert board.row_color(board.review_due, 0) == "#b71c1c"  # overdue: red
    assert sorted(_names(board.no_basis)) == ["Dan Nobasis", "Eva Withdrawn"]
    assert "Hugo Old" in _names(board.erasure)
    assert board.erasure.title() == "Inactive for 5 years: candidates for erasure (5)"
    assert "Max Erased" not in _names(board.erasure)
    assert "Erased contact" not in _names(board.no_basis) + _names(board.erasure)
    # figures that need someone's attention have red text, as the others of the dashboard
    assert board.privacy_figures["no_basis"].styleSheet() == tile_style(True)


def test_a_figure_shows_the_contacts_behind_it(board: DashboardPage, qtbot: Any) -> None:
    qtbot.mouseClick(board.privacy_figures["erasure"], Qt.MouseButton.LeftButton)
    assert board.erasure.table.currentRow() == 0


def test_a_row_opens_its_contact_with_the_data_protection_facts(
        board: DashboardPage, window: MainWindow, people: People) -> None:
    section = board.no_basis
    row = _names(section).index("Eva Withdrawn")
    assert section.record_at(row) == ("contact", people.ids["Eva Withdrawn"])
    section.table.setCurrentCell(row, 0)
    section.table.activated.emit(section.table.currentIndex())  # double-click / Enter
    assert not window.on_dashboard
    page = window.current_page
    assert page.kind == "contact" and page.selected_id() == people.ids["Eva Withdrawn"]
    summary = page.detail.summary.text()
    assert "Data protection" in summary
    for text in ("Legal basis", "Consent", "Consent / basis date", "2020-03-01",
                 "Consent withdrawn on", "2026-06-01"):
        assert text in summary


def test_a_contact_without_a_basis_says_so_in_its_details(
        board: DashboardPage, window: MainWindow, people: People) -> None:
    row = _names(board.no_basis).index("Dan Nobasis")
    board.no_basis.table.setCurrentCell(row, 0)
    board.no_basis.table.activated.emit(board.no_basis.table.currentIndex())
    summary = window.current_page.detail.summary.text()
    assert "Data protection" in summary and "not recorded" in summary


def test_the_panel_follows_changes(board: DashboardPage, ctx: AppContext, people: People,
                                   qtbot: Any) -> None:
    with qtbot.waitSignal(board.privacy_loaded, timeout=10_000):
        records.update(ctx.db.uow(), "contact", people.ids["Dan Nobasis"],
                       {"legal_basis": "legitimate_interest"})
        ctx.notify("contact", [people.ids["Dan Nobasis"]])
    assert _figure(board, "no_basis") == "1 contacts without a legal basis"
    assert _names(board.no_basis) == ["Eva Withdrawn"]


def test_the_years_are_set_in_the_monitoring_settings(board: DashboardPage, ctx: AppContext,
                                                      qtbot: Any) -> None:
    dialog = MonitoringSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.inactive_years.value() == 5
    assert dialog.inactive_years.accessibleName() == (
        "Contacts inactive for (years) are candidates for erasure")
    assert (dialog.inactive_years.minimum(), dialog.inactive_years.maximum()) == (1, 50)
    dialog.inactive_years.setValue(8)
    with qtbot.waitSignal(board.privacy_loaded, timeout=10_000):
        assert dialog.save()
    assert privacy_review.inactive_years(ctx.db.uow()) == 8
    assert _figure(board, "erasure") == "4 contacts inactive for 8 years"
    assert "Hugo Old" not in _names(board.erasure)
    assert MonitoringSettingsDialog(ctx).inactive_years.value() == 8


def test_an_empty_office_has_nothing_to_review(ctx: AppContext, qtbot: Any) -> None:
    page = DashboardPage(ctx, today=lambda: TODAY)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.privacy_loaded, timeout=10_000):
        page.refresh()
    assert _figure(page, "review_due") == "0 contacts due for review"
    assert not page.no_basis.table.isVisibleTo(page)
    assert page.no_basis.empty.text() == "Every contact has a legal basis."
