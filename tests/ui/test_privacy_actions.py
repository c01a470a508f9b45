"""Edit ▸ Everything we hold about this person… and Erase this person… on the contacts page:
the export writes the person's PDF in the background; the erasure asks first (Cancel changes
nothing), then erases and refreshes; both are off away from the contacts page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QDialog

from citypartner_desktop.services import erasure, records
from citypartner_desktop.ui import privacy_actions
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.main_window import MainWindow


class _Deferred:
    """Stands in for a job the window would start: the test starts it once it waits."""

    def __init__(self, job: Any) -> None:
        self.job = job

    def start(self) -> Any:
        return self.job


def _person(ctx: AppContext) -> str:
    city = records.create(ctx.db.uow(), "city", {"name": "Lyon", "country": "FR"}).id
    return records.create(ctx.db.uow(), "contact", {
        "full_name": "Claire Dubois", "email": "claire@lyon.example", "city_id": city}).id


def _on_contacts(window: MainWindow, qtbot: Any, contact_id: str) -> None:
    window.show_page("contact")
    page = window.current_page
    qtbot.waitUntil(lambda: page.select_record(contact_id), timeout=10_000)
    window.privacy.page_switched()


def test_the_actions_are_for_the_contacts_page(window: MainWindow, ctx: AppContext,
                                               qtbot: Any) -> None:
    contact_id = _person(ctx)
    window.show_page("city")
    assert not window.privacy.erase_action.isEnabled()
    assert not window.privacy.export_action.isEnabled()
    _on_contacts(window, qtbot, contact_id)
    assert window.privacy.erase_action.isEnabled()
    assert window.privacy.export_action.isEnabled()


def test_everything_we_hold_is_written_as_a_pdf(window: MainWindow, ctx: AppContext,
                                                qtbot: Any, tmp_path: Path) -> None:
    contact_id = _person(ctx)
    _on_contacts(window, qtbot, contact_id)
    target = tmp_path / "claire.pdf"
    job = window.privacy.export_job(contact_id, target, as_json=False)
    with qtbot.waitSignal(job.signals.succeeded, timeout=60_000):
        job.start()
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Claire Dubois" in text


@pytest.mark.parametrize("confirm", [False, True])
def test_erase_asks_first_and_then_erases(window: MainWindow, ctx: AppContext, qtbot: Any,
                                          monkeypatch: pytest.MonkeyPatch,
                                          confirm: bool) -> None:
    contact_id = _person(ctx)
    _on_contacts(window, qtbot, contact_id)
    asked: list[str] = []

    def answer(dialog: privacy_actions.EraseDialog) -> int:
        asked.append(dialog.findChild(privacy_actions.QLabel).text())
        dialog.reason_edit.setText("request by letter from Claire Dubois")
        return QDialog.DialogCode.Accepted if confirm else QDialog.DialogCode.Rejected

    monkeypatch.setattr(privacy_actions.EraseDialog, "exec", answer)
    built: list[Any] = []
    real_job = window.privacy.erase_job

    def job_of(*args: Any) -> Any:
        built.append(real_job(*args))
        return _Deferred(built[-1])

    monkeypatch.setattr(window.privacy, "erase_job", job_of)
    window.privacy.erase_selected()
    assert asked and "Claire Dubois" in asked[0] and "cannot be undone" in asked[0]
    if not confirm:
        assert not built
        assert records.get(ctx.db.uow(), "contact", contact_id).values["full_name"] \
            == "Claire Dubois"
        return
    [job] = built
    with qtbot.waitSignal(job.signals.succeeded, timeout=60_000):
        job.start()
    values = records.get(ctx.db.uow(), "contact", contact_id).values
    assert (values["full_name"], values["email"]) == ("Erased contact", None)
    assert erasure.register(ctx.db)[0].reason == "request by letter from [erased]"
