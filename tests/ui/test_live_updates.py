"""Changes appear where the user is reading, without throwing their place away: the pages
update rows in place (selection and scroll position kept), on both engines; on an office
server a colleague's save — another program, another computer — appears within two seconds
through the change notices, and this desktop's own saves are not announced back to it."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QThreadPool

from citypartner_desktop.db import server
from citypartner_desktop.db.database import open_server
from citypartner_desktop.db.server_events import ChangeListener, parse
from citypartner_desktop.services import records
from citypartner_desktop.ui import app
from citypartner_desktop.ui.context import AppContext
from citypartner_desktop.ui.main_window import MainWindow
from citypartner_desktop.ui.table_model import PAGE_SIZE
from tests.conftest import TEST_ACTOR

CITIES = 450  # more than two pages: the view scrolls


def _cities(db: Any, n: int = CITIES) -> list[str]:
    return [records.create(db.uow(), "city", {"name": f"Town {i:03d}", "country": "PL"}).id
            for i in range(n)]


def _scrolled_to(window: MainWindow, qtbot: Any, row: int) -> Any:
    window.show_page("city")
    page = window.current_page
    qtbot.waitUntil(lambda: page.model.rowCount() == CITIES)
    page.table.selectRow(row)
    page.table.scrollTo(page.model.index(row, 0))
    return page


def test_an_edit_updates_its_row_in_place(window: MainWindow, ctx: AppContext,
                                          qtbot: Any) -> None:
    ids = _cities(ctx.db)
    page = _scrolled_to(window, qtbot, 300)
    scroll = page.table.verticalScrollBar().value()
    resets: list[bool] = []
    page.model.modelReset.connect(lambda: resets.append(True))
    changed: list[int] = []
    page.model.dataChanged.connect(lambda top, _b, *_r: changed.append(top.row()))
    records.update(ctx.db.uow(), "city", ids[300], {"region": "Lesser Poland"})
    ctx.notify("city", [ids[300]])
    assert resets == [] and changed == [300]
    assert "Lesser Poland" in [page.model.data(page.model.index(300, c))
                               for c in range(page.model.columnCount())]
    assert page.selected_id() == ids[300]
    assert page.table.verticalScrollBar().value() == scroll


def test_rows_added_and_gone_keep_the_selection_on_its_record(
        window: MainWindow, ctx: AppContext, qtbot: Any) -> None:
    ids = _cities(ctx.db)
    page = _scrolled_to(window, qtbot, 250)
    scroll = page.table.verticalScrollBar().value()
    resets: list[bool] = []
    page.model.modelReset.connect(lambda: resets.append(True))
    records.create(ctx.db.uow(), "city", {"name": "Town 000a", "country": "PL"})  # sorts 2nd
    records.delete(ctx.db.uow(), "city", ids[5])
    records.create(ctx.db.uow(), "city", {"name": "Aachen", "country": "DE"})  # sorts first
    ctx.notify("city")
    assert resets == [] and page.model.rowCount() == CITIES + 1
    assert page.selected_id() == ids[250]
    assert page.table.currentIndex().row() == 251  # two rows before it, one gone
    assert abs(page.table.verticalScrollBar().value() - scroll) <= 1
    assert page.model.data(page.model.index(0, 0)) == "Aachen"
    gone = page.model.row_of(ids[5])
    assert gone is None


def test_a_change_on_a_hidden_page_is_read_when_shown(window: MainWindow, ctx: AppContext,
                                                      qtbot: Any) -> None:
    ids = _cities(ctx.db, 3)
    window.show_page("city")
    page = window.current_page
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    window.show_page("dashboard")
    records.update(ctx.db.uow(), "city", ids[1], {"name": "Town 001 renamed"})
    ctx.notify("city", [ids[1]])
    window.show_page("city")
    assert page.model.data(page.model.index(1, 0)) == "Town 001 renamed"
    assert page.model.rowCount() == 3 and PAGE_SIZE > 3


def test_a_notice_names_its_table_and_rows_and_our_own_are_left_out() -> None:
    assert parse("CityPartner ab12|cities|x,y", "CityPartner cd34") == ("cities", ["x", "y"])
    assert parse("CityPartner ab12|activities|", "CityPartner cd34") == ("activities", [])
    assert parse("CityPartner ab12|cities|x", "CityPartner ab12") is None
    assert parse("someone else's notice", "CityPartner cd34") is None


def _colleague(address: str, code: str) -> None:
    """A colleague's save: another process (its own application name), as another desktop
    or `citypartner set` would make it."""
    script = ("from citypartner_desktop.db.database import open_server\n"
              "from citypartner_desktop.db.uow import Actor\n"
              "from citypartner_desktop.services import records\n"
              f"db = open_server({address!r}, Actor('anna@office-pc', 'colleague'))\n"
              f"{code}\n"
              "db.close()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_listener_hears_colleagues_not_itself(pg_address: str) -> None:
    db = open_server(pg_address, TEST_ACTOR)
    heard: list[tuple[str, list[str]]] = []
    arrived = threading.Event()

    def on_notice(table: str, ids: list[str]) -> None:
        heard.append((table, ids))
        arrived.set()

    listener = ChangeListener(db.engine, on_notice)
    listener.start()
    try:
        assert listener.listening.wait(10)
        own = records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"})
        _colleague(pg_address, "records.create(db.uow(), 'city', "
                               "{'name': 'Łódź', 'country': 'PL'})")
        assert arrived.wait(10)
        assert all(own.id not in ids for _table, ids in heard)
        assert heard[0][0] == "cities" and len(heard[0][1]) == 1
    finally:
        listener.stop()
        db.close()
    assert not listener.listening.is_set()


def test_a_bulk_change_is_a_few_notices_not_one_per_row(pg_address: str) -> None:
    db = open_server(pg_address, TEST_ACTOR)
    heard: list[tuple[str, list[str]]] = []
    listener = ChangeListener(db.engine, lambda t, i: heard.append((t, i)))
    listener.start()
    try:
        assert listener.listening.wait(10)
        _colleague(pg_address, "uow = db.uow()\n"
                               "with uow:\n"
                               "    for i in range(300):\n"
                               "        records.create_in(uow, 'city', "
                               "{'name': f'Town {i}', 'country': 'PL'})\n"
                               "    uow.commit()")
        import time

        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any(not ids for _t, ids in heard):
            time.sleep(0.1)
    finally:
        listener.stop()
        db.close()
    cities = [ids for table, ids in heard if table == "cities"]
    assert 1 <= len(cities) <= 52 and cities[-1] == []  # then "the table changed"


@pytest.mark.parametrize("change", ["update", "create"])
def test_a_colleagues_save_appears_in_the_open_window(pg_address: str, qtbot: Any,
                                                      change: str) -> None:
    db = open_server(pg_address, TEST_ACTOR)
    ids = _cities(db)
    db.close()
    opened = app.start_gui(pg_address)
    assert opened is not None
    ctx, window = opened
    qtbot.addWidget(window)
    try:
        assert window.live.listener is not None
        assert window.live.listener.listening.wait(10)
        page = _scrolled_to(window, qtbot, 300)
        scroll = page.table.verticalScrollBar().value()
        if change == "update":
            _colleague(pg_address, f"records.update(db.uow(), 'city', {ids[300]!r}, "
                                   "{'region': 'Lesser Poland'})")
            qtbot.waitUntil(lambda: "Lesser Poland" in [
                page.model.data(page.model.index(300, c))
                for c in range(page.model.columnCount())], timeout=2000)
        else:
            _colleague(pg_address, "records.create(db.uow(), 'city', "
                                   "{'name': 'Aachen', 'country': 'DE'})")
            qtbot.waitUntil(lambda: page.model.rowCount() == CITIES + 1, timeout=2000)
            assert page.model.data(page.model.index(0, 0)) == "Aachen"
        assert page.selected_id() == (ids[300])
        assert abs(page.table.verticalScrollBar().value() - scroll) <= 1
        assert page.table.currentIndex() != QModelIndex()
    finally:
        window.close()
        QThreadPool.globalInstance().waitForDone(10_000)
        ctx.close_db()
        app._open_contexts.remove(ctx)
    assert window.live.listener is None  # stopped with the window


def test_the_application_names_its_connections() -> None:
    assert server.connect_args()["application_name"] == server.APPLICATION_NAME
