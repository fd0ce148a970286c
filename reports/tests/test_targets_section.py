"""Targets against actuals and the trend by quarter, on a known crafted dataset: no database
(any query would fail the test). The report covers 2025 and was built on 15 August 2025, so
it counts to that day; a target reaching back into 2024 reads the wider cohort rows."""

import dataclasses

from reports.rows import Rows, frame
from reports.sections.funnel import STAGES
from reports.sections.targets import targets_section
from reports.tests.crafted import FROM, SCHEMES, TO, D, meeting, referral, rel

COUNTED = D(2025, 8, 15)  # the day the report was built: the period runs to 31 December


def consent(mentee, on):
    return (mentee, on, None)


# Scheme 1: m1 and m2 referred in Q1 and matched in it; m3 referred in Q2; m4 in Q3, never
# matched; m5 referred after the report was built (not counted). Scheme 2: m11 in Q1, m12 in
# Q2. m13 (scheme 2) was referred in 2024, before the report's period.
REFERRALS = [
    referral(1, 1, D(2025, 1, 10)),
    referral(2, 2, D(2025, 2, 20)),
    referral(3, 3, D(2025, 5, 5)),
    referral(4, 4, D(2025, 7, 1)),
    referral(5, 5, D(2025, 8, 20)),
    referral(11, 11, D(2025, 1, 15), scheme=2),
    referral(12, 12, D(2025, 4, 2), scheme=2),
]
EARLIER = [referral(13, 13, D(2024, 9, 1), scheme=2)]
RELATIONSHIPS = [
    rel(1, 1, D(2025, 2, 1)),
    rel(2, 2, D(2025, 3, 1)),
    rel(3, 3, D(2025, 6, 1)),
    rel(11, 11, D(2025, 3, 10), scheme=2),
]
EARLIER_RELATIONSHIPS = [rel(13, 13, D(2024, 10, 1), scheme=2)]
MEETINGS = [
    *(meeting(1, D(2025, 2, 10 + n)) for n in range(3)),  # m1 met 3 times
    meeting(2, D(2025, 3, 5)),  # m2 once
    meeting(3, D(2025, 6, 10)),
    meeting(3, D(2025, 7, 10)),
    meeting(3, D(2025, 8, 20)),  # m3's third meeting is after the report was built
    meeting(11, D(2025, 3, 20)),
]
EARLIER_MEETINGS = [meeting(13, D(2024, 10, 5 + n)) for n in range(3)]  # m13 met 3 times


def target(scheme, stage, starts, ends, number):
    return (scheme, stage, starts, ends, number)


TARGETS = [
    target(1, "matched", D(2025, 1, 1), D(2025, 3, 31), 3),  # shared period with scheme 2
    target(2, "matched", D(2025, 1, 1), D(2025, 3, 31), 2),
    target(1, "referred", D(2025, 1, 1), D(2025, 12, 31), 10),  # running on 15 August
    target(1, "met_3_plus", D(2025, 1, 1), D(2025, 12, 31), 4),
    target(2, "met_3_plus", D(2024, 7, 1), D(2025, 6, 30), 4),  # starts before the period
    target(1, "matched", D(2025, 10, 1), D(2025, 12, 31), 2),  # not started yet
]


def _rows(*, targets=TARGETS, grant_periods=()) -> Rows:
    """The report's rows (2025, counted to 15 August) and the wider cohort rows from 2024."""
    r = Rows.empty(date_from=FROM, date_to=COUNTED, schemes=SCHEMES)
    r.period_to = TO
    r.referrals = frame("referrals", REFERRALS)
    r.consents = frame("consents", [consent(1, D(2025, 1, 20)), consent(3, D(2025, 5, 10))])
    r.relationships = frame("relationships", RELATIONSHIPS)
    r.meetings = frame("meetings", MEETINGS)
    r.targets = frame("targets", targets)
    r.grant_periods = list(grant_periods)
    span = Rows.empty(date_from=D(2024, 7, 1), date_to=COUNTED, schemes=SCHEMES)
    span.referrals = frame("referrals", EARLIER + REFERRALS)
    span.consents = r.consents
    span.relationships = frame("relationships", EARLIER_RELATIONSHIPS + RELATIONSHIPS)
    span.meetings = frame("meetings", EARLIER_MEETINGS + MEETINGS)
    r.span = span
    return r


def _by(records, **match):
    found = [r for r in records if all(r[k] == v for k, v in match.items())]
    assert len(found) == 1, (match, records)
    return found[0]


def test_each_schemes_target_is_compared_with_its_actual_counted_as_the_funnel_counts():
    """Matched in Q1: scheme 1 matched m1 and m2 (2 of 3), scheme 2 matched m11 (1 of 2);
    both periods are over. A target from July 2024 reads the people referred in 2024 (m13
    met three times: 1 of 4). Met 3+ over 2025 for scheme 1 counts m1 only: m3's third
    meeting came after the report was built."""
    figures = targets_section(_rows()).figures
    singles = figures["targets"]
    q1 = {"stage": "matched", "starts_on": "2025-01-01", "ends_on": "2025-03-31"}
    one = _by(singles, scheme_id=1, **q1)
    assert (one["target"], one["actual"], one["share_of_target"]) == (3, 2, 2 / 3)
    assert (one["status"], one["elapsed_share"], one["counted_to"]) == ("over", 1.0, "2025-03-31")
    two = _by(singles, scheme_id=2, **q1)
    assert (two["target"], two["actual"], two["status"]) == (2, 1, "over")
    earlier = _by(singles, scheme_id=2, stage="met_3_plus")
    assert (earlier["starts_on"], earlier["actual"], earlier["share_of_target"]) == (
        "2024-07-01",
        1,
        0.25,
    )
    assert _by(singles, scheme_id=1, stage="met_3_plus")["actual"] == 1


def test_a_shared_stage_and_period_gets_a_combined_row_after_its_schemes():
    """Both schemes aim at matching in Q1: the combined row adds targets (5) and actuals
    (3); no other stage and period is shared, so there is one combined row. In the table it
    follows the two schemes' rows."""
    section = targets_section(_rows())
    (combined,) = section.figures["combined_targets"]
    assert combined["scheme_ids"] == [1, 2] and combined["stage"] == "matched"
    assert (combined["target"], combined["actual"], combined["share_of_target"]) == (5, 3, 0.6)
    table = section.tables[0].frame
    assert list(table.columns) == ["Target", "Period", "Actual of target", "Status"]
    assert section.tables[0].key == "targets"
    rows = table.to_dict("records")
    matched_title = dict(STAGES)["matched"]
    q1 = [
        r
        for r in rows
        if r["Target"].startswith(matched_title) and r["Period"] == "Jan\u2013Mar 2025"
    ]
    assert [r["Target"] for r in q1] == [
        *(f"{matched_title}: {name}" for name in SCHEMES.values()),
        f"{matched_title}: 2 schemes together",
    ]
    assert q1[-1]["Actual of target"] == "3 of 5 (60%)"


def test_a_running_target_says_how_much_of_its_period_has_gone():
    """Referrals for 2025, counted on 15 August: 4 people so far (m5, referred on 20 August,
    is after the day counted), with 227 of 365 days gone; the table says "running" with the
    share of the period gone, so 40% of target is not read as a miss. A target starting in
    October has not started: 0, and says so."""
    section = targets_section(_rows())
    referred = _by(section.figures["targets"], scheme_id=1, stage="referred")
    assert (referred["actual"], referred["target"], referred["status"]) == (4, 10, "running")
    assert referred["elapsed_share"] == 227 / 365
    assert referred["counted_to"] == "2025-08-15"
    later = _by(section.figures["targets"], scheme_id=1, stage="matched", starts_on="2025-10-01")
    assert (later["actual"], later["status"], later["elapsed_share"]) == (0, "not_started", 0.0)
    frame = section.tables[0].frame
    statuses = dict(zip(frame["Target"], frame["Status"], strict=True))
    referred_row = next(t for t in statuses if t.startswith(dict(STAGES)["referred"]))
    assert statuses[referred_row] == "Running: 62% gone"


def test_a_stage_without_a_target_has_no_row():
    """Nobody set a target for consent or face-to-face contact: no row for either, while
    the funnel still counts them; no targets at all gives one row saying so."""
    section = targets_section(_rows())
    stages = {r["stage"] for r in section.figures["targets"]}
    assert stages == {"referred", "matched", "met_3_plus"}
    targets = section.tables[0].frame["Target"]
    assert not any(t.startswith(dict(STAGES)["consented"]) for t in targets)
    empty = targets_section(_rows(targets=[]))
    assert empty.figures["targets"] == [] and empty.figures["combined_targets"] == []
    assert list(empty.tables[0].frame["Target"]) == [
        "No scheme has a target for a period overlapping this one"
    ]


def test_the_trend_follows_each_quarters_referrals_to_the_last_counted_day():
    """Quarters of the report's period up to 15 August: Q1's three people (m1, m2, m11) all
    matched and met, one three times; Q2's two (m3, m12) gave one match, and m3 met twice by
    15 August (the third meeting is later); Q3 so far (to 15 August) one person, not
    matched. The table's columns are "Quarter" then the funnel's stage titles."""
    section = targets_section(_rows())
    trend = section.figures["trend"]
    assert (trend["basis"], trend["counted_to"]) == ("period", "2025-08-15")
    labels = [q["label"] for q in trend["quarters"]]
    assert labels == ["Jan–Mar 2025", "Apr–Jun 2025", "Jul–Sep 2025 (to 15 Aug)"]
    counts = [
        (q["referred"], q["consented"], q["matched"], q["any_contact"], q["met_3_plus"])
        for q in trend["quarters"]
    ]
    assert counts == [(3, 1, 3, 3, 1), (2, 1, 1, 1, 0), (1, 0, 0, 0, 0)]
    assert (
        trend["quarters"][2]["from"] == "2025-07-01" and trend["quarters"][2]["to"] == "2025-08-15"
    )
    table = section.tables[1]
    assert table.key == "trend"
    assert list(table.frame.columns) == ["Quarter", *(title for _, title in STAGES)]
    assert list(table.frame["Quarter"]) == labels
    assert "15 August 2025" in table.note


def test_a_funders_trend_covers_its_grant_quarters_with_an_empty_one_as_zeros():
    """A grant from 15 August 2024: its first quarter runs from that day (m13, who met three
    times), October to December 2024 had nobody referred (zeros, still shown), then 2025's
    quarters to the last counted day."""
    rows = _rows(grant_periods=[(D(2024, 8, 15), D(2027, 3, 31))])
    trend = targets_section(rows).figures["trend"]
    assert trend["basis"] == "grant"
    quarters = trend["quarters"]
    assert [q["label"] for q in quarters] == [
        "Jul–Sep 2024 (from 15 Aug)",
        "Oct–Dec 2024",
        "Jan–Mar 2025",
        "Apr–Jun 2025",
        "Jul–Sep 2025 (to 15 Aug)",
    ]
    assert (quarters[0]["referred"], quarters[0]["matched"], quarters[0]["met_3_plus"]) == (1, 1, 1)
    assert all(quarters[1][key] == 0 for key, _ in STAGES)
    assert quarters[2]["referred"] == 3


def test_the_section_never_reads_past_its_rows():
    """Without wider rows (the targets and quarters inside the period), the report's own rows
    are the cohort's source and give the same Q1 figures."""
    rows = dataclasses.replace(_rows(targets=TARGETS[:2]), span=None)
    figures = targets_section(rows).figures
    assert _by(figures["targets"], scheme_id=1, stage="matched")["actual"] == 2
    assert figures["trend"]["quarters"][0]["referred"] == 3
