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
