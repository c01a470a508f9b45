"""Exports are written atomically (interop.export.write_atomically over ``atomic_files``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.interop.export import ExportCancelled, write_csv


def test_a_failed_export_keeps_the_previous_file_and_leaves_no_temporary_file(
        tmp_path: Path) -> None:
    target = tmp_path / "京都市.csv"
    target.write_bytes(b"the previous export")

    def rows() -> Iterator[tuple[str]]:
        for n in range(5000):  # more than one buffer of CSV: part of it was written
            yield (f"Kraków {n} " * 5,)
        raise ExportCancelled("The export was cancelled; no file was written.")

    with pytest.raises(ExportCancelled):
        write_csv(target, ["Name"], rows())
    assert target.read_bytes() == b"the previous export"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_file_that_cannot_be_put_in_place_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def locked(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    target = tmp_path / "cities.csv"
    with pytest.raises(CityPartnerError, match=r"cities\.csv could not be written: Permission"):
        write_csv(target, ["Name"], iter([("Łódź",)]))
    assert list(tmp_path.iterdir()) == []
