"""The report's charts (SVG drawn on the server from the report's tables), and the words at
the top of a report. No database: the tables are the page's summary of a hand-built Report."""

import datetime
import re

from django.template.loader import render_to_string

from reports.charts import distance_chart, funnel_chart, monthly_chart, number, with_charts
from reports.services import summary
from reports.tests.pdf_sample import chart_report
from reports.wording import counted_to_note, headline, report_subject, report_title


def sections(report=None):
    return summary(report or chart_report())["sections"]


def charts_of(drawn, section, table):
    found = next(s for s in drawn if s["key"] == section)
    return next(t for t in found["tables"] if t["key"] == table)["charts"]


def test_the_funnel_chart_has_a_bar_for_every_main_stage_face_to_face_included():
    """Every main stage is drawn, face to face too, with its people and share of referred;
    "met exactly once", off the main line, is in the table only."""
    drawn = with_charts(sections())
    (chart,) = charts_of(drawn, "funnel", "funnel")
    labels = [bar.label for bar in chart.bars]
    assert labels[0] == "Referred" and "Face-to-face contact" in labels
    assert "Met exactly once" not in labels and len(labels) == 8
    values = [bar.value_text for bar in chart.bars]
    assert values[0] == "200 (100.0%)" and "4 (2.0%)" in values
    assert "Face-to-face contact: 4 (2.0%)" in chart.description  # the text alternative


def test_the_trend_is_a_small_chart_per_stage_with_a_bar_per_quarter():
    """Part B's trend table (Quarter, then a count column per stage) is drawn as one small
    chart per stage, each bar a quarter with its count."""
    (targets,) = [s for s in with_charts(sections()) if s["key"] == "targets"]
    charts = targets["tables"][0]["charts"]
    assert [c.caption for c in charts][:2] == ["Referred", "Consented"] and len(charts) == 8
    referred = charts[0]
    assert [b.label for b in referred.bars] == [
        "Apr to Jun 2025",
        "Jul to Sep 2025",
        "Oct to Dec 2025",
        "Jan to Mar 2026",
    ]
    assert [b.value_text for b in referred.bars] == ["90", "126", "81", "153"]
    widths = [float(b.bar_width) for b in referred.bars]
    assert max(widths) == widths[3] and min(widths) == widths[2]  # the longest is the most


def test_without_a_trend_table_no_trend_chart_is_drawn():
    """A report without part B's targets section (an older one) draws the rest as before."""
    drawn = with_charts(sections(chart_report(trend=False)))
    assert "targets" not in [s["key"] for s in drawn]
    assert charts_of(drawn, "funnel", "funnel")


def test_distance_travelled_draws_a_fall_to_the_left_of_zero():
    """A domain whose scores fell has its bar left of the zero line, marked as a fall; a
    domain nobody was scored in has no bar, and says so."""
    table = next(
        t
        for t in next(s for s in sections() if s["key"] == "outcomes")["tables"]
        if t["key"] == "distance_travelled"
    )
    chart = distance_chart(table)
    bars = {bar.label: bar for bar in chart.bars}
    assert chart.zero_x is not None
    assert bars["Finance"].negative and bars["Finance"].value_text == "-0.5"
    assert float(bars["Finance"].bar_x) < float(chart.zero_x)
    assert bars["Accommodation"].value_text == "+2.6" and not bars["Accommodation"].negative
    assert bars["Family and relationships"].value_text == "no scores"
    assert float(bars["Family and relationships"].bar_width) == 0


def test_meetings_per_month_are_labelled_by_month_and_left_out_when_there_are_none():
    """A month reads "Apr 2025"; a period with no meetings draws no empty chart."""
    table = {"key": "monthly", "columns": ["Month", "Meetings held"], "rows": [["2025-04", 3]]}
    assert [b.label for b in monthly_chart(table).bars] == ["Apr 2025"]
    assert monthly_chart({**table, "rows": [["2025-04", 0]]}) is None


def test_nobody_referred_draws_no_funnel_and_says_so_in_words():
    """With nobody referred there is no funnel to draw: a sentence says so instead."""
    table = {
        "key": "funnel",
        "columns": ["Stage", "People", "Share of all referred"],
        "rows": [["Referred", 0, None], ["Any contact (met at least once)", 0, None]],
    }
    assert funnel_chart(table) is None
    assert headline([{"key": "funnel", "tables": [table]}]) == (
        "Nobody was referred in this period, so there is no funnel to show."
    )


def test_the_headline_says_the_funnel_in_words():
    """ "Of 4,000 people referred, 90 met a mentor: 2.2%." from the funnel table's figures."""
    table = {
        "key": "funnel",
        "columns": ["Stage", "People"],
        "rows": [
            ["Referred", 4000],
            ["Consented", 3000],
            ["Matched with a mentor", 400],
            ["Any contact (met at least once)", 90],
        ],
    }
    assert headline([{"key": "funnel", "tables": [table]}]) == (
        "Of 4,000 people referred, 90 met a mentor: 2.2%."
    )
    table["rows"] = [["Referred", 1], ["", 0], ["", 0], ["Any contact (met at least once)", 1]]
    assert headline([{"key": "funnel", "tables": [table]}]) == (
        "Of 1 person referred, 1 met a mentor: 100%."
    )


def test_the_title_names_the_funder_or_else_the_schemes_chosen():
    """Never "All funders" when schemes were chosen: the schemes are named, a long list
    counted."""
    assert report_title("Lottery Community Fund", ["A", "B"]) == (
        "Funder report for Lottery Community Fund"
    )
    assert report_title("", ["Northgate"]) == "Funder report for Northgate"
    assert report_title("", ["A", "B", "C"]) == "Funder report for A, B and C"
    assert report_subject("", ["A", "B", "C", "D", "E"]) == "A, B, C and 2 more schemes"


def test_figures_to_a_day_before_the_period_ends_are_said():
    """The last day counted is said when it is before the period's end, and only then."""
    end = datetime.date(2026, 6, 30)
    assert counted_to_note(datetime.date(2026, 5, 14), end).startswith(
        "Figures to 14 May 2026: the period ends later"
    )
    assert counted_to_note(end, end) == "" and counted_to_note(None, end) == ""


def test_a_chart_is_svg_with_a_title_and_text_alternative_and_no_inline_style():
    """Each chart is an image to assistive technology, named by its title and described by
    every value; its look comes from classes, never a style attribute."""
    (chart,) = charts_of(with_charts(sections()), "funnel", "funnel")
    svg = render_to_string("reports/_chart.html", {"chart": chart})
    assert (
        'role="img"' in svg
        and f'aria-labelledby="{chart.id}-title" aria-describedby="{chart.id}-desc"' in svg
    )
    assert f'<title id="{chart.id}-title">' in svg and "Referred: 200 (100.0%)" in svg
    assert not re.search(r"\sstyle=", svg) and "<style" not in svg
    assert 'class="chart-bar"' in svg


def test_numbers_are_read_from_the_cells_the_page_shows():
    """Counts, measures with thousands, rates as percentages; "<5" and blanks are no number."""
    assert [number(c) for c in (12, 2.5, "1,234.5", "12.5%", "<5", None, "n/a")] == [
        12.0,
        2.5,
        1234.5,
        0.125,
        None,
        None,
        None,
    ]
