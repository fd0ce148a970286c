"""The report's words and charts on screen, and the PDF of reports built from the database:
an empty period, a name 300 characters long, and the page's charts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from reports import services
from reports.build import build_report
from reports.exports.pdf import to_pdf
from reports.models import ReportExport
from reports.tests.pdf_sample import chart_report, pdf_info, pdf_text, poppler

pytestmark = pytest.mark.django_db

#: 300 characters with no space to wrap at, markup and right-to-left text.
LONG_NAME = "<i>Northgate</i> " + "A" * 260 + " שלום {{ x }} $x^2$ =1+1" + "Z" * 9


def test_a_period_with_nobody_referred_says_so_in_words(world, tmp_path):
    """A report over a year with no referrals at all builds a tagged PDF whose first page
    says nobody was referred, with every section's empty tables and no crash."""
    report = build_report(
        scheme_ids=[world.scheme_a.pk],
        date_from=datetime.date(2001, 1, 1),
        date_to=datetime.date(2001, 12, 31),
    )
    pdf = to_pdf(report)
    first = " ".join(pdf_text(pdf, tmp_path, "-f", 1, "-l", 1).split())
    assert "Nobody was referred in this period, so there is no funnel to show." in first
    assert f"Funder report for {world.scheme_a.name}" in first
    assert re.search(r"^Tagged:\s+yes$", pdf_info(pdf, tmp_path), re.MULTILINE)
    text = " ".join(pdf_text(pdf, tmp_path).split())
    assert all(section.title in text for section in report.sections)


def test_a_name_of_300_characters_wraps_inside_the_page(tmp_path):
    """A scheme name of 300 characters, most with no space, is printed whole and wrapped
    inside the margins (on the first page and in the funnel by scheme)."""
    report = chart_report()
    report.funder = ""
    report.schemes = [(3, LONG_NAME), *report.schemes[1:]]
    path = tmp_path / "long.pdf"
    path.write_bytes(to_pdf(report))
    rights = [
        float(x) for x in re.findall(r'xMax="([\d.]+)"', poppler("pdftotext", "-bbox", path, "-"))
    ]
    assert max(rights) <= 595.3 - 14 / 25.4 * 72 + 1
    text = "".join(poppler("pdftotext", path, "-").split())
    assert "<i>Northgate</i>" + "A" * 260 in text and "{{x}}$x^2$=1+1" in text


def _export_with(world, report, **fields) -> ReportExport:
    return ReportExport.objects.create(
        requested_by=world.coordinator_a,
        scheme_ids=[world.scheme_a.pk],
        date_from=report.date_from,
        date_to=report.date_to,
        format=ReportExport.Format.PDF,
        status=ReportExport.Status.DONE,
        summary=services.summary(report),
        **fields,
    )


def test_the_page_shows_the_headline_the_charts_and_whose_report_it_is(world):
    """On screen, as in the PDF: the funnel's headline in words, the funnel, trend, monthly
    and distance charts as SVG images with a text alternative, the schemes named, and no
    style attribute anywhere in the report's part of the page."""
    report = chart_report()
    report.funder = ""
    export = _export_with(world, report)
    html = client_for(world.coordinator_a).get(reverse("reports:detail", args=[export.pk]))
    page = html.content.decode()
    assert "Of 200 people referred, 6 met a mentor: 3.0%." in page
    assert "For Northgate Resettlement and Riverside Bail Support" in page
    for chart in ("chart-funnel", "chart-trend-1", "chart-monthly", "chart-distance"):
        assert f'aria-labelledby="{chart}-title" aria-describedby="{chart}-desc"' in page
    report_part = page[page.index("Of 200 people referred") :]
    assert not re.search(r"<[^>]+\sstyle=", report_part)
    assert "css/report-charts" in page


def test_the_page_says_when_the_figures_stop_before_the_period_ends(world):
    """A quarter's report built before the quarter's end says how far its figures go."""
    report = chart_report()
    report.date_to = timezone.localdate() + datetime.timedelta(days=20)
    report.counted_to = timezone.localdate()
    export = _export_with(world, report)
    page = client_for(world.coordinator_a).get(reverse("reports:detail", args=[export.pk]))
    assert f"Figures to {report.counted_to:%-d %B %Y}: the period ends later" in (
        page.content.decode()
    )
