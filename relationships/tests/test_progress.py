"""The cap, the overdue review and the chart, as pure functions (no database)."""

import datetime

from relationships.plans.progress import (
    ScoreRow,
    cap_progress,
    domain_chart,
    domain_series,
    overdue_words,
    review_overdue_days,
)

D = datetime.date
MATCHED = D(2025, 1, 6)


def cap(**kw):
    args = {"cap_meetings": None, "cap_weeks": None, "meetings_held": 0, "matched_on": MATCHED}
    return [(p.text, p.level) for p in cap_progress(**{**args, **kw})]


def test_an_open_ended_scheme_shows_no_cap():
    """No cap on either count: nothing to show, nothing to warn about."""
    assert cap(on=D(2026, 1, 1), meetings_held=40) == []


def test_meetings_cap_counts_and_warns_within_two_meetings():
    """8 of 12 is fine; 10 of 12 is close enough to plan the ending; 12 is reached; 13 passed."""
    on = D(2025, 2, 1)
    assert cap(cap_meetings=12, meetings_held=8, on=on) == [("8 of 12 meetings (met)", "ok")]
    assert cap(cap_meetings=12, meetings_held=10, on=on) == [("10 of 12 meetings (met)", "near")]
    assert cap(cap_meetings=12, meetings_held=12, on=on)[0][1] == "reached"
    assert cap(cap_meetings=12, meetings_held=13, on=on)[0][1] == "passed"


def test_weeks_cap_counts_calendar_weeks_from_the_match():
    """The match day is week 1; day 7 starts week 2. Within 4 weeks warns; beyond is passed."""
    assert cap(cap_weeks=26, on=MATCHED) == [("week 1 of 26", "ok")]
    assert cap(cap_weeks=26, on=MATCHED + datetime.timedelta(days=7)) == [("week 2 of 26", "ok")]
    week_20 = MATCHED + datetime.timedelta(weeks=19)
    assert cap(cap_weeks=26, on=week_20) == [("week 20 of 26", "ok")]
    week_22 = MATCHED + datetime.timedelta(weeks=21)
    assert cap(cap_weeks=26, on=week_22) == [("week 22 of 26", "near")]
    week_26 = MATCHED + datetime.timedelta(weeks=25)
    assert cap(cap_weeks=26, on=week_26) == [("week 26 of 26", "near")]
    assert cap(cap_weeks=26, on=MATCHED + datetime.timedelta(weeks=26))[0] == (
        "week 27 of 26",
        "passed",
    )


def test_both_caps_show_side_by_side():
    on = MATCHED + datetime.timedelta(weeks=11)
    assert cap(cap_meetings=12, cap_weeks=13, meetings_held=5, on=on) == [
        ("5 of 12 meetings (met)", "ok"),
        ("week 12 of 13", "near"),
    ]


def test_a_review_is_overdue_only_after_its_day_and_only_while_running():
    """Due today is not overdue; a paused or closed relationship is never overdue."""
    due = D(2025, 3, 1)
    kw = {"next_review_on": due, "is_open": True, "is_paused": False}
    assert review_overdue_days(on=due, **kw) is None
    assert review_overdue_days(on=D(2025, 3, 10), **kw) == 9
    assert review_overdue_days(on=D(2025, 3, 10), **{**kw, "is_paused": True}) is None
    assert review_overdue_days(on=D(2025, 3, 10), **{**kw, "is_open": False}) is None
    assert review_overdue_days(on=D(2025, 3, 10), **{**kw, "next_review_on": None}) is None
    assert overdue_words(9) == "Review overdue by 9 days"
    assert overdue_words(1) == "Review overdue by 1 day"


LABELS = {"accommodation": "Accommodation", "ete": "Work", "finance": "Finance"}


def test_a_domain_score_is_the_mean_of_its_goals_at_each_review():
    """Two housing goals scored 4 and 7 at one review make 5.5 for housing at that review;
    each domain keeps its own line, in date order whatever order the rows came in."""
    rows = [
        ScoreRow(2, D(2025, 3, 1), "accommodation", 8),
        ScoreRow(1, D(2025, 2, 1), "accommodation", 4),
        ScoreRow(1, D(2025, 2, 1), "accommodation", 7),
        ScoreRow(1, D(2025, 2, 1), "ete", 2),
        ScoreRow(2, D(2025, 3, 1), "ete", 5),
    ]
    dates, series = domain_series(rows, LABELS)
    assert dates == [D(2025, 2, 1), D(2025, 3, 1)]
    assert [(s.label, s.points) for s in series] == [
        ("Accommodation", [(D(2025, 2, 1), 5.5), (D(2025, 3, 1), 8.0)]),
        ("Work", [(D(2025, 2, 1), 2.0), (D(2025, 3, 1), 5.0)]),
    ]


def test_chart_points_sit_on_the_date_and_score_scales():
    """x runs from the first review (left edge) to the last (right edge) by date; y puts 10
    at the top and 1 at the bottom of the plot. A goal added later starts where it starts."""
    rows = [
        ScoreRow(1, D(2025, 1, 1), "accommodation", 1),
        ScoreRow(2, D(2025, 1, 11), "accommodation", 10),
        ScoreRow(3, D(2025, 1, 31), "accommodation", 10),
        ScoreRow(3, D(2025, 1, 31), "finance", 4),
    ]
    chart = domain_chart(rows, LABELS, width=340, height=200)
    housing, money = chart.series
    left, right, top, bottom = chart.left, chart.right, chart.top, chart.bottom
    assert housing.xy[0] == (left, bottom)
    assert housing.xy[1] == (round(left + (right - left) / 3, 1), top)
    assert housing.xy[2] == (right, top)
    assert money.xy == [(right, round(top + (bottom - top) * 6 / 9, 1))]
    assert housing.polyline.startswith(f"{left},{bottom} ")
    assert chart.table == [
        (D(2025, 1, 1), [1.0, None]),
        (D(2025, 1, 11), [10.0, None]),
        (D(2025, 1, 31), [10.0, 4.0]),
    ]
    assert [(d, anchor) for _, d, anchor in chart.x_ticks] == [
        (D(2025, 1, 1), "start"),
        (D(2025, 1, 11), "middle"),
        (D(2025, 1, 31), "end"),
    ]


def test_one_review_sits_in_the_middle_and_no_reviews_means_no_chart():
    chart = domain_chart([ScoreRow(1, D(2025, 1, 1), "ete", 5)], LABELS)
    assert chart.series[0].xy[0][0] == chart.left + (chart.right - chart.left) / 2
    assert domain_chart([], LABELS) is None
