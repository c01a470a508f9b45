"""Take on a visit… and personal data: the "Leave out contacts' e-mail, phone and notes" box
reaches the pack written (its contacts without them, the pack saying it is minimal), and a
warning suggesting a passphrase is shown while contacts would travel unencrypted — kept
current as the options change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QFileDialog

from citypartner_desktop.db.uow import Actor
from citypartner_desktop.repositories import packs as packs_repo
from citypartner_desktop.services import records
from citypartner_desktop.services.database import open_db
from citypartner_desktop.services.visit_packs import minimal
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.dialogs.take_on_visit import TakeOnVisitDialog
from citypartner_desktop.ui.main_window import MainWindow

LAPTOP = Actor(user="anna@laptop", installation_id="00000000-0000-4000-8000-00000000000a")


def test_the_warning_follows_the_passphrase_and_the_box(qtbot: Any) -> None:
    dialog = TakeOnVisitDialog([("p1", "Nürnberg – Kraków")], {"p1"})
    qtbot.addWidget(dialog)
    dialog.show()
    warning = dialog.privacy_warning
    assert warning.isVisible() and "not encrypted" in warning.text()
    assert not dialog.scope().minimal_contacts
    dialog.minimal_contacts.setChecked(True)
    assert dialog.scope().minimal_contacts
    assert warning.isVisible() and "names" in warning.text()  # still personal data
    dialog.passphrase.setText("Wawel-Smok 2027")
    dialog.repeat.setText("Wawel-Smok 2027")
    assert not warning.isVisible() and dialog.secret() == "Wawel-Smok 2027"
    dialog.passphrase.clear()
    dialog.repeat.clear()
    assert warning.isVisible()


def test_no_warning_for_an_office_without_contacts(qtbot: Any) -> None:
    dialog = TakeOnVisitDialog([("p1", "Nürnberg – Kraków")], {"p1"}, holds_contacts=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.privacy_warning.isVisible()


def test_the_box_reaches_the_pack(window: MainWindow, ctx: AppContext, qtbot: Any,
                                  tmp_path: Path, monkeypatch: Any) -> None:
    krakow = records.create(ctx.db.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    partnership = records.create(ctx.db.uow(), "partnership", {
        "title": "Nürnberg – Kraków", "kind": "twinning", "status": "active"}).id
    records.create(ctx.db.uow(), "membership", {"partnership_id": partnership,
                                                "city_id": krakow})
    anna = records.create(ctx.db.uow(), "contact", {
        "full_name": "Anna Kowalska", "city_id": krakow, "email": "anna@krakow.example",
        "phone": "+48126161200", "notes": "Prefers tea"}).id
    target = tmp_path / "visit.cpack"
    shown: list[TakeOnVisitDialog] = []

    def exec_(dialog: TakeOnVisitDialog) -> int:
        shown.append(dialog)
        dialog.show()
        assert dialog.privacy_warning.isVisible()  # the office has contacts, no passphrase
        dialog.list.item(next(r for r in range(dialog.list.count())
                              if dialog.list.item(r).text() == "Nürnberg – Kraków")
                         ).setCheckState(Qt.CheckState.Checked)
        dialog.minimal_contacts.setChecked(True)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(TakeOnVisitDialog, "exec", exec_)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args, **_kw: (str(target), ""))
    window.packs.take_on_visit()
    assert len(shown) == 1
    qtbot.waitUntil(lambda: window.packs.job is None, timeout=20_000)
    assert target.exists()
    pack = open_db(target, LAPTOP)
    try:
        assert minimal.is_minimal(pack)
        with pack.uow() as uow:
            [row] = packs_repo.rows(uow.session, "contacts")
        assert row["id"] == anna and row["full_name"] == "Anna Kowalska"
        assert (row["email"], row["phone"], row["notes"]) == (None, None, None)
    finally:
        pack.close()
    assert b"anna@krakow.example" not in target.read_bytes()
