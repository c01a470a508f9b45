"""*Save attachment* proposes the chosen folder and a safe base name, whatever was stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from citypartner_desktop.repositories import packs as packs_repo
from citypartner_desktop.services import attachments, records
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.main_window import MainWindow
from citypartner_desktop.ui.pages.record_page import RecordPage


@pytest.mark.parametrize("stored", ["../../outside.pdf", "C:\\Users\\x\\a.pdf", "..",
                                    "evil\u202efdp.exe"])
def test_the_proposed_path_stays_in_the_folder(window: MainWindow, ctx: AppContext,
                                               tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               stored: str) -> None:
    source = tmp_path / "in" / "minutes.pdf"
    source.parent.mkdir()
    source.write_bytes(b"%PDF-1.4 minutes")
    city = records.create(ctx.db.uow(), "city", {"name": "Łódź", "country": "PL"}).id
    attachment_id = attachments.attach(ctx.db.uow(), "city", city, source)
    # As an older version or a visit pack could have stored it.
    with ctx.db.uow() as uow:  # as an older version could have stored it
        packs_repo.update_row(uow.session, "attachments", attachment_id,
                              {"file_name": stored}, None)
        uow.commit()
    folder = tmp_path / "saved" / "here"
    folder.mkdir(parents=True)
    ctx.settings.setValue("folders/save", str(folder))
    proposed: list[str] = []

    def accept_as_proposed(_parent: object, _title: str, path: str, *_: object) -> tuple[str,
                                                                                          str]:
        proposed.append(path)
        return path, ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", accept_as_proposed)
    page = window.pages["city"]
    assert isinstance(page, RecordPage)
    page._save_attachment(attachment_id)
    [path] = proposed
    assert Path(path).parent == folder
    assert "\u202e" not in path and Path(path).name not in ("", ".", "..")
    assert [p.read_bytes() for p in folder.iterdir()] == [b"%PDF-1.4 minutes"]
    assert [p.name for p in (tmp_path / "saved").iterdir()] == ["here"]
