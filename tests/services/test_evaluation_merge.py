"""An evaluation a colleague saved while it was open: any change to any part is a new version
(so the save finds out), and the three-way merge decides part by part — core fields, scores,
health ratings, KPI measurements and action items (edited, added, removed)."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from citypartner_desktop.db.database import Database
from citypartner_desktop.db.uow import Actor
from citypartner_desktop.domain.errors import ConflictError
from citypartner_desktop.services import evaluation_merge, evaluations
from citypartner_desktop.services.evaluations import ActionItem, EvaluationForm
from tests.services.monitoring_data import build
from tests.services.test_evaluations import _form

COLLEAGUE = Actor(user="anna@office-pc", installation_id="00000000-0000-4000-8000-000000000002")


def _saved(db: Database) -> tuple[str, evaluations.LoadedEvaluation, str]:
    office = build(db)
    evaluation_id = evaluations.save(db.uow(), _form(office.busy, office.goal))
    return evaluation_id, evaluations.load(db.uow(), evaluation_id), office.goal


def _colleague_saves(db: Database, evaluation_id: str, change: dict[str, object]) -> None:
    colleague = dataclasses.replace(db, actor=COLLEAGUE)
    loaded = evaluations.load(colleague.uow(), evaluation_id)
    form = copy.deepcopy(loaded.form)
    for name, value in change.items():
        setattr(form, name, value)
    evaluations.save(colleague.uow(), form, evaluation_id, loaded.version)


def _mine(base: EvaluationForm, **change: object) -> EvaluationForm:
    form = copy.deepcopy(base)
    for name, value in change.items():
        setattr(form, name, value)
    return form


def test_a_change_to_any_part_is_a_new_version(db: Database) -> None:
    evaluation_id, loaded, _goal = _saved(db)
    health = {**loaded.form.health, ("ours", "trust"): ("amber", "slower replies")}
    _colleague_saves(db, evaluation_id, {"health": health})
    assert evaluations.load(db.uow(), evaluation_id).version > loaded.version
    mine = _mine(loaded.form, findings="Youth exchange tripled.")
    with pytest.raises(ConflictError):  # before: saved over Anna's rating without a word
        evaluations.save(db.uow(), mine, evaluation_id, loaded.version)
    assert evaluations.load(db.uow(), evaluation_id).form.health[("ours", "trust")] == (
        "amber", "slower replies")


def test_a_save_without_changes_keeps_the_version(db: Database) -> None:
    evaluation_id, loaded, _goal = _saved(db)
    evaluations.save(db.uow(), copy.deepcopy(loaded.form), evaluation_id, loaded.version)
    assert evaluations.load(db.uow(), evaluation_id).version == loaded.version


def test_parts_only_they_changed_are_taken_and_both_changed_are_asked(db: Database) -> None:
    evaluation_id, loaded, goal = _saved(db)
    _colleague_saves(db, evaluation_id, {
        "health": {**loaded.form.health, ("ours", "trust"): ("amber", "")},
        "kpis": {goal: ("45", "one more school")},
        "scores": {**loaded.form.scores, "impact": (4, "growing")},
    })
    mine = _mine(loaded.form, findings="Youth exchange tripled.",
                 health={**loaded.form.health, ("ours", "trust"): ("red", "no answers")},
                 scores={**loaded.form.scores, "impact": (4, "growing")})  # same change
    found = evaluation_merge.compute(db.uow(), evaluation_id, loaded.form, mine)

    assert [f.name for f in found.conflict.fields] == ["health.ours.trust"]
    [asked] = found.conflict.fields
    assert asked.label == "Health check: Our city, Trust"
    assert (asked.mine_text, asked.theirs_text) == ("Red – no answers", "Amber")
    assert asked.changed_by == COLLEAGUE.user
    assert [f.name for f in found.conflict.taken] == [f"kpi.{goal}"]
    assert found.conflict.taken[0].label == "KPI: Pupils in exchanges"

    kept = found.merged({"health.ours.trust": "theirs"})
    assert kept.findings == "Youth exchange tripled."
    assert kept.health[("ours", "trust")] == ("amber", "")
    assert kept.kpis[goal] == (45.0, "one more school")
    evaluations.save(db.uow(), kept, evaluation_id, found.version)
    now = evaluations.load(db.uow(), evaluation_id).form
    assert (now.findings, now.health[("ours", "trust")], now.kpis[goal]) == (
        "Youth exchange tripled.", ("amber", ""), (45.0, "one more school"))
    assert found.merged({}).health[("ours", "trust")] == ("red", "no answers")  # mine: default


def test_action_items_merge_by_their_id(db: Database) -> None:
    evaluation_id, loaded, _goal = _saved(db)
    [draft] = loaded.form.actions
    # Anna renames the draft action and adds one; I remove the draft and add another.
    _colleague_saves(db, evaluation_id, {"actions": [
        dataclasses.replace(draft, title="Draft the renewal with the council"),
        ActionItem("Book the hall", "Anna", "2027-01-10")]})
    mine = _mine(loaded.form, actions=[ActionItem("Send the photos", "Jan", None)])
    found = evaluation_merge.compute(db.uow(), evaluation_id, loaded.form, mine)
    [asked] = found.conflict.fields
    assert asked.name == f"action.{draft.id}"
    assert (asked.mine_text, asked.theirs_text) == (
        "(removed)", "Draft the renewal with the council · Anna · 2026-12-15")
    assert [f.label for f in found.conflict.taken] == ["Action item: Book the hall"]

    evaluations.save(db.uow(), found.merged({}), evaluation_id, found.version)
    titles = sorted(a.title for a in evaluations.load(db.uow(), evaluation_id).form.actions)
    assert titles == ["Book the hall", "Send the photos"]


def test_choosing_theirs_for_a_removed_action_keeps_it(db: Database) -> None:
    evaluation_id, loaded, _goal = _saved(db)
    [draft] = loaded.form.actions
    _colleague_saves(db, evaluation_id, {"actions": [dataclasses.replace(draft, owner="Anna N.")]})
    found = evaluation_merge.compute(db.uow(), evaluation_id, loaded.form,
                                     _mine(loaded.form, actions=[]))
    evaluations.save(db.uow(), found.merged({f"action.{draft.id}": "theirs"}), evaluation_id,
                     found.version)
    [kept] = evaluations.load(db.uow(), evaluation_id).form.actions
    assert (kept.id, kept.owner) == (draft.id, "Anna N.")


def test_a_choice_for_a_part_not_in_conflict_is_refused(db: Database) -> None:
    evaluation_id, loaded, _goal = _saved(db)
    _colleague_saves(db, evaluation_id, {"lessons": "Start in spring."})
    found = evaluation_merge.compute(db.uow(), evaluation_id, loaded.form,
                                     _mine(loaded.form, lessons="Start in winter."))
    assert [f.name for f in found.conflict.fields] == ["lessons"]
    with pytest.raises(ValueError, match="not conflicting parts: findings"):
        found.merged({"findings": "theirs"})
