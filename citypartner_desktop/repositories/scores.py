"""The OECD-DAC criterion scores of an evaluation (one row per criterion)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from citypartner_desktop.db.base import new_id
from citypartner_desktop.db.models import CriterionScore

Scores = dict[str, tuple[int | None, str]]


def read(session: Session, evaluation_id: str) -> Scores:
    stmt = select(CriterionScore.criterion, CriterionScore.score, CriterionScore.rationale).where(
        CriterionScore.evaluation_id == evaluation_id, CriterionScore.deleted_at.is_(None)
    )
    return {c: (s, r or "") for c, s, r in session.execute(stmt)}


def write(session: Session, evaluation_id: str, scores: Scores, now: datetime) -> None:
    existing = {
        row.criterion: row
        for row in session.scalars(
            select(CriterionScore).where(
                CriterionScore.evaluation_id == evaluation_id, CriterionScore.deleted_at.is_(None)
            )
        )
    }
    for criterion, (score, rationale) in scores.items():
        row = existing.pop(criterion, None)
        if row is None:
            session.add(
                CriterionScore(
                    id=new_id(),
                    evaluation_id=evaluation_id,
                    criterion=criterion,
                    score=score,
                    rationale=rationale,
                    created_at=now,
                    updated_at=now,
                )
            )
        elif (row.score, row.rationale or "") != (score, rationale):
            row.score, row.rationale, row.updated_at = score, rationale, now
    for row in existing.values():
        row.deleted_at = now
