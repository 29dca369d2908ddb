"""Layout of the results page's timeline: stacked bars of matches per year and language."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT, AXIS = 640, 110, 18
WIDEST = 48
"""A bar's widest, so that a few years do not draw slabs across the page."""
COLOURS = 8
"""Colours of the language segments (``.series-0`` to ``.series-7`` in site.css, light and dark)."""


@dataclass
class Bar:
    """One year's column: its link, label and stacked segments."""

    year: int
    x: float
    width: float
    """The year's slot, all of it a link."""
    label: str
    bar_x: float = 0
    bar_width: float = 0
    """The drawn bar, centred in the slot."""
    segments: list[tuple[float, float, int, str]] = field(default_factory=list)
    """(y, height, colour number, language) from the top down."""


def layout(timeline: dict[str, dict[str, int]]) -> tuple[list[Bar], dict[str, int]]:
    """Bars for every year from the first to the last (empty years too), and the legend."""
    if not timeline:
        return [], {}
    years = range(int(min(timeline)), int(max(timeline)) + 1)
    languages = sorted({code for counts in timeline.values() for code in counts})
    colours = {code: i % COLOURS for i, code in enumerate(languages)}
    tallest = max(sum(counts.values()) for counts in timeline.values())
    width = WIDTH / len(years)
    unit = (HEIGHT - AXIS) / tallest
    bars = []
    for i, year in enumerate(years):
        counts = timeline.get(str(year), {})
        parts = ", ".join(f"{code} {n}" for code, n in counts.items())
        drawn = max(min(width - 4, WIDEST), 1)
        bar = Bar(year, i * width, width, f"{year}: {parts}" if parts else str(year),
                  i * width + (width - drawn) / 2, drawn)
        top = HEIGHT - AXIS
        for code, n in counts.items():
            top -= n * unit
            bar.segments.append((top, n * unit, colours[code], code))
        bars.append(bar)
    return bars, colours
