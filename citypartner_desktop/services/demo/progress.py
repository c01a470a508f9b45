"""Progress reports and cancelling during a demo load, checked between chunks of rows."""

from __future__ import annotations

from collections.abc import Callable

from citypartner_desktop.domain.errors import CityPartnerError

Progress = Callable[[int, int, str], None]


class DemoCancelled(CityPartnerError):
    """The user cancelled the demo load; nothing was written."""


class Run:
    """Progress and cancel, checked between chunks."""

    def __init__(self, total: int, progress: Progress | None,
                 should_cancel: Callable[[], bool] | None) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._should_cancel = should_cancel

    def advance(self, amount: int, message: str) -> None:
        self.done = min(self.total, self.done + amount)
        if self._progress is not None:
            self._progress(self.done, self.total, message)
        self.check()

    def check(self) -> None:
        if self._should_cancel is not None and self._should_cancel():
            raise DemoCancelled("The demo load was cancelled; nothing was written.")
