"""Regenerate the README screenshots: `python docs/screenshots.py` (offscreen, small demo data)."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))

from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtGui import QUndoStack  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from citypartner_desktop.services.database import open_db  # noqa: E402
from citypartner_desktop.services.demo import load_demo  # noqa: E402
from citypartner_desktop.ui.context import AppContext, ChangeBus  # noqa: E402


def main() -> None:
    app = QApplication([])
    app.setStyle("Fusion")
    folder = Path(tempfile.mkdtemp())
    db = open_db(folder / "demo-office.db")
    load_demo(db, "small", 1)
    settings = QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)
    ctx = AppContext(db=db, bus=ChangeBus(), undo=QUndoStack(), settings=settings)
    from citypartner_desktop.ui.main_window import MainWindow

    window = MainWindow(ctx)
    window.resize(1400, 820)
    window.show()
    page = window.pages["partnership"]
    window.show_page("partnership")
    model = page.model
    row = next(r for r in range(model.rowCount()) if "Kraków" in model.data(model.index(r, 0)))
    page.table.selectRow(row)
    app.processEvents()
    window.grab().save(str(DOCS / "main-window.png"))
    body = page.detail.widget()
    body.grab().save(str(DOCS / "partnership-detail.png"))  # every section, not just the view

    from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog

    dialog = RecordDialog(ctx, "contact")
    dialog.show()
    dialog.editors["full_name"].set_value("Олена Шевченко")
    dialog.editors["email"].set_value("olena@kyiv")
    dialog.editors["phone"].set_value("044 123")
    dialog.save()
    app.processEvents()
    dialog.grab().save(str(DOCS / "dialog-validation.png"))
    dialog.done(0)
    safety_screenshots(app, ctx, window)
    import_screenshot(app, ctx, folder)
    duplicates_screenshot(app, ctx)
    monitoring_screenshots(app, ctx, window)
    office_server_screenshots(app, ctx)
    visit_pack_screenshots(app, ctx, folder)
    privacy_screenshots(app, ctx, window, folder)
    address_book_screenshots(app, ctx, window)
    db.close()
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone()  # no background job left running at exit


def safety_screenshots(app: QApplication, ctx: AppContext, window: object) -> None:
    """The restore dialog (backups of several kinds, one unusable) and a record's History."""
    from datetime import UTC, datetime, timedelta

    from citypartner_desktop.domain.records import ListQuery
    from citypartner_desktop.services import backups, records
    from citypartner_desktop.ui.dialogs.history_dialog import HistoryDialog
    from citypartner_desktop.ui.dialogs.restore_dialog import RestoreDialog
    from citypartner_desktop.ui.workers import run_and_wait

    path = ctx.db.path
    now = datetime.now(UTC).replace(minute=5, second=0)
    backups.make_backup(path, "before-upgrade-0002_fts_search", now=now - timedelta(days=40))
    for days in (9, 2, 1):
        backups.make_backup(path, "auto", now=now - timedelta(days=days, hours=3))
    backups.make_backup(path, "before-import", now=now - timedelta(hours=5))
    partnership = records.list_page(ctx.db.uow(), "partnership",
                                    ListQuery(search="Kraków", limit=1))[0].id
    records.update(ctx.db.uow(), "partnership", partnership, {"status": "dormant"})
    records.update(ctx.db.uow(), "partnership", partnership,
                   {"status": "active", "aims": "Youth exchanges every summer; joint climate "
                                                "plan for both city centres"})
    backups.backup_now(path)
    broken = backups.make_backup(path, "auto", now=now - timedelta(days=3))
    broken.write_bytes(broken.read_bytes()[:200_000])  # a copy cut short, as a disk may leave it

    dialog = RestoreDialog(path)
    dialog.show()
    run_and_wait(lambda: None)  # let the backup list arrive
    while dialog.table.rowCount() == 0:
        app.processEvents()
    app.processEvents()
    dialog.grab().save(str(DOCS / "restore-dialog.png"))
    dialog.done(0)

    history = HistoryDialog(ctx, "partnership", partnership)
    history.show()
    app.processEvents()
    history.grab().save(str(DOCS / "history.png"))
    history.done(0)


# Rows from the real Wikipedia twin-town list, with its mess, plus two typing mistakes.
IMPORT_SAMPLE = """city1,country1,city2,country2
Kraków,Poland,Bratislava,Slovakia
Kraków,Poland,Edinburgh,"Scotland, United Kingdom"
Edinburgh,Scotland,Kraków,Poland
Krakow,Poland,Kyiv,Ukraine
Nowa Huta (Kraków),Poland,Dimitrovgrad,Bulgaria
Kraków,Poland,Kalamata,Grece
Kraków,Poland,Tbilisi,Georgia (country)
Kraków,Poland,Kraków,Poland
Kraków,Poland,Solothurn,
Kraków,Poland,Quito,Ecuador
"""


def _wait_until(app: QApplication, done: Callable[[], bool]) -> None:
    """Let background jobs finish while the GUI runs (a pause between rounds: spinning on
    processEvents for seconds trips a reference-count bug of PySide6 on Python 3.11)."""
    import time

    while not done():
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()


def import_screenshot(app: QApplication, ctx: AppContext, folder: Path) -> None:
    """The import wizard's preview: created, matched and refused rows, with the reasons."""
    from citypartner_desktop.ui.dialogs.import_wizard import ImportWizard

    path = folder / "twin-towns.csv"
    path.write_text(IMPORT_SAMPLE, encoding="utf-8")
    wizard = ImportWizard(ctx)
    wizard.resize(1000, 560)
    wizard.show()
    wizard.file_page.path.setText(str(path))
    wizard.next()
    wizard.next()
    _wait_until(app, lambda: wizard.preview_page.report is not None)
    wizard.preview_page.only_refused.setChecked(False)
    app.processEvents()
    wizard.grab().save(str(DOCS / "import-preview.png"))
    wizard.done(0)


def duplicates_screenshot(app: QApplication, ctx: AppContext) -> None:
    """Edit ▸ Find duplicates… with a few slips typed into the demo office, and the merge."""
    from citypartner_desktop.services import records
    from citypartner_desktop.ui.dialogs.duplicates_dialog import DuplicatesDialog

    for name, country in (("Krakow", "PL"), ("Nurnberg", "DE"), ("Lyon ", "FR")):
        records.create(ctx.db.uow(), "city", {"name": name, "country": country,
                                              "notes": "typed in a hurry"},
                       confirm_duplicate=True)
    dialog = DuplicatesDialog(ctx)
    dialog.resize(900, 300)
    dialog.show()
    dialog.search()
    _wait_until(app, lambda: bool(dialog.pairs))
    dialog.grab().save(str(DOCS / "duplicates.png"))
    merge = dialog.merge_selected()
    if merge is not None:
        app.processEvents()
        merge.grab().save(str(DOCS / "merge.png"))
        merge.done(0)
    dialog.done(0)
def _wait(app: QApplication, done: object) -> None:
    import time

    started = time.time()
    while not done() and time.time() - started < 60:  # type: ignore[operator]
        app.processEvents()
        time.sleep(0.01)
    for _ in range(10):
        app.processEvents()


def monitoring_screenshots(app: QApplication, ctx: AppContext, window: object) -> None:
    """The dashboard (whole page, charts included), the evaluation editor and the comparison
    of a partnership's two latest evaluations."""
    from citypartner_desktop.services import evaluations
    from citypartner_desktop.ui.dialogs.evaluation_compare import show_comparison
    from citypartner_desktop.ui.dialogs.evaluation_editor import EvaluationEditor

    window.resize(1400, 900)  # type: ignore[attr-defined]
    window.show_page("dashboard")  # type: ignore[attr-defined]
    page = window.dashboard  # type: ignore[attr-defined]
    page.refresh()
    _wait(app, lambda: page.charts is not None and page._job is None)
    window.grab().save(str(DOCS / "dashboard.png"))  # type: ignore[attr-defined]
    page.scroll_area.widget().grab().save(str(DOCS / "dashboard-full.png"))

    from datetime import date

    from citypartner_desktop.services import reminders
    from citypartner_desktop.ui.dialogs.reminders_dialog import RemindersDialog

    due = reminders.due_reminders(ctx.db.uow(), date.today())
    reminder_window = RemindersDialog(ctx, due, date.today())
    reminder_window.show()
    app.processEvents()
    reminder_window.grab().save(str(DOCS / "reminders.png"))
    reminder_window.done(0)

    partnership = next(
        p.partnership_id for p in page.board.needs_review + page.board.evaluations_due)
    candidates = [p.id for p in page.board.active]
    pair: list[tuple[str, str]] = []
    for pid in [partnership, *candidates]:
        pair = evaluations.evaluations_of(ctx.db.uow(), pid)
        if len(pair) >= 2:
            break
    newest, previous = pair[0][0], pair[1][0]
    editor = EvaluationEditor(ctx, newest, parent=None)
    editor.show()
    app.processEvents()
    for index, name in ((1, "evaluation-editor"), (2, "evaluation-health"),
                        (3, "evaluation-kpis")):
        editor.tabs.setCurrentIndex(index)
        app.processEvents()
        editor.grab().save(str(DOCS / f"{name}.png"))
    compare = show_comparison(ctx, newest, previous, editor)
    assert compare is not None
    app.processEvents()
    compare.grab().save(str(DOCS / "evaluation-compare.png"))
    compare.done(0)
    editor.done(0)


def office_server_screenshots(app: QApplication, ctx: AppContext) -> None:
    """File ▸ Connect to office server…, and the conflict dialog of an edit a colleague
    overtook (the colleague is a second unit of work with another name)."""
    import dataclasses

    from citypartner_desktop.db.uow import Actor
    from citypartner_desktop.services import records
    from citypartner_desktop.ui.dialogs.city_dialog import open_record_dialog
    from citypartner_desktop.ui.dialogs.server_dialog import ServerDialog

    connect = ServerDialog(["postgresql://anna@db.cityhall.local:5432/citypartner"
                            "?sslmode=require",
                            "postgresql://anna@192.168.10.4:5432/partners"])
    connect.show()
    app.processEvents()
    connect.grab().save(str(DOCS / "connect-server.png"))
    connect.done(0)
    city = records.list_page(ctx.db.uow(), "city", records.ListQuery(search="Kraków"))[0].id
    dialog = open_record_dialog(ctx, "city", city)
    dialog.show()
    colleague = dataclasses.replace(ctx.db, actor=Actor("anna@office-pc", "colleague"))
    records.update(colleague.uow(), "city", city, {"region": "Lesser Poland",
                                                   "population": "804237",
                                                   "notes": "Charter renewed in 2024"})
    app.processEvents()
    dialog.editors["region"].set_value("Małopolska")
    dialog.editors["population"].set_value("800000")
    dialog.save()
    app.processEvents()
    conflict = dialog.conflict_dialog
    assert conflict is not None
    conflict.grab().save(str(DOCS / "conflict.png"))
    conflict.reject()
    dialog.done(0)


def visit_pack_screenshots(app: QApplication, ctx: AppContext, folder: Path) -> None:
    """A visit pack of the Kraków partnership opened on the laptop (its banner), and the merge
    dialog after the visit changed what the office changed too."""
    from citypartner_desktop.db.uow import Actor
    from citypartner_desktop.services import records
    from citypartner_desktop.services.visit_packs.create import create
    from citypartner_desktop.services.visit_packs.merge import analyse, open_pack
    from citypartner_desktop.services.visit_packs.scope import Scope
    from citypartner_desktop.ui.dialogs.merge_pack_dialog import MergePackDialog
    from citypartner_desktop.ui.main_window import MainWindow

    rows = records.list_page(ctx.db.uow(), "partnership", records.ListQuery(search="Kraków"))
    partnership = rows[0].id
    path = folder / "visit-krakow.cpack"
    create(ctx.db, Scope(partnerships=(partnership,)), path)
    laptop = open_db(path, Actor("anna@laptop", "laptop"))
    current = records.get(laptop.uow(), "partnership", partnership).values
    records.update(laptop.uow(), "partnership", partnership, {
        "aims": "Youth exchange every summer; a joint climate plan by 2028",
        "lead_department": "Mayor's office"})
    records.create(laptop.uow(), "activity", {
        "partnership_id": partnership, "kind": "meeting", "title": "Youth camp planning",
        "start_date": "2026-12-03", "summary": "Agreed dates and a budget of 12,000 EUR."})
    settings = QSettings(str(folder / "laptop.ini"), QSettings.Format.IniFormat)
    on_laptop = AppContext(db=laptop, bus=ChangeBus(), undo=QUndoStack(), settings=settings)
    window = MainWindow(on_laptop)
    window.resize(1400, 820)
    window.show()
    window.show_page("partnership")
    app.processEvents()
    window.grab().save(str(DOCS / "visit-pack-window.png"))
    window.close()
    on_laptop.close_reader()
    laptop.close()
    records.update(ctx.db.uow(), "partnership", partnership, {
        "aims": f"{current.get('aims') or ''} Culture first.".strip()})
    pack = open_pack(path)
    try:
        analysis = analyse(ctx.db, pack)
    finally:
        pack.close()
    dialog = MergePackDialog(analysis)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(DOCS / "merge-pack.png"))
    dialog.done(0)


def privacy_screenshots(app: QApplication, ctx: AppContext, window: object,
                        folder: Path) -> None:
    """A contact's data-protection facts in the detail pane, the erasure's confirmation, and
    the first page of a subject access PDF (with poppler's pdftoppm, where installed)."""
    import shutil
    import subprocess

    from citypartner_desktop.reports.subject_access import write_pdf
    from citypartner_desktop.services import records, subject_access
    from citypartner_desktop.ui.privacy_actions import EraseDialog

    rows = records.list_page(ctx.db.uow(), "contact", records.ListQuery(search="Szyma"))
    contact = rows[0]
    window.show_page("contact")  # type: ignore[attr-defined]
    page = window.pages["contact"]  # type: ignore[attr-defined]
    _wait_until(app, lambda: page.select_record(contact.id))
    app.processEvents()
    page.detail.widget().grab().save(str(DOCS / "contact-data-protection.png"))
    dialog = EraseDialog(str(contact.values[0]), window)  # type: ignore[arg-type]
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(DOCS / "erase-dialog.png"))
    dialog.done(0)
    pdf = write_pdf(subject_access.gather(ctx.db.uow(), contact.id),
                    folder / "subject-access.pdf")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(DOCS / "report-subject-access")], check=True)


def address_book_screenshots(app: QApplication, ctx: AppContext, window: object) -> None:
    """An Outlook address book in the import wizard (its many columns read as what they are,
    what is not kept named), then one of its contacts with every e-mail, phone and address:
    the detail pane and the contact dialog's table of details."""
    from citypartner_desktop.services import records
    from citypartner_desktop.ui.dialogs.import_wizard import ImportWizard
    from citypartner_desktop.ui.dialogs.record_dialog import RecordDialog

    corpus = Path(__file__).resolve().parents[1] / "tests" / "data" / "corpus" / "contacts"
    wizard = ImportWizard(ctx)
    wizard.resize(1000, 600)
    wizard.show()
    wizard.file_page.kind.setCurrentIndex(wizard.file_page.kind.findData("contacts"))
    wizard.file_page.path.setText(str(corpus / "outlook_en.csv"))
    wizard.next()
    grid = wizard.mapping_page.grid
    headers = wizard.table.headers if wizard.table else ()
    grid.scrollToItem(grid.item(headers.index("Business Street"), 0))
    app.processEvents()
    wizard.grab().save(str(DOCS / "import-address-book-columns.png"))
    wizard.next()
    _wait_until(app, lambda: wizard.preview_page.report is not None)
    app.processEvents()
    wizard.grab().save(str(DOCS / "import-address-book.png"))
    from PySide6.QtWidgets import QMessageBox

    shown = QMessageBox.information
    QMessageBox.information = lambda *_a, **_k: QMessageBox.StandardButton.Ok  # type: ignore
    try:
        wizard.accept()
        _wait_until(app, lambda: wizard.result_report is not None)
    finally:
        QMessageBox.information = shown  # type: ignore[method-assign]
    contact = records.list_page(ctx.db.uow(), "contact", records.ListQuery(search="Wójcik"))[0]
    window.show_page("contact")  # type: ignore[attr-defined]
    page = window.pages["contact"]  # type: ignore[attr-defined]
    _wait_until(app, lambda: page.select_record(contact.id))
    app.processEvents()
    page.detail.widget().grab().save(str(DOCS / "contact-details.png"))
    dialog = RecordDialog(ctx, "contact", contact.id)
    dialog.resize(760, 900)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(DOCS / "contact-details-dialog.png"))
    dialog.done(0)


if __name__ == "__main__":
    main()
