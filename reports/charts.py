"""The report's charts as SVG, drawn on the server from the report's own tables, the same on
screen and in the PDF: no JavaScript, no inline ``style=`` (the look is classes in
``static/css/report-charts.css``).

Each chart is built from a table of the page's summary (``reports.summary.summary``: each
table's ``key``, ``title``, ``columns`` and ``rows``) and drawn by
``templates/reports/_chart.html``. A chart carries a title and a text alternative with every
value; the table printed beside it is its long description.

The charts and the tables they come from (a missing table, or one with nothing to draw, leaves
its chart out):

- the funnel: every main stage, from the table ``funnel`` of section ``funnel``;
- the trend by quarter: one small chart per stage, from the table ``trend`` of section
  ``targets`` (first column "Quarter", then a count column per stage);
- meetings held each month, from ``monthly`` in ``contact``;
- distance travelled: the mean change per domain, from ``distance_travelled`` in ``outcomes``.

Bars are horizontal with their label above, so a chart reads at 390 px as on A4.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reports.sections.funnel import MET_ONCE

WIDTH = 400  # the drawing's width in SVG units; it scales to the column it sits in
ROW = 38  # units per bar: its label above, then the bar
ROW_BESIDE = 22  # units per bar when short labels sit beside their bars
BAR = 15  # a bar's thickness
LABEL_SIZE = 13  # the label's baseline sits this far below the row's top
VALUE_ROOM = 120  # units kept right of the longest bar for its value
MONTH_LABEL = 80  # "Sep 2025" beside its bar
QUARTER_LABEL = 130  # a quarter's name beside its bar
BESIDE_CHARS = 16  # a longer quarter's name goes above its bar
LABEL_CHARS = 58  # a longer label is cut with "…" (the table beside it has it whole)

Cell = int | float | str | None
SummaryTable = dict[str, Any]


@dataclass
class Bar:
    """One bar: its label above, the bar, and its value written after it."""

    label: str
    value_text: str
    label_y: str
    bar_x: str
    bar_y: str
    bar_width: str
    value_x: str
    value_y: str
    bar_bottom: str = ""  # where a zero line beside the bar ends
    negative: bool = False


@dataclass
class Chart:
    """One SVG drawing; ``id`` is unique on the page (it names the title and description)."""

    id: str
    caption: str
    title: str
    description: str
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    zero_x: str | None = None  # where zero is marked, beside each bar, when one goes below it


def number(cell: Cell) -> float | None:
    """A cell as a number: 12, 3.5, "1,234.5", "12.5%" (as 0.125); None for a blank, a
    suppressed "<5" or words."""
    if isinstance(cell, bool) or cell is None:
        return None
    if isinstance(cell, int | float):
        return float(cell)
    text = cell.replace(",", "").strip()
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    try:
        return float(text) * scale
    except ValueError:
        return None


def count_text(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _units(value: float) -> str:
    return f"{value:.1f}"


def bar_chart(
    *,
    id: str,
    caption: str,
    title: str,
    items: list[tuple[str, float | None, str]],
    summary_words: str = "",
    beside: int = 0,
) -> Chart:
    """Horizontal bars for (label, value, value as written) items; a bar may go below zero,
    and a missing value has no bar but its words (e.g. "<5"). Labels go above their bars, or
    ``beside`` them in a column that many units wide (for short labels: months, quarters)."""
    values = [v for _, v, _ in items if v is not None]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    area = WIDTH - VALUE_ROOM - beside
    row, drop = (ROW_BESIDE, 0) if beside else (ROW, LABEL_SIZE + 5)

    def x(value: float) -> float:
        return beside + area * (value - low) / span

    bars = []
    for n, (label, value, value_text) in enumerate(items):
        top = n * row + (1 if beside else 0)
        start, end = sorted((x(0), x(value if value is not None else 0)))
        cut = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        bars.append(
            Bar(
                label=cut,
                value_text=value_text,
                label_y=_units(top + (BAR - 3 if beside else LABEL_SIZE)),
                bar_x=_units(start),
                bar_y=_units(top + drop),
                bar_width=_units(max(end - start, 0.0)),
                value_x=_units(max(x(0), x(value or 0)) + (6 if low >= 0 else 8)),
                value_y=_units(top + drop + BAR - 3),
                bar_bottom=_units(top + drop + BAR),
                negative=value is not None and value < 0,
            )
        )
    description = "; ".join(f"{label}: {text}" for label, _, text in items)
    if summary_words:
        description = f"{summary_words} {description}"
    return Chart(
        id=id,
        caption=caption,
        title=title,
        description=description + ".",
        width=WIDTH,
        height=len(items) * row + 4,
        bars=bars,
        zero_x=_units(x(0)) if low < 0 else None,
    )


def _column(table: SummaryTable, *names: str) -> int | None:
    """The position of the first column whose header contains one of ``names`` (any case)."""
    for name in names:
        for position, column in enumerate(table["columns"]):
            if name.lower() in str(column).lower():
                return position
    return None


def _count_column(table: SummaryTable) -> int | None:
    """The first column after the label whose every cell is a whole number."""
    for position in range(1, len(table["columns"])):
        cells = [row[position] for row in table["rows"]]
        if cells and all(isinstance(c, int) and not isinstance(c, bool) for c in cells):
            return position
    return None


def people_column(table: SummaryTable) -> int | None:
    """The funnel table's column of people at each stage."""
    people = _column(table, "People")
    return people if people is not None else _count_column(table)


def funnel_chart(table: SummaryTable, id: str = "chart-funnel") -> Chart | None:
    """Every main stage of the funnel (not "met exactly once", which is off the main line):
    people at the stage, and their share of everyone referred."""
    people = people_column(table)
    share = _column(table, "Share of all referred", "Share of referred")
    rows = [r for r in table["rows"] if str(r[0]) != MET_ONCE[1]]
    if people is None or not rows or not number(rows[0][people]):
        return None  # nobody referred: the words say so instead
    items = []
    for row in rows:
        value = number(row[people])
        written = count_text(value) if value is not None else str(row[people] or "none")
        if share is not None and row[share] is not None:
            written += f" ({row[share]})"
        items.append((str(row[0]), value, written))
    return bar_chart(
        id=id,
        caption="People at each stage of the funnel",
        title="The funnel: people at each stage, and their share of everyone referred",
        items=items,
        summary_words="Bar chart of the funnel table beside it.",
    )


def trend_charts(table: SummaryTable) -> list[Chart]:
    """One small chart per stage, a bar per quarter: each with its own scale, so a stage with
    a few people reads as clearly as the referrals."""
    if len(table["columns"]) < 2 or not table["rows"]:
        return []
    quarters = [str(row[0]) for row in table["rows"]]
    charts = []
    for position, stage in enumerate(table["columns"][1:], start=1):
        items = [
            (
                quarter,
                number(row[position]),
                count_text(v) if (v := number(row[position])) is not None else str(row[position]),
            )
            for quarter, row in zip(quarters, table["rows"], strict=True)
        ]
        charts.append(
            bar_chart(
                id=f"chart-trend-{position}",
                caption=str(stage),
                title=f"{stage}, by quarter",
                items=items,
                beside=QUARTER_LABEL if max(map(len, quarters)) <= BESIDE_CHARS else 0,
                summary_words="Bar chart of a column of the trend table beside it.",
            )
        )
    return charts


def _month(text: str) -> str:
    """ "2025-04" as "Apr 2025"; anything else as it is."""
    try:
        return f"{datetime.datetime.strptime(text, '%Y-%m'):%b %Y}"
    except ValueError:
        return text


def monthly_chart(table: SummaryTable) -> Chart | None:
    """Meetings held each month."""
    held = _column(table, "Meetings held")
    if held is None or not any(number(row[held]) for row in table["rows"]):
        return None
    items = [
        (_month(str(row[0])), v := number(row[held]), count_text(v) if v is not None else "")
        for row in table["rows"]
    ]
    return bar_chart(
        id="chart-monthly",
        caption="",
        title="Meetings held each month, across the schemes",
        items=items,
        beside=MONTH_LABEL,
        summary_words="Bar chart of the meetings held column of the table beside it.",
    )


def distance_chart(table: SummaryTable) -> Chart | None:
    """The mean change in review score per domain: bars right of zero mean things got
    better."""
    change = _column(table, "Mean change")
    if change is None or all(number(row[change]) is None for row in table["rows"]):
        return None
    items = []
    for row in table["rows"]:
        value = number(row[change])
        items.append((str(row[0]), value, "no scores" if value is None else f"{value:+g}"))
    return bar_chart(
        id="chart-distance",
        caption="",
        title="Distance travelled: mean change in review score by domain",
        items=items,
        summary_words="Bar chart; a bar to the right of zero means scores went up.",
    )


#: (section key, table key) -> the charts drawn from that table.
CHARTS: dict[tuple[str, str], Callable[[SummaryTable], list[Chart]]] = {
    ("funnel", "funnel"): lambda t: [c for c in [funnel_chart(t)] if c],
    ("targets", "trend"): trend_charts,
    ("contact", "monthly"): lambda t: [c for c in [monthly_chart(t)] if c],
    ("outcomes", "distance_travelled"): lambda t: [c for c in [distance_chart(t)] if c],
}


def with_charts(sections: list[dict[str, Any]], leave_out: tuple[str, ...] = ()) -> list[dict]:
    """The summary's sections, each table with its ``charts`` (an empty list for most), for
    the page and the PDF; ``leave_out`` names section keys whose charts are drawn elsewhere
    (the PDF's first page draws the funnel)."""
    drawn = []
    for section in sections:
        tables = []
        for table in section["tables"]:
            draw = CHARTS.get((section["key"], table["key"]))
            charts = draw(table) if draw and section["key"] not in leave_out else []
            tables.append({**table, "charts": charts})
        drawn.append({**section, "tables": tables})
    return drawn


def find_table(sections: list[dict[str, Any]], section: str, table: str) -> SummaryTable | None:
    """A table of the summary by its section's key and its own, or None."""
    for s in sections:
        if s["key"] == section:
            return next((t for t in s["tables"] if t["key"] == table), None)
    return None
