"""Annual portfolio report: the whole office's partnerships and work in one year."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable

from citypartner_desktop.reports import charts
from citypartner_desktop.reports.document import ReportInfo
from citypartner_desktop.reports.parts import (
    day,
    gap,
    heading,
    name_and_native,
    none_recorded,
    para,
    started,
    subheading,
    table,
)
from citypartner_desktop.reports.styles import TEAL
from citypartner_desktop.services.report_data import PortfolioData

TITLE = "Annual portfolio report"


def build(data: PortfolioData, office: str, generated: date, width: float
          ) -> tuple[ReportInfo, list[Flowable]]:
    info = ReportInfo(TITLE, str(data.year), office, generated,
                      (f"{sum(n for _s, _k, n in data.by_status_kind):,} partnerships · "
                       f"{data.activities_total:,} activities in {data.year} · "
                       f"{len(data.evaluations):,} evaluations",))
    story: list[Flowable] = [gap(6)]

    story.append(heading("Partnerships by status and kind"))
    story.append(table(
        ["Status", "Kind", "Partnerships"],
        [[s, k, f"{n:,}"] for s, k, n in data.by_status_kind],
        [0.3, 0.5, 0.2], total_width=width, empty="partnerships"))

    story.append(heading(f"Activities in {data.year}"))
    story.append(subheading("Per theme"))
    story.append(para("An activity counts once for each theme of its partnership.", "small"))
    story.append(charts.horizontal_bars(list(data.activities_per_theme), width)
                 if data.activities_per_theme else none_recorded("activities"))
    story.append(subheading("Per partner city (busiest)"))
    partners = [(name_and_native(name, native, in_chart=True), n)
                for name, native, n in data.activities_per_partner]
    story.append(charts.horizontal_bars(partners, width, colour=TEAL)
                 if partners else none_recorded("activities"))

    story.append(heading("Agreements expiring in the next 12 months"))
    story.append(para(f"From {data.expiring_from.isoformat()} to "
                      f"{data.expiring_to.isoformat()}.", "small"))
    story.append(table(
        ["Agreement", "Partnership", "Expires", "Notice by", "Renews"],
        [[a.title, a.partnership, day(a.expires_on), day(a.notice_by),
          "Yes" if a.auto_renew else "No"] for a in data.expiring],
        [0.32, 0.33, 0.12, 0.13, 0.1], total_width=width, empty="expiring agreements"))

    story.append(heading(f"Evaluations in {data.year}"))
    if data.evaluations:
        story.append(table(
            ["Recommendation", "Evaluations"],
            [[r, f"{n:,}"] for r, n in data.recommendations], [0.5, 0.2],
            total_width=width * 0.7))
        story.append(gap(6))
        story.append(table(
            ["Criterion", "Average score"],
            [[c, "—" if a is None else f"{a:.1f} / 5"] for c, a in data.average_scores],
            [0.5, 0.2], total_width=width * 0.7))
        story.append(gap(6))
    story.append(table(
        ["Date", "Partnership", "Kind", "Average", "Recommendation"],
        [[day(e.evaluated_on), e.partnership, e.kind,
          "—" if e.average is None else f"{e.average:.1f}", e.recommendation or "—"]
         for e in data.evaluations],
        [0.12, 0.4, 0.16, 0.12, 0.2], total_width=width, empty="evaluations"))

    story.append(heading("Partnerships with no activity for a year"))
    story.append(para(f"Active, negotiating or dormant partnerships with no activity since "
                      f"{data.quiet_since.isoformat()}.", "small"))
    story.append(table(
        ["Partnership", "Status", "Last activity"],
        [[t, s, day(last) if last else "never"] for t, s, last in data.quiet],
        [0.6, 0.2, 0.2], total_width=width, empty="quiet partnerships"))

    story.append(heading(f"All partnerships in {data.year}"))
    story.append(table(
        ["Partnership", "Kind", "Status", "Members", "Since"],
        [[p.title, p.kind, p.status, p.role, started(p.start_date, p.since_year)]
         for p in data.partnerships],
        [0.46, 0.2, 0.12, 0.1, 0.12], total_width=width, empty="partnerships"))
    return info, story
