"""Where things live on this machine. Pure functions: nothing is created at import time."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "CityPartner"
APP_AUTHOR = "CityPartner"
DB_ENV_VAR = "CITYPARTNER_DB"


def _dirs():  # type: ignore[no-untyped-def]
    from platformdirs import PlatformDirs

    return PlatformDirs(APP_NAME, APP_AUTHOR)


def user_data_dir() -> Path:
    return Path(_dirs().user_data_dir)


def user_cache_dir() -> Path:
    return Path(_dirs().user_cache_dir)


def user_log_dir() -> Path:
    return Path(_dirs().user_log_dir)


def user_config_dir() -> Path:
    return Path(_dirs().user_config_dir)


def default_database_path() -> Path:
    return user_data_dir() / "citypartner.db"


def resolve_database_path(cli_value: str | os.PathLike[str] | None) -> Path:
    """--db, else $CITYPARTNER_DB, else the user data dir (DESIGN.md §4)."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(DB_ENV_VAR)
    if env:
        return Path(env).expanduser()
    return default_database_path()


def backup_dir_for(db_path: Path) -> Path:
    """Backups sit beside the database so they travel with it (and are found by restore)."""
    return db_path.parent / "backups"


def resource_path(relative: str) -> Path:
    """A file shipped in resources/ (installed as the package citypartner_desktop.resources)."""
    from importlib.resources import files

    try:
        return Path(str(files("citypartner_desktop.resources").joinpath(relative)))
    except ModuleNotFoundError:  # running from a source tree that was never pip-installed
        return Path(__file__).resolve().parents[1] / "resources" / relative
