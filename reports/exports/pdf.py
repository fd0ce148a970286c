"""The funder report as a PDF a trustee can read: the report page's own HTML, laid out for A4
by a print style sheet and made into a tagged PDF by WeasyPrint (``core.pdf``).

- The first page: the title (the funder, or the schemes chosen), the period, "figures to
  <date>" when the period ends later, the funnel's headline in words ("Of 4,000 people
  referred, 90 met a mentor: 2.2%.") with the funnel chart, the schemes, and the privacy
  promise.
- Then every section as the page shows it (``templates/reports/_report_sections.html``): its
  charts (``reports.charts``, SVG), its tables and how each figure is counted.
- "Page N of M" in the footer; tables fit the page's width (small type, wrapped headers).

The HTML is ``templates/reports/report_pdf.html``; the look is ``static/css/report-print.css``
(the charts carry ``static/css/report-charts.css`` inside each SVG). WeasyPrint loads only
when a PDF is drawn.
"""

from typing import Any

from django.template.loader import render_to_string

from core.pdf import html_to_pdf, static_text
from reports.charts import find_table, funnel_chart, with_charts
from reports.exports.common import (
    PRIVACY_NOTE,
    SUPPRESSION_NOTE,
    check_aggregate,
    generated_text,
    period_text,
    reporter,
)
from reports.report import Progress, Report
from reports.summary import summary
from reports.wording import counted_to_note, headline, report_title

MAX_SCHEMES = 30  # on the first page; the rest are counted
PRINT_CSS = "css/report-print.css"
CHARTS_CSS = "css/report-charts.css"


def pdf_context(report: Report) -> dict[str, Any]:
    """What the PDF's template shows: the page's summary, with the charts drawn."""
    shown = summary(report)
    schemes = shown["schemes"]
    funnel = find_table(shown["sections"], "funnel", "funnel")
    return {
        "title": report_title(report.funder, schemes),
        "period": period_text(report),
        "counted_note": counted_to_note(report.counted_to, report.date_to),
        "headline": headline(shown["sections"]),
        "funnel_chart": funnel_chart(funnel, id="chart-cover-funnel") if funnel else None,
        "schemes": schemes,
        "max_schemes": f":{MAX_SCHEMES}",
        "more_schemes": max(0, len(schemes) - MAX_SCHEMES),
        "funder": report.funder,
        "generated": generated_text(report),
        "privacy_note": PRIVACY_NOTE,
        "suppression_note": SUPPRESSION_NOTE,
        # The funnel is drawn on the first page; its table follows in the section.
        "sections": with_charts(shown["sections"], leave_out=("funnel",)),
        "chart_css": static_text(CHARTS_CSS),
    }


def to_pdf(report: Report, progress: Progress | None = None) -> bytes:
    """The report as a tagged A4 PDF (PDF/UA-1): a first page with the headline and the
    funnel, then every section's charts, tables and definitions."""
    tell = reporter(progress)
    check_aggregate(report)
    tell(0, "Drawing the PDF")
    context = pdf_context(report)
    tell(20, "Drew the charts")
    html = render_to_string("reports/report_pdf.html", context)
    tell(30, "Laying out the pages")
    pdf = html_to_pdf(html, [PRINT_CSS], laid_out=lambda: tell(80, "Writing the PDF"))
    tell(100, "PDF ready")
    return pdf
