"""The page frame every report shares: header and footer, "Page x of y", the title block,
and building the PDF reproducibly, cancellably and atomically into its file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table
from reportlab.platypus import TableStyle as _TableStyle

from citypartner_desktop.atomic_files import atomic_file
from citypartner_desktop.domain.errors import CityPartnerError
from citypartner_desktop.reports import fonts
from citypartner_desktop.reports.styles import MARGIN, MUTED, NAVY, RULE, styles

Progress = Callable[[int, int, str], None]
ShouldCancel = Callable[[], bool]
PAGE_TOTAL_FORM = "cpPageTotal"
FOOTER_SIZE = 7.5


class ReportCancelled(CityPartnerError):
    """The user cancelled the report; no file was written."""


@dataclass(frozen=True)
class ReportInfo:
    """What the frame of every page says."""

    title: str  # "Partnership dossier"
    subject: str  # "Friendship with Kyoto"
    office: str
    generated: date
    subtitle_lines: tuple[str, ...] = ()


def draw_text(canvas: Canvas, x: float, y: float, text: str, size: float,
              font: str = fonts.SANS, align: str = "left", width: float = 300) -> None:
    """Draw one line of ``text`` at baseline ``y``, with a font per script run. Laid out as
    a Paragraph, because that is where ReportLab shapes (and orders) Arabic and Hebrew."""
    style = ParagraphStyle(
        f"line-{font}-{size}-{align}", fontName=font, fontSize=size, leading=size * 1.2,
        textColor=canvas._fillColorObj,
        alignment={"left": TA_LEFT, "right": TA_RIGHT}[align],
        shaping=1 if fonts.needs_shaping(text) else 0)
    line = Paragraph(fonts.markup(text, font), style)
    _w, h = line.wrapOn(canvas, width, size * 3)
    left = x - width if align == "right" else x
    line.drawOn(canvas, left, y - h + size * 1.2 - size * 0.2)


class _PageCountCanvas(Canvas):
    """Draws "of N" from a form filled in when the page count is known, at save: no second
    layout pass and no page kept in memory."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        # Each page starts in this font: no page refers to a font that is not embedded.
        kw["initialFontName"] = fonts.SANS
        super().__init__(*args, **kw)

    def save(self) -> None:
        total = self.getPageNumber() - 1 if self._code == [] else self.getPageNumber()
        self.beginForm(PAGE_TOTAL_FORM)
        self.setFont(fonts.SANS, FOOTER_SIZE)
        self.setFillColor(MUTED)
        self.drawString(0, 0, str(max(total, 1)))
        self.endForm()
        super().save()


class ReportTemplate(BaseDocTemplate):
    def __init__(self, target: Any, info: ReportInfo, progress: Progress | None,
                 should_cancel: ShouldCancel | None, **kw: Any) -> None:
        super().__init__(
            target, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=MARGIN + 8 * mm, bottomMargin=MARGIN + 4 * mm,
            title=f"{info.title}: {info.subject}", author=info.office,
            creator="CityPartner Desktop", subject=info.title,
            invariant=1,  # no time stamps or random ids in the file: same input, same bytes
            **kw,
        )
        self.info = info
        self._progress = progress
        self._should_cancel = should_cancel
        self._total = 1
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=self._frame)])
        self.setProgressCallBack(self._on_progress)

    def _on_progress(self, kind: str, value: int) -> None:
        if self._should_cancel is not None and self._should_cancel():
            raise ReportCancelled("The report was cancelled.")
        if kind == "SIZE_EST":
            self._total = max(value, 1)
        elif kind == "PROGRESS" and self._progress is not None:
            self._progress(min(value, self._total), self._total, "Laying out pages…")

    def _frame(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        info = self.info
        width, height = self.pagesize
        left, right = self.leftMargin, width - self.rightMargin
        canvas.saveState()
        top = height - MARGIN + 2 * mm
        half = (right - left) / 2 - 3 * mm
        canvas.setFillColor(NAVY)
        draw_text(canvas, left, top, info.office, 8, fonts.SANS_BOLD, width=half)
        canvas.setFillColor(MUTED)
        draw_text(canvas, right, top, f"{info.title} · {info.subject}", 8, align="right",
                  width=half)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
        bottom = MARGIN - 2 * mm
        canvas.line(left, bottom + 4 * mm, right, bottom + 4 * mm)
        canvas.setFillColor(MUTED)
        draw_text(canvas, left, bottom, f"Generated {info.generated.isoformat()} · "
                                        "CityPartner Desktop", FOOTER_SIZE, width=half)
        label = f"Page {canvas.getPageNumber()} of "
        widest = canvas.stringWidth("0000", fonts.SANS, FOOTER_SIZE)
        x = right - widest
        canvas.setFont(fonts.SANS, FOOTER_SIZE)
        canvas.drawRightString(x, bottom, label)
        canvas.translate(x, bottom)
        canvas.doForm(PAGE_TOTAL_FORM)
        canvas.restoreState()


def title_block(info: ReportInfo) -> Flowable:
    """The report's cover block: a navy band with the title, the subject and the facts line."""
    st = styles()
    rows: list[list[Any]] = [
        [Paragraph(fonts.markup(info.title.upper()), st["cover_meta"])],
        [Paragraph(fonts.markup(info.subject, fonts.SANS_BOLD), _style_for(info.subject,
                                                                         "title"))],
    ]
    for line in info.subtitle_lines:
        rows.append([Paragraph(fonts.markup(line), _style_for(line, "subtitle"))])
    rows.append([Paragraph(fonts.markup(
        f"{info.office} · generated {info.generated.isoformat()}"), st["cover_meta"])])
    block = Table(rows, colWidths=["100%"])
    block.setStyle(_TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.SANS),
        ("BACKGROUND", (0, 0), (-1, -1), NAVY),
        ("LEFTPADDING", (0, 0), (-1, -1), 5 * mm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5 * mm),
        ("TOPPADDING", (0, 0), (-1, 0), 5 * mm),
        ("TOPPADDING", (0, 1), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -2), 2),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 5 * mm),
        ("TOPPADDING", (0, -1), (-1, -1), 3 * mm),
    ]))
    return block


def _style_for(text: str, name: str) -> Any:
    from citypartner_desktop.reports.styles import shaped

    style = styles()[name]
    return shaped(style) if fonts.needs_shaping(text) else style


def build_pdf(path: Path, info: ReportInfo, story: Sequence[Flowable], *,
              progress: Progress | None = None,
              should_cancel: ShouldCancel | None = None) -> Path:
    """Lay ``story`` out into ``path``: into a temporary file in the same folder, renamed
    into place when complete (``atomic_files``), so a cancelled or failed report leaves no
    half-written file (and an older report of the same name stays as it was)."""
    fonts.register()
    folder = path.parent
    if not folder.is_dir():
        raise CityPartnerError(f"The folder {folder} does not exist.")
    with atomic_file(path) as out:
        doc = ReportTemplate(out, info, progress, should_cancel)
        doc.build([title_block(info), *story], canvasmaker=_PageCountCanvas)
    return path


# Re-exported for report modules that colour cells.
__all__ = ["ReportCancelled", "ReportInfo", "build_pdf", "colors", "draw_text", "title_block"]
