"""The demo's programmes and partnerships, with their member cities, coordinators, goals,
agreements, evaluations and the tasks of their stories."""

from __future__ import annotations

import random

from citypartner_desktop.services.demo import data
from citypartner_desktop.services.demo.agreements import load_agreements
from citypartner_desktop.services.demo.evaluations import load_evaluations
from citypartner_desktop.services.demo.plans import make_plans
from citypartner_desktop.services.demo.state import DemoLoad, Plan
from citypartner_desktop.services.demo.wording import themes_text

_PROGRESS = "Partnerships, agreements and evaluations"


def load_programmes(demo: DemoLoad) -> None:
    sink, ids = demo.sinks["programmes"], demo.ids["programmes"]
    for name, kind, website, notes in data.programmes().listed[: demo.sizes.programmes]:
        demo.programmes[name] = ids()
        sink.add((demo.programmes[name], name, kind, website, notes))
    sink.flush()


def load_partnerships(demo: DemoLoad) -> None:
    rng = random.Random(f"{demo.seed}:partnerships")
    make_plans(demo, rng)
    words = data.partnership_words()
    home = demo.cities[0]
    sinks, ids = demo.sinks, demo.ids
    reported = 0
    for number, plan in enumerate(demo.plans, 1):
        partner = demo.cities[plan.partners[0]]
        start = None if plan.start is None else demo.day(plan.start)
        end = None if plan.end is None else demo.day(plan.end)
        department = ("Office for International Relations"
                      if plan.kind in ("twinning", "friendship")
                      else words.departments[plan.themes[0]])
        aims = words.aims[plan.kind].format(home=home.name, partner=partner.name,
                                            themes=themes_text(plan.themes))
        sinks["partnerships"].add((
            plan.id, plan.title, plan.kind, plan.status, list(plan.themes), start, end,
            demo.programmes.get(plan.programme or ""), department, aims,
            # friendships are looser links, looked at every other year
            24 if plan.kind == "friendship" else 12, None))
        _members(demo, plan, rng)
        _coordinators(demo, plan, number)
        _goals(demo, plan, rng)
        load_agreements(demo, plan, rng)
        load_evaluations(demo, plan, rng)
        for title, due, done in plan.tasks:
            sinks["actions"].add((ids["actions"](), plan.id, title, demo.staff[1][1],
                                  demo.day(due), None if done is None else demo.day(done),
                                  None, None, None))
        if number - reported >= 200:
            demo.run.advance(number - reported, _PROGRESS)
            reported = number
    for table in ("memberships", "coordinators", "goals", "agreements", "signatories",
                  "responsibilities", "evaluations", "criterion_scores", "health_checks",
                  "kpi_measurements", "actions"):
        sinks[table].flush()
    demo.run.advance(len(demo.plans) - reported, _PROGRESS)


def _members(demo: DemoLoad, plan: Plan, rng: random.Random) -> None:
    r = rng.random
    sink, ids = demo.sinks["memberships"], demo.ids["memberships"]
    for position, city in enumerate(plan.members):
        role = "lead" if city == plan.lead else "partner"
        joined = plan.start
        if plan.kind == "network" and position > 1 and joined is not None and r() < 0.5:
            joined += int(r() * -joined * 0.7)  # joined the network later
        left = plan.end if plan.status == "ended" else None
        if role == "partner" and plan.kind == "network" and r() < 0.1:
            role = "observer"
        sink.add((ids(), plan.id, demo.cities[city].id, role,
                  None if joined is None else demo.day(joined),
                  None if left is None else demo.day(left)))


def _coordinators(demo: DemoLoad, plan: Plan, number: int) -> None:
    sink, ids = demo.sinks["coordinators"], demo.ids["coordinators"]
    # The head of the office runs the networks and projects; officers share the rest.
    officer = 2 + number % 3 if len(demo.staff) > 4 else 0
    ours = demo.staff[1 if plan.kind in ("network", "project") else officer][0]
    sink.add((ids(), plan.id, ours, f"Coordination for {demo.cities[0].name}"))
    counterpart = plan.counterpart
    contacts = demo.city_contacts[counterpart]
    if contacts:
        sink.add((ids(), plan.id, contacts[1] if len(contacts) > 1 else contacts[0],
                  f"Coordination for {demo.cities[counterpart].name}"))


def _goals(demo: DemoLoad, plan: Plan, rng: random.Random) -> None:
    r = rng.random
    if plan.status == "proposed":
        return
    goals = data.goals()
    fitting = [g for g in goals if g.theme in plan.themes] or list(goals)
    picked = rng.sample(fitting, min(len(fitting), 1 + int(r() * 3)))
    sink, ids = demo.sinks["goals"], demo.ids["goals"]
    for goal in picked:
        (b_lo, b_hi), (g_lo, g_hi) = goal.baseline, goal.gain
        whole = goal.unit != "%"
        baseline = b_lo + r() * (b_hi - b_lo)
        target = baseline + g_lo + r() * (g_hi - g_lo)
        baseline, target = (float(round(baseline)), float(round(target))) if whole else (
            round(baseline, 1), round(target, 1))
        due = plan.end if plan.end is not None else 120 + int(r() * 800)
        if plan.status == "ended":
            status = "achieved" if plan.health > 0.5 else "dropped"
        elif plan.health < 0.4:
            status = "at_risk"
        elif plan.start is None:
            status = "open"
        else:
            status = "on_track" if r() < 0.8 else "achieved"
        goal_id = ids()
        plan.goals.append((goal_id, baseline, target, whole))
        sink.add((goal_id, plan.id, goal.title, goal.theme, goal.indicator, goal.unit, baseline,
                  target, demo.day(due), status))
