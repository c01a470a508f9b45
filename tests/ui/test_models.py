"""Every table model through Qt's own QAbstractItemModelTester (pytest-qt's qtmodeltester);
paging stays bounded.

pytest-qt's pure-Python port of the tester (``force_py=True``) makes PySide6 6.12 abort at
interpreter exit ("bool_dealloc"), which would fail CI after a green run, so the C++ tester
is used; it reports violations as Qt warnings, which fail the test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.specs import PAGE_KINDS
from citypartner_desktop.services import demo, records, related
from citypartner_desktop.services.database import open_db
from citypartner_desktop.ui import table_model
from citypartner_desktop.ui.context import AppContext, ChangeBus
from citypartner_desktop.ui.rows_model import RowsModel
from citypartner_desktop.ui.table_model import (
    ID_ROLE,
    MAX_CACHED_PAGES,
    PAGE_SIZE,
    PagedRecordModel,
)
from tests.conftest import TEST_ACTOR
from tests.ui.helpers import seed


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_paged_model_passes_model_tester(ctx: AppContext, qtmodeltester: Any, kind: str) -> None:
    seed(ctx.db)
    model = PagedRecordModel(ctx, kind)
    qtmodeltester.check(model)
    model.set_search("a")
    qtmodeltester.check(model)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The large demo's code path, scaled down: 8,000 activities, 4,000 contacts."""
    from datetime import date

    from tests.services.test_demo import SCALED_LARGE

    database = open_db(tmp_path_factory.mktemp("generated") / "large.db", TEST_ACTOR)
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(demo._SIZES, "large", SCALED_LARGE)
        demo.load_demo(database, "large", seed=2, today=date(2026, 11, 28))
    yield database
    database.close()


@pytest.mark.parametrize("kind", ["activity", "contact", "city"])
def test_paged_model_passes_model_tester_on_generated_large_data(
        generated: Database, qapp: Any, qtmodeltester: Any, tmp_path: Path, kind: str) -> None:
    """Tens of pages, more than the cache holds: checked unsorted, sorted by a joined column
    from the far end, and searched."""
    from PySide6.QtCore import QSettings, Qt
    from PySide6.QtGui import QUndoStack

    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    context = AppContext(db=generated, bus=ChangeBus(), undo=QUndoStack(), settings=settings)
    try:
        model = PagedRecordModel(context, kind)
        assert model.rowCount() > MAX_CACHED_PAGES * PAGE_SIZE or kind == "city"
        qtmodeltester.check(model)
        for row in range(0, model.rowCount(), PAGE_SIZE):  # walk every page: the cache stays
            model.data(model.index(row, 0))                # bounded and rows stay consistent
        assert model.cached_pages() <= MAX_CACHED_PAGES
        model.sort(len(model.columns) - 1, Qt.SortOrder.DescendingOrder)
        model.data(model.index(model.rowCount() - 1, 0))
        qtmodeltester.check(model)
        model.set_search("a")
        qtmodeltester.check(model)
        model.wait_for_count()  # the other matches arrive as inserted rows, checked too
        qtmodeltester.check(model)
    finally:
        context.close_reader()


@pytest.fixture
def large_context(generated: Database, qapp: Any, tmp_path: Path) -> Iterator[AppContext]:
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QUndoStack

    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    context = AppContext(db=generated, bus=ChangeBus(), undo=QUndoStack(), settings=settings)
    yield context
    context.close_reader()


def test_a_search_with_a_few_thousand_matches_is_counted_at_once(
        large_context: AppContext) -> None:
    from citypartner_desktop.domain.records import ListQuery

    model = PagedRecordModel(large_context, "activity")
    expected = records.count(large_context.db.uow(), "activity", ListQuery(search="w"))
    assert PAGE_SIZE < expected < table_model.COUNT_NOW_BELOW
    model.set_search("w")
    assert model.rowCount() == expected
    assert not model.counting


def test_a_broad_search_shows_its_first_page_then_counts_on_a_worker(
        large_context: AppContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full first page is shown before any count (no count statement on the window's
    connection); the count arrives from a worker as inserted rows."""
    from citypartner_desktop.domain.records import ListQuery

    monkeypatch.setattr(table_model, "COUNT_NOW_BELOW", PAGE_SIZE)  # "w" is broad here
    model = PagedRecordModel(large_context, "activity")
    expected = records.count(large_context.db.uow(), "activity", ListQuery(search="w"))
    assert expected > PAGE_SIZE
    statements: list[str] = []
    large_context.reader.trace(statements.append)
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, first, last: inserted.append((first, last)))
    with qtbot.waitSignal(model.count_settled, timeout=5000):
        model.set_search("w")
        assert model.rowCount() == PAGE_SIZE
        assert model.counting
        assert not any("count(*)" in s and "LIMIT" not in s for s in statements)
    large_context.reader.trace(None)
    assert not model.counting
    assert model.rowCount() == expected
    assert inserted == [(PAGE_SIZE, expected - 1)]
    assert model.data(model.index(expected - 1, 0))  # the last match is there to be read


def test_a_narrow_search_is_counted_by_its_page(large_context: AppContext) -> None:
    from citypartner_desktop.domain.records import ListQuery

    model = PagedRecordModel(large_context, "contact")
    first = records.list_page(large_context.db.uow(), "contact", ListQuery(limit=1))[0]
    name = str(first.values[0])
    expected = records.count(large_context.db.uow(), "contact", ListQuery(search=name))
    assert 0 < expected < PAGE_SIZE
    model.set_search(name)
    assert model.rowCount() == expected
    assert not model.counting


def test_a_count_overtaken_by_the_next_search_is_dropped(
        large_context: AppContext, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from citypartner_desktop.domain.records import ListQuery

    monkeypatch.setattr(table_model, "COUNT_NOW_BELOW", PAGE_SIZE)
    model = PagedRecordModel(large_context, "activity")
    settled: list[int] = []
    model.count_settled.connect(lambda: settled.append(model.rowCount()))
    model.set_search("w")
    model.rowCount()  # asks for the count of "w"
    model.set_search("a")
    with qtbot.waitSignal(model.count_settled, timeout=5000):
        model.rowCount()
    qtbot.wait(50)  # a late result for "w" would land here
    expected = records.count(large_context.db.uow(), "activity", ListQuery(search="a"))
    assert settled == [expected]
    assert model.rowCount() == expected


def test_a_failed_count_is_reported_and_keeps_the_page(large_context: AppContext,
                                                       qtbot: Any,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from citypartner_desktop.domain.errors import CityPartnerError
    from citypartner_desktop.services import pages

    def broken(*_args: Any) -> int:
        raise CityPartnerError("the disk went away")

    monkeypatch.setattr(pages, "count_in", broken)
    monkeypatch.setattr(table_model, "COUNT_NOW_BELOW", PAGE_SIZE)
    model = PagedRecordModel(large_context, "activity")
    with qtbot.waitSignal(model.count_settled, timeout=5000):
        model.set_search("w")
        model.rowCount()
    assert model.error == "the disk went away"
    assert model.rowCount() == PAGE_SIZE
    assert not model.counting


def test_paged_model_sorts_searches_and_pages_in_sql(ctx: AppContext) -> None:
    rows = [{"name": f"Town {i:04d}", "country": "FR", "population": i} for i in range(650)]
    for values in rows:
        records.create(ctx.db.uow(), "city", values)
    model = PagedRecordModel(ctx, "city")
    assert model.rowCount() == 650
    assert model.cached_pages() == 0  # nothing fetched until a row is shown
    last = model.index(649, 0)
    assert model.data(last) == "Town 0649"
    assert model.cached_pages() == 1  # only the page holding the last row
    population = [c.name for c in model.columns].index("population")
    from PySide6.QtCore import Qt

    model.sort(population, Qt.SortOrder.DescendingOrder)
    assert model.data(model.index(0, 0)) == "Town 0649"
    model.set_search("town 0123")
    assert model.rowCount() == 1
    for row in range(0, 650, PAGE_SIZE // 2):
        model.set_search("")
        model.data(model.index(row, 0))
    assert model.cached_pages() <= MAX_CACHED_PAGES
    assert isinstance(model.data(model.index(0, 0), ID_ROLE), str)


def test_related_rows_model_passes_model_tester(ctx: AppContext, qtmodeltester: Any) -> None:
    ids = seed(ctx.db)
    records.create(ctx.db.uow(), "membership", {"partnership_id": ids["partnership"],
                                                "city_id": ids["city"], "role": "partner"})
    for section in related.related(ctx.db.uow(), "partnership", ids["partnership"]):
        qtmodeltester.check(RowsModel(section))


def test_pages_from_the_far_end_are_read_in_reverse_and_agree(ctx: AppContext) -> None:
    """The second half of the table is fetched from the other end; rows must line up."""
    for i in range(450):
        records.create(ctx.db.uow(), "city", {"name": f"Ville {i:03d}", "country": "BE"})
    model = PagedRecordModel(ctx, "city")
    names = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert names == [f"Ville {i:03d}" for i in range(450)]


def test_painting_and_scrolling_a_cached_page_issues_no_sql(ctx: AppContext, qtbot: Any
                                                            ) -> None:
    from PySide6.QtWidgets import QTableView
    from sqlalchemy import event

    for i in range(150):
        records.create(ctx.db.uow(), "contact", {"full_name": f"Person {i:03d}"})
    model = PagedRecordModel(ctx, "contact")
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(800, 400)
    view.show()
    view.viewport().grab()  # first paint: counts and fetches the page
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(ctx.db.engine, "before_cursor_execute", count)
    ctx.reader.trace(statements.append)  # the pages read through the reader
    try:
        for row in range(0, 150, 10):
            view.scrollTo(model.index(row, 0))
            view.viewport().grab()
            for column in range(model.columnCount()):
                model.data(model.index(row, column))
        assert statements == []
        model.refresh()  # and the count does see queries when there are some
        view.viewport().grab()
        assert any("FROM contacts" in s for s in statements)
    finally:
        ctx.reader.trace(None)
        event.remove(ctx.db.engine, "before_cursor_execute", count)
