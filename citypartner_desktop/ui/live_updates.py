"""Colleagues' changes on an office server appear in the open pages and the dashboard within
about a second: the change notices (``db.server_events``) become the change bus's own
notifications, gathered for a moment so that a burst of saves (an import) is one update.

The pages update their rows in place (``PagedRecordModel.reload``), so the user's selection
and scroll position stay; an edit dialog open on a changed record says so at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal

from citypartner_desktop.domain.specs import ENTITIES
from citypartner_desktop.ui.feature_host import Feature, FeatureHost

if TYPE_CHECKING:
    from citypartner_desktop.db.server_events import ChangeListener
    from citypartner_desktop.ui.context import AppContext

GATHER_MS = 300  # notices gathered into one update; well inside the two seconds promised
KIND_OF_TABLE = {spec.table: spec.kind for spec in ENTITIES.values()}


class LiveUpdates(Feature):
    # Emitted from the listener's thread; Qt delivers it on the GUI thread.
    noticed = Signal(str, list)

    def __init__(self, host: FeatureHost) -> None:
        super().__init__(host)
        self.listener: ChangeListener | None = None
        self._ctx: AppContext | None = None
        self._pending: dict[str, set[str] | None] = {}  # kind → ids (None: any)
        self._timer = QTimer(self, singleShot=True, interval=GATHER_MS)
        self._timer.timeout.connect(self._deliver)
        self.noticed.connect(self._gather)

    def attach(self, ctx: AppContext) -> None:
        self.stop()
        self._ctx = ctx
        if not ctx.db.is_server:
            return  # a file has one user at a time
        from citypartner_desktop.db.server_events import ChangeListener

        self.listener = ChangeListener(ctx.db.engine, self.noticed.emit)
        self.listener.start()

    def _gather(self, table: str, ids: list[str]) -> None:
        kind = "*" if table == "*" else KIND_OF_TABLE.get(table, table)
        known = self._pending.get(kind, set())
        if known is None or not ids:
            self._pending[kind] = None  # any row of that kind
        else:
            self._pending[kind] = known | set(ids)
        if not self._timer.isActive():
            self._timer.start()

    def _deliver(self) -> None:
        pending, self._pending = self._pending, {}
        if self._ctx is None or not self._ctx.is_open:
            return
        if "*" in pending:
            self._ctx.notify("*")
            return
        for kind, ids in pending.items():
            self._ctx.notify(kind, sorted(ids) if ids else [])

    def stop(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        self._timer.stop()
