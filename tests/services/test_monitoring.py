"""Dashboard figures, settings and reminders on a fixed day."""

from __future__ import annotations

from datetime import date

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.services import monitoring, records, reminders
from tests.services.monitoring_data import TODAY, build


def test_dashboard_sections_on_a_fixed_day(db: Database) -> None:
    office = build(db)
    board = monitoring.dashboard(db.uow(), TODAY)
    assert {p.id for p in board.active} == {office.busy, office.quiet, office.lapsed}

    [expiring] = board.expiring
    assert expiring.id == office.agreement and expiring.partnership_id == office.busy
    assert expiring.dates.expires_on == date(2027, 1, 31)
    assert expiring.dates.decide_by == date(2026, 10, 31)  # 3 months' notice: already past
    assert expiring.dates.notice_missed

    assert [a.title for a in board.actions] == ["Send the youth camp invitation", "Book the hall"]
    assert board.actions[0].overdue and not board.actions[1].overdue
    assert (board.overdue_actions, board.upcoming_actions) == (1, 1)

    [due] = board.evaluations_due
    assert due.partnership_id == office.busy and due.due_on == date(2026, 10, 15) and due.overdue

    flags = {f.partnership_id: f.reasons for f in board.needs_review}
    assert flags[office.quiet] == ("no activity for 12 months (last 2024-10-01)",
                                   "no visit for 3 years")
    assert flags[office.lapsed] == ("all its agreements have expired (last on 2025-02-28)",)
    assert office.busy not in flags
    assert set(board.timings_ms) >= {"actions", "last activity and visit"}


def test_a_draft_agreement_is_not_an_expired_one(db: Database) -> None:
    office = build(db)
    records.create(db.uow(), "agreement", {"partnership_id": office.quiet, "kind": "charter",
                                           "title": "Friendship charter (draft)",
                                           "status": "draft"})
    records.create(db.uow(), "agreement", {"partnership_id": office.lapsed, "kind": "charter",
                                           "title": "New charter (draft)", "status": "draft"})
    flags = {f.partnership_id: f.reasons for f in monitoring.dashboard(db.uow(), TODAY
                                                                      ).needs_review}
    assert not any("agreements" in r for r in flags[office.quiet])
    assert flags[office.lapsed][0].startswith("all its agreements have expired")


def test_settings_change_what_counts_as_dormant(db: Database) -> None:
    office = build(db)
    assert monitoring.load_settings(db.uow()) == monitoring.MonitoringSettings()
    monitoring.save_settings(db.uow(), {"dormant_after_months": "36", "no_visit_years": 5})
    board = monitoring.dashboard(db.uow(), TODAY)
    flags = {f.partnership_id: f.reasons for f in board.needs_review}
    assert flags[office.quiet] == ("no visit for 5 years",)  # quiet for two years only
    assert board.settings.dormant_after_months == 36


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"dormant_after_months": "0"}, "dormant_after_months", "between 1 and 120"),
    ({"expiry_window_days": "ninety"}, "expiry_window_days", "not a whole number"),
    ({"colour": "red"}, "colour", "not a monitoring setting"),
])
def test_bad_settings_are_refused_and_nothing_is_stored(db: Database, changes: dict[str, object],
                                                        field: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        monitoring.save_settings(db.uow(), {"no_visit_years": "7", **changes})
    assert message in caught.value.errors[field]
    assert monitoring.load_settings(db.uow()).no_visit_years == 3  # the good one not saved


def test_marking_a_partnership_reviewed_hides_it_until_the_day(db: Database) -> None:
    office = build(db)
    reminders.mark_reviewed(db.uow(), office.quiet, date(2027, 1, 1), TODAY)
    flagged = {f.partnership_id for f in monitoring.dashboard(db.uow(), TODAY).needs_review}
    assert office.quiet not in flagged
    board = monitoring.dashboard(db.uow(), date(2027, 1, 1))
    later = {f.partnership_id for f in board.needs_review}
    assert office.quiet in later
    with pytest.raises(ValidationError, match="after today"):
        reminders.mark_reviewed(db.uow(), office.quiet, TODAY, TODAY)


def test_reminders_due_today_and_overdue(db: Database) -> None:
    office = build(db)
    due = reminders.due_reminders(db.uow(), TODAY)
    kinds = {(r.kind, r.record_id) for r in due.items}
    assert kinds == {
        (reminders.ReminderKind.ACTION, office.overdue_action),
        (reminders.ReminderKind.DECIDE_BY, office.agreement),
        (reminders.ReminderKind.EVALUATION, office.busy),
    }
    assert due.total == 3
    assert all(r.overdue(TODAY) for r in due.items)


def test_snooze_and_done(db: Database) -> None:
    office = build(db)
    items = {r.kind: r for r in reminders.due_reminders(db.uow(), TODAY).items}
    reminders.snooze(db.uow(), items[reminders.ReminderKind.DECIDE_BY], date(2026, 12, 5), TODAY)
    reminders.mark_done(db.uow(), items[reminders.ReminderKind.ACTION], TODAY)
    reminders.mark_done(db.uow(), items[reminders.ReminderKind.EVALUATION], TODAY)
    assert reminders.due_reminders(db.uow(), TODAY).total == 0
    # the snoozed one is back on its day; done ones stay away
    back = reminders.due_reminders(db.uow(), date(2026, 12, 5)).items
    assert [r.kind for r in back] == [reminders.ReminderKind.DECIDE_BY]
    # done on an action is the action done, audited like any edit
    action = records.get(db.uow(), "action", office.overdue_action)
    assert action.values["done_date"] == TODAY


def test_snoozing_into_the_past_is_refused(db: Database) -> None:
    build(db)
    [first, *_] = reminders.due_reminders(db.uow(), TODAY).items
    with pytest.raises(ValidationError, match="must be after today"):
        reminders.snooze(db.uow(), first, TODAY, TODAY)
    assert reminders.due_reminders(db.uow(), TODAY).total == 3


def test_charts_count_activities_per_theme_and_year(db: Database) -> None:
    build(db)
    charts = monitoring.charts(db.uow(), TODAY, years=3)
    assert charts.years == (2024, 2025, 2026)
    by_theme = {s.theme: s.counts for s in charts.themes}
    assert by_theme == {"Culture": (0, 0, 2), "Youth": (0, 0, 2)}  # Kraków's two activities
    [year] = charts.scores
    assert (year.year, year.mean, year.evaluations) == (2025, 3.0, 1)


def test_a_long_reminder_list_is_cut_but_counted(db: Database) -> None:
    build(db)
    due = reminders.due_reminders(db.uow(), TODAY, limit=1)
    assert len(due.items) == 1 and due.total == 3


@pytest.mark.parametrize("today", [date(2026, 11, 28), date(2028, 2, 29)])
def test_the_small_demo_fills_every_dashboard_section(db: Database, today: date) -> None:
    """Done-when of issue 4: on the small demo every section has real items, whatever the day."""
    from citypartner_desktop.services import demo

    demo.load_demo(db, "small", today=today)
    board = monitoring.dashboard(db.uow(), today)
    assert board.active and board.expiring and board.evaluations_due
    assert board.overdue_actions and board.upcoming_actions
    reasons = " ".join(r for f in board.needs_review for r in f.reasons)
    assert "no activity for 12 months" in reasons  # the dormant partnership
    assert reminders.due_reminders(db.uow(), today).total
    charts = monitoring.charts(db.uow(), today)
    assert charts.themes and charts.scores
