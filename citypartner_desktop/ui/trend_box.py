"""A partnership's score trend and KPI progress, shown in its detail pane."""

from __future__ import annotations

from html import escape
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from citypartner_desktop.services.evaluations import PartnershipTrend
from citypartner_desktop.ui import colours


def _arrow(before: float, after: float) -> str:
    if after > before + 0.05:
        return f"<span style='color:{colours.css(colours.better_text())}'>▲</span>"
    if after < before - 0.05:
        return f"<span style='color:{colours.css(colours.worse_text())}'>▼</span>"
    return "="


class TrendBox(QGroupBox):
    def __init__(self, trend: PartnershipTrend, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Score trend and KPI progress"), parent)
        self.setAccessibleName(self.tr("Score trend and KPI progress"))
        layout = QVBoxLayout(self)
        points = trend.scores[-6:]  # the last few evaluations say where it is heading
        if points:
            parts = [f"{escape(p.period)}: <b>{p.mean:.1f}</b>" for p in points[:1]]
            for before, after in pairwise(points):
                parts.append(f"{_arrow(before.mean, after.mean)} {escape(after.period)}: "
                             f"<b>{after.mean:.1f}</b>")
            text = self.tr("Mean OECD-DAC score (1–5): ") + " ".join(parts)
        else:
            text = self.tr("No scored evaluation yet.")
        self.scores = QLabel(text, self)
        self.scores.setTextFormat(Qt.TextFormat.RichText)
        self.scores.setWordWrap(True)
        layout.addWidget(self.scores)
        self.bars: dict[str, QProgressBar] = {}
        for kpi in trend.kpis:
            unit = f" {kpi.unit}" if kpi.unit else ""
            if kpi.progress is None:
                text = f"{kpi.title}: " + self.tr("not measured yet")
            else:
                text = (f"{kpi.title}: {kpi.latest:g} of {kpi.target:g}{unit} "
                        f"({100 * kpi.progress:.0f} %)")
            label = QLabel(text, self)  # above its bar: text over a bar is hard to read
            label.setWordWrap(True)
            bar = QProgressBar(self)
            bar.setRange(0, 100)
            bar.setValue(0 if kpi.progress is None
                         else max(0, min(100, round(100 * kpi.progress))))
            bar.setTextVisible(False)
            bar.setMaximumHeight(8)
            bar.setAccessibleName(text)
            bar.setToolTip(text)
            layout.addWidget(label)
            layout.addWidget(bar)
            self.bars[kpi.goal_id] = bar
