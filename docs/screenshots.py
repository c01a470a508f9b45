"""Regenerate the README screenshots: `python docs/screenshots.py` (offscreen, small demo data)."""

from __future__ import annotations

import os
import sys
import tempfile
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
    db.close()


if __name__ == "__main__":
    main()
