"""Evaluations: OECD-DAC criterion scores, a red/amber/green health check, KPI measurements."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from citypartner_desktop.db.base import Base, RecordMixin


class Evaluation(RecordMixin, Base):
    __tablename__ = "evaluations"

    partnership_id: Mapped[str] = mapped_column(ForeignKey("partnerships.id"), index=True)
    period: Mapped[str] = mapped_column(String(100))
    evaluated_on: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(40))
    method: Mapped[str | None] = mapped_column(String(300))
    evaluator: Mapped[str | None] = mapped_column(String(200))
    findings: Mapped[str | None] = mapped_column(Text)
    lessons: Mapped[str | None] = mapped_column(Text)
    recommendation: Mapped[str | None] = mapped_column(String(40))
    search_key: Mapped[str] = mapped_column(Text, default="")


class CriterionScore(RecordMixin, Base):
    __tablename__ = "criterion_scores"

    evaluation_id: Mapped[str] = mapped_column(ForeignKey("evaluations.id"), index=True)
    criterion: Mapped[str] = mapped_column(String(40))
    score: Mapped[int | None] = mapped_column(Integer)
    rationale: Mapped[str | None] = mapped_column(Text)


class HealthCheck(RecordMixin, Base):
    __tablename__ = "health_checks"

    evaluation_id: Mapped[str] = mapped_column(ForeignKey("evaluations.id"), index=True)
    side: Mapped[str] = mapped_column(String(20))
    aspect: Mapped[str] = mapped_column(String(40))
    rating: Mapped[str] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)


class KpiMeasurement(RecordMixin, Base):
    __tablename__ = "kpi_measurements"

    evaluation_id: Mapped[str] = mapped_column(ForeignKey("evaluations.id"), index=True)
    goal_id: Mapped[str] = mapped_column(ForeignKey("goals.id"), index=True)
    actual: Mapped[float] = mapped_column(Float)
    measured_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
