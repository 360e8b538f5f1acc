"""Geometry of the dashboard's server-side SVG charts. Plain Python: the figures come in, shapes go out.

The charts draw figures computed elsewhere (the evidence engine, the timeline query); nothing is counted here.
Sizes are SVG attributes (the CSP allows no style attributes); colours come from classes in tracker.css.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.domain import vocab
from tracker.hwb.queries import Month

LABEL_WIDTH = 230
BAR_WIDTH = 400
ROW_HEIGHT = 36
BAR_HEIGHT = 20


@dataclass(frozen=True)
class SectorBar:
    """One sector's row in the coverage chart."""

    sector: str
    label: str
    footprint: int
    engaged: int
    coverage: float | None
    y: int
    width: int  # of the filled part, in SVG units

    @property
    def unheard(self) -> bool:
        return self.footprint > 0 and self.engaged == 0


@dataclass(frozen=True)
class CoverageChart:
    """Coverage by sector as horizontal bars, with the E3 threshold drawn across."""

    bars: list[SectorBar]
    height: int
    threshold: float
    threshold_x: int
    label_width: int = LABEL_WIDTH
    bar_width: int = BAR_WIDTH
    bar_height: int = BAR_HEIGHT
    width: int = LABEL_WIDTH + BAR_WIDTH + 150


def coverage_chart(footprint: dict[str, int], engaged: dict[str, int], coverage: dict[str, float | None],
                   threshold: float) -> CoverageChart:
    """A bar for each sector present in the footprint, in the vocabulary's order."""
    bars = []
    for sector, label in vocab.SECTORS.items():
        if not footprint.get(sector):
            continue
        ratio = coverage.get(sector) or 0.0
        bars.append(SectorBar(sector, label, footprint[sector], engaged.get(sector, 0), coverage.get(sector),
                              y=24 + len(bars) * ROW_HEIGHT, width=round(ratio * BAR_WIDTH)))
    return CoverageChart(bars, height=24 + len(bars) * ROW_HEIGHT + 8, threshold=threshold,
                         threshold_x=LABEL_WIDTH + round(threshold * BAR_WIDTH))


@dataclass(frozen=True)
class MonthBar:
    """One month's column in the timeline: board-recorded events stacked on provider-recorded ones."""

    month: Month
    x: int
    provider_y: int
    provider_height: int
    board_y: int
    board_height: int
    label: str
    show_label: bool


@dataclass(frozen=True)
class TimelineChart:
    """Events month by month."""

    bars: list[MonthBar]
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    column: int
    gap: int
    max_events: int
    ticks: list[tuple[int, int]]  # (value, y)


def timeline_chart(months: list[Month], plot_height: int = 180) -> TimelineChart:
    """Stacked columns, one per month; every label when there are few months, every third otherwise."""
    column, gap, left, top = (48, 16, 40, 12) if len(months) <= 12 else (24, 8, 40, 12)
    most = max((m.events for m in months), default=0) or 1
    bottom = top + plot_height
    bars = []
    every = 1 if len(months) <= 12 else 3
    for i, month in enumerate(months):
        x = left + i * (column + gap)
        provider_h = round(month.provider_events / most * plot_height)
        board_h = round(month.board_events / most * plot_height)
        bars.append(MonthBar(month, x, bottom - provider_h, provider_h, bottom - provider_h - board_h, board_h,
                             _short(month.first_day), i % every == 0))
    step = max(1, round(most / 4))
    ticks = [(v, bottom - round(v / most * plot_height)) for v in range(0, most + 1, step)]
    return TimelineChart(bars, width=left + max(len(months), 1) * (column + gap) + 10, height=bottom + 30,
                         plot_top=top, plot_bottom=bottom, column=column, gap=gap, max_events=most, ticks=ticks)


def _short(day: date) -> str:
    """Jun 2014 -> 'Jun 14'."""
    return f"{day:%b} {day:%y}"
