"""The layer rules of DESIGN.md §3, checked by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    monkeypatch.syspath_prepend(str(ROOT))
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_contracts_cover_every_layer() -> None:
    """A contract that forgot a package would pass vacuously; make sure none is missing."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = {name.strip() for layer in next(
        c for c in config["contracts"] if c["type"] == "layers")["layers"]
        for name in layer.split("|")}  # "a | b": siblings that must not import each other
    packages = {
        f"citypartner_desktop.{p.stem if p.is_file() else p.name}"
        for p in (ROOT / "citypartner_desktop").iterdir()
        if (p.is_dir() and (p / "__init__.py").exists())
        or (p.suffix == ".py" and p.stem not in ("__init__", "__main__"))
    }
    assert packages <= layers, packages - layers
