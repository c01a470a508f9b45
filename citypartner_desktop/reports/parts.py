"""Building blocks of the reports: headings, text, fact sheets and tables that split across
pages with their header repeated, and "None recorded." where a table would be empty."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from citypartner_desktop.reports import fonts
from citypartner_desktop.reports.styles import (
    BAND,
    NAVY,
    RAG_COLOURS,
    RULE,
    TABLE_SIZE,
    TEAL,
    ZEBRA,
    shaped,
    styles,
)
from citypartner_desktop.services.report_data import Bounded, CityFacts

Cell = Any  # a str or a Flowable (ReportLab has no type hints)
CELL_PADDING = 3


def para(text: str, style: str = "body") -> Paragraph:
    st = styles()[style]
    return Paragraph(fonts.markup(text), shaped(st) if fonts.needs_shaping(text) else st)


def heading(text: str) -> Paragraph:
    return para(text, "h1")


def subheading(text: str) -> Paragraph:
    return para(text, "h2")


def none_recorded(what: str = "") -> Paragraph:
    return para(f"None recorded{f' ({what})' if what else ''}.", "none")


def text_block(text: str, empty: str = "") -> list[Flowable]:
    """Multi-paragraph free text (minutes, findings), or "None recorded."."""
    parts = [p.strip() for p in text.split("\n\n") if p.strip()]
    return [para(p) for p in parts] if parts else [none_recorded(empty)]


def day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def started(value: date | None, year: int | None) -> str:
    """A partnership's start: its date, else the year a list gave ("1979"), else "—"."""
    return value.isoformat() if value else str(year) if year else "—"


def number(value: float | int | None, unit: str = "") -> str:
    if value is None:
        return "—"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    text = text.replace(",", "\u202f")  # thin space: a thousands separator in any locale
    return f"{text} {unit}".strip()


def percent(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)} %"


def city_name(city: CityFacts) -> str:
    return name_and_native(city.name, city.native_name)


def name_and_native(name: str, native: str | None, *, in_chart: bool = False) -> str:
    """The name, and the name in its own script when it differs and can be printed:
    "Kyoto (京都市)"; a right-to-left name after a dot ("Cairo · القاهرة"), as brackets
    around it would be mirrored. Charts cannot shape, so they show no shaped script."""
    if not native or native == name or fonts.missing(native):
        return name
    if fonts.needs_shaping(native):
        return name if in_chart else f"{name} · {native}"
    return f"{name} ({native})"


def bounded_note(rows: Bounded[Any], what: str, order: str) -> list[Flowable]:
    if not rows.cut:
        return []
    return [para(f"Showing the {len(rows.rows):,} {order} of {rows.total:,} {what}.", "small")]


def _cell(value: Cell, width: float, style: str = "cell") -> Cell:
    """A plain string when the body font draws it on one line (fast), else a Paragraph that
    wraps and switches font per run."""
    if not isinstance(value, str):
        return value
    if "\n" not in value and fonts.is_plain(value) and stringWidth(
            value, fonts.SANS, TABLE_SIZE) <= width - 2 * CELL_PADDING:
        return value
    return para(value, style)


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], widths: Sequence[float],
          *, total_width: float, empty: str = "", rag_columns: Sequence[int] = (),
          bold_first: bool = False) -> Flowable:
    """A table over ``total_width`` points with column ``widths`` as fractions; the header
    row repeats on every page it spans. With no rows: "None recorded."."""
    if not rows:
        return none_recorded(empty)
    col_widths = [w * total_width for w in widths]
    data: list[list[Cell]] = [[para(h, "head") for h in headers]]
    for row in rows:
        data.append([_cell(v, w, "cell_bold" if bold_first and i == 0 else "cell")
                     for i, (v, w) in enumerate(zip(row, col_widths, strict=True))])
    t = Table(data, colWidths=col_widths, repeatRows=1, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("FONT", (0, 0), (-1, -1), fonts.SANS, TABLE_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]),
        ("TOPPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
    ]
    if bold_first:
        commands.append(("FONT", (0, 1), (0, -1), fonts.SANS_BOLD, TABLE_SIZE))
    for column in rag_columns:
        for r, row in enumerate(rows, start=1):
            colour = RAG_COLOURS.get(str(row[column]).lower())
            if colour is not None:
                commands += [("BACKGROUND", (column, r), (column, r), colour),
                             ("TEXTCOLOR", (column, r), (column, r), colors.white),
                             ("FONT", (column, r), (column, r), fonts.SANS_BOLD, TABLE_SIZE)]
    t.setStyle(TableStyle(commands))
    return t


def facts(pairs: Sequence[tuple[str, str]], total_width: float, columns: int = 2) -> Flowable:
    """A fact sheet: label and value side by side, ``columns`` pairs per row."""
    shown = [(k, v) for k, v in pairs if v not in ("", None)]
    if not shown:
        return none_recorded()
    per_row = [shown[i:i + columns] for i in range(0, len(shown), columns)]
    label_w = 0.19 * total_width
    value_w = total_width / columns - label_w
    data = []
    for group in per_row:
        row: list[Cell] = []
        for k, v in group:
            row += [para(k, "cell_bold"), para(v, "cell")]
        row += ["", ""] * (columns - len(group))
        data.append(row)
    t = Table(data, colWidths=[label_w, value_w] * columns)
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), fonts.SANS, TABLE_SIZE),  # also for the padding cells
        ("BACKGROUND", (0, 0), (-1, -1), BAND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LINEBELOW", (0, 0), (-1, -2), 0.3, colors.white),
    ]))
    return t


def progress_bar(value: float | None, width: float = 46, height: float = 7) -> Cell:
    """A small bar for goal progress, with the percentage beside it."""
    if value is None:
        return "—"
    drawing = Drawing(width + 30, height + 2)
    drawing.add(Rect(0, 1, width, height, fillColor=ZEBRA, strokeColor=RULE, strokeWidth=0.3))
    filled = max(0.0, min(value, 1.0)) * width
    colour = TEAL if value >= 0.5 else RAG_COLOURS["amber"]
    if filled:
        drawing.add(Rect(0, 1, filled, height, fillColor=colour, strokeColor=None))
    from reportlab.graphics.shapes import String

    drawing.add(String(width + 3, 1.5, percent(value), fontName=fonts.SANS, fontSize=7.5))
    return drawing


def gap(height: float = 6) -> Spacer:
    return Spacer(1, height)
