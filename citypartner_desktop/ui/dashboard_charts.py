"""The dashboard's charts (QtCharts). Imported only when the charts are drawn, after the
figures are on screen: QtCharts is a large library the start-up must not wait for."""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QCoreApplication, QMargins, QPointF, Qt
from PySide6.QtGui import QBrush, QPainter
from PySide6.QtWidgets import QWidget

from citypartner_desktop.services.monitoring import Charts
from citypartner_desktop.ui import colours

CHART_HEIGHT = 300


def _tr(text: str) -> str:
    return QCoreApplication.translate("charts", text)


def _chart() -> QChart:
    """A chart in QtCharts' dark or light theme, as the palette is (the series' colours)."""
    chart = QChart()
    chart.setTheme(QChart.ChartTheme.ChartThemeDark if colours.is_dark()
                   else QChart.ChartTheme.ChartThemeLight)
    return chart


def _colour(chart: QChart) -> None:
    """Background, titles, labels and grid from the palette (after the axes are added: adding
    one gives it the theme's colours)."""
    c = colours.chart()
    chart.setBackgroundBrush(QBrush(c.background))
    chart.setTitleBrush(QBrush(c.text))
    chart.legend().setLabelColor(c.text)
    for axis in chart.axes():
        axis.setLabelsColor(c.text)
        axis.setTitleBrush(QBrush(c.text))
        axis.setGridLineColor(c.grid)
        axis.setLinePenColor(c.grid)
    for series in chart.series():
        if isinstance(series, QLineSeries):
            series.setPointLabelsColor(c.text)


def _view(chart: QChart, parent: QWidget, name: str) -> QChartView:
    _colour(chart)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart, parent)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(CHART_HEIGHT)
    view.setAccessibleName(name)
    return view


def themes_chart(data: Charts, parent: QWidget) -> QChartView:
    """Activities per year, one bar per theme (an activity counts under each theme of its
    partnership, so the bars of a year are not added up)."""
    chart = _chart()
    chart.setTitle(_tr("Activities per year, busiest themes"))
    series = QBarSeries()
    for theme in data.themes:
        bars = QBarSet(theme.theme)
        bars.append([float(n) for n in theme.counts])
        series.append(bars)
    chart.addSeries(series)
    years = QBarCategoryAxis()
    years.append([str(y) for y in data.years])
    chart.addAxis(years, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(years)
    counts = QValueAxis()
    counts.setLabelFormat("%d")
    top = max((n for t in data.themes for n in t.counts), default=0)
    counts.setRange(0, max(top, 1))
    counts.applyNiceNumbers()
    chart.addAxis(counts, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(counts)
    return _view(chart, parent, _tr("Activities per year by theme"))


def scores_chart(data: Charts, parent: QWidget) -> QChartView:
    """The mean OECD-DAC score (1–5) of each year's evaluations."""
    chart = _chart()
    chart.setTitle(_tr("Evaluation scores over time (mean of 1–5)"))
    line = QLineSeries()
    line.setName(_tr("Mean score"))
    line.setPointsVisible(True)
    line.setPointLabelsVisible(True)
    line.setPointLabelsFormat("@yPoint")
    first = data.years[0] if data.years else 0
    for point in data.scores:  # x: the year's place among the categories below
        line.append(QPointF(point.year - first, round(point.mean, 2)))
    chart.addSeries(line)
    years = QBarCategoryAxis()  # one label per year, with room beside the first and last
    years.append([str(y) for y in data.years])
    chart.addAxis(years, Qt.AlignmentFlag.AlignBottom)
    line.attachAxis(years)
    scores = QValueAxis()
    scores.setRange(1, 5)
    scores.setTickCount(5)
    scores.setLabelFormat("%d")
    chart.addAxis(scores, Qt.AlignmentFlag.AlignLeft)
    line.attachAxis(scores)
    chart.legend().hide()
    return _view(chart, parent, _tr("Evaluation scores over time"))


def build_charts(data: Charts, parent: QWidget) -> list[QChartView]:
    return [themes_chart(data, parent), scores_chart(data, parent)]
