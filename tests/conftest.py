"""Shared fixtures: a fresh database per test, made by the real migrations."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# GUI tests run offscreen whoever runs them (DESIGN.md §8); set before Qt is imported.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.services.database import open_db

TEST_ACTOR = Actor(user="tester@test-host", installation_id="00000000-0000-4000-8000-000000000001")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                        ) -> None:
    """Keep every test away from the real user's data, config and cache folders."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    monkeypatch.delenv("CITYPARTNER_DB", raising=False)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "office.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = open_db(db_path, TEST_ACTOR)
    yield database
    database.close()


@pytest.fixture(scope="session")
def gazetteer_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache folder holding the real gazetteer index, built once for the whole run (~10 s);
    point XDG_CACHE_HOME at it to use it (see ``shared_gazetteer``)."""
    folder = tmp_path_factory.mktemp("gazetteer-cache")
    old = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    try:
        from citypartner_desktop.services import gazetteer

        gazetteer.ensure_index()
    finally:
        if old is None:
            del os.environ["XDG_CACHE_HOME"]
        else:
            os.environ["XDG_CACHE_HOME"] = old
    return folder


@pytest.fixture
def shared_gazetteer(gazetteer_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test uses the session's built gazetteer instead of building its own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(gazetteer_cache))
    return gazetteer_cache
