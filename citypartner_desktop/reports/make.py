"""Making a report: gather its data (services), lay it out (one module per report), write it.

The one entry point for the command line, the GUI and the benchmark. It runs wherever it is
called from (a worker thread in the GUI) and opens its own units of work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reportlab.lib.pagesizes import A4

from citypartner_desktop.domain.errors import CityPartnerError, ValidationError
from citypartner_desktop.reports import (
    city_profile,
    dossier,
    evaluation,
    portfolio,
    processing,
    visit,
)
from citypartner_desktop.reports.document import (
    Progress,
    ReportCancelled,
    ShouldCancel,
    build_pdf,
)
from citypartner_desktop.reports.styles import MARGIN
from citypartner_desktop.services import processing_record, report_data

if TYPE_CHECKING:
    from citypartner_desktop.db.uow import UnitOfWork

UowFactory = Callable[[], "UnitOfWork"]
BODY_WIDTH = A4[0] - 2 * MARGIN
DEFAULT_OFFICE = "Office for International Relations"
TITLES = {"partnership": dossier.TITLE, "city": city_profile.TITLE, "visit": visit.TITLE,
          "evaluation": evaluation.TITLE, "portfolio": portfolio.TITLE,
          "processing": processing.TITLE}
# Reports about the whole database: neither a record nor a year.
WHOLE_DATABASE = ("processing",)


@dataclass(frozen=True)
class ReportRequest:
    report: str  # partnership | city | visit | evaluation | portfolio | processing
    record_id: str | None = None  # for every report but the portfolio and processing
    year: int | None = None  # for the portfolio

    def validate(self) -> None:
        if self.report not in TITLES:
            raise ValidationError.single(
                "report", f"unknown report {self.report!r}; choose one of {', '.join(TITLES)}")
        if self.report in WHOLE_DATABASE:
            return
        if self.report == "portfolio":
            if self.year is None:
                raise ValidationError.single("year", "the portfolio report needs a year")
        elif not self.record_id:
            raise ValidationError.single("record", "choose the record the report is about")


def default_office(uow: UowFactory) -> str:
    """The office name when none is set: the office of the home city, if one is recorded."""
    home = report_data.home_city_name(uow())
    return f"{DEFAULT_OFFICE} · {home}" if home else DEFAULT_OFFICE


def make_report(uow: UowFactory, request: ReportRequest, path: Path, *,
                office: str | None = None, generated: date | None = None,
                progress: Progress | None = None,
                should_cancel: ShouldCancel | None = None) -> Path:
    """Write the report to ``path`` (atomically) and return the path.

    ``generated`` is the report's date (today unless given: tests fix it); ``office`` the
    name in every page header (the default office name unless given)."""
    request.validate()
    on = generated or date.today()
    steps = progress or (lambda _d, _t, _w: None)
    steps(0, 3, "Gathering data…")
    data = _gather(uow, request, on)
    if should_cancel is not None and should_cancel():
        raise ReportCancelled("The report was cancelled.")
    steps(1, 3, "Composing…")
    office = (office or "").strip() or default_office(uow)
    info, story = _compose(request.report, data, office, on)
    try:
        return build_pdf(path, info, story, progress=progress, should_cancel=should_cancel)
    except OSError as exc:
        raise CityPartnerError(f"Cannot write {path}: {exc.strerror or exc}") from None


def _gather(uow: UowFactory, request: ReportRequest, on: date) -> Any:
    rid = request.record_id or ""
    if request.report == "partnership":
        return report_data.dossier(uow(), rid)
    if request.report == "city":
        return report_data.city_profile(uow(), rid)
    if request.report == "visit":
        return report_data.visit(uow(), rid, on)
    if request.report == "evaluation":
        return report_data.evaluation(uow(), rid)
    if request.report == "processing":
        return processing_record.gather(uow(), on)
    assert request.year is not None  # checked by validate()
    return report_data.portfolio(uow(), request.year, on)


def _compose(report: str, data: Any, office: str, on: date) -> tuple[Any, list[Any]]:
    module: Any = {"partnership": dossier, "city": city_profile, "visit": visit,
                   "evaluation": evaluation, "portfolio": portfolio,
                   "processing": processing}[report]
    info, story = module.build(data, office, on, BODY_WIDTH)
    return info, story
