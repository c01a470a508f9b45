"""What pip installs: every package of the source tree, the migrations and the resources."""

from __future__ import annotations

import tomllib
from pathlib import Path

from citypartner_desktop import paths

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "citypartner_desktop").rglob("__init__.py")
    }
    found.add("citypartner_desktop.resources")
    assert set(config["packages"]) == found
    assert config["package-dir"]["citypartner_desktop.resources"] == "resources"


def test_resources_are_found() -> None:
    icon = paths.resource_path("icons/citypartner.svg")
    assert icon.is_file()
    assert b"<svg" in icon.read_bytes()
