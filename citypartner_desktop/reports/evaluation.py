"""Evaluation report: OECD-DAC scores, health check, KPIs, findings and the action plan."""

from __future__ import annotations

from datetime import date

from reportlab.platypus import Flowable

from citypartner_desktop.reports import charts
from citypartner_desktop.reports.document import ReportInfo
from citypartner_desktop.reports.parts import (
    day,
    facts,
    gap,
    heading,
    none_recorded,
    number,
    para,
    progress_bar,
    table,
    text_block,
)
from citypartner_desktop.reports.styles import TEAL
from citypartner_desktop.services.report_data import EvaluationData

TITLE = "Evaluation report"
RAG_LABEL = {"green": "Green", "amber": "Amber", "red": "Red", "": "—"}


def build(data: EvaluationData, office: str, generated: date, width: float
          ) -> tuple[ReportInfo, list[Flowable]]:
    info = ReportInfo(TITLE, data.partnership, office, generated,
                      (f"{data.kind} · {data.period} · {data.evaluated_on.isoformat()}",))
    story: list[Flowable] = [gap(10), facts([
        ("Partnership", data.partnership), ("Period", data.period),
        ("Date", day(data.evaluated_on)), ("Kind", data.kind),
        ("Method", data.method or "—"), ("Evaluator", data.evaluator or "—"),
        ("Recommendation", data.recommendation or "—"),
    ], width)]

    story.append(heading("OECD-DAC criteria"))
    scored = [(c.criterion, float(c.score)) for c in data.criteria if c.score is not None]
    if scored:
        story.append(charts.horizontal_bars(scored, width * 0.8, maximum=5,
                                            value_format="{:.0f} / 5", colour=TEAL))
        story.append(gap(4))
    story.append(table(
        ["Criterion", "Score", "Rationale"],
        [[c.criterion, "—" if c.score is None else f"{c.score} / 5", c.rationale or "—"]
         for c in data.criteria if c.score is not None or c.rationale],
        [0.2, 0.1, 0.7], total_width=width, empty="scores", bold_first=True))

    story.append(heading("Health check"))
    story.append(table(
        ["Aspect", "Our city", "Partner city", "Note"],
        [[h.aspect, RAG_LABEL.get(h.ours, h.ours), RAG_LABEL.get(h.partner, h.partner),
          h.note or ""] for h in data.health],
        [0.22, 0.14, 0.14, 0.5], total_width=width, empty="health check",
        rag_columns=(1, 2), bold_first=True))

    story.append(heading("Key performance indicators"))
    story.append(table(
        ["Goal", "Indicator", "Baseline", "Target", "Actual", "Progress"],
        [[k.goal, k.indicator + (f" ({k.unit})" if k.unit else ""), number(k.baseline),
          number(k.target), number(k.actual), progress_bar(k.progress)] for k in data.kpis],
        [0.24, 0.24, 0.1, 0.1, 0.1, 0.22], total_width=width, empty="KPI measurements"))

    story.append(heading("Findings"))
    story += text_block(data.findings, "findings")
    story.append(heading("Lessons"))
    story += text_block(data.lessons, "lessons")
    story.append(heading("Recommendation"))
    story.append(para(data.recommendation) if data.recommendation
                 else none_recorded("recommendation"))

    story.append(heading("Action plan"))
    story.append(table(
        ["Action", "Owner", "Due", "Done"],
        [[a.title, a.owner or "—", day(a.due_date), day(a.done_date)] for a in data.actions],
        [0.52, 0.22, 0.13, 0.13], total_width=width, empty="actions"))
    return info, story
