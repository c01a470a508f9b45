"""A partnership's evaluations: annual and end-of-term reviews scored on the criteria, health
checks from both sides, KPI measurements for its goals and the follow-up actions they call for.
How well the partnership goes (``Plan.health``) drives the scores, ratings and findings."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from citypartner_desktop.domain import vocab
from citypartner_desktop.services.demo import data
from citypartner_desktop.services.demo.state import DemoLoad, Plan
from citypartner_desktop.services.demo.wording import THEME_LABEL


def _reviews(demo: DemoLoad, plan: Plan, rng: random.Random) -> list[tuple[str, str, int]]:
    """(period, kind, days from today) of each evaluation the partnership had."""
    r = rng.random
    assert plan.start is not None
    start_year = demo.day(plan.start).year
    limit = min(-1, plan.end + 60) if plan.end is not None and plan.end < 0 else -1
    reviews: list[tuple[str, str, int]] = []
    for back in range(demo.sizes.evaluations_max):
        year = demo.today.year - 1 - back
        if year <= start_year:
            break
        if plan.status == "ended" and plan.end is not None and (
                date(year, 1, 1) - demo.today).days > plan.end:
            continue
        natural = (date(year + 1, 1, 15) - demo.today).days + int(r() * 60)
        if plan.last_review is not None and natural > plan.last_review:
            continue  # not evaluated since: an evaluation overdue on the dashboard
        when = min(limit, natural)
        reviews.append((str(year), "annual", when))
    if plan.status == "ended" and plan.end is not None:
        when = min(-1, plan.end + 20 + int(r() * 40))
        reviews.append((f"{demo.day(plan.start).year}–{demo.day(plan.end).year}",
                        "end_of_term", when))
    return reviews


def _recommendation(end_of_term: bool, band: int, r: Callable[[], float]) -> str:
    """What the review recommends; the end-of-term review of an ended partnership: "end"."""
    if end_of_term:
        return "end"
    if band == 2:
        return "renew" if r() < 0.3 else "continue"
    if band == 1:
        return "continue" if r() < 0.6 else "rescope"
    return "suspend" if r() < 0.4 else "rescope"


def load_evaluations(demo: DemoLoad, plan: Plan, rng: random.Random) -> None:
    r = rng.random
    if plan.status not in ("active", "dormant", "suspended", "ended") or plan.start is None:
        return
    if plan.start > -365:
        return
    words = data.evaluation_words()
    partner = demo.cities[plan.partners[0]].name
    theme = THEME_LABEL[plan.themes[0]].lower()
    for period, kind, when in _reviews(demo, plan, rng):
        level = min(1.0, max(0.0, plan.health + (r() - 0.5) * 0.2))
        band = 0 if level < 0.35 else (1 if level < 0.7 else 2)
        recommendation = _recommendation(plan.status == "ended" and kind == "end_of_term",
                                         band, r)
        evaluation_id = demo.ids["evaluations"]()
        plan.evaluations.append(when)
        evaluator = demo.staff[1 + int(r() * min(4, len(demo.staff) - 1))][1]
        findings = " ".join(words.findings[band]).format(theme=theme)
        demo.sinks["evaluations"].add((
            evaluation_id, plan.id, period, demo.day(when), kind,
            words.methods[int(r() * len(words.methods))], evaluator, findings,
            words.lessons[int(r() * len(words.lessons))], recommendation))
        scores, score_ids = demo.sinks["criterion_scores"], demo.ids["criterion_scores"]
        for criterion, _ in vocab.CRITERIA:
            score = min(5, max(1, round(1 + 4 * level + (r() - 0.5) * 1.6)))
            scores.add((score_ids(), evaluation_id, criterion, score,
                        words.rationales[criterion][0 if score <= 2 else (1 if score == 3 else 2)]))
        checks, check_ids = demo.sinks["health_checks"], demo.ids["health_checks"]
        for side, _ in vocab.HEALTH_SIDES:
            for aspect, _ in vocab.HEALTH_ASPECTS:
                value = level + (r() - 0.5) * 0.5
                rating = "green" if value >= 0.6 else ("amber" if value >= 0.35 else "red")
                note = ("Needs discussion at the next steering group." if rating == "red"
                        else None)
                checks.add((check_ids(), evaluation_id, side, aspect, rating, note))
        kpis, kpi_ids = demo.sinks["kpi_measurements"], demo.ids["kpi_measurements"]
        for goal_id, baseline, target, whole in plan.goals:
            actual = baseline + (target - baseline) * min(1.2, level * (0.6 + 0.7 * r()))
            kpis.add((kpi_ids(), evaluation_id, goal_id,
                      float(round(actual)) if whole else round(actual, 1), demo.day(when), None))
        if r() < 0.7:
            options = words.follow_ups[recommendation]
            due = when + 30 + int(r() * 90)
            demo.sinks["actions"].add((
                demo.ids["actions"](), plan.id,
                options[int(r() * len(options))].format(partner=partner),
                demo.staff[1][1], demo.day(due), demo.done_on(r, when, due), None,
                evaluation_id, None))
