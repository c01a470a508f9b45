"""Edit ▸ Find duplicates…: list, choose values field by field, merge."""

from __future__ import annotations

from typing import Any

from citypartner_desktop.domain.errors import NotFoundError
from citypartner_desktop.services import records
from citypartner_desktop.services.backups import list_backups
from citypartner_desktop.ui.main_window import MainWindow


def test_find_and_merge_two_cities(window: MainWindow, qtbot: Any) -> None:
    uow = window.ctx.db.uow
    first = records.create(uow(), "city", {"name": "Krakow", "country": "PL",
                                           "population": 800_000}).id
    second = records.create(uow(), "city", {"name": "Kraków", "country": "PL",
                                            "timezone": "Europe/Warsaw"},
                            confirm_duplicate=True).id
    contact = records.create(uow(), "contact", {"full_name": "Jan", "city_id": second}).id
    window.interop.duplicates_action.trigger()
    dialog = window.interop.duplicates
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.searched, timeout=10_000):
        dialog.find_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5_000)
    assert {dialog.table.item(0, 1).text(), dialog.table.item(0, 2).text()} == {
        "Krakow (PL)", "Kraków (PL)"}
    merge = dialog.merge_selected()
    assert merge is not None
    keep_index = 0 if merge.records[0].id == first else 1
    merge.keep_group.button(keep_index).setChecked(True)  # keep "Krakow" …
    merge.choices["name"].button(1 - keep_index).setChecked(True)  # … named "Kraków"
    assert set(merge.choices) == {"name", "population", "timezone"}  # only what differs
    merge.merge_button.click()
    values = records.get(uow(), "city", first).values
    assert (values["name"], values["population"], values["timezone"]) == (
        "Kraków", 800_000, "Europe/Warsaw")
    assert records.get(uow(), "contact", contact).values["city_id"] == first
    try:
        records.get(uow(), "city", second)
        raise AssertionError("the other city should be deleted")
    except NotFoundError:
        pass
    if not window.ctx.db.is_server:  # a server's backups are IT's
        assert [b.reason for b in list_backups(window.ctx.db.path)] == ["before-merge"]
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=10_000)
