"""The report's sections are pure functions of plain rows: these tests build crafted rows and
never touch the database (no ``db`` fixture: any query would fail the test)."""

import datetime
import json
import math

from reports.report import NO_BASE, NOT_APPLICABLE, Report
from reports.sections import SECTIONS
from reports.sections.funnel import FUNNEL_KEYS, funnel_section
from reports.sections.timeliness import timeliness_section
from reports.tests.crafted import FROM, SCHEMES, TO, D, meeting, referral, rel, rows


def _walk(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)
    else:
        yield value


def test_an_empty_period_builds_every_section_with_zero_counts_and_no_rates():
    """Nobody referred, no meetings, no mentors: every section still builds, counts are 0,
    every rate and every average is None (shown "n/a"), and nothing divides by zero."""
    empty = rows()
    report = Report(
        date_from=FROM,
        date_to=TO,
        schemes=list(SCHEMES.items()),
        generated_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
    )
    report.sections = [build(empty) for _, build in SECTIONS]

    funnel = report.section("funnel").figures
    assert all(funnel[key] == 0 for key in FUNNEL_KEYS)
    assert all(v is None for v in funnel["share_of_referred"].values())
    assert all(v is None for v in funnel["conversion"].values())
    assert funnel["by_scheme"]["1"]["referred"] == 0
    assert report.section("timeliness").figures["referral_to_match_days"]["median"] is None
    assert report.section("contact").figures["two_hours_or_less_share"] is None
    assert report.section("relationships").figures["closed_planned_share"] is None
    assert report.section("outcomes").figures["distance_travelled"]["all"]["mean_change"] is None
    assert report.section("mentors").figures["days_application_to_active"]["median"] is None
    # No NaN anywhere: NaN is not JSON and would show as "nan" rather than "n/a".
    for value in _walk(report.to_json()):
        assert not (isinstance(value, float) and math.isnan(value))
    json.dumps(report.to_json(), default=str)
    for section in report.sections:
        for table in section.tables:
            for column in table.rate_columns:
                # None (n/a: nobody to divide by), or blank where a row has no base at all.
                assert all(v in (None, NO_BASE) for v in table.frame[column]), (table.key, column)


def test_zero_denominators_give_none_not_a_division_error():
    """Three people referred, none consented: consented's share is 0, but matched's
    conversion (from consented) has nothing to divide by and is None; the funnel table shows
    it as an empty cell for "n/a", never NaN."""
    section = funnel_section(
        rows(referrals=[referral(i, 10 + i, D(2025, 3, i)) for i in (1, 2, 3)])
    )
    f = section.figures
    assert f["referred"] == 3 and f["consented"] == 0
    assert f["conversion"]["consented"] == 0.0
    assert f["conversion"]["matched"] is None
    assert f["conversion"]["met_once"] is None
    assert f["by_scheme"]["2"]["share_of_referred"]["matched"] is None
    table = section.tables[0].frame.set_index("Stage")
    assert table.loc["Matched with a mentor", "Conversion from the stage before"] is None
    assert NOT_APPLICABLE == "n/a"


def test_funnel_counts_the_cohort_once_up_to_the_period_end():
    """The cohort rule: referred in the period, once per person by their first referral;
    only relationships after that referral count; meetings after the period end do not;
    consent withdrawn before the referral does not; a met meeting is one whose outcome is
    met, and face to face includes custody visits and the prison gate."""
    r = rows(
        referrals=[
            # Person 1: referred twice in the period; counted once, by the first (prison).
            referral(
                1,
                1,
                D(2025, 2, 1),
                source="prison",
                status="withdrawn",
                exit="bad_timing",
                changed=D(2025, 2, 20),
            ),
            referral(2, 1, D(2025, 6, 1), source="court"),
            referral(3, 2, D(2025, 2, 1), scheme=2),
            referral(4, 3, D(2025, 2, 1)),
            referral(5, 4, D(2025, 2, 1)),
        ],
        consents=[
            (1, D(2025, 2, 2), None),
            (2, D(2025, 2, 2), None),
            (3, D(2024, 1, 1), D(2024, 6, 1)),  # withdrawn before this referral
            (4, D(2026, 1, 5), None),  # after the period
        ],
        relationships=[
            rel(
                10,
                1,
                D(2025, 3, 1),
                status="closed",
                closed=D(2025, 5, 1),
                ctype="unplanned",
                reason="rematched",
            ),
            rel(
                11,
                1,
                D(2025, 6, 10),
                status="closed",
                closed=D(2025, 11, 1),
                ctype="planned",
                reason="goals_achieved",
                rematch=True,
            ),
            rel(12, 2, D(2025, 3, 1), scheme=2),
            rel(
                13,
                3,
                D(2024, 3, 1),
                status="closed",
                closed=D(2025, 1, 10),
                ctype="planned",
                reason="goals_achieved",
            ),  # an earlier episode
        ],
        meetings=[
            meeting(10, D(2025, 3, 5), mode="custody_visit"),
            meeting(10, D(2025, 3, 12)),
            meeting(11, D(2025, 6, 20), mode="video"),
            meeting(11, D(2025, 7, 1), mode="phone", outcome="did_not_attend"),
            meeting(12, D(2025, 4, 1)),
            meeting(12, D(2025, 4, 8)),
            meeting(12, D(2025, 4, 15)),
            meeting(12, D(2025, 5, 1), mode="face_to_face", outcome="did_not_attend"),
            meeting(12, D(2026, 1, 2), mode="face_to_face"),  # after the period
            meeting(13, D(2025, 1, 5), mode="face_to_face"),  # not this episode
        ],
    )
    f = funnel_section(r).figures
    assert {k: f[k] for k in FUNNEL_KEYS} == {
        "referred": 4,
        "consented": 2,
        "matched": 2,
        "any_contact": 2,
        "face_to_face": 1,
        "met_3_plus": 2,
        "met_5_plus": 0,
        "ended_as_planned": 1,
        "met_once": 0,
    }
    # Person 2 met three times by phone only: at "met 3+" but not "face to face", so the
    # conversion from face to face counts only person 1, who is at both.
    assert f["from_previous"]["met_3_plus"] == 1
    assert f["conversion"]["met_3_plus"] == 1.0
    assert f["conversion"]["ended_as_planned"] is None  # nobody met 5+ times
    assert f["share_of_referred"]["matched"] == 0.5
    assert f["by_source"]["prison"]["referred"] == 1 and f["by_source"]["court"]["referred"] == 0
    assert f["by_scheme"]["2"]["met_3_plus"] == 1 and f["by_scheme"]["1"]["referred"] == 3
    # Person 1 stopped (bad timing), was referred again and matched: not "stopped before a
    # match", so stopped and matched together never exceed those referred.
    assert f["stopped_before_match"]["bad_timing"] == 0
    assert sum(f["stopped_before_match"].values()) + f["matched"] <= f["referred"]


def test_every_figure_has_a_definition():
    """A reader can look up any figure of any section: each top-level key is defined."""
    full = rows(referrals=[referral(1, 1, D(2025, 2, 1))])
    for _, build in SECTIONS:
        section = build(full)
        missing = set(section.figures) - set(section.definitions)
        assert not missing, (section.key, missing)


def test_table_cells_hold_plain_values():
    """Counts in tables stay whole numbers; a missing average is None, not NaN."""
    table = timeliness_section(rows()).tables[0].frame
    assert table["People"].tolist() == [0, 0, 0]
    assert table["Median days"].tolist() == [None, None, None]
    assert table["People"].dtype == "int64"
