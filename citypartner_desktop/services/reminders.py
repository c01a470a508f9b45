"""Reminders that need no server: what is due today or overdue, shown when the app starts.

A reminder can be snoozed until a day or marked done. Done on an action means the action is
done (its done date is set, through the records service, so it is audited and undoable like
any edit); done on a date of an agreement or an evaluation means "dealt with": the answer is
stored under a key that includes the date, so a new date is a new reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from citypartner_desktop.db.uow import UnitOfWork
from citypartner_desktop.domain import deadlines
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.repositories import monitoring as repo
from citypartner_desktop.repositories import monitoring_state
from citypartner_desktop.services import records

LIMIT = 300  # a reminder list longer than this is not read; the dashboard has the rest


class ReminderKind(StrEnum):
    ACTION = "action"
    DECIDE_BY = "decide_by"
    EXPIRY = "expiry"
    EVALUATION = "evaluation"


KIND_LABELS = {
    ReminderKind.ACTION: "Action due",
    ReminderKind.DECIDE_BY: "Decide on agreement by",
    ReminderKind.EXPIRY: "Agreement expires",
    ReminderKind.EVALUATION: "Evaluation due",
}


@dataclass(frozen=True)
class Reminder:
    key: str
    kind: ReminderKind
    record_kind: str  # what opens when the reminder is clicked
    record_id: str
    title: str
    partnership: str
    due: date

    def overdue(self, today: date) -> bool:
        return self.due < today


@dataclass(frozen=True)
class DueReminders:
    items: tuple[Reminder, ...]
    total: int


def key_for(kind: ReminderKind, record_id: str, due: date) -> str:
    return f"{kind.value}:{record_id}:{due.isoformat()}"


def due_reminders(uow: UnitOfWork, today: date, limit: int = LIMIT) -> DueReminders:
    """Everything due today or before, minus what was snoozed past today or marked done."""
    found: list[Reminder] = []
    with uow:
        answers = repo.reminder_states(uow)
        actions = repo.open_actions_due(uow, today, limit + len(answers))
        # a large office can have thousands of overdue actions: read the first, count all
        unread = repo.count_open_actions_due(uow, None, today) - len(actions)
        for a in actions:
            found.append(Reminder(key_for(ReminderKind.ACTION, a[0], a[3]), ReminderKind.ACTION,
                                  "action", a[0], a[1], a[5], a[3]))
        for r in repo.live_agreements_ending_from(uow, today):
            dates = deadlines.expiry_dates(r[4], r[5], today)
            if dates.decide_by <= today < dates.expires_on:
                found.append(Reminder(key_for(ReminderKind.DECIDE_BY, r[0], dates.decide_by),
                                      ReminderKind.DECIDE_BY, "agreement", r[0], r[1], r[3],
                                      dates.decide_by))
            elif dates.expires_on == today:
                found.append(Reminder(key_for(ReminderKind.EXPIRY, r[0], dates.expires_on),
                                      ReminderKind.EXPIRY, "agreement", r[0], r[1], r[3],
                                      dates.expires_on))
        last = repo.last_evaluations(uow)
        for p in repo.partnerships(uow, ("active",)):
            due = deadlines.evaluation_due(last.get(p.id), p.evaluation_cadence_months,
                                           p.start_date, today)
            if due <= today:
                found.append(Reminder(key_for(ReminderKind.EVALUATION, p.id, due),
                                      ReminderKind.EVALUATION, "partnership", p.id,
                                      "Evaluate the partnership", p.title, due))
    shown = [r for r in found if _shown(answers.get(r.key), today)]
    shown.sort(key=lambda r: (r.due, r.partnership, r.title))
    return DueReminders(tuple(shown[:limit]), len(shown) + unread)


def _shown(answer: tuple[date | None, date | None] | None, today: date) -> bool:
    if answer is None:
        return True
    snoozed_until, done_on = answer
    if done_on is not None:
        return False
    return snoozed_until is None or snoozed_until <= today


def snooze(uow: UnitOfWork, reminder: Reminder, until: date, today: date) -> None:
    if until <= today:
        raise ValidationError.single(
            "until", f"must be after today ({today.isoformat()}); it was {until.isoformat()}")
    with uow:
        monitoring_state.put_reminder_state(uow.session, reminder.key, until, None)
        uow.commit()


def mark_done(uow: UnitOfWork, reminder: Reminder, today: date) -> None:
    if reminder.kind is ReminderKind.ACTION:
        records.update(uow, "action", reminder.record_id, {"done_date": today})
        return
    with uow:
        monitoring_state.put_reminder_state(uow.session, reminder.key, None, today)
        uow.commit()


def mark_reviewed(uow: UnitOfWork, partnership_id: str, until: date, today: date) -> None:
    """The user looked at a partnership flagged for review: not flagged again before ``until``."""
    if until <= today:
        raise ValidationError.single(
            "until", f"must be after today ({today.isoformat()}); it was {until.isoformat()}")
    with uow:
        if not records.exists_in(uow, "partnership", partnership_id):
            raise ValidationError.single("partnership", "does not exist (deleted?)")
        monitoring_state.put_reminder_state(uow.session, f"review:{partnership_id}", until, None)
        uow.commit()
