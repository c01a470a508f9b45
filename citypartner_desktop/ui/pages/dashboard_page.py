"""The home page: what needs attention today, at a glance, each entry one click from its record.

The figures and lists come from one background job (services.monitoring.dashboard_of),
the personal-data review (services.privacy_review.review_of) and the charts from two more
started once the figures are painted; QtCharts is imported only then, so neither the start-up
nor the first figures wait for it. Both read through a read-only
connection of their own, without the ORM: the page is built and painted at start-up before the
data layer is loaded, and its buttons that change records work once ``enable_commands`` says
the database is fully open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from citypartner_desktop.domain import vocab
from citypartner_desktop.services import monitoring, privacy_review
from citypartner_desktop.ui import colours, workers
from citypartner_desktop.ui.context import AppContext

RECORD_ROLE = Qt.ItemDataRole.UserRole + 10  # (kind, id) of the record behind a row
TONE_ROLE = Qt.ItemDataRole.UserRole + 11  # "late", "soon" or None: the colour of a row's text
TONES: dict[str, Callable[[], QColor]] = {"late": colours.late_text, "soon": colours.soon_text}
ROW_HEIGHT = 22
VISIBLE_ROWS = 8
REFRESH_DELAY_MS = 400
PRIVACY_ROWS = 50  # contacts listed per personal-data list; the figures count them all
PRIVACY_KEYS = ("review_due", "no_basis", "erasure")


def _day(d: date | None) -> str:
    return d.isoformat() if d else "–"


def tile_style(alarming: bool) -> str:
    """The style sheet of a figure's button, from the current palette; an alarming figure
    (something overdue or to review) has red text."""
    tile = colours.tile()
    text = tile.alarm_text if alarming else tile.text
    return (f"QPushButton {{ font-size: 11pt; text-align: center;"
            f" border: 1px solid {colours.css(tile.border)}; border-radius: 4px;"
            f" padding: 4px 10px; background: {colours.css(tile.background)};"
            f" color: {colours.css(text)} }}"
            f"QPushButton:hover {{ background: {colours.css(tile.hover)} }}")


class Section(QGroupBox):
    """One list of the dashboard: a small read-only table whose rows open their record."""

    activated = Signal(str, str)  # kind, id

    def __init__(self, title: str, headers: Sequence[str], widths: Sequence[int] = (),
                 parent: QWidget | None = None, stretch: int = 0) -> None:
        """``widths``: of the columns but the ``stretch`` one, which takes the room left."""
        super().__init__(title, parent)
        self.base_title = title
        self.setAccessibleName(title)
        layout = QVBoxLayout(self)
        self.table = QTableWidget(0, len(headers), self)
        self.table.setAccessibleName(title)
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
        header = self.table.horizontalHeader()
        others = [c for c in range(len(headers)) if c != stretch]
        for column, width in zip(others, widths, strict=False):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, width)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        self._fit(VISIBLE_ROWS)
        self.table.activated.connect(self._open)  # double-click, or Enter
        self.empty = QLabel(self)
        self.restyle()
        layout.addWidget(self.table)
        layout.addWidget(self.empty)
        layout.addStretch(1)  # a short list stays at the top of its box

    def fill(self, rows: Sequence[tuple[tuple[str, str], Sequence[str], str | None]],
             total: int, empty_text: str) -> None:
        """``rows``: ((kind, id), cell texts, tone: "late", "soon" or None)."""
        self.table.setRowCount(len(rows))
        brushes = {tone: QBrush(colour()) for tone, colour in TONES.items()}
        for r, (record, cells, tone) in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(RECORD_ROLE, record)
                item.setToolTip(text)
                if tone is not None:
                    item.setData(TONE_ROLE, tone)
                    item.setForeground(brushes[tone])
                self.table.setItem(r, c, item)
        more = (self.tr(" – first {0} of {1:,}").format(len(rows), total)
                if total > len(rows) else f" ({total:,})")
        self.setTitle(self.base_title + more)
        self._fit(min(max(len(rows), 1), VISIBLE_ROWS))
        self.table.setVisible(bool(rows))
        self.empty.setText(empty_text)
        self.empty.setVisible(not rows)

    def restyle(self) -> None:
        """Colours from the current palette."""
        self.empty.setStyleSheet(f"color: {colours.css(colours.muted_text())}")
        brushes = {tone: QBrush(colour()) for tone, colour in TONES.items()}
        for r in range(self.table.rowCount()):
            for c in range(self.table.columnCount()):
                item = self.table.item(r, c)
                tone = item.data(TONE_ROLE) if item is not None else None
                if item is not None and tone in brushes:
                    item.setForeground(brushes[tone])

    def _fit(self, rows: int) -> None:
        """As tall as its rows, up to VISIBLE_ROWS (then it scrolls)."""
        self.table.setFixedHeight(ROW_HEIGHT * (rows + 1) + 6)

    def record_at(self, row: int) -> tuple[str, str] | None:
        item = self.table.item(row, 0)
        value = item.data(RECORD_ROLE) if item is not None else None
        return (str(value[0]), str(value[1])) if value else None

    def _open(self, index: QModelIndex) -> None:
        record = self.record_at(index.row())
        if record:
            self.activated.emit(*record)


class DashboardPage(QWidget):
    open_record = Signal(str, str)  # kind, id
    status_changed = Signal(str)
    loaded = Signal()  # figures and lists painted
    settled = Signal()  # the latest load ended: painted, or failed with ``error`` set
    charts_loaded = Signal()
    privacy_loaded = Signal()  # the personal-data review painted (or its failure shown)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = "dashboard"
        self.today = today  # the user's local date; tests pass a fixed day
        self.setObjectName("dashboardPage")
        self.board: monitoring.Dashboard | None = None
        self.charts: monitoring.Charts | None = None
        self.privacy: privacy_review.PrivacyReview | None = None
        self._privacy_job: workers.Job | None = None
        self.error = ""
        self._job: workers.Job | None = None
        self._stale = True
        self._painted = False
        self._refresh_timer = QTimer(self, singleShot=True, interval=REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self.review_actions: dict[str, Callable[[str], object]] = {}
        self._alarming: set[str] = set()  # the figures shown in red
        self._build()
        self._built = True
        ctx.bus.changed.connect(self._on_changed)

    # -- layout -------------------------------------------------------------------------------
    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = self.scroll_area = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setAccessibleName(self.tr("Dashboard"))
        body = QWidget(scroll)
        layout = QVBoxLayout(body)
        top = QHBoxLayout()
        self.heading = QLabel(self.tr("Dashboard"), body)
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600")
        top.addWidget(self.heading)
        top.addStretch(1)
        self.settings_button = QPushButton(self.tr("Settings…"), body)
        self.settings_button.setAccessibleName(self.tr("Monitoring settings"))
        self.refresh_button = QPushButton(self.tr("Refresh"), body)
        self.refresh_button.clicked.connect(self.refresh)
        self.settings_button.setEnabled(False)  # see enable_commands
        top.addWidget(self.settings_button)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)

        self.figures: dict[str, QPushButton] = {}
        figures = QHBoxLayout()
        for key in ("active", "expiring", "overdue", "upcoming", "evaluations", "review"):
            button = QPushButton("…", body)
            button.setFlat(True)
            button.setMinimumHeight(54)
            button.setStyleSheet(tile_style(False))
            button.clicked.connect(lambda _c=False, k=key: self.focus_section(k))
            figures.addWidget(button, 1)
            self.figures[key] = button
        layout.addLayout(figures)

        grid = QGridLayout()
        self.expiring = Section(self.tr("Agreements expiring or to decide on"),
                                (self.tr("Agreement"), self.tr("Partnership"), self.tr("Expires"),
                                 self.tr("Decide by"), self.tr("Note")),
                                (300, 90, 90, 200), body)
        self.actions_section = Section(self.tr("Actions overdue and due soon"),
                               (self.tr("What"), self.tr("Owner"), self.tr("Due"),
                                self.tr("Partnership")), (160, 90, 300), body)
        self.evaluations = Section(self.tr("Evaluations due"),
                                   (self.tr("Partnership"), self.tr("Due"),
                                    self.tr("Last evaluated"), self.tr("Every")),
                                   (82, 100, 80), body)
        self.review = Section(self.tr("Needs review"),
                              (self.tr("Partnership"), self.tr("Why")), (300,), body,
                              stretch=1)
        self.active = Section(self.tr("Active partnerships"), (self.tr("Partnership"),),
                              parent=body)
        self.sections: dict[str, Section] = {
            "expiring": self.expiring, "overdue": self.actions_section,
            "upcoming": self.actions_section, "evaluations": self.evaluations,
            "review": self.review, "active": self.active}
        self.privacy_box = self._build_privacy(body)
        for section in set(self.sections.values()):
            section.activated.connect(self.open_record)
        # Long lists full width, for text that can be read; short ones side by side.
        grid.addWidget(self.expiring, 0, 0, 1, 2)
        grid.addWidget(self.actions_section, 1, 0, 1, 2)
        grid.addWidget(self.evaluations, 2, 0)
        grid.addWidget(self.active, 2, 1)
        review_box = QWidget(body)
        review_layout = QVBoxLayout(review_box)
        review_layout.setContentsMargins(0, 0, 0, 0)
        review_layout.addWidget(self.review)
        buttons = QHBoxLayout()
        self.review_buttons: dict[str, QPushButton] = {}
        for key, text in (("open", self.tr("Open")),
                          ("reviewed", self.tr("Mark reviewed until…")),
                          ("status", self.tr("Change status…"))):
            button = QPushButton(text, review_box)
            button.setAccessibleName(f"{text.rstrip('…')} ({self.tr('Needs review')})")
            button.clicked.connect(lambda _c=False, k=key: self._review_action(k))
            button.setEnabled(False)  # see enable_commands
            buttons.addWidget(button)
            self.review_buttons[key] = button
        buttons.addStretch(1)
        review_layout.addLayout(buttons)
        grid.addWidget(review_box, 3, 0, 1, 2)
        grid.addWidget(self.privacy_box, 4, 0, 1, 2)
        self.charts_box = QGroupBox(self.tr("Charts"), body)
        self.charts_box.setAccessibleName(self.tr("Charts"))
        charts_layout = self.charts_layout = QHBoxLayout(self.charts_box)
        self.charts_placeholder = QLabel(self.tr("The charts are drawn once the figures are "
                                                 "in…"), self.charts_box)
        charts_layout.addWidget(self.charts_placeholder)
        grid.addWidget(self.charts_box, 5, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)
        layout.addStretch(1)
        scroll.setWidget(body)
        outer.addWidget(scroll)

    def _build_privacy(self, body: QWidget) -> QGroupBox:
        """The personal-data review (GDPR): three figures and the contacts behind each, every
        row opening its contact."""
        box = QGroupBox(self.tr("Personal data"), body)
        box.setAccessibleName(self.tr("Personal data"))
        layout = QVBoxLayout(box)
        self.privacy_note = QLabel(self.tr("Looking at the contacts…"), box)
        self.privacy_note.setWordWrap(True)
        layout.addWidget(self.privacy_note)
        tiles = QHBoxLayout()
        self.privacy_figures: dict[str, QPushButton] = {}
        for key in PRIVACY_KEYS:
            button = QPushButton("…", box)
            button.setFlat(True)
            button.setMinimumHeight(54)
            button.setStyleSheet(tile_style(False))
            button.clicked.connect(lambda _c=False, k=key: self.focus_section(k))
            tiles.addWidget(button, 1)
            self.privacy_figures[key] = button
        layout.addLayout(tiles)
        why = self.tr("Why")
        self.review_due = Section(self.tr("Review due"), (self.tr("Contact"), why), (220,),
                                  box, stretch=1)
        self.no_basis = Section(self.tr("No legal basis"), (self.tr("Contact"), why), (220,),
                                box, stretch=1)
        self.erasure = Section(self.tr("Candidates for erasure"), (self.tr("Contact"), why),
                               (220,), box, stretch=1)
        for key, section in zip(PRIVACY_KEYS, (self.review_due, self.no_basis, self.erasure),
                                strict=True):
            self.sections[key] = section
        # The two short lists side by side, the candidates (the longest) full width.
        lists = QGridLayout()
        lists.addWidget(self.review_due, 0, 0)
        lists.addWidget(self.no_basis, 0, 1)
        lists.addWidget(self.erasure, 1, 0, 1, 2)
        lists.setColumnStretch(0, 1)
        lists.setColumnStretch(1, 1)
        layout.addLayout(lists)
        return box

    def changeEvent(self, event: QEvent) -> None:
        """The palette changed (say, the system turned to dark mode): colour everything anew."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and getattr(self, "_built", False):
            self.restyle()

    def restyle(self) -> None:
        for key, button in [*self.figures.items(), *self.privacy_figures.items()]:
            button.setStyleSheet(tile_style(key in self._alarming))
        for section in set(self.sections.values()):
            section.restyle()
        if self.charts is not None:
            self._draw_charts(self.charts)

    # -- state --------------------------------------------------------------------------------
    def status_text(self) -> str:
        if self.error:
            return self.tr("Dashboard: {0}").format(self.error)
        if self.board is None:
            return self.tr("Dashboard: loading…")
        return self.tr("Dashboard for {0}").format(self.board.today.isoformat())

    def enable_commands(self) -> None:
        """The database is fully open (editing works): the settings and the answers to
        "needs review", wired by ``ui.monitoring_actions``, can be used."""
        self.settings_button.setEnabled(True)
        for button in self.review_buttons.values():
            button.setEnabled(True)

    def has_painted(self) -> bool:
        """The first figures are on screen (the start-up trace's "first data" milestone)."""
        return self._painted

    def save_state(self) -> None:
        """Nothing to remember yet (the page has no columns to resize or sort)."""

    # -- loading ------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def _on_changed(self, _kind: str, _ids: list[str]) -> None:
        self._stale = True
        if self.isVisible():
            self._refresh_timer.start()  # one refresh for a burst of changes

    def refresh(self) -> None:
        """Load the figures and lists off the GUI thread; they are painted when they arrive."""
        self._stale = False
        if self._job is not None:
            self._job.cancel()
        today, source = self.today(), self.ctx.source
        job = workers.Job(lambda _p, _c: monitoring.dashboard_of(source, today))
        # Bound methods, not lambdas: Qt drops the connection if the page is gone when the
        # result arrives (the window closed meanwhile).
        self._job = job.on_success(self._show).on_failure(self._failed).start()

    def _current(self) -> bool:
        """Whether the result being delivered is of the latest load (not an overtaken one)."""
        return self._job is not None and self._job.emitted(self.sender())

    def _failed(self, exc: BaseException, _details: str) -> None:
        if self._current():
            self._job = None
            self.error = str(exc)
            self.status_changed.emit(self.status_text())
            self.settled.emit()

    def _show(self, board: monitoring.Dashboard) -> None:
        if not self._current() or not self.ctx.is_open:  # overtaken, or the start was ended
            return
        self._job = None
        self.error = ""
        self.board = board
        self._paint(board)
        self._painted = True
        self.status_changed.emit(self.status_text())
        self.loaded.emit()
        self.settled.emit()
        self._load_privacy(board.today)
        self._load_charts(board.today)

    def _paint(self, board: monitoring.Dashboard) -> None:
        today, s = board.today, board.settings
        self.heading.setText(self.tr("Dashboard – {0}").format(today.strftime("%A %d %B %Y")))
        texts = {
            "active": (len(board.active), self.tr("active partnerships")),
            "expiring": (board.expiring_total, self.tr("agreements to decide on")),
            "overdue": (board.overdue_actions, self.tr("actions overdue")),
            "upcoming": (board.upcoming_actions,
                         self.tr("actions due in {0} days").format(s.action_window_days)),
            "evaluations": (len(board.evaluations_due), self.tr("evaluations due")),
            "review": (len(board.needs_review), self.tr("partnerships to review")),
        }
        for key, (n, what) in texts.items():
            button = self.figures[key]
            button.setText(f"{n:,}\n{what}")
            button.setAccessibleName(f"{n:,} {what}")
            button.setToolTip(self.tr("Show them"))
            if key in ("overdue", "review", "evaluations") and n > 0:
                self._alarming.add(key)
            else:
                self._alarming.discard(key)
            button.setStyleSheet(tile_style(key in self._alarming))
        self.expiring.setTitle(self.tr("Agreements expiring or to decide on"))
        self.expiring.base_title = self.tr(
            "Agreements expiring or to decide on within {0} days").format(s.expiry_window_days)
        self.expiring.fill([
            (("agreement", a.id),
             (a.title, a.partnership, _day(a.dates.expires_on), _day(a.dates.decide_by),
              self._agreement_note(a)),
             "late" if a.dates.notice_missed else None)
            for a in board.expiring], board.expiring_total,
            self.tr("No agreement expires or needs a decision in the next {0} days.").format(
                s.expiry_window_days))
        self.actions_section.base_title = self.tr(
            "Actions overdue and due in the next {0} days").format(s.action_window_days)
        self.actions_section.fill([
            (("action", a.id), (a.title, a.owner, _day(a.due_date), a.partnership),
             "late" if a.overdue else ("soon" if a.due_date == today else None))
            for a in board.actions], board.overdue_actions + board.upcoming_actions,
            self.tr("No open action is due."))
        self.evaluations.fill([
            (("partnership", e.partnership_id),
             (e.partnership, _day(e.due_on), _day(e.last_evaluated) if e.last_evaluated
              else self.tr("never"), self.tr("{0} months").format(e.cadence_months)),
             "late" if e.overdue else None)
            for e in board.evaluations_due], len(board.evaluations_due),
            self.tr("No evaluation is due."))
        self.review.fill([
            (("partnership", f.partnership_id), (f.partnership, "; ".join(f.reasons)), None)
            for f in board.needs_review], len(board.needs_review),
            self.tr("No partnership needs a review: all have recent activity and visits, "
                    "and agreements in force."))
        self.active.fill([(("partnership", p.id), (p.title,), None) for p in board.active],
                         len(board.active), self.tr("No active partnership yet."))

    def _agreement_note(self, a: monitoring.ExpiringAgreement) -> str:
        notes = []
        if a.dates.notice_missed:
            notes.append(self.tr("notice period already running"))
        elif a.dates.days_to_decide == 0:
            notes.append(self.tr("decide today"))
        else:
            notes.append(self.tr("{0} days to decide").format(a.dates.days_to_decide))
        if a.auto_renew:
            notes.append(self.tr("renews automatically"))
        return ", ".join(notes)

    # -- personal data ------------------------------------------------------------------------
    def _load_privacy(self, today: date) -> None:
        if self._privacy_job is not None:
            self._privacy_job.cancel()
        source = self.ctx.source
        job = workers.Job(lambda _p, _c: privacy_review.review_of(source, today,
                                                                  limit=PRIVACY_ROWS))
        self._privacy_job = (job.on_success(self._show_privacy)
                             .on_failure(self._privacy_failed).start())

    def _privacy_current(self) -> bool:
        return self._privacy_job is not None and self._privacy_job.emitted(self.sender())

    def _privacy_failed(self, exc: BaseException, _details: str) -> None:
        if self._privacy_current():
            self._privacy_job = None
            self.privacy_note.setText(
                self.tr("The personal-data review could not be read: {0}").format(exc))
            self.privacy_loaded.emit()

    def _show_privacy(self, data: privacy_review.PrivacyReview) -> None:
        if not self._privacy_current() or not self.ctx.is_open:
            return
        self._privacy_job = None
        self.privacy = data
        self._paint_privacy(data)
        self.privacy_loaded.emit()

    def _paint_privacy(self, data: privacy_review.PrivacyReview) -> None:
        years = data.inactive_years
        self.privacy_note.setText(self.tr(
            "Contacts whose data should be looked at (GDPR). Nothing changes until you decide: "
            "renew the review date, record a legal basis, or erase a contact who is no "
            "longer needed. Inactive: no activity, no live partnership to coordinate and no "
            "agreement in force for {0} years (Settings…).").format(years))
        texts = {
            "review_due": (data.review_due_count, self.tr("contacts due for review")),
            "no_basis": (data.no_basis_count, self.tr("contacts without a legal basis")),
            "erasure": (data.erasure_candidate_count,
                        self.tr("contacts inactive for {0} years").format(years)),
        }
        for key, (n, what) in texts.items():
            button = self.privacy_figures[key]
            button.setText(f"{n:,}\n{what}")
            button.setAccessibleName(f"{n:,} {what}")
            button.setToolTip(self.tr("Show them"))
            if n > 0:
                self._alarming.add(key)
            else:
                self._alarming.discard(key)
            button.setStyleSheet(tile_style(key in self._alarming))
        self.erasure.base_title = self.tr(
            "Inactive for {0} years: candidates for erasure").format(years)
        for section, items, total, empty in (
                (self.review_due, data.review_due, data.review_due_count,
                 self.tr("No contact is due for review.")),
                (self.no_basis, data.no_basis, data.no_basis_count,
                 self.tr("Every contact has a legal basis.")),
                (self.erasure, data.erasure_candidates, data.erasure_candidate_count,
                 self.tr("No contact has been inactive for {0} years.").format(years))):
            section.fill([(("contact", i.contact_id), (i.name, i.reason),
                           self._privacy_tone(section, i, data.today)) for i in items],
                         total, empty)

    def _privacy_tone(self, section: Section, item: privacy_review.PrivacyItem,
                      today: date) -> str | None:
        """Red for a review long overdue, amber for one due today; the other lists plain."""
        if section is not self.review_due or item.on is None:
            return None
        return "late" if item.on < today else "soon"

    # -- charts -------------------------------------------------------------------------------
    def _load_charts(self, today: date) -> None:
        source = self.ctx.source
        job = workers.Job(lambda _p, _c: monitoring.charts_of(source, today))
        job.on_success(self._show_charts).on_failure(self._charts_failed).start()

    def _charts_failed(self, exc: BaseException, _details: str) -> None:
        if not isValid(self.charts_placeholder):
            return  # the window closed while the charts were read (and failed for it)
        self.charts_placeholder.setText(self.tr("The charts could not be drawn: {0}").format(exc))

    def _show_charts(self, data: monitoring.Charts) -> None:
        self.charts = data
        self._draw_charts(data)
        self.charts_loaded.emit()

    def _draw_charts(self, data: monitoring.Charts) -> None:
        from citypartner_desktop.ui.dashboard_charts import build_charts  # QtCharts: now

        layout = self.charts_layout
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for view in build_charts(data, self.charts_box):
            layout.addWidget(view)

    # -- commands -----------------------------------------------------------------------------
    def focus_section(self, key: str) -> None:
        """A figure was clicked: show the list of the records behind it."""
        section = self.sections[key]
        section.table.setFocus()
        if section.table.rowCount():
            section.table.selectRow(0)
        self.scroll_area.ensureWidgetVisible(section)

    def selected_review(self) -> str | None:
        row = self.review.table.currentRow()
        record = self.review.record_at(row) if row >= 0 else None
        return record[1] if record else None

    def _review_action(self, key: str) -> None:
        partnership_id = self.selected_review()
        if partnership_id is None:
            return
        if key == "open":
            self.open_record.emit("partnership", partnership_id)
        elif key in self.review_actions:
            self.review_actions[key](partnership_id)

    def row_color(self, section: Section, row: int) -> str | None:
        item = section.table.item(row, 0)
        return item.foreground().color().name() if item is not None else None


def theme_label(key: str) -> str:
    return vocab.label_of(vocab.THEMES, key)
