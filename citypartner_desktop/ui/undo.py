"""Undoable edits (Edit ▸ Undo). Dialogs save first — so errors show inline — then push a
command marked as done; the stack's first redo() is therefore a no-op."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QMessageBox

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.domain.specs import spec_for
from citypartner_desktop.ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("undo", text)


class _DoneCommand(QUndoCommand):
    def __init__(self, ctx: AppContext, kind: str, record_id: str, text: str) -> None:
        super().__init__(text)
        self.ctx, self.kind, self.record_id = ctx, kind, record_id
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._safely(forward=True)

    def undo(self) -> None:
        self._safely(forward=False)

    def _safely(self, *, forward: bool) -> None:
        """A step that can no longer be applied (the data moved on) is explained and dropped
        from the stack rather than raising out of Qt's undo machinery."""
        try:
            self._apply(forward=forward)
        except CityPartnerError as exc:
            self.setObsolete(True)
            QMessageBox.warning(None, _tr("Cannot undo") if not forward else _tr("Cannot redo"),
                                _tr("“{0}” cannot be {1}: {2}").format(
                                    self.text(), _tr("undone") if not forward else _tr("redone"),
                                    exc))
        self.ctx.notify(self.kind, [self.record_id])

    def _apply(self, *, forward: bool) -> None:
        raise NotImplementedError


class CreateCommand(_DoneCommand):
    def __init__(self, ctx: AppContext, kind: str, record_id: str, label: str) -> None:
        super().__init__(
            ctx, kind, record_id, _tr("New {0} “{1}”").format(spec_for(kind).label.lower(), label)
        )

    def _apply(self, *, forward: bool) -> None:
        from citypartner_desktop.services import records  # loaded after the first paint

        if forward:
            records.restore(self.ctx.db.uow(), self.kind, self.record_id)
        else:
            records.delete(self.ctx.db.uow(), self.kind, self.record_id)


class UpdateCommand(_DoneCommand):
    def __init__(
        self,
        ctx: AppContext,
        kind: str,
        record_id: str,
        label: str,
        before: dict[str, Any],
        after: dict[str, Any],
        version: int | None = None,
    ) -> None:
        """``version``: the record's version after the edit. Undo and redo are then saves
        guarded by it like any other: on a shared database a colleague's later edit is never
        overwritten by an undo (the step is explained and dropped instead)."""
        super().__init__(
            ctx, kind, record_id, _tr("Edit {0} “{1}”").format(spec_for(kind).label.lower(), label)
        )
        changed = [k for k in after if before.get(k) != after[k]]
        self.before = {k: before.get(k) for k in changed}
        self.after = {k: after[k] for k in changed}
        self.version = version

    def _apply(self, *, forward: bool) -> None:
        from citypartner_desktop.services import records  # loaded after the first paint

        values = self.after if forward else self.before
        saved = records.update(self.ctx.db.uow(), self.kind, self.record_id, values,
                               expected_version=self.version, confirm_duplicate=True)
        if self.version is not None:
            self.version = saved.version


class DeleteCommand(_DoneCommand):
    def __init__(self, ctx: AppContext, kind: str, record_id: str, label: str) -> None:
        super().__init__(
            ctx,
            kind,
            record_id,
            _tr("Delete {0} “{1}”").format(spec_for(kind).label.lower(), label),
        )

    def _apply(self, *, forward: bool) -> None:
        from citypartner_desktop.services import records  # loaded after the first paint

        if forward:
            records.delete(self.ctx.db.uow(), self.kind, self.record_id)
        else:
            records.restore(self.ctx.db.uow(), self.kind, self.record_id)


class RestoreCommand(DeleteCommand):
    def __init__(self, ctx: AppContext, kind: str, record_id: str, label: str) -> None:
        super().__init__(ctx, kind, record_id, label)
        self.setText(_tr("Restore {0} “{1}”").format(spec_for(kind).label.lower(), label))

    def _apply(self, *, forward: bool) -> None:
        super()._apply(forward=not forward)
