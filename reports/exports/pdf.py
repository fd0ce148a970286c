"""The funder report as a PDF a trustee can read: a few A4 pages of charts and key tables.

The pages (laid out by ``reports.exports.pdf_layout``):
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

from reports.exports.common import (
    COUNT,
    PRIVACY_NOTE,
    RATE,
    SUPPRESSION_NOTE,
    cell_text,
    check_aggregate,
    generated_text,
    period_text,
    plain_frame,
    reporter,
    typed_rows,
)
from reports.exports.pdf_layout import AMBER, BLUE, GREEN, GREY, Pages
from reports.report import Progress, Report, Section, Table

# fontTools logs every font subset it embeds at INFO: noise in the worker's log.
logging.getLogger("fontTools").setLevel(logging.WARNING)

MAX_SCHEMES = 30  # on the title page; the rest are counted

# (section key, table key, a fallback test on the table) for each chart.
CHARTS: dict[str, tuple[str, str, Callable[[Table], bool]]] = {
    "funnel": ("funnel", "funnel", lambda t: True),
    "monthly": (
        "contact",
        "monthly",
        lambda t: "month" in t.key or "month" in str(plain_frame(t).columns[0]).lower(),
    ),
    "distance": (
        "outcomes",
        "distance_travelled",
        lambda t: "distance" in t.key or any("change" in c.lower() for c in plain_frame(t).columns),
    ),
}
KEY_TABLE_SECTIONS = ("funnel", "relationships", "mentors")


def find_table(report: Report, chart: str) -> tuple[Section, Table] | None:
    """The section and table a chart is drawn from: by its key, else the section's first table
    that looks like it; ``None`` when the report has neither."""
    section_key, table_key, fallback = CHARTS[chart]
    section = next((s for s in report.sections if s.key == section_key), None)
    if section is None or not section.tables:
        return None
    table = next((t for t in section.tables if t.key == table_key), None)
    table = table or next((t for t in section.tables if fallback(t)), None)
    return (section, table) if table is not None else None


def _labels_counts_shares(table: Table) -> tuple[list[str], list[int], list[float | None]]:
    """The funnel table's stage names, its first count column, and each stage's share of the
    first stage (the table's own "share of referred" rate when it has one)."""
    frame = plain_frame(table)
    rows = list(typed_rows(table, frame))
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


def _funnel_page(pages: Pages, report: Report) -> None:
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
            ax.text(n + top * 0.01, i, f"{n:,} ({cell_text(share, RATE)})", va="center", fontsize=8)
        ax.set_xlabel("People", fontsize=8)
    pages.table(table)


def _contact_page(pages: Pages, report: Report) -> None:
    from matplotlib.ticker import MaxNLocator

    section = next((s for s in report.sections if s.key == "contact"), None)
    found = find_table(report, "monthly")
    if section is None or not section.tables:
        return
    pages.new_page()
    pages.heading(section.title)
    if found is not None:
        _, monthly = found
        frame = plain_frame(monthly)
        rows = list(typed_rows(monthly, frame))
        series = [
            c for c in range(1, len(frame.columns)) if rows and all(r[c][1] == COUNT for r in rows)
        ][:3]
        if rows and series:
            months = [cell_text(*r[0]) for r in rows]
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
            locator = ax.yaxis.get_major_locator()
            if isinstance(locator, MaxNLocator):  # the default (AutoLocator) is one
                locator.set_params(integer=True)  # whole meetings and people
            ax.legend(fontsize=8, frameon=False)
    for table in section.tables:
        if found is None or table is not found[1]:
            pages.table(table)


def _distance_page(pages: Pages, report: Report) -> None:
    found = find_table(report, "distance")
    if found is None:
        return
    _section, table = found
    frame = plain_frame(table)
    rows = list(typed_rows(table, frame))
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
                label += f"  ({cell_text(row[improved][0], RATE)} improved)"
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


def _key_tables(pages: Pages, report: Report, shown: set[int]) -> None:
    first = True
    for key in KEY_TABLE_SECTIONS:
        section = next((s for s in report.sections if s.key == key), None)
        if section is None:
            continue
        tables = [t for t in section.tables if id(t) not in shown]
        if not tables:
            continue
        if first or pages.room() < 3:
            pages.new_page()
        first = False
        pages.heading(section.title if key != "funnel" else f"{section.title}: breakdowns")
        for table in tables:
            pages.table(table)


def _definitions_page(pages: Pages, sections: list[Section]) -> None:
    sections = [s for s in sections if s.definitions]
    if not sections:
        return
    pages.new_page()
    pages.heading("How the figures are counted")
    for section in sections:
        pages.heading(section.title, size=11, keep_with=0.8)
        for term, definition in section.definitions.items():
            pages.text(f"{term}: {definition}", size=8.5, gap=0.04)


def _title_page(pages: Pages, report: Report) -> None:
    pages.new_page()
    pages.y = 1.6
    pages.text("Funder report", size=28, weight="bold", gap=0.1)
    pages.text(report.funder or "All funders", size=15, gap=0.05)
    pages.text(period_text(report), size=15, gap=0.4)
    names = [name for _, name in report.schemes]
    pages.text("Schemes" if len(names) != 1 else "Scheme", size=11, weight="bold", gap=0.02)
    for name in names[:MAX_SCHEMES]:
        pages.text(name, size=10, gap=0.0)
    if len(names) > MAX_SCHEMES:
        pages.text(f"and {len(names) - MAX_SCHEMES} more (listed in the XLSX and CSV).", size=10)
    pages.y += 0.4
    pages.text(f"Generated {generated_text(report)}", size=9, color=GREY)
    pages.text(PRIVACY_NOTE + " " + SUPPRESSION_NOTE, size=9, color=GREY)
    pages.text(
        "Percentages are shown next to the counts they are worked out from; n/a means there "
        "was nobody to divide by.",
        size=9,
        color=GREY,
    )


def to_pdf(report: Report, progress: Progress | None = None) -> bytes:
    """A few A4 pages for trustees: the funnel, contact over time, distance travelled, the key
    tables and the definitions."""
    import matplotlib  # loads only when a PDF is asked for

    matplotlib.use("Agg")
    from matplotlib.backends.backend_pdf import PdfPages

    tell = reporter(progress)
    check_aggregate(report)
    tell(0, "Drawing the PDF")
    buffer = io.BytesIO()
    metadata = {"Title": f"Funder report, {period_text(report)}", "Creator": "Tandem"}
    with (
        matplotlib.rc_context(
            {
                "font.family": "DejaVu Sans",
                "pdf.fonttype": 42,
                "axes.titleweight": "bold",
                # Scheme and funder names are typed by people: "$...$" in one is printed as
                # typed, never read as mathtext (where "$\\undefinedcmd{x}$" stopped the PDF).
                "text.parse_math": False,
            }
        ),
        PdfPages(buffer, metadata=metadata) as pdf,
    ):
        pages = Pages(pdf, report)
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
        _definitions_page(pages, [s for s in report.sections if s.key in keys])
        pages.finish()
    tell(100, "PDF ready")
    return buffer.getvalue()
