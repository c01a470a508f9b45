"""A partnership's agreements: the founding one (charter, memorandum, grant), the current work
programme (some about to expire), their signatories and what each city takes on."""

from __future__ import annotations

import random

from citypartner_desktop.services.demo import data
from citypartner_desktop.services.demo.state import DemoLoad, Plan
from citypartner_desktop.services.demo.wording import languages as _languages
from citypartner_desktop.services.demo.wording import themes_text


def load_agreements(demo: DemoLoad, plan: Plan, rng: random.Random) -> None:
    r = rng.random
    home, partner = demo.cities[0], demo.cities[plan.partners[0]]
    bilateral = plan.kind in ("twinning", "friendship", "cooperation")
    languages = _languages(home.language, partner.language) if bilateral else "en"
    if plan.status == "proposed":
        return
    if plan.status == "negotiating":
        _agreement(demo, plan, rng, "memorandum", "Draft memorandum of understanding", "draft",
                   None, None, languages, renews=False)
        return
    assert plan.start is not None
    founding = {"twinning": ("charter", f"Twinning charter {home.name} – {partner.name}"),
                "friendship": ("memorandum", f"Memorandum of friendship with {partner.name}"),
                "cooperation": ("cooperation", f"Cooperation agreement with {partner.name}"),
                "project": ("grant", f"Grant agreement: {plan.title}"),
                "network": ("charter", f"Membership charter: {plan.title}")}[plan.kind]
    ends = plan.end if plan.kind == "project" or plan.status == "ended" else None
    if plan.kind == "project" and plan.expires_in is not None:
        ends = plan.expires_in
    status = "terminated" if plan.status == "ended" and plan.kind != "project" else None
    _agreement(demo, plan, rng, founding[0], founding[1], status, plan.start, ends, languages,
               renews=False)
    if plan.kind == "project":
        return
    if plan.expires_in is None and (plan.status == "ended" or r() < 0.4):
        return
    # The current work programme: a few years long, so some run out soon.
    if plan.expires_in is not None:
        expires = plan.expires_in
        effective = max(plan.start, expires - 3 * 365)
    else:
        first = max(plan.start, -5 * 365)
        last = -max(30, plan.quiet_days or 0)  # nothing new was signed in a quiet spell
        if first > last:
            return
        effective = first + int(r() * (last - first))
        expires = effective + 2 * 365 + int(r() * 3 * 365)
    years = f"{demo.day(effective).year}–{demo.day(expires).year}"
    kind = "action_plan" if r() < 0.4 else "cooperation"
    title = f"{'Action plan' if kind == 'action_plan' else 'Cooperation programme'} {years}"
    if bilateral:
        title = f"{title} with {partner.name}"
    renews = (bool(plan.auto_renew) if plan.expires_in is not None else r() < 0.25)
    _agreement(demo, plan, rng, kind, title, None, effective, expires, languages,
               renews=renews and expires >= 0)


def _agreement(demo: DemoLoad, plan: Plan, rng: random.Random, kind: str, title: str,
               status: str | None, effective: int | None, expires: int | None,
               languages: str, *, renews: bool) -> None:
    r = rng.random
    demo.agreement_no += 1
    agreement_id = demo.ids["agreements"]()
    signed = None if effective is None else effective - int(r() * 60)
    if status is None:
        if expires is not None and expires < 0:
            status = "expired"
        elif effective is not None and effective > 0:
            status = "signed"
        else:
            status = "in_force"
    notice = None
    if status != "draft":
        notice = (1, 3, 3, 6, 6, 12)[int(r() * 6)]
    review = None
    if expires is not None and notice is not None:
        review = expires - notice * 30 - 30
        if effective is not None and review < effective:
            review = None
    members = plan.members
    place = demo.cities[members[int(r() * len(members))]].name if signed is not None else None
    year = demo.day(signed).year if signed is not None else demo.today.year
    reference = f"IR-{year}-{demo.agreement_no:04d}"
    resolution = (f"Council resolution {year}/{10 + int(r() * 470)}"
                  if signed is not None and r() < 0.7 else None)
    summary = (f"{title}. Sets out the shared aims in {themes_text(plan.themes)}, the "
               f"responsibilities of each city and how progress is reviewed.")
    demo.sinks["agreements"].add((
        agreement_id, plan.id, kind, title, reference, status,
        None if signed is None else demo.day(signed), place,
        None if effective is None else demo.day(effective),
        None if expires is None else demo.day(expires), renews, notice,
        None if review is None else demo.day(review), resolution, languages, summary))
    if signed is None:
        return
    signatories, ids = demo.sinks["signatories"], demo.ids["signatories"]
    signatories.add((ids(), agreement_id, demo.staff[0][0],
                     f"Lord Mayor of {demo.cities[0].name}"))
    counterpart = plan.counterpart
    if demo.city_contacts[counterpart]:
        signatories.add((ids(), agreement_id, demo.city_contacts[counterpart][0],
                         f"Mayor of {demo.cities[counterpart].name}"))
    duties, duty_ids = demo.sinks["responsibilities"], demo.ids["responsibilities"]
    responsibilities = data.partnership_words().responsibilities
    for city in members[:3]:
        duties.add((duty_ids(), agreement_id, demo.cities[city].id,
                    responsibilities[int(r() * len(responsibilities))]))
