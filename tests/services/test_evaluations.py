"""The evaluation workflow: save all parts in one go, reopen, compare, refuse bad input."""

from __future__ import annotations

from datetime import date

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.domain.errors import ValidationError
from citypartner_desktop.domain.records import ListQuery
from citypartner_desktop.services import evaluations, monitoring, records
from citypartner_desktop.services.evaluations import ActionItem, EvaluationForm
from tests.services.monitoring_data import TODAY, build


def _form(partnership_id: str, goal_id: str, **overrides: object) -> EvaluationForm:
    form = EvaluationForm(
        partnership_id=partnership_id, period="2026", evaluated_on="2026-11-20", kind="annual",
        method="Workshop with both offices", evaluator="Anna Nowak",
        findings="Youth exchange doubled.", lessons="Plan the camp earlier.",
        recommendation="renew",
        scores={"relevance": (5, "core of the link"), "impact": (3, "growing")},
        health={("ours", "trust"): ("green", ""), ("partner", "resources"): ("red", "no budget")},
        kpis={goal_id: ("40", "two schools more")},
        actions=[ActionItem("Draft the renewal", "Anna", "2026-12-15")],
    )
    for name, value in overrides.items():
        setattr(form, name, value)
    return form


def test_save_and_reopen_everything(db: Database) -> None:
    office = build(db)
    new_id = evaluations.save(db.uow(), _form(office.busy, office.goal))
    loaded = evaluations.load(db.uow(), new_id)
    form = loaded.form
    assert loaded.partnership == "Nürnberg – Kraków"
    assert (form.period, form.evaluated_on, form.recommendation) == ("2026", date(2026, 11, 20),
                                                                     "renew")
    assert form.scores == {"relevance": (5, "core of the link"), "impact": (3, "growing")}
    assert form.health == {("ours", "trust"): ("green", ""),
                           ("partner", "resources"): ("red", "no budget")}
    assert form.kpis == {office.goal: (40.0, "two schools more")}
    [item] = form.actions
    assert (item.title, item.owner, item.due_date) == ("Draft the renewal", "Anna",
                                                       date(2026, 12, 15))
    # the action item is an action of the partnership, linked to the evaluation: on the dashboard
    action = records.get(db.uow(), "action", item.id or "")
    assert action.values["evaluation_id"] == new_id
    assert action.values["partnership_id"] == office.busy
    board = monitoring.dashboard(db.uow(), TODAY)
    assert "Draft the renewal" in [a.title for a in board.actions]
    # a new evaluation moves the evaluation due date a year on
    assert office.busy not in {e.partnership_id for e in board.evaluations_due}


def test_editing_updates_removes_and_adds_parts(db: Database) -> None:
    office = build(db)
    new_id = evaluations.save(db.uow(), _form(office.busy, office.goal))
    loaded = evaluations.load(db.uow(), new_id)
    form = loaded.form
    form.health[("partner", "resources")] = (None, "")  # no longer rated
    form.kpis[office.goal] = ("", "")  # measurement removed
    form.actions = [*form.actions, ActionItem("Invite the youth council", "Jan", None)]
    form.scores["impact"] = (4, "growing fast")
    evaluations.save(db.uow(), form, new_id, loaded.version)
    again = evaluations.load(db.uow(), new_id).form
    assert again.health == {("ours", "trust"): ("green", "")}
    assert again.kpis == {}
    assert sorted(a.title for a in again.actions) == ["Draft the renewal",
                                                      "Invite the youth council"]
    assert again.scores["impact"] == (4, "growing fast")


@pytest.mark.parametrize(("change", "key", "message"), [
    ({"scores": {"relevance": (6, "")}}, "score.relevance", "score 6 is not between 1 and 5"),
    ({"actions": [ActionItem("Call", "Jan", "31.12.2026")]}, "action.1.due_date",
     "is not a date"),
    ({"actions": [ActionItem("  ", "Jan", "2026-12-31")]}, "action.1.title", "is required"),
    ({"period": ""}, "period", "is required"),
    ({"evaluated_on": "2026-02-30"}, "evaluated_on", "not a date"),
    ({"health": {("ours", "trust"): ("purple", "")}}, "health.ours.trust", "not red, amber"),
])
def test_bad_input_is_named_and_nothing_is_saved(db: Database, change: dict[str, object],
                                                 key: str, message: str) -> None:
    office = build(db)
    before = records.count(db.uow(), "action", _all())
    evaluations_before = records.count(db.uow(), "evaluation", _all())
    with pytest.raises(ValidationError) as caught:
        evaluations.save(db.uow(), _form(office.busy, office.goal, **change))
    assert message in caught.value.errors[key]
    assert records.count(db.uow(), "action", _all()) == before
    assert records.count(db.uow(), "evaluation", _all()) == evaluations_before


def test_a_goal_of_another_partnership_is_refused_and_nothing_saved(db: Database) -> None:
    office = build(db)
    evaluations_before = records.count(db.uow(), "evaluation", _all())
    with pytest.raises(ValidationError) as caught:
        evaluations.save(db.uow(), _form(office.quiet, office.goal))
    assert "another partnership" in caught.value.errors[f"kpi.{office.goal}.goal_id"]
    assert records.count(db.uow(), "evaluation", _all()) == evaluations_before


def test_compare_shows_what_moved(db: Database) -> None:
    office = build(db)
    first = evaluations.save(db.uow(), _form(office.busy, office.goal, evaluated_on="2025-11-01",
                                             period="2025", kpis={office.goal: ("20", "")},
                                             actions=[]))
    second = evaluations.save(db.uow(), _form(
        office.busy, office.goal,
        scores={"relevance": (4, ""), "impact": (5, "")},
        health={("ours", "trust"): ("amber", ""), ("partner", "resources"): ("green", "")}))
    result = evaluations.compare(db.uow(), second, first)  # given in any order: older first
    assert result.before.id == first and result.after.id == second
    scores = {c.label: (c.before, c.after, c.direction) for c in result.scores}
    assert scores["Relevance"] == ("5", "4", -1)
    assert scores["Impact"] == ("3", "5", 1)
    assert scores["Coherence"] == ("–", "–", 0)
    health = {c.label: (c.before, c.after, c.direction) for c in result.health}
    assert health["Our city: Trust"] == ("Green", "Amber", -1)
    assert health["Partner city: Resources"] == ("Red", "Green", 1)
    [kpi] = result.kpis
    assert (kpi.label, kpi.before, kpi.after, kpi.direction) == ("Pupils in exchanges", "25 %",
                                                                 "75 %", 1)


def test_compare_refuses_evaluations_of_different_partnerships(db: Database) -> None:
    office = build(db)
    [other] = [r.id for r in records.list_page(
        db.uow(), "evaluation", ListQuery(filters=(("partnership_id", office.quiet),)))]
    with pytest.raises(ValidationError, match="same partnership"):
        evaluations.compare(db.uow(), office.evaluation, other)


def test_trend_of_a_partnership(db: Database) -> None:
    office = build(db)
    evaluations.save(db.uow(), _form(office.busy, office.goal))
    trend = evaluations.trend(db.uow(), office.busy)
    assert [(p.evaluated_on, p.mean) for p in trend.scores] == [(date(2025, 10, 15), 3.0),
                                                               (date(2026, 11, 20), 4.0)]
    [kpi] = trend.kpis
    assert kpi.latest == 40.0 and kpi.progress == pytest.approx(0.75)


def _all() -> ListQuery:
    return ListQuery()
