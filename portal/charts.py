"""Bar charts drawn on the server: the geometry of stacked horizontal bars, each segment's
offset and length in per cent of the longest bar, for the templates to draw as SVG."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    category: str
    value: int
    x: float  # per cent of the longest bar
    width: float


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    total: int
    segments: tuple[Segment, ...]


def stacked_bars(
    rows: Sequence[tuple[str, str, Mapping[str, int]]], categories: Sequence[str]
) -> list[Bar]:
    """One bar per (key, label, values) row, its segments in the order of `categories`; the
    longest bar is 100 wide, and a category of none has no segment."""
    totals = [sum(values.get(c, 0) for c in categories) for _, _, values in rows]
    longest = max(totals, default=0)
    scale = 100 / longest if longest else 0.0
    bars = []
    for (key, label, values), total in zip(rows, totals, strict=True):
        segments, x = [], 0.0
        for category in categories:
            value = values.get(category, 0)
            if value:
                segments.append(Segment(category, value, round(x, 3), round(value * scale, 3)))
                x += value * scale
        bars.append(Bar(key, label, total, tuple(segments)))
    return bars
