"""The demo's activities (meetings, calls, visits, events, exchanges, projects), their
participants and follow-up actions: spread over the partnerships, denser in recent years."""

from __future__ import annotations

import random

from citypartner_desktop.services.demo import data
from citypartner_desktop.services.demo.data import HOME
from citypartner_desktop.services.demo.state import DemoLoad, Plan
from citypartner_desktop.services.demo.weighted import pick, weighted
from citypartner_desktop.services.demo.wording import THEME_LABEL


def allocate_activities(demo: DemoLoad, rng: random.Random) -> list[int]:
    """Activities per partnership: busy ones more, exactly ``sizes.activities`` in all."""
    r = rng.random
    total = demo.sizes.activities
    base = 1 if total >= len(demo.plans) else 0
    weight_of = {"active": 1.0, "dormant": 0.4, "suspended": 0.4, "ended": 0.6,
                 "negotiating": 0.25, "proposed": 0.15}
    weights = [weight_of[p.status] * (0.4 + 1.2 * r()) * (1.3 if p.kind == "network" else 1)
               for p in demo.plans]
    rest = total - base * len(demo.plans)
    shares = [rest * w / sum(weights) for w in weights]
    counts = [base + int(s) for s in shares]
    missing = total - sum(counts)
    by_fraction = sorted(range(len(shares)), key=lambda i: (int(shares[i]) - shares[i], i))
    for i in by_fraction[:missing]:
        counts[i] += 1
    return counts


def load_activities(demo: DemoLoad) -> None:
    rng = random.Random(f"{demo.seed}:activities")
    r = rng.random
    sizes = demo.sizes
    words = data.activity_words()
    counts = allocate_activities(demo, rng)
    kinds, bounds = weighted(words.kinds)
    activities, participants, actions = (demo.sinks[t] for t in (
        "activities", "participants", "actions"))
    activity_ids, participant_ids, action_ids = (demo.ids[t] for t in (
        "activities", "participants", "actions"))
    cities = demo.cities
    owners = [name for _, name in demo.staff[1:6]] or [demo.staff[0][1]]
    reported = made = 0
    for plan, count in zip(demo.plans, counts, strict=True):
        lo, hi = _window(plan)
        span = hi - lo + 1
        first_recent = plan.status == "active" and plan.quiet_days is None
        members, partners = plan.members, plan.partners
        themes = [(THEME_LABEL[t].lower(), THEME_LABEL[t]) for t in plan.themes]
        pool = [s for s, _ in demo.staff[:8]]
        for city in members[:6]:
            pool.extend(demo.city_contacts[city][:4])
        for _ in range(count):
            kind = pick(kinds, bounds, r())
            template, where = (options := words.titles[kind])[int(r() * len(options))]
            partner = partners[int(r() * len(partners))]
            place = (partner if where == "partner" else 0 if where == HOME
                     else members[int(r() * len(members))] if where == "any" else None)
            theme, theme_title = themes[int(r() * len(themes))]
            if first_recent:
                # Every partnership in good standing has something recent or planned, so
                # only the ones meant to be dormant look dormant.
                recent = min(hi, max(lo, -150))
                offset, first_recent = recent + int(r() * (hi - recent + 1)), False
            else:
                offset = hi - int(span * r() ** 1.5)  # records are denser in recent years
            start = demo.day(offset)
            partner_name = cities[partner].name
            title = template.format(city="" if place is None else cities[place].name,
                                    partner=partner_name, theme=theme, Theme=theme_title,
                                    year=start.year)
            end = None
            if kind in ("visit", "exchange"):
                end = demo.day(offset + 1 + int(r() * 5))
            elif kind == "project":
                end = demo.day(offset + 30 + int(r() * 270))
            low, high = words.participants[kind]
            head_count = low + int(r() * (high - low + 1))
            cost = None
            if kind in words.costs and r() < 0.8:
                c_lo, c_hi = words.costs[kind]
                cost = float(round(c_lo + r() * (c_hi - c_lo), -1))
            summary = None
            if r() < 0.7:
                texts = words.summaries[kind]
                summary = texts[int(r() * len(texts))].format(partner=partner_name, theme=theme)
            activity_id = activity_ids()
            activities.add((activity_id, plan.id, kind, title, start, end,
                            None if place is None else cities[place].id, head_count, cost,
                            None if cost is None else "EUR", summary))
            if r() < sizes.participant_share and pool:
                chosen = rng.sample(pool, min(len(pool), 1 + int(r() * sizes.max_participants)))
                roles = words.participant_roles
                for contact_id in chosen:
                    participants.add((participant_ids(), activity_id, contact_id,
                                      roles[int(r() * len(roles))]))
            if r() < sizes.action_share:
                due = offset + 7 + int(r() * 38)
                follow_up = words.follow_ups[int(r() * len(words.follow_ups))].format(
                    partner=partner_name, theme=theme, year=start.year + 1)
                actions.add((action_ids(), plan.id, follow_up, owners[int(r() * len(owners))],
                             demo.day(due), demo.done_on(r, offset, due), activity_id, None,
                             None))
            made += 1
            if made - reported >= sizes.chunk:
                demo.run.advance(made - reported, "Activities")
                reported = made
    for sink in (activities, participants, actions):
        sink.flush()
    demo.run.advance(made - reported, "Activities")


def _window(plan: Plan) -> tuple[int, int]:
    """Days (from today) in which the partnership's activities fall."""
    if plan.start is None:  # proposed or negotiating: first contacts, recent and planned
        lo, hi = -540, 90
    else:
        lo = max(plan.start, -12 * 365)
        hi = 120
        if plan.end is not None:
            hi = min(hi, plan.end)
        if plan.quiet_days is not None:
            hi = min(hi, -plan.quiet_days)
    return (min(lo, hi - 30), hi)
