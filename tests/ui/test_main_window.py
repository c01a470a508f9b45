"""The main window as a user meets it: pages, search, status bar, delete/undo, memory."""

from __future__ import annotations

import hashlib
from typing import Any

from PySide6.QtWidgets import QMessageBox

from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.domain.specs import PAGE_KINDS
from citypartner_desktop.services import records
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.main_window import MainWindow
from citypartner_desktop.ui.pages.record_page import RecordPage
from tests.ui.helpers import seed


def _select(page: RecordPage, text: str) -> None:
    model = page.model
    for row in range(model.rowCount()):
        if model.data(model.index(row, 0)) == text:
            page.table.selectRow(row)
            return
    raise AssertionError(f"{text!r} not on the page")


def test_every_page_is_reachable(window: MainWindow) -> None:
    assert window.on_dashboard  # the home page, first in the sidebar
    assert not window.edit_action.isEnabled()  # Edit… has no selection to work on there
    for i, kind in enumerate(PAGE_KINDS, 1):
        window.sidebar.setCurrentRow(i)
        assert not window.on_dashboard and window.edit_action.isEnabled()
        assert window.current_page.kind == kind
        assert window.current_page.table.accessibleName()


def test_search_as_you_type_is_debounced(window: MainWindow, ctx: AppContext, qtbot: Any
                                         ) -> None:
    seed(ctx.db)
    ctx.notify("*")
    window.show_page("city")
    page = window.current_page
    assert page.model.rowCount() == 2
    with qtbot.waitSignal(page.model.modelReset, timeout=2000):
        qtbot.keyClicks(page.search, "krakow")
    assert page.model.rowCount() == 1
    assert window.count_label.text() == "Cities: 1 matching “krakow”"


def test_a_broad_search_shows_its_first_page_then_its_count(window: MainWindow,
                                                             ctx: AppContext, qtbot: Any,
                                                             monkeypatch: Any) -> None:
    """More matches than a page: the page comes first, the status bar says "200+" until the
    count (made on a worker) arrives."""
    from citypartner_desktop.ui import table_model
    from citypartner_desktop.ui.table_model import PAGE_SIZE

    monkeypatch.setattr(table_model, "COUNT_NOW_BELOW", PAGE_SIZE)  # a broad search here
    for i in range(PAGE_SIZE + 5):
        records.create(ctx.db.uow(), "city", {"name": f"Aachen {i:03}", "country": "DE"})
    ctx.notify("*")
    window.show_page("city")
    page = window.current_page
    said: list[str] = []
    page.status_changed.connect(said.append)
    with qtbot.waitSignal(page.model.count_settled, timeout=5000):
        qtbot.keyClicks(page.search, "aachen")
    assert said[-2:] == [f"Cities: {PAGE_SIZE}+ matching “aachen”",
                         f"Cities: {PAGE_SIZE + 5} matching “aachen”"]
    assert window.count_label.text() == said[-1]


def test_selecting_a_partnership_shows_related_records(window: MainWindow, ctx: AppContext
                                                       ) -> None:
    ids = seed(ctx.db)
    records.create(ctx.db.uow(), "membership", {"partnership_id": ids["partnership"],
                                                "city_id": ids["city"], "role": "partner"})
    ctx.notify("*")
    page = window.pages["partnership"]
    window.show_page("partnership")
    _select(page, "Nürnberg–Kraków")
    titles = [box.section.title for box in page.detail.sections]
    assert titles[:5] == ["Member cities", "Coordinators", "Goals", "Agreements", "Activities"]
    members = page.detail.sections[0].table.model()
    assert members.data(members.index(0, 0)) == "Kraków (PL)"
    assert "Nürnberg–Kraków" in page.detail.summary.text()


def test_city_detail_lists_contacts_and_partnerships(window: MainWindow, ctx: AppContext
                                                     ) -> None:
    ids = seed(ctx.db)
    records.create(ctx.db.uow(), "membership", {"partnership_id": ids["partnership"],
                                                "city_id": ids["city"], "role": "lead"})
    ctx.notify("*")
    page = window.pages["city"]
    _select(page, "Kraków")
    sections = {b.section.title: b.section for b in page.detail.sections}
    assert [r.values[0] for r in sections["Contacts"].rows] == ["Anna Nowak"]
    assert [r.values[0] for r in sections["Partnerships"].rows] == ["Nürnberg–Kraków"]


def test_delete_asks_then_undo_and_restore(window: MainWindow, ctx: AppContext,
                                           answer_yes: list[str]) -> None:
    ids = seed(ctx.db)
    ctx.notify("*")
    window.show_page("city")
    page = window.current_page
    _select(page, "Kraków")
    window.delete_action.trigger()
    assert "Kraków (PL)" in answer_yes[0] and "Undo" in answer_yes[0]
    assert "1 contacts" not in answer_yes[0]  # a contact's city is optional: not deleted
    assert page.model.rowCount() == 1
    window.undo_action.trigger()
    assert page.model.rowCount() == 2
    window.redo_action.trigger()
    assert page.model.rowCount() == 1
    page.show_deleted.setChecked(True)
    assert page.model.rowCount() == 1
    _select(page, "Kraków")
    window.restore_action.trigger()
    assert records.get(ctx.db.uow(), "city", ids["city"]).deleted_at is None


def test_declined_delete_changes_nothing(window: MainWindow, ctx: AppContext,
                                         monkeypatch: Any) -> None:
    seed(ctx.db)
    ctx.notify("*")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    window.show_page("partnership")
    _select(window.current_page, "Nürnberg–Kraków")
    window.delete_action.trigger()
    assert records.count(ctx.db.uow(), "partnership", ListQuery()) == 1
    assert not ctx.undo.canUndo()


def test_child_records_are_managed_in_the_detail_pane(window: MainWindow, ctx: AppContext,
                                                      qtbot: Any, monkeypatch: Any,
                                                      answer_yes: list[str]) -> None:
    ids = seed(ctx.db)
    ctx.notify("*")
    page = window.pages["partnership"]
    window.show_page("partnership")
    _select(page, "Nürnberg–Kraków")
    opened: list[Any] = []

    def fake_exec(dialog: Any) -> int:
        opened.append(dialog)
        dialog.editors["title"].edit.setText("Exchange 20 pupils a year")
        return int(dialog.save())

    from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog

    monkeypatch.setattr(RecordDialog, "exec", fake_exec)
    goals = next(b for b in page.detail.sections if b.section.kind == "goal")
    goals._add()
    dialog = opened[0]
    assert dialog.editors["partnership_id"].value() == ids["partnership"]
    assert dialog.editors["partnership_id"].edit.isReadOnly()
    goals = next(b for b in page.detail.sections if b.section.kind == "goal")
    assert goals.section.total == 2
    goals.table.selectRow(0)
    goals._remove()
    assert records.count(ctx.db.uow(), "goal", ListQuery()) == 1


def test_window_state_is_remembered(ctx: AppContext, qtbot: Any) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.show()
    first.show_page("activity")
    first.resize(700, 500)  # within the 800×600 offscreen screen, so nothing is clamped
    first.pages["city"].table.horizontalHeader().resizeSection(0, 333)
    first.close()
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert second.on_dashboard  # it always opens on the dashboard
    assert second.pages["city"].table.horizontalHeader().sectionSize(0) == 333
    assert second.size().width() == 700


def test_standard_shortcuts(window: MainWindow) -> None:
    from PySide6.QtGui import QKeySequence

    assert window.new_action.shortcut() == QKeySequence(QKeySequence.StandardKey.New)
    assert window.find_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    assert window.undo_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    assert window.delete_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Delete)
    assert window.sidebar.accessibleName()


def test_attach_save_and_remove_a_file(window: MainWindow, ctx: AppContext, tmp_path: Any,
                                       monkeypatch: Any, answer_yes: list[str]) -> None:
    from PySide6.QtWidgets import QFileDialog

    ids = seed(ctx.db)
    ctx.notify("*")
    source = tmp_path / "Umowa partnerska – Łódź.pdf"
    source.write_bytes(b"%PDF-1.4 signed charter \x00\xff")
    target = tmp_path / "copy.pdf"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: (str(source), ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    page = window.pages["agreement"]
    window.show_page("agreement")
    _select(page, "Twinning charter")
    box = next(b for b in page.detail.sections if b.section.kind == "attachment")
    box._add()
    box = next(b for b in page.detail.sections if b.section.kind == "attachment")
    assert box.table.model().data(box.table.model().index(0, 0)) == source.name
    assert box.table.model().data(box.table.model().index(0, 1)) == "application/pdf"
    box.table.selectRow(0)
    box._edit()
    assert target.read_bytes() == source.read_bytes()
    box._remove()
    assert records.count(ctx.db.uow(), "attachment", ListQuery()) == 0
    ctx.undo.undo()
    assert records.count(ctx.db.uow(), "attachment", ListQuery()) == 1
    # the undone removal brings back the same file, still attached to this agreement
    [row] = records.list_page(ctx.db.uow(), "attachment",
                              ListQuery(filters=(("owner_id", ids["agreement"]),)))
    restored = records.get(ctx.db.uow(), "attachment", row.id).values
    assert restored["owner_kind"] == "agreement"
    assert restored["file_name"] == source.name
    assert restored["sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    box = next(b for b in page.detail.sections if b.section.kind == "attachment")
    assert box.table.model().rowCount() == 1
    assert box.table.model().data(box.table.model().index(0, 0)) == source.name


def test_too_large_or_missing_attachment_is_refused(ctx: AppContext, tmp_path: Any) -> None:
    import pytest

    from citypartner_desktop.domain.errors import ValidationError
    from citypartner_desktop.services import attachments

    ids = seed(ctx.db)
    with pytest.raises(ValidationError, match="cannot be read"):
        attachments.attach(ctx.db.uow(), "agreement", ids["agreement"], tmp_path / "nope.pdf")
    assert records.count(ctx.db.uow(), "attachment", ListQuery()) == 0


def test_undo_that_no_longer_applies_is_explained(window: MainWindow, ctx: AppContext,
                                                   answer_yes: list[str],
                                                   monkeypatch: Any) -> None:
    """Delete a goal, then its partnership, restore the partnership alone: undoing the goal's
    deletion still works; undoing a deletion whose parent is gone is refused with a message."""
    ids = seed(ctx.db)
    ctx.notify("*")
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warnings.append(text))
    page = window.pages["partnership"]
    page.delete_record("goal", ids["goal"])
    records.delete(ctx.db.uow(), "partnership", ids["partnership"])  # elsewhere, not undoable
    window.undo_action.trigger()
    assert warnings and "cannot be undone" in warnings[0]
    assert "partnership does not exist" in warnings[0]
    assert records.count(ctx.db.uow(), "goal", ListQuery()) == 0


def test_attachment_section_speaks_of_files(window: MainWindow, ctx: AppContext) -> None:
    from PySide6.QtWidgets import QPushButton

    seed(ctx.db)
    ctx.notify("*")
    page = window.pages["agreement"]
    window.show_page("agreement")
    _select(page, "Twinning charter")
    box = next(b for b in page.detail.sections if b.section.kind == "attachment")
    labels = [b.text() for b in box.findChildren(QPushButton)]
    assert labels == ["Attach file…", "Save as…", "Remove"]


def test_a_new_record_is_selected_and_shown(window: MainWindow, ctx: AppContext, qtbot: Any,
                                            monkeypatch: Any) -> None:
    from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog

    seed(ctx.db)
    ctx.notify("*")

    def fake_exec(dialog: Any) -> int:
        dialog.editors["name"].edit.setText("Łódź")
        dialog.editors["country"].edit.setText("PL")
        return int(dialog.save())

    monkeypatch.setattr(RecordDialog, "exec", fake_exec)
    window.show_page("city")
    window.new_action.trigger()
    page = window.current_page
    assert page.model.data(page.table.currentIndex().siblingAtColumn(0)) == "Łódź"
    assert "Łódź" in page.detail.summary.text()
