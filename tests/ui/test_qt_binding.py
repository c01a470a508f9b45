"""The Qt binding itself: faults of a PySide6 release that would crash the application."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableWidgetItem


def test_calls_that_return_nothing_keep_none_alive(qapp: QApplication) -> None:
    """PySide6 6.12.0 returned None from void methods without a reference of its own, so each
    call took one from None; on Python 3.11 (None is not immortal there) the process aborts
    with "none_dealloc" once a few thousand calls have been made — painting one dashboard of
    the large demo makes that many. pyproject.toml excludes that release."""
    item, label = QTableWidgetItem("Łódź"), QLabel()
    calls = (lambda: item.setData(Qt.ItemDataRole.UserRole, ("city", "id")),
             lambda: item.setToolTip("Łódź"), lambda: label.setText("Kraków"),
             qapp.processEvents)
    for call in calls:
        call()
    before = sys.getrefcount(None)
    for _ in range(500):
        for call in calls:
            call()
    # A few references may come and go with the interpreter's own work; 2,000 calls that
    # each dropped one would be far beyond that.
    assert sys.getrefcount(None) >= before - 50
