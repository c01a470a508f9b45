"""Visit packs in the window: File ▸ Take on a visit… writes a pack, the pack opened in a
window says what it is, File ▸ Merge visit pack… shows what it brings and the conflicts side by
side before writing, merges with the choices made, and Edit ▸ Undo takes the merge back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoStack

from citypartner_desktop.db.uow import Actor
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from citypartner_desktop.services.visit_packs.scope import Scope
from citypartner_desktop.ui.context import AppContext, ChangeBus
from citypartner_desktop.ui.dialogs.merge_pack_dialog import MergePackDialog
from citypartner_desktop.ui.dialogs.take_on_visit import TakeOnVisitDialog
from citypartner_desktop.ui.main_window import MainWindow

LAPTOP = Actor(user="anna@laptop", installation_id="00000000-0000-4000-8000-00000000000a")


def _office(ctx: AppContext) -> tuple[str, str]:
    krakow = records.create(ctx.db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    partnership = records.create(ctx.db.uow(), "partnership", {
        "title": "Nürnberg – Kraków", "kind": "twinning", "status": "active"}).id
    records.create(ctx.db.uow(), "membership", {"partnership_id": partnership,
                                                "city_id": krakow})
    records.create(ctx.db.uow(), "partnership", {"title": "Nürnberg – Lyon",
                                                 "kind": "twinning", "status": "active"})
    return krakow, partnership


def _write_pack(window: MainWindow, qtbot: Any, partnership: str, path: Path) -> None:
    job = window.packs.write_pack(Scope(partnerships=(partnership,)), path)
    assert job is not None
    qtbot.waitUntil(lambda: window.packs.job is None, timeout=20_000)
    assert path.exists()


def test_the_take_on_visit_dialog_offers_the_partnerships(qtbot: Any) -> None:
    dialog = TakeOnVisitDialog([("p1", "Nürnberg – Kraków"), ("p2", "Nürnberg – Lyon")],
                               {"p1"})
    qtbot.addWidget(dialog)
    assert dialog.chosen_ids() == ["p1"] and dialog.save_button.isEnabled()
    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)
    assert not dialog.save_button.isEnabled()  # nothing chosen: nothing to pack
    dialog.filter.setText("lyon")
    assert dialog.list.item(0).isHidden() and not dialog.list.item(1).isHidden()
    dialog.everything.setChecked(True)
    assert dialog.save_button.isEnabled() and dialog.scope().everything
    assert dialog.title() == "all"


def test_take_on_a_visit_offers_every_partnership_with_the_selected_one_ticked(
        window: MainWindow, ctx: AppContext, qtbot: Any, monkeypatch: Any) -> None:
    from PySide6.QtWidgets import QDialog

    _krakow, partnership = _office(ctx)
    for n in range(1_100):  # more than one page of the table
        records.create(ctx.db.uow(), "partnership", {"title": f"Zagreb network {n:04}",
                                                     "kind": "network", "status": "active"})
    window.show_page("partnership")
    page = window.current_page
    ctx.notify("partnership", [])  # added behind the page's back: it reads them now
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=10_000)
    row = next(r for r in range(page.model.rowCount())
               if page.model.data(page.model.index(r, 0)) == "Nürnberg – Kraków")
    page.table.selectRow(row)
    shown: list[TakeOnVisitDialog] = []

    def exec_(dialog: TakeOnVisitDialog) -> int:
        shown.append(dialog)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(TakeOnVisitDialog, "exec", exec_)
    window.packs.take_on_visit()
    [dialog] = shown
    assert dialog.list.count() == 1_102
    assert dialog.chosen_ids() == [partnership]


def test_a_pack_opened_in_a_window_says_what_it_is(window: MainWindow, ctx: AppContext,
                                                   qtbot: Any, tmp_path: Path) -> None:
    _krakow, partnership = _office(ctx)
    path = tmp_path / "visit.cpack"
    _write_pack(window, qtbot, partnership, path)
    pack = open_db(path, LAPTOP)
    settings = QSettings(str(tmp_path / "laptop.ini"), QSettings.Format.IniFormat)
    laptop = AppContext(db=pack, bus=ChangeBus(), undo=QUndoStack(), settings=settings)
    try:
        on_laptop = MainWindow(laptop)
        qtbot.addWidget(on_laptop)
        on_laptop.show()
        banner = on_laptop.packs.banner
        assert banner is not None and banner.isVisible()
        text = banner.widgetForAction(banner.actions()[0]).text()  # type: ignore[union-attr]
        assert text.startswith("Visit pack for Nürnberg – Kraków, made on ")
        assert window.packs.banner is None  # the office's own window has none
        on_laptop.close()
    finally:
        laptop.close_reader()
        pack.close()


def test_merge_shows_the_conflicts_then_merges_and_undo_takes_it_back(
        window: MainWindow, ctx: AppContext, qtbot: Any, tmp_path: Path) -> None:
    krakow, partnership = _office(ctx)
    path = tmp_path / "visit.cpack"
    _write_pack(window, qtbot, partnership, path)
    laptop = open_db(path, LAPTOP)
    try:
        records.update(laptop.uow(), "partnership", partnership,
                       {"aims": "Youth exchange", "lead_department": "Mayor's office"})
        records.create(laptop.uow(), "contact", {"full_name": "Piotr Nowak",
                                                 "city_id": krakow})
    finally:
        laptop.close()
    records.update(ctx.db.uow(), "partnership", partnership, {"aims": "Culture"})

    assert window.packs.analyse(path) is not None
    qtbot.waitUntil(lambda: window.packs.dialog is not None, timeout=20_000)
    dialog = window.packs.dialog
    assert isinstance(dialog, MergePackDialog) and dialog.isVisible()
    assert "1 new, 1 updated" in dialog.summary.text()
    assert "1 conflicts need a choice" in dialog.summary.text()
    assert dialog.table.rowCount() == 1
    cells = [dialog.table.item(0, c).text() for c in range(5)]
    assert cells[:3] == ["Partnership “Nürnberg – Kraków”", "Aims", "–"]
    # each side's value, with who changed it last and when
    assert cells[3].startswith(f"Culture\n— {ctx.db.actor.user}, ")  # on a server: its user
    assert cells[4].startswith("Youth exchange\n— anna@laptop, ")
    dialog.choose_all("pack")
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.packs.job is None and window.packs.last_result is not None,
                    timeout=20_000)
    values = records.get(ctx.db.uow(), "partnership", partnership).values
    assert (values["aims"], values["lead_department"]) == ("Youth exchange", "Mayor's office")
    assert ctx.undo.undoText() == "Merge visit pack “Nürnberg – Kraków”"

    ctx.undo.undo()
    values = records.get(ctx.db.uow(), "partnership", partnership).values
    assert (values["aims"], values["lead_department"]) == ("Culture", None)
    ctx.undo.redo()  # merged again, with the same choice
    assert records.get(ctx.db.uow(), "partnership", partnership).values["aims"] \
        == "Youth exchange"


def test_an_encrypted_pack_asks_for_its_passphrase_when_opened(
        ctx: AppContext, qtbot: Any, tmp_path: Path, monkeypatch: Any,
        _no_blocking_message_boxes: list[str]) -> None:
    from PySide6.QtWidgets import QInputDialog

    from citypartner_desktop.services.visit_packs.create import create
    from citypartner_desktop.ui.app import start_gui

    _krakow, partnership = _office(ctx)
    path = tmp_path / "visit.cpack"
    create(ctx.db, Scope(partnerships=(partnership,)), path, passphrase="Wawel 2027")
    asked: list[str] = []
    answers = iter([("guess", True), ("Wawel 2027", True)])

    def get_text(_parent: object, _title: str, label: str, *_a: object) -> tuple[str, bool]:
        asked.append(label)
        return next(answers)

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    started = start_gui(path)
    assert started is not None
    laptop, on_laptop = started
    qtbot.addWidget(on_laptop)
    try:
        assert asked[0] == "visit.cpack is an encrypted visit pack. Its passphrase:"
        assert asked[1].startswith("That passphrase does not open visit.cpack")
        assert on_laptop.packs.banner is not None
        assert laptop.db.passphrase == "Wawel 2027"
        on_laptop.show_page("partnership")
        page = on_laptop.current_page
        qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
        assert page.model.data(page.model.index(0, 0)) == "Nürnberg – Kraków"
    finally:
        on_laptop.close()
        laptop.close_db()


def test_cancelling_the_passphrase_opens_nothing(ctx: AppContext, tmp_path: Path,
                                                 monkeypatch: Any,
                                                 _no_blocking_message_boxes: list[str]
                                                 ) -> None:
    from PySide6.QtWidgets import QInputDialog

    from citypartner_desktop.services.visit_packs.create import create
    from citypartner_desktop.ui.app import start_gui

    _krakow, partnership = _office(ctx)
    path = tmp_path / "visit.cpack"
    create(ctx.db, Scope(partnerships=(partnership,)), path, passphrase="Wawel 2027")
    before = path.read_bytes()
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a: ("", False))
    assert start_gui(path) is None
    assert path.read_bytes() == before
