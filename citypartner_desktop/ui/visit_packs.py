"""File ▸ Take on a visit… and File ▸ Merge visit pack…, the banner of a window that has a
visit pack open, and Edit ▸ Undo of a merge (one step). The packing, the analysis and the
merge run in the background; the merge dialog shows what would happen before anything is
written. Nothing here imports the data layer until an action runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QToolBar,
)

from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.ui import colours, workers
from citypartner_desktop.ui.error_report import explain_failure
from citypartner_desktop.ui.feature_host import Feature, FeatureHost, Needs, Place, Role

if TYPE_CHECKING:
    from citypartner_desktop.services.visit_packs.merge import Analysis, MergeResult
    from citypartner_desktop.services.visit_packs.plan import Side
    from citypartner_desktop.ui.context import AppContext
    from citypartner_desktop.ui.dialogs.merge_pack_dialog import MergePackDialog

PACK_FILTER = "Visit packs (*.cpack)"


class MergeCommand(QUndoCommand):
    """A merge done (the stack's first redo is a no-op); undo takes it out of the office in
    one step, redo merges the pack again with the same choices."""

    def __init__(self, ctx: AppContext, path: Path, pack_id: str, title: str,
                 choices: dict[tuple[str, str, str], Side], keep_both: frozenset[str]) -> None:
        super().__init__(QCoreApplication.translate("undo", "Merge visit pack “{0}”").format(
            title))
        self.ctx, self.path, self.pack_id = ctx, path, pack_id
        self.choices, self.keep_both = choices, keep_both
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._safely(self._merge_again)

    def undo(self) -> None:
        from citypartner_desktop.services.visit_packs.merge import undo

        self._safely(lambda: undo(self.ctx.db, self.pack_id))

    def _merge_again(self) -> None:
        from citypartner_desktop.services.visit_packs.merge import analyse, apply, open_pack

        pack = open_pack(self.path)
        try:
            analysis = analyse(self.ctx.db, pack)
            known = {c.key for c in analysis.plan.conflicts}
            apply(self.ctx.db, analysis, {k: v for k, v in self.choices.items() if k in known},
                  keep_both=self.keep_both)
        finally:
            pack.close()

    def _safely(self, step: Any) -> None:
        try:
            step()
        except CityPartnerError as exc:
            self.setObsolete(True)
            QMessageBox.warning(None, self.text(), str(exc))
        self.ctx.notify("*", [])


class VisitPacks(Feature):
    def __init__(self, host: FeatureHost) -> None:
        super().__init__(host)
        self.take_action = QAction(host.tr("Take on a &visit…"), host)
        self.take_action.triggered.connect(self.take_on_visit)
        self.merge_action = QAction(host.tr("&Merge visit pack…"), host)
        self.merge_action.triggered.connect(self.choose_pack_to_merge)
        host.menus.add(Place.FILE_DATA, self.take_action, needs=Needs.DATABASE)
        host.menus.add(Place.FILE_DATA, self.merge_action, needs=Needs.DATABASE,
                       role=Role.EDITOR)
        self.banner: QToolBar | None = None
        self.job: workers.Job | None = None
        self.dialog: MergePackDialog | None = None
        self.last_result: MergeResult | None = None

    # -- a pack open in this window ------------------------------------------------------------
    def attach(self, ctx: AppContext) -> None:
        # Qt's enum namespace costs 20-40 ms to build: not before the first data (shortcuts.py).
        from PySide6.QtCore import Qt

        from citypartner_desktop.services.visit_packs import minimal
        from citypartner_desktop.services.visit_packs.merge import facts

        if ctx.db.is_server:
            return
        try:
            about = facts(ctx.db)
        except CityPartnerError:
            return
        if about is None:
            return
        self.banner = QToolBar(self.window.tr("Visit pack"), self.window)
        self.banner.setObjectName("visitPackBanner")
        self.banner.setMovable(False)
        text = self.window.tr(
            "Visit pack for {0}, made on {1} from {2}; merge it back when you are home "
            "(File ▸ Merge visit pack… in the office's window).").format(
            about.title, about.made_at.astimezone().strftime("%Y-%m-%d %H:%M"), about.source)
        if minimal.is_minimal(ctx.db):
            text += " " + self.window.tr(
                "The contacts' e-mail, phone and notes stayed in the office; merging keeps "
                "the office's.")
        label = QLabel(text, self.banner)
        label.setObjectName("visitPackBannerText")
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        label.setToolTip(label.text())
        label.setStyleSheet(f"padding: 4px; color: {colours.css(colours.soon_text())};")
        label.setAccessibleName(self.window.tr("Visit pack"))
        self.banner.addWidget(label)
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner)

    # -- taking records on a visit -------------------------------------------------------------
    def take_on_visit(self) -> None:
        from citypartner_desktop.domain.records import ListQuery
        from citypartner_desktop.services import records
        from citypartner_desktop.ui.dialogs.take_on_visit import TakeOnVisitDialog

        ctx = self.window.ctx
        partnerships = [(r.id, str(r.values[0])) for r in records.iter_list(
            ctx.db.uow(), "partnership", ListQuery())]  # every one, in the page's order
        chosen: set[str] = set()
        page = self.window.current_page if self.window.pages else None
        if page is not None and page.kind == "partnership" and page.selected_id():
            chosen.add(str(page.selected_id()))
        holds_contacts = records.count(ctx.db.uow(), "contact", ListQuery()) > 0
        dialog = TakeOnVisitDialog(partnerships, chosen, self.window,
                                   holds_contacts=holds_contacts)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        folder = str(self.window.settings.value("folders/save", str(Path.home())))
        name = f"visit-{_file_part(dialog.title())}-{date.today():%Y-%m-%d}.cpack"
        target, _ = QFileDialog.getSaveFileName(
            self.window, self.window.tr("Save the visit pack"), str(Path(folder) / name),
            self.window.tr(PACK_FILTER))
        if target:
            self.write_pack(dialog.scope(), Path(target), dialog.secret())

    def write_pack(self, scope: Any, target: Path, passphrase: str | None = None
                   ) -> workers.Job | None:
        from citypartner_desktop.services.visit_packs.create import create

        if self.job is not None:
            return None
        db = self.window.ctx.db
        job = workers.Job(lambda _p, _c: create(db, scope, target, passphrase=passphrase),
                          title=self.window.tr("Take on a visit"))

        def done(made: Any) -> None:
            self.window.settings.setValue("folders/save", str(target.parent))
            self.window.statusBar().showMessage(self.window.tr(
                "Visit pack saved to {0}: {1} records. Open it on the laptop with File ▸ Open "
                "database file…").format(made.path, made.records), 15_000)

        def failed(exc: BaseException, details: str) -> None:
            explain_failure(self.window, self.window.tr("Take on a visit"),
                            self.window.tr("The visit pack was not written: {0}"), exc, details)

        job.on_success(done).on_failure(failed).on_finished(self._job_finished)
        self.job = job.start()
        return self.job

    # -- merging it back ----------------------------------------------------------------------
    def choose_pack_to_merge(self) -> None:
        folder = str(self.window.settings.value("folders/open", str(Path.home())))
        chosen, _ = QFileDialog.getOpenFileName(
            self.window, self.window.tr("Merge visit pack"), folder,
            self.window.tr(PACK_FILTER) + ";;" + self.window.tr("All files (*)"))
        if chosen:
            self.analyse(Path(chosen))

    def analyse(self, path: Path) -> workers.Job | None:
        """Read the pack and plan the merge in the background, then show the merge dialog."""
        from citypartner_desktop.services.visit_packs.merge import analyse, open_pack

        if self.job is not None:
            return None
        db = self.window.ctx.db

        def work(_p: Any, _c: Any) -> Analysis:
            pack = open_pack(path)
            try:
                return analyse(db, pack, back_up=True)  # done while the preview is read
            finally:
                pack.close()

        job = workers.Job(work, title=self.window.tr("Merge visit pack"))
        job.on_success(lambda analysis: self.show_merge(path, analysis))
        job.on_failure(lambda exc, details: self._analysis_failed(path, exc, details))
        job.on_finished(self._job_finished)
        self.job = job.start()
        return self.job

    def _analysis_failed(self, path: Path, exc: BaseException, details: str) -> None:
        """An encrypted pack asks for its passphrase (again, when it was wrong)."""
        from citypartner_desktop.domain.errors import (
            PassphraseNeededError,
            WrongPassphraseError,
        )
        from citypartner_desktop.services.database import remember_passphrase
        from citypartner_desktop.ui.passphrase import ask_passphrase

        if not isinstance(exc, PassphraseNeededError | WrongPassphraseError):
            self._merge_failed(exc, details)
            return
        passphrase = ask_passphrase(self.window, path,
                                    wrong=isinstance(exc, WrongPassphraseError))
        if passphrase is None:
            return
        remember_passphrase(path, passphrase)
        # Once this job has finished (its end is queued behind this failure), read again.
        QTimer.singleShot(0, lambda: self.analyse(path))

    def show_merge(self, path: Path, analysis: Analysis) -> MergePackDialog:
        from citypartner_desktop.ui.dialogs.merge_pack_dialog import MergePackDialog

        dialog = MergePackDialog(analysis, self.window)
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.merge(path, analysis, dialog.choices(),
                                                   dialog.keep_both()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def merge(self, path: Path, analysis: Analysis,
              choices: dict[tuple[str, str, str], Side],
              keep_both: frozenset[str]) -> workers.Job | None:
        from citypartner_desktop.services.visit_packs.merge import apply

        if self.job is not None:
            return None
        self.dialog = None
        ctx = self.window.ctx
        job = workers.Job(lambda _p, _c: apply(ctx.db, analysis, choices,
                                               keep_both=keep_both),
                          title=self.window.tr("Merge visit pack"))

        def done(result: MergeResult) -> None:
            self.last_result = result
            ctx.undo.push(MergeCommand(ctx, path, analysis.facts.pack_id, analysis.facts.title,
                                       choices, keep_both))
            ctx.notify("*", [])
            left = len(result.conflicts_left)
            text = self.window.tr("Merged “{0}”: {1}.").format(analysis.facts.title,
                                                              analysis.describe())
            if left:
                text += " " + self.window.tr("{0} conflicts kept the office's values.").format(
                    left)
            if result.erased_again:
                text += " " + self.window.tr(
                    "%n erased person(s) the pack brought back were erased again.", "",
                    result.erased_again)
            if result.refused:
                text += "\n\n" + self.window.tr("Not merged (the office's rules refused "
                                                "them):") + "\n• " + "\n• ".join(result.refused)
            text += "\n\n" + self.window.tr("Edit ▸ Undo takes the whole merge back.")
            QMessageBox.information(self.window, self.window.tr("Merge visit pack"), text)

        job.on_success(done).on_failure(self._merge_failed).on_finished(self._job_finished)
        self.job = job.start()
        return self.job

    def _merge_failed(self, exc: BaseException, details: str) -> None:
        explain_failure(self.window, self.window.tr("Merge visit pack"),
                        self.window.tr("The visit pack was not merged: {0}"), exc, details)

    def _job_finished(self) -> None:
        self.job = None


def _file_part(text: str) -> str:
    """A title as part of a file name (letters of any script kept)."""
    kept = "".join(c if c.isalnum() else "-" for c in text.strip())
    return "-".join(p for p in kept.split("-") if p)[:60] or "pack"
