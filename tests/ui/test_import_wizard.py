"""File ▸ Import…: the wizard reads the file, maps columns, previews every row (refused ones
red, with reasons), and imports in the background — or cancels, changing nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from citypartner_desktop.repositories import bulk
from citypartner_desktop.ui import colours
from citypartner_desktop.ui.dialogs.import_wizard import ImportWizard
from citypartner_desktop.ui.main_window import MainWindow
from tests.ui.helpers import type_text

PAIRS = ("Home town;Land;Twin;Twin land;year\n"
         "Krakow;Poland;Lviv;Ukraine;1995\n"
         "Kraków;PL;Kyoto;Japan;\n"
         "Kraków;PL;Atlantis;Grecce;\n"
         "Kraków;PL;;Japan;\n")


def _counts(window: MainWindow) -> dict[str, int]:
    with window.ctx.db.uow() as uow:
        return bulk.row_counts(uow.session, ("cities", "partnerships", "memberships", "changes"))


def _to_preview(window: MainWindow, qtbot: Any, path: Path) -> ImportWizard:
    window.interop.import_action.trigger()
    wizard = window.interop.wizard
    assert wizard is not None
    qtbot.addWidget(wizard)
    type_text(wizard.file_page.path, str(path))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page, wizard.file_page.error.text()
    assert wizard.table is not None
    combos = dict(zip(wizard.table.headers, wizard.mapping_page.combos, strict=True))
    assert combos["year"].currentData() == "since_year"  # an alias, found by itself
    assert combos["Home town"].currentData() == "-"  # nothing known: the user maps it
    wizard.next()
    assert "no column for city_a" in wizard.mapping_page.error.text()
    for header, field in (("Home town", "city_a"), ("Land", "country_a"), ("Twin", "city_b"),
                          ("Twin land", "country_b")):
        combos[header].setCurrentIndex(combos[header].findData(field))
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    qtbot.waitUntil(lambda: wizard.preview_page.report is not None, timeout=30_000)
    return wizard


def test_preview_shows_refused_rows_and_imports_the_valid_ones(
        window: MainWindow, qtbot: Any, tmp_path: Path, _no_blocking_message_boxes: list[str],
        shared_gazetteer: Path) -> None:
    path = tmp_path / "twins.csv"
    path.write_text(PAIRS, encoding="utf-8")
    before = _counts(window)
    wizard = _to_preview(window, qtbot, path)
    page = wizard.preview_page
    assert "4 rows read: 2 to create, 0 already there, 2 refused" in page.summary.text()
    assert page.only_refused.isChecked()
    view = page.proxy
    assert view.rowCount() == 2
    reasons = [view.index(r, 3).data() for r in range(2)]
    assert reasons == ['column Twin land: "Grecce" is not a known country',
                       "column Twin: is required"]
    refused = view.index(0, 1).data(Qt.ItemDataRole.BackgroundRole)
    assert refused.color() == colours.refused_row().background
    assert not page.isComplete()  # refused rows: all-or-nothing until asked otherwise
    assert _counts(window) == before  # the preview wrote nothing
    page.only_refused.setChecked(False)
    assert view.rowCount() == 4
    page.valid_only.setChecked(True)
    assert page.isComplete()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result_report is not None, timeout=30_000)
    assert wizard.result_report is not None and wizard.result_report.committed
    after = _counts(window)
    assert after["partnerships"] == before["partnerships"] + 2
    assert after["cities"] == before["cities"] + 3  # Kraków, Lviv, Kyoto
    assert "Imported: 3 cities, 2 partnerships" in _no_blocking_message_boxes[-1]


def test_cancelled_import_changes_nothing(window: MainWindow, qtbot: Any, tmp_path: Path,
                                          _no_blocking_message_boxes: list[str],
                                          shared_gazetteer: Path) -> None:
    path = tmp_path / "twins.csv"
    path.write_text(PAIRS.rsplit("\n", 3)[0] + "\n", encoding="utf-8")  # the valid rows only
    before = _counts(window)
    wizard = _to_preview(window, qtbot, path)
    assert wizard.preview_page.isComplete()
    job = wizard.run(dry_run=False, on_done=lambda _r: None, on_progress=lambda *_a: None)
    job.cancel()
    with qtbot.waitSignal(job.signals.finished, timeout=30_000):
        job.start()
    assert _counts(window) == before
    assert _no_blocking_message_boxes == []  # a cancel is no error


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"), (bytes(range(256)) * 10, "is not a text file")])
def test_unreadable_file_is_explained_on_the_first_page(
        window: MainWindow, qtbot: Any, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    wizard = window.interop.open_wizard()
    qtbot.addWidget(wizard)
    type_text(wizard.file_page.path, str(path))
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert message in wizard.file_page.error.text()


def test_a_vcard_file_needs_contacts(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    path = tmp_path / "people.vcf"
    path.write_text("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Anna\r\nEND:VCARD\r\n", encoding="utf-8")
    wizard = window.interop.open_wizard()
    qtbot.addWidget(wizard)
    type_text(wizard.file_page.path, str(path))
    wizard.next()
    assert "is a vCard file: it holds contacts" in wizard.file_page.error.text()
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("contacts"))
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert [c.currentData() for c in wizard.mapping_page.combos][:1] == ["full_name"]


def test_startup_loads_no_import_or_export_machinery(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    from citypartner_desktop.services.database import open_db

    db = tmp_path / "office.db"
    open_db(db).close()
    heavy = ["openpyxl", "rapidfuzz", "citypartner_desktop.interop",
             "citypartner_desktop.services.imports", "citypartner_desktop.ui.dialogs.import_wizard"]
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from citypartner_desktop.ui.app import make_context\n"
        "from citypartner_desktop.ui.main_window import MainWindow\n"
        f"ctx = make_context(Path({str(db)!r}))\n"
        "window = MainWindow(ctx)\n"
        "window.show()\n"
        "app.processEvents()\n"
        "print(window.interop.import_action.text(), window.interop.import_action.isEnabled())\n"
        f"print([m for m in {heavy!r} if m in sys.modules])\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-2:] == ["&Import… True", "[]"]


def test_an_outlook_address_book_keeps_every_detail_through_the_wizard(
        window: MainWindow, qtbot: Any, _no_blocking_message_boxes: list[str],
        shared_gazetteer: Path) -> None:
    """Outlook's many e-mail, phone and address columns are shown as what they are (not
    "ignore"), and the contacts keep them all; what the file holds that no field reads is
    named on the preview."""
    from citypartner_desktop.domain import contact_details
    from citypartner_desktop.domain.records import ListQuery
    from citypartner_desktop.services import records

    path = Path(__file__).resolve().parents[1] / "data" / "corpus" / "contacts" / "outlook_en.csv"
    window.interop.import_action.trigger()
    wizard = window.interop.wizard
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("contacts"))
    type_text(wizard.file_page.path, str(path))
    wizard.next()
    assert wizard.table is not None
    combos = dict(zip(wizard.table.headers, wizard.mapping_page.combos, strict=True))
    assert combos["Mobile Phone"].currentText() == "Phone (mobile)"
    assert combos["Business City"].currentText() == "Address (work)"
    assert combos["E-mail Address"].currentData() == "email"
    wizard.next()
    page = wizard.preview_page
    qtbot.waitUntil(lambda: page.report is not None, timeout=30_000)
    assert "3 rows read: 3 to create" in page.summary.text()
    assert "Not kept (no field reads them): Suffix, Account, Anniversary" in page.notes.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: wizard.result_report is not None, timeout=30_000)
    found = records.list_page(window.ctx.db.uow(), "contact", ListQuery(search="Wójcik"))
    details = contact_details.parse(
        records.get(window.ctx.db.uow(), "contact", found[0].id).values["details"])
    assert [(d.kind, d.label) for d in details] == [
        ("email", ""), ("email", ""), ("phone", "fax"), ("phone", "work"), ("phone", "mobile"),
        ("address", "work"), ("web", "")]
