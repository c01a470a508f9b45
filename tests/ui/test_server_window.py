"""The desktop window on an office server: opened from an address, the password asked for and
kept in the keychain (never in the settings file), a server out of reach offering a local
file, a viewer's menus saying what they may not do, and File ▸ Connect… opening another
database in a new window."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from citypartner_desktop import paths
from citypartner_desktop.db.database import open_server
from citypartner_desktop.db.server import grant_roles, make_user, shown
from citypartner_desktop.services import records, server_login
from citypartner_desktop.services.database import open_db
from citypartner_desktop.ui import app, server_open
from citypartner_desktop.ui.main_window import MainWindow
from tests.conftest import TEST_ACTOR
from tests.server.test_roles import _as
from tests.server.test_server_process import PASSWORD, _free_port
from tests.test_cli import run


class MemoryKeychain(KeyringBackend):
    """The system keychain's stand-in: this machine has none (no secret service)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.kept.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.kept[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.kept.pop((service, username), None)


@pytest.fixture
def keychain() -> Iterator[MemoryKeychain]:
    before = keyring.get_keyring()
    chain = MemoryKeychain()
    keyring.set_keyring(chain)
    yield chain
    keyring.set_keyring(before)


def _opened(location: Path | str, qtbot: Any) -> tuple[Any, MainWindow]:
    opened = app.start_gui(location)
    assert opened is not None
    ctx, window = opened
    qtbot.addWidget(window)
    return ctx, window


def _close(ctx: Any, window: MainWindow) -> None:
    window.close()
    QThreadPool.globalInstance().waitForDone(10_000)  # the start's jobs (dashboard, reminders)
    ctx.close_db()
    if ctx in app._open_contexts:
        app._open_contexts.remove(ctx)


def test_the_window_works_on_an_office_server(pg_address: str, qtbot: Any,
                                              tmp_path: Path) -> None:
    db = open_server(pg_address, TEST_ACTOR)
    records.create(db.uow(), "city", {"name": "Kraków", "country": "PL"})
    db.close()
    ctx, window = _opened(pg_address, qtbot)
    try:
        assert ctx.db.is_server and "office server" in window.windowTitle()
        assert window.path_label.text() == shown(pg_address)  # never its password
        window.show_page("city")
        page = window.current_page
        qtbot.waitUntil(lambda: page.model.rowCount() == 1)
        assert page.model.data(page.model.index(0, 0)) == "Kraków"
        page.search.setText("krak")  # the server's search, through the window's reader
        qtbot.waitUntil(lambda: page.model.rowCount() == 1)
        assert window.safety.archive_server(tmp_path / "office.json")
        qtbot.waitUntil(lambda: window.safety.backup_job is None, timeout=30_000)
        archive = json.loads((tmp_path / "office.json").read_text(encoding="utf-8"))
        assert any(row for row in archive["tables"]["cities"]["rows"])
        assert window.safety.auto_backup() is False  # IT backs up a server
    finally:
        _close(ctx, window)


def test_a_viewer_sees_what_they_may_not_do(pg_address: str, qtbot: Any) -> None:
    from citypartner_desktop.ui.feature_host import Menus, Role

    admin = open_server(pg_address, TEST_ACTOR)
    city = records.create(admin.uow(), "city", {"name": "Kraków", "country": "PL"}).id
    grant_roles(admin.engine)
    make_user(admin.engine, "lena_viewer", "viewer", None)
    admin.close()
    ctx, window = _opened(_as(pg_address, "lena_viewer"), qtbot)
    try:
        assert ctx.db.access == "viewer" and "viewer" in window.windowTitle()
        window.show_page("city")
        for action in (window.new_action, window.edit_action, window.delete_action,
                       window.interop.import_action, window.interop.duplicates_action):
            assert not action.isEnabled()
        assert window.new_action.toolTip() == Menus.refusal(Role.EDITOR)
        assert window.interop.export_action.isEnabled()  # reading is a viewer's work
        assert window.reports.actions["city"].isEnabled()
        from citypartner_desktop.ui.dialogs.city_dialog import open_record_dialog

        dialog = open_record_dialog(ctx, "city", city)
        qtbot.addWidget(dialog)
        assert not dialog.save_button.isEnabled() and "read-only" in dialog.moved_note.text()
    finally:
        _close(ctx, window)


def test_a_server_out_of_reach_offers_a_file_on_this_computer(
        qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    problems: list[str] = []
    local = tmp_path / "laptop.db"
    open_db(local).close()  # a database there already: no offer of the demo to answer

    def offer(_parent: object, problem: str) -> Path:
        problems.append(problem)
        return local

    monkeypatch.setattr(server_open, "offer_local", offer)
    address = f"postgresql://anna@127.0.0.1:{_free_port()}/citypartner"
    ctx, window = _opened(address, qtbot)
    try:
        assert not ctx.db.is_server and ctx.db.path == local
        assert len(problems) == 1 and "cannot be reached" in problems[0]
        assert "anna@127.0.0.1" in problems[0] and "\n" not in problems[0]
    finally:
        _close(ctx, window)


def test_giving_up_on_a_server_out_of_reach_opens_nothing(
        qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server_open, "offer_local", lambda *_a: None)
    assert app.start_gui(f"postgresql://anna@127.0.0.1:{_free_port()}/citypartner") is None


@pytest.fixture
def password_server(tmp_path: Path) -> Iterator[str]:
    """A server with password (scram) authentication on a local port, set up."""
    data, port, secret = tmp_path / "office-server", _free_port(), tmp_path / "admin.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    started = run("server", "start", "--data", str(data), "--listen", "127.0.0.1",
                  "--port", str(port), "--password-file", str(secret))
    assert started.returncode == 0, started.stderr
    address = f"postgresql://postgres@127.0.0.1:{port}/citypartner"
    assert run("init", "--db", server_login.with_password(address, PASSWORD)).returncode == 0
    yield address
    run("server", "stop", "--data", str(data))


def test_the_password_is_asked_for_then_kept_in_the_keychain_not_the_settings(
        password_server: str, keychain: MemoryKeychain, qtbot: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    answers = [("wrong", False), (PASSWORD, True)]

    def ask(_parent: object, _address: str, reason: str) -> tuple[str, bool]:
        asked.append(reason)
        return answers.pop(0)

    monkeypatch.setattr(server_open, "ask_password", ask)
    ctx, window = _opened(password_server, qtbot)
    _close(ctx, window)
    assert "asks for a password" in asked[0] and "refused" in asked[1]
    assert keychain.kept == {(server_login.KEYCHAIN_SERVICE,
                              server_login.keychain_key(password_server)): PASSWORD}
    settings_text = paths.settings_file().read_text(encoding="utf-8")
    assert password_server in settings_text and PASSWORD not in settings_text
    asked.clear()
    ctx, window = _opened(password_server, qtbot)  # the keychain's password: not asked
    _close(ctx, window)
    assert asked == []


def test_connect_opens_the_server_in_a_new_window_and_closes_the_old(
        pg_address: str, qtbot: Any, tmp_path: Path) -> None:
    open_db(tmp_path / "own.db").close()
    old_ctx, window = _opened(tmp_path / "own.db", qtbot)
    with qtbot.waitSignal(window.closing, timeout=30_000):
        window.connections.open_requested.emit(pg_address, None)
    new = next(w for w in QApplication.topLevelWidgets()
               if isinstance(w, MainWindow) and w is not window and w.isVisible())
    try:
        assert new.ctx.db.is_server and not window.isVisible()
        assert old_ctx not in app._open_contexts
        assert server_open.recent_servers(new.settings)[0] == server_login.keychain_key(
            pg_address)
    finally:
        _close(new.ctx, new)


def test_the_server_dialog_builds_the_address_and_names_what_is_missing(qapp: Any) -> None:
    from citypartner_desktop.ui.dialogs.server_dialog import ServerDialog

    dialog = ServerDialog(["postgresql://anna@db.cityhall.local:5433/partners?sslmode=require"])
    assert dialog.host.text() == "db.cityhall.local" and dialog.port.value() == 5433
    assert dialog.ssl.currentData() == "require" and dialog.user.text() == "anna"
    dialog.password.setText("geheim")
    dialog.remember.setChecked(True)
    dialog.accept()
    assert dialog.sign_in is not None
    assert dialog.sign_in.address == (
        "postgresql://anna@db.cityhall.local:5433/partners?sslmode=require")
    assert dialog.sign_in.password == "geheim" and dialog.sign_in.remember
    empty = ServerDialog([])
    empty.accept()
    assert empty.sign_in is None and "server and user" in empty.error.text()


def test_an_address_given_with_its_password_is_remembered_without_it() -> None:
    given = "postgresql+psycopg://anna:geheim@db.cityhall.local/partners?sslmode=require"
    plain = "postgresql://anna@db.cityhall.local/partners?sslmode=require"
    assert server_login.remembered(["postgresql://bob@x/y", plain], given) == [
        plain, "postgresql://bob@x/y"]
    assert server_login.keychain_key(given) == plain  # not "anna:***@…"
