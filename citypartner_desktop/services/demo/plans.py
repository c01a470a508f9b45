"""Which partnerships the demo has: the stories of stories.json first, then random ones of every
kind and status, each with its cities, themes, dates and how well it goes."""

from __future__ import annotations

import random

from citypartner_desktop.domain import vocab
from citypartner_desktop.services.demo import data
from citypartner_desktop.services.demo.state import DemoLoad, Plan
from citypartner_desktop.services.demo.weighted import pick, weighted
from citypartner_desktop.services.demo.wording import THEME_LABEL, in_vocab_order

_KINDS = weighted((("twinning", 30), ("friendship", 15), ("cooperation", 20), ("project", 20),
                   ("network", 15)))
_STATUSES = weighted((("active", 60), ("quiet", 5), ("dormant", 5), ("proposed", 6),
                      ("negotiating", 6), ("suspended", 4), ("ended", 14)))
# How long ago a partnership of each kind started, in years (from, to).
_YEARS: dict[str, tuple[float, float]] = {
    "twinning": (3, 60), "friendship": (1, 25), "cooperation": (1, 15), "project": (0.2, 4),
    "network": (1, 20),
}


def make_plans(demo: DemoLoad, rng: random.Random) -> None:
    _plan_stories(demo, rng)
    while len(demo.plans) < demo.sizes.partnerships:
        demo.plans.append(_random_plan(demo, rng))


def _plan_stories(demo: DemoLoad, rng: random.Random) -> None:
    r = rng.random
    keys = {city.key: i for i, city in enumerate(data.curated_cities())}
    ids = demo.ids["partnerships"]
    for story in data.stories()[: demo.sizes.partnerships]:
        health = 0.2 + 0.2 * r() if story.quiet_days or story.status == "suspended" else (
            0.45 + 0.5 * r())
        demo.plans.append(Plan(
            ids(), story.title, story.kind, story.status, [keys[m] for m in story.members],
            keys[story.lead] if story.lead else None, story.programme,
            in_vocab_order(story.themes), demo.offset(story.since), story.until,
            story.quiet_days if story.quiet_days else (
                90 + int(r() * 200) if story.status == "suspended" else None),
            story.expires_in, story.auto_renew, story.tasks, health, story.last_review))


def _random_plan(demo: DemoLoad, rng: random.Random) -> Plan:
    r = rng.random
    words, programmes = data.partnership_words(), data.programmes()
    n_cities = len(demo.cities)
    kind = pick(*_KINDS, r())
    status = pick(*_STATUSES, r())
    quiet: int | None = None
    if status == "quiet":  # active on paper, but nothing happened for over a year
        status, quiet = "active", 400 + int(r() * 500)
    elif status == "dormant":
        quiet = 200 + int(r() * 1300)
    elif status == "suspended":
        quiet = 60 + int(r() * 340)
    n_partners = {"project": 2 + int(r() * 6), "network": 4 + int(r() * 11)}.get(kind, 1)
    partners = rng.sample(range(1, n_cities), min(n_partners, n_cities - 1))
    themes = in_vocab_order(rng.sample([k for k, _ in vocab.THEMES], 1 + int(r() * 3)))
    years = _YEARS[kind]
    start: int | None = -int(365 * (years[0] + r() * (years[1] - years[0])))
    end: int | None = None
    if kind == "project":
        assert start is not None
        end = start + 540 + int(r() * 560)
    if status == "ended":
        end = -30 - int(r() * 1000)
        assert start is not None
        start = min(start, end - 180)
    elif end is not None and end < 0:
        end = 30 + int(r() * 300)  # a project still running
    if status in ("proposed", "negotiating"):
        start = end = None
    programme: str | None = None
    partner = demo.cities[partners[0]]
    if kind == "network":
        programme = programmes.for_networks[int(r() * len(programmes.for_networks))]
        topics = words.network_topics
        title = f"{programme}: {topics[int(r() * len(topics))]}"
    elif kind == "project":
        programme = programmes.for_projects[int(r() * len(programmes.for_projects))]
        project_names = words.project_names
        title = f"{programme} project: {project_names[int(r() * len(project_names))]}"
    elif kind == "twinning":
        title = f"{demo.cities[0].name} – {partner.name} twinning"
        if partner.country == "US" and r() < 0.6:
            programme = "Sister Cities International"
    elif kind == "friendship":
        title = f"Friendship with {partner.name}"
    else:
        title = f"{THEME_LABEL[themes[0]]} cooperation with {partner.name}"
    if programme not in demo.programmes:
        programme = None
    lead = None
    if kind in ("project", "network"):
        lead = 0 if r() < 0.4 else partners[0]
    health = {"dormant": 0.15, "suspended": 0.25}.get(status, 0.3) + 0.6 * r()
    if quiet and status == "active":
        health = 0.15 + 0.25 * r()
    return Plan(demo.ids["partnerships"](), title, kind, status, [0, *partners], lead,
                programme, themes, start, end, quiet, None, None, (), health)

