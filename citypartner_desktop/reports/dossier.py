"""Partnership dossier: everything about one partnership, for a council meeting."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable

from citypartner_desktop.domain.vocab import CRITERIA
from citypartner_desktop.reports import charts
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
    started,
    subheading,
    table,
)
from citypartner_desktop.services.report_data import DossierData

TITLE = "Partnership dossier"


def build(data: DossierData, office: str, generated: date, width: float
          ) -> tuple[ReportInfo, list[Flowable]]:
    p = data.partnership
    info = ReportInfo(TITLE, p.title, office, generated,
                      (f"{p.kind} · {p.status}" + (f" · {p.programme}" if p.programme else ""),))
    story: list[Flowable] = [gap(10), facts([
        ("Kind", p.kind), ("Status", p.status),
        ("Themes", ", ".join(p.themes) or "—"), ("Programme", p.programme or "—"),
        ("Start", started(p.start_date, p.since_year)), ("End", day(p.end_date)),
        ("Lead department", p.lead_department or "—"),
        ("Members", str(len(data.members))),
    ], width)]
    if p.aims:
        story += [subheading("Aims"), para(p.aims)]

    story.append(heading("Member cities"))
    story.append(table(
        ["City", "Country", "Role", "Population", "Time zone", "Joined", "Left"],
        [[city_name(m.city) + (" — home city" if m.city.is_home else ""), m.city.country_name,
          m.role, number(m.city.population), m.city.timezone or "—", day(m.joined_on),
          day(m.left_on)] for m in data.members],
        [0.27, 0.14, 0.09, 0.12, 0.16, 0.11, 0.11], total_width=width, bold_first=True))

    story.append(heading("Coordinators and contacts"))
    story.append(subheading("Coordinators"))
    story.append(table(
        ["Name", "Responsibility", "Position", "E-mail", "Phone"],
        [[c.name, c.responsibility, ", ".join(x for x in (c.position, c.organisation) if x),
          c.email, c.phone] for c in data.coordinators],
        [0.2, 0.18, 0.24, 0.22, 0.16], total_width=width, empty="coordinators"))
    story.append(subheading("Contacts in the partner cities"))
    story.append(table(
        ["Name", "City", "Position", "E-mail", "Phone"],
        [[c.name, c.city, ", ".join(x for x in (c.position, c.organisation) if x), c.email,
          c.phone] for c in data.contacts.rows],
        [0.2, 0.14, 0.28, 0.22, 0.16], total_width=width, empty="contacts"))
    story += bounded_note(data.contacts, "contacts", "first (by city and name)")

    story.append(heading("Agreements"))
    story.append(table(
        ["Agreement", "Kind", "Status", "Signed", "Expires", "Notice by", "Review"],
        [[a.title, a.kind, a.status, day(a.signed_on),
          day(a.expires_on) + (" (renews)" if a.auto_renew else ""), day(a.notice_by),
          day(a.review_on)] for a in data.agreements],
        [0.23, 0.14, 0.09, 0.115, 0.15, 0.135, 0.14], total_width=width, empty="agreements"))

    story.append(heading("Goals"))
    story.append(table(
        ["Goal", "Indicator", "Baseline", "Target", "Latest", "Progress", "Status"],
        [[g.title, g.indicator + (f" ({g.unit})" if g.unit else ""), number(g.baseline),
          number(g.target), number(g.latest) + (f"\n{day(g.latest_on)}" if g.latest_on else ""),
          progress_bar(g.progress), g.status] for g in data.goals],
        [0.2, 0.2, 0.09, 0.09, 0.11, 0.18, 0.13], total_width=width, empty="goals"))

    story.append(heading("Activity timeline"))
    if data.activities_per_year:
        story.append(para(f"{data.activities.total:,} activities in all; per year:", "small"))
        story.append(charts.column_chart(
            [(str(y), n) for y, n in data.activities_per_year[-15:]], width, 110))
    story.append(table(
        ["Date", "Kind", "Activity", "Place", "People"],
        [[day(a.start_date), a.kind, a.title, a.place or "—", number(a.participants)]
         for a in data.activities.rows],
        [0.11, 0.14, 0.5, 0.15, 0.1], total_width=width, empty="activities"))
    story += bounded_note(data.activities, "activities", "latest")

    story.append(heading("Evaluation history"))
    story += _evaluations(data, width)

    story.append(heading("Open actions"))
    story.append(table(
        ["Action", "Owner", "Due"],
        [[a.title, a.owner or "—", day(a.due_date)] for a in data.open_actions.rows],
        [0.62, 0.24, 0.14], total_width=width, empty="open actions"))
    story += bounded_note(data.open_actions, "open actions", "first due")
    return info, story


def _evaluations(data: DossierData, width: float) -> list[Flowable]:
    if not data.evaluations:
        return [none_recorded("evaluations")]
    found: list[Flowable] = []
    scored = [e for e in data.evaluations if e.scores]
    if scored:
        found.append(para("OECD-DAC scores (1–5) over time:", "small"))
        found.append(charts.score_lines(
            [e.evaluated_on.isoformat() for e in scored],
            [(label, [e.scores.get(key) for e in scored]) for key, label in CRITERIA],
            width))
    found.append(table(
        ["Date", "Period", "Kind", "Average score", "Recommendation"],
        [[day(e.evaluated_on), e.period, e.kind,
          "—" if e.average is None else f"{e.average:.1f}", e.recommendation or "—"]
         for e in data.evaluations],
        [0.14, 0.2, 0.22, 0.18, 0.26], total_width=width))
    return found
