"""Layout of the results page's timeline: stacked bars of matches per year and language."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT, AXIS = 640, 110, 18
PALETTE = ("#1d4ed8", "#b45309", "#047857", "#be123c", "#6d28d9", "#0e7490",
           "#4d7c0f", "#a21caf")


@dataclass
class Bar:
    """One year's column: its link, label and stacked segments."""

    year: int
    x: float
    width: float
    label: str
    segments: list[tuple[float, float, str, str]] = field(default_factory=list)
    """(y, height, colour, language) from the top down."""


def layout(timeline: dict[str, dict[str, int]]) -> tuple[list[Bar], dict[str, str]]:
    """Bars for every year from the first to the last (empty years too), and the legend."""
    if not timeline:
        return [], {}
    years = range(int(min(timeline)), int(max(timeline)) + 1)
    languages = sorted({code for counts in timeline.values() for code in counts})
    colours = {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(languages)}
    tallest = max(sum(counts.values()) for counts in timeline.values())
    width = WIDTH / len(years)
    unit = (HEIGHT - AXIS) / tallest
    bars = []
    for i, year in enumerate(years):
        counts = timeline.get(str(year), {})
        parts = ", ".join(f"{code} {n}" for code, n in counts.items())
        bar = Bar(year, i * width, width, f"{year}: {parts}" if parts else str(year))
        top = HEIGHT - AXIS
        for code, n in counts.items():
            top -= n * unit
            bar.segments.append((top, n * unit, colours[code], code))
        bars.append(bar)
    return bars, colours
