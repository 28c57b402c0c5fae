"""Bar charts drawn on the server: a table of figures (rows of a community or a category, the
last row their total) with stacked horizontal bars for some of its columns, each segment's
offset and length in per cent of the longest bar, for the templates to draw as SVG."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

Row = tuple[str, str, dict[str, float]]  # key, label, figure of each column


@dataclass(frozen=True)
class Segment:
    category: str
    value: float
    x: float  # per cent of the longest bar
    width: float


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    total: float
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    columns: list[tuple[str, str]]  # (column, label) in the order of the table
    rows: list[Row]  # the communities (or categories), then their total
    charted: list[str]  # the columns the bars stack, in order
    bars: list[Bar]  # of every row but the total
    total: str = ""  # the heading of the rows' totals, or "" for none
    total_column: str = ""  # the figure of each row that is its total
    row_heading: str = ""  # what a row is: "" for a community
    links: dict[str, str] = field(default_factory=dict)  # a row's page, by its key


def chart(
    key: str,
    title: str,
    columns: list[tuple[str, str]],
    rows: list[Row],
    charted: list[str],
    *,
    total: tuple[str, str] = ("", ""),
    row_heading: str = "",
) -> Chart:
    """Bars of the `charted` columns for each row but the last (the total); the table holds
    every column, and `total` names the column (and its heading) that totals a row."""
    bars = stacked_bars(rows[:-1], charted)
    column, heading = total
    return Chart(key, title, columns, rows, charted, bars, heading, column, row_heading)


def stacked_bars(
    rows: Sequence[tuple[str, str, Mapping[str, float]]], categories: Sequence[str]
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
