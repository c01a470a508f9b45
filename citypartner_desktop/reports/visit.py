"""Visit briefing pack: what a delegation needs on the trip, printed or carried offline."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable, KeepTogether

from citypartner_desktop.reports.city_profile import city_facts
from citypartner_desktop.reports.document import ReportInfo
from citypartner_desktop.reports.parts import (
    bounded_note,
    city_name,
    day,
    facts,
    gap,
    heading,
    none_recorded,
    number,
    para,
    progress_bar,
    subheading,
    table,
)
from citypartner_desktop.services.report_data import VisitData

TITLE = "Visit briefing pack"


def build(data: VisitData, office: str, generated: date, width: float
          ) -> tuple[ReportInfo, list[Flowable]]:
    city = data.city
    info = ReportInfo(TITLE, city_name(city), office, generated,
                      (f"Briefing for a visit to {city.name}, {city.country_name}",))
    td = data.time_difference
    local = ("—" if td.hours is None
             else f"{td.note} (on {data.on.isoformat()})")
    story: list[Flowable] = [gap(10), facts([
        ("Local time", local if td.hours is not None else td.note),
        ("Partnerships", ", ".join(p.title for p in data.partnerships) or "—"),
    ], width, columns=1), gap(6), city_facts(city, width)]

    story.append(heading("Who to meet"))
    story.append(table(
        ["Name", "Role", "Phone", "E-mail"],
        [[c.name, ", ".join(x for x in (c.position, c.organisation) if x), c.phone, c.email]
         for c in data.people.rows],
        [0.22, 0.34, 0.17, 0.27], total_width=width, empty="contacts in this city"))
    story += bounded_note(data.people, "contacts", "first (by name)")

    story.append(heading("Agreements in force and what is due"))
    story.append(table(
        ["Agreement", "Partnership", "Status", "Expires", "Next due"],
        [[a.title, a.partnership, a.status, day(a.expires_on), _due(a.next_due(data.on))]
         for a in data.agreements],
        [0.28, 0.25, 0.1, 0.12, 0.25], total_width=width, empty="agreements in force"))

    story.append(heading("Open actions"))
    story.append(table(
        ["Action", "Owner", "Due", "Partnership"],
        [[a.title + (" (overdue)" if a.due_date and a.due_date < data.on else ""),
          a.owner or "—", day(a.due_date), a.partnership] for a in data.open_actions.rows],
        [0.42, 0.18, 0.12, 0.28], total_width=width, empty="open actions"))
    story += bounded_note(data.open_actions, "open actions", "first due")

    meetings: list[list[Flowable]] = [[
        subheading(f"{m.start_date.isoformat()} · {m.kind} · {m.title}"),
        para(" · ".join(x for x in (m.partnership, m.place,
                                    f"{number(m.participants)} people"
                                    if m.participants else "") if x), "small"),
        para(m.summary) if m.summary else none_recorded("minutes"),
    ] for m in data.last_meetings] or [[none_recorded("meetings")]]
    # The heading stays with the first meeting; each meeting's notes stay together.
    story.append(KeepTogether([heading("Notes of the last meetings"), *meetings[0]]))
    story += [KeepTogether(m) for m in meetings[1:]]

    story.append(heading("Goals and where they stand"))
    story.append(table(
        ["Goal", "Partnership", "Target", "Latest", "Progress", "Status"],
        [[g.title, g.partnership, number(g.target, g.unit), number(g.latest, g.unit),
          progress_bar(g.progress), g.status] for g in data.goals],
        [0.24, 0.22, 0.12, 0.12, 0.18, 0.12], total_width=width, empty="goals"))
    return info, story


def _due(due: tuple[date, str] | None) -> str:
    return f"{due[0].isoformat()} ({due[1]})" if due else "—"
