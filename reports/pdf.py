"""The funder report as a PDF a trustee can read: a few A4 pages of charts and key tables.

Called through ``reports.exports.to_pdf``. Drawn with matplotlib's object API (``Figure``, no
pyplot), so it keeps no global state and is safe in a web or Celery worker; every page is one
figure in A4 portrait whose coordinates are inches from the top left, and tables are drawn
cell by cell so long ones break across pages with their headers repeated.

The pages:
1. a title page: funder, period, schemes, when generated, the privacy promise;
2. the funnel as a horizontal bar chart (count and share of referred on each bar) with its table;
3. contact time: meetings per month as a chart when the report has a monthly table (the chart
   is left out otherwise), and the hours per mentee;
4. distance travelled: mean change in score per domain as a bar chart, with its table;
5. the key tables: the rest of the funnel (by source, by scheme, ...), relationships, mentors;
6. how each figure is counted (the definitions of the sections shown).

Where the PDF looks for each table is in ``CHARTS``; a missing one leaves its page out.
"""

import io
import logging
import textwrap
from collections.abc import Callable
from typing import Any

from reports.exports import (
    COUNT,
    PRIVACY_NOTE,
    RATE,
    SUPPRESSED,
    SUPPRESSION_NOTE,
    TEXT,
    Progress,
    _frame,
    _generated,
    _period,
    _reporter,
    _rows,
    _text,
    check_aggregate,
)
from reports.report import Report, Section, Table

# fontTools logs every font subset it embeds at INFO: noise in the worker's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

A4 = (8.27, 11.69)  # inches, portrait
MARGIN, TOP, BOTTOM = 0.6, 0.7, 0.8
WIDTH = A4[0] - 2 * MARGIN
BLUE, GREEN, AMBER, GREY, INK = "#2E6DA4", "#2E8B57", "#C77C02", "#666666", "#1A1A1A"
FONT = 8  # table text, points
CHAR = FONT * 0.6 / 72  # inches per character of DejaVu Sans at FONT (digits are widest)
BOLD = FONT * 0.68 / 72  # the same, bold
LINE = FONT * 1.3 / 72  # inches per line of table text
PAD = 0.16  # inches of space inside a table column
LABEL_CHARS = 36  # the first column wraps at this many characters
MAX_SCHEMES = 30  # on the title page; the rest are counted

# (section key, table key, a fallback test on the table) for each chart.
CHARTS: dict[str, tuple[str, str, Callable[[Table], bool]]] = {
    "funnel": ("funnel", "funnel", lambda t: True),
    "monthly": (
        "contact",
        "monthly",
        lambda t: "month" in t.key or "month" in str(_frame(t).columns[0]).lower(),
    ),
    "distance": (
        "outcomes",
        "distance_travelled",
        lambda t: "distance" in t.key or any("change" in c.lower() for c in _frame(t).columns),
    ),
}
KEY_TABLE_SECTIONS = ("funnel", "relationships", "mentors")


def find_table(report: Report, chart: str) -> tuple[Section, Table] | None:
    section_key, table_key, fallback = CHARTS[chart]
    section = next((s for s in report.sections if s.key == section_key), None)
    if section is None or not section.tables:
        return None
    table = next((t for t in section.tables if t.key == table_key), None)
    table = table or next((t for t in section.tables if fallback(t)), None)
    return (section, table) if table is not None else None


class _Pages:
    """A4 pages filled top to bottom; ``y`` is inches from the top of the current page."""

    def __init__(self, pdf: Any, report: Report) -> None:
        from matplotlib.figure import Figure

        self._figure_class = Figure
        self.pdf, self.report = pdf, report
        self.number, self.fig, self.ax, self.y = 0, None, None, TOP

    def new_page(self) -> None:
        self.finish()
        self.number += 1
        self.fig = self._figure_class(figsize=A4)
        self.ax = self.fig.add_axes((0, 0, 1, 1))
        self.ax.set_xlim(0, A4[0])
        self.ax.set_ylim(A4[1], 0)
        self.ax.axis("off")
        self.y = TOP

    def finish(self) -> None:
        if self.fig is None:
            return
        footer = f"Funder report · {_period(self.report)} · page {self.number}"
        self.ax.text(A4[0] / 2, A4[1] - 0.4, footer, ha="center", fontsize=7, color=GREY)
        self.pdf.savefig(self.fig)
        self.fig = self.ax = None

    def room(self) -> float:
        return A4[1] - BOTTOM - self.y

    def ensure(self, height: float) -> None:
        if self.fig is None or self.room() < height:
            self.new_page()

    def text(self, text: str, size: float = 10, gap: float = 0.06, **style: Any) -> None:
        chars = max(int(WIDTH / (size * 0.55 / 72)), 20)
        for paragraph in text.split("\n"):
            for line in textwrap.wrap(paragraph, chars) or [""]:
                height = size * 1.35 / 72
                self.ensure(height)
                self.ax.text(
                    MARGIN, self.y, line, fontsize=size, va="top", **{"color": INK, **style}
                )
                self.y += height
        self.y += gap

    def heading(self, text: str, size: float = 15, keep_with: float = 1.5) -> None:
        self.ensure(keep_with + size / 72)
        self.y += 0.05
        self.text(text, size=size, weight="bold", gap=0.12)

    def chart(self, height: float, left: float = 0.0, below: float = 0.5) -> Any:
        """Axes for a chart ``height`` inches tall; ``left`` and ``below`` inches are kept for
        its labels."""
        self.ensure(height + below)
        x, w = MARGIN + left, WIDTH - left - 0.1
        rect = (x / A4[0], 1 - (self.y + height) / A4[1], w / A4[0], height / A4[1])
        axes = self.fig.add_axes(rect)
        for spine in ("top", "right"):
            axes.spines[spine].set_visible(False)
        axes.tick_params(labelsize=8)
        self.y += height + below
        return axes

    def table(self, table: Table) -> None:
        frame = _frame(table)
        rows = [[(_text(v, k), k) for v, k in cells] for cells in _rows(table, frame)]
        headers = list(frame.columns)
        numeric = [  # right-aligned: numbers, "n/a" and "<5"
            bool(rows) and all(k != TEXT or SUPPRESSED.match(t) for t, k in (r[col] for r in rows))
            for col in range(len(headers))
        ]
        cells = [
            [textwrap.fill(t, LABEL_CHARS) if col == 0 else t for col, (t, _) in enumerate(row)]
            for row in rows
        ]
        # Headers wrap at a few words a line; narrower still if that keeps the table on the page.
        for header_chars in (14, 10, 7):
            wrapped, widths = [], []
            for col, name in enumerate(headers):
                longest = max((len(ln) for r in cells for ln in r[col].split("\n")), default=0)
                header = textwrap.fill(name, max(longest, header_chars), break_long_words=False)
                wrapped.append(header)
                header_width = max(len(line) for line in header.split("\n")) * BOLD
                widths.append(min(max(longest * CHAR, header_width) + PAD, WIDTH / 2))
            if sum(widths) <= WIDTH:
                break
        # Columns beyond the page's width go on in a further block, the first column repeated.
        groups, current, used = [], [], widths[0]
        for col in range(1, len(headers)):
            if current and used + widths[col] > WIDTH:
                groups.append(current)
                current, used = [], widths[0]
            current.append(col)
            used += widths[col]
        groups.append(current)
        for n, group in enumerate(groups):
            self._table_block(table, n > 0, [0, *group], wrapped, widths, numeric, cells)

    def _table_block(self, table, continued, columns, headers, widths, numeric, cells) -> None:
        ax = self.ax
        lines = max(h.count("\n") + 1 for h in (headers[c] for c in columns))
        header_h = lines * LINE + 0.08
        row_hs = [max(r[c].count("\n") + 1 for c in columns) * LINE + 0.06 for r in cells]
        first_row = row_hs[0] if row_hs else LINE
        lefts, x = [], MARGIN
        for c in columns:
            lefts.append(x)
            x += widths[c]
        total = x - MARGIN

        def title_and_header(suffix: str) -> None:
            self.ensure(0.5 + header_h + first_row)
            self.text(table.title + suffix, size=10, weight="bold", gap=0.02)
            if table.note and not suffix:
                self.text(table.note, size=7.5, style="italic", gap=0.02)
            from matplotlib.patches import Rectangle

            self.ax.add_patch(Rectangle((MARGIN, self.y), total, header_h, color="#DDE5EE"))
            for left, c in zip(lefts, columns, strict=True):
                self._cell(left, widths[c], self.y, headers[c], numeric[c], weight="bold")
            self.y += header_h

        title_and_header(" (continued)" if continued else "")
        ax = self.ax
        if not cells:
            self.text("None in this period.", size=FONT, style="italic")
        for i, (row, height) in enumerate(zip(cells, row_hs, strict=True)):
            if self.room() < height:
                self.new_page()
                title_and_header(" (continued)")
                ax = self.ax
            if i % 2:
                from matplotlib.patches import Rectangle

                ax.add_patch(Rectangle((MARGIN, self.y), total, height, color="#F3F5F8"))
            for left, c in zip(lefts, columns, strict=True):
                self._cell(left, widths[c], self.y, row[c], numeric[c])
            self.y += height
        ax.plot([MARGIN, MARGIN + total], [self.y, self.y], color="#6B7B8C", lw=0.6)
        self.y += 0.25

    def _cell(self, left, width, top, text, numeric, **style) -> None:
        x, ha = (left + width - PAD / 2, "right") if numeric else (left + PAD / 2, "left")
        self.ax.text(
            x,
            top + 0.04,
            text,
            fontsize=FONT,
            va="top",
            ha=ha,
            color=INK,
            linespacing=1.15,
            **style,
        )


def _labels_counts_shares(table: Table) -> tuple[list[str], list[int], list[float | None]]:
    """The funnel table's stage names, its first count column, and each stage's share of the
    first stage (the table's own "share of referred" rate when it has one)."""
    frame = _frame(table)
    rows = list(_rows(table, frame))
    count_col = next(c for c in range(1, len(frame.columns)) if all(r[c][1] == COUNT for r in rows))
    labels = [str(r[0][0]) for r in rows]
    counts = [r[count_col][0] or 0 for r in rows]
    share_col = next(
        (
            c
            for c, name in enumerate(frame.columns)
            if name in table.rate_columns
            and ("referred" in name.lower() or "share" in name.lower())
        ),
        None,
    )
    if share_col is not None:
        shares = [r[share_col][0] for r in rows]
    else:
        shares = [n / counts[0] if counts[0] else None for n in counts]
    return labels, counts, shares


def _funnel_page(pages: _Pages, report: Report) -> None:
    found = find_table(report, "funnel")
    if found is None:
        return
    section, table = found
    try:
        labels, counts, shares = _labels_counts_shares(table)
    except StopIteration:  # no column of counts: show the table alone
        labels = []
    pages.new_page()
    pages.heading(section.title)
    pages.text(
        "Everyone referred in the period, and how many reached each stage. Each bar shows the "
        "number of people and their share of all referred. Stages are counted on their own: "
        "someone who met three times by phone counts as met 3+ but not as face to face.",
        size=9,
        color=GREY,
    )
    if labels:
        ax = pages.chart(0.32 * len(labels) + 0.5, left=2.1)
        top = max(counts) or 1
        ax.barh(range(len(labels)), counts, color=BLUE, height=0.65)
        ax.set_yticks(range(len(labels)), [textwrap.fill(s, 28) for s in labels])
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.3)
        ax.xaxis.set_major_formatter(lambda v, _pos: f"{v:,.0f}")
        for i, (n, share) in enumerate(zip(counts, shares, strict=True)):
            ax.text(n + top * 0.01, i, f"{n:,} ({_text(share, RATE)})", va="center", fontsize=8)
        ax.set_xlabel("People", fontsize=8)
    pages.table(table)


def _contact_page(pages: _Pages, report: Report) -> None:
    section = next((s for s in report.sections if s.key == "contact"), None)
    found = find_table(report, "monthly")
    if section is None or not section.tables:
        return
    pages.new_page()
    pages.heading(section.title)
    if found is not None:
        _, monthly = found
        frame = _frame(monthly)
        rows = list(_rows(monthly, frame))
        series = [
            c for c in range(1, len(frame.columns)) if rows and all(r[c][1] == COUNT for r in rows)
        ][:3]
        if rows and series:
            months = [_text(*r[0]) for r in rows]
            pages.text(monthly.title, size=10, weight="bold", gap=0.02)
            ax = pages.chart(3.0, below=0.9)
            xs = range(len(months))
            first, *rest = series
            ax.bar(xs, [r[first][0] or 0 for r in rows], color=BLUE, label=frame.columns[first])
            for c, colour in zip(rest, (AMBER, GREEN), strict=False):
                ax.plot(
                    xs,
                    [r[c][0] or 0 for r in rows],
                    marker="o",
                    color=colour,
                    label=frame.columns[c],
                )
            ax.set_xticks(xs, months, rotation=45 if len(months) > 6 else 0, ha="right")
            ax.set_ylim(bottom=0)
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.legend(fontsize=8, frameon=False)
    for table in section.tables:
        if found is None or table is not found[1]:
            pages.table(table)


def _distance_page(pages: _Pages, report: Report) -> None:
    found = find_table(report, "distance")
    if found is None:
        return
    _section, table = found
    frame = _frame(table)
    rows = list(_rows(table, frame))
    change = next((c for c, name in enumerate(frame.columns) if "change" in name.lower()), None)
    improved = next(
        (
            c
            for c, name in enumerate(frame.columns)
            if name in table.rate_columns and "improv" in name.lower()
        ),
        None,
    )
    pages.new_page()
    pages.heading("Distance travelled")
    pages.text(
        "How each person's score moved from their first review to their latest, averaged by "
        "domain. Bars to the right mean things got better.",
        size=9,
        color=GREY,
    )
    if change is not None and rows:
        values = [r[change][0] for r in rows]
        known = [abs(v) for v in values if v is not None] or [1]
        reach = max(known) * 2.4 or 1  # room for the labels beside the bars
        ax = pages.chart(0.35 * len(rows) + 0.6, left=2.1)
        ax.barh(
            range(len(rows)),
            [v or 0 for v in values],
            color=[AMBER if (v or 0) < 0 else GREEN for v in values],
            height=0.6,
        )
        ax.set_yticks(range(len(rows)), [textwrap.fill(str(r[0][0]), 28) for r in rows])
        ax.invert_yaxis()
        ax.axvline(0, color=GREY, lw=0.8)
        ax.set_xlim(-reach if min(v or 0 for v in values) < 0 else 0, reach)
        ax.set_xlabel(str(frame.columns[change]), fontsize=8)
        for i, (value, row) in enumerate(zip(values, rows, strict=True)):
            label = "n/a" if value is None else f"{value:+.1f}"
            if improved is not None and row[improved][0] is not None:
                label += f"  ({_text(row[improved][0], RATE)} improved)"
            x = value or 0
            ax.text(
                x + (reach * 0.02 if x >= 0 else -reach * 0.02),
                i,
                label,
                va="center",
                ha="left" if x >= 0 else "right",
                fontsize=8,
            )
    pages.table(table)


def _key_tables(pages: _Pages, report: Report, shown: set[int]) -> None:
    first = True
    for key in KEY_TABLE_SECTIONS:
        section = next((s for s in report.sections if s.key == key), None)
        tables = [t for t in section.tables if id(t) not in shown] if section else []
        if not tables:
            continue
        if first or pages.room() < 3:
            pages.new_page()
        first = False
        pages.heading(section.title if key != "funnel" else f"{section.title}: breakdowns")
        for table in tables:
            pages.table(table)


def _definitions(pages: _Pages, sections: list[Section]) -> None:
    sections = [s for s in sections if s.definitions]
    if not sections:
        return
    pages.new_page()
    pages.heading("How the figures are counted")
    for section in sections:
        pages.heading(section.title, size=11, keep_with=0.8)
        for term, definition in section.definitions.items():
            pages.text(f"{term}: {definition}", size=8.5, gap=0.04)


def _title_page(pages: _Pages, report: Report) -> None:
    pages.new_page()
    pages.y = 1.6
    pages.text("Funder report", size=28, weight="bold", gap=0.1)
    pages.text(report.funder or "All funders", size=15, gap=0.05)
    pages.text(_period(report), size=15, gap=0.4)
    names = [name for _, name in report.schemes]
    pages.text("Schemes" if len(names) != 1 else "Scheme", size=11, weight="bold", gap=0.02)
    for name in names[:MAX_SCHEMES]:
        pages.text(name, size=10, gap=0.0)
    if len(names) > MAX_SCHEMES:
        pages.text(f"and {len(names) - MAX_SCHEMES} more (listed in the XLSX and CSV).", size=10)
    pages.y += 0.4
    pages.text(f"Generated {_generated(report)}", size=9, color=GREY)
    pages.text(PRIVACY_NOTE + " " + SUPPRESSION_NOTE, size=9, color=GREY)
    pages.text(
        "Percentages are shown next to the counts they are worked out from; n/a means there "
        "was nobody to divide by.",
        size=9,
        color=GREY,
    )


def render(report: Report, progress: Progress | None = None) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages

    tell = _reporter(progress)
    check_aggregate(report)
    tell(0, "Drawing the PDF")
    buffer = io.BytesIO()
    style = {"font.family": "DejaVu Sans", "pdf.fonttype": 42, "axes.titleweight": "bold"}
    metadata = {"Title": f"Funder report, {_period(report)}", "Creator": "Tandem"}
    with matplotlib.rc_context(style), PdfPages(buffer, metadata=metadata) as pdf:
        pages = _Pages(pdf, report)
        _title_page(pages, report)
        tell(10, "Drew the title page")
        _funnel_page(pages, report)
        tell(30, "Drew the funnel")
        _contact_page(pages, report)
        tell(50, "Drew contact over time")
        _distance_page(pages, report)
        tell(65, "Drew distance travelled")
        shown = {
            id(t)
            for chart in ("funnel", "distance")
            if (f := find_table(report, chart))
            for t in [f[1]]
        }
        _key_tables(pages, report, shown)
        tell(85, "Drew the key tables")
        keys = {"funnel", "contact", "outcomes", *KEY_TABLE_SECTIONS}
        _definitions(pages, [s for s in report.sections if s.key in keys])
        pages.finish()
    tell(100, "PDF ready")
    return buffer.getvalue()
