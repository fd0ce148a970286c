"""The report's sections are pure functions of plain rows: these tests build crafted rows and
never touch the database (no ``db`` fixture: any query would fail the test)."""

import datetime
import json
import math

from reports.report import NOT_APPLICABLE, Report
from reports.rows import Rows, frame
from reports.sections import SECTIONS
from reports.sections.contact import contact_section
from reports.sections.flags import flags_section
from reports.sections.funnel import FUNNEL_KEYS, funnel_section
from reports.sections.mentors import mentors_section
from reports.sections.outcomes import outcomes_section
from reports.sections.relationships import relationships_section
from reports.sections.timeliness import timeliness_section

D = datetime.date
FROM, TO = D(2025, 1, 1), D(2025, 12, 31)
SCHEMES = {1: "Northgate Resettlement", 2: "Riverside Bail Support"}


def rows(**frames: list[tuple]) -> Rows:
    """Rows for the period 2025 with the given crafted records (``kind=[tuples]``)."""
    r = Rows.empty(date_from=FROM, date_to=TO, schemes=SCHEMES)
    for kind, records in frames.items():
        setattr(r, kind, frame(kind, records))
    return r


def referral(
    pk,
    mentee,
    on,
    *,
    scheme=1,
    source="probation",
    status="referred",
    exit="",
    changed=None,
    released=None,
):
    return (pk, mentee, scheme, source, on, status, exit, changed or on, released)


def rel(
    pk,
    mentee,
    matched,
    *,
    scheme=1,
    mentor=1,
    status="active",
    custody=False,
    closed=None,
    ctype="",
    reason="",
    rematch=False,
):
    return (pk, mentee, scheme, mentor, status, matched, custody, closed, ctype, reason, rematch)


def meeting(relationship, on, *, minutes=60, mode="phone", outcome="met", purpose="goals"):
    return (relationship, on, minutes, mode, outcome, purpose, "mentee")


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
                assert all(v is None for v in table.frame[column]), (table.key, column)


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
    assert table.loc["Matched with a mentor", "Conversion from the previous stage"] is None
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


def test_timeliness_days_and_release():
    """Days to match and to first meeting held, from the counted referral; for people
    released after referral, days from release to first contact and the share matched
    before release."""
    r = rows(
        referrals=[
            referral(1, 1, D(2025, 3, 1), released=D(2025, 4, 1)),
            referral(2, 2, D(2025, 3, 1), released=D(2025, 3, 20)),
            referral(3, 3, D(2025, 3, 1), released=D(2024, 1, 1)),  # released long before
            referral(4, 4, D(2025, 3, 1)),
        ],
        relationships=[
            rel(1, 1, D(2025, 3, 11), custody=True),
            rel(2, 2, D(2025, 3, 31)),
            rel(3, 3, D(2025, 3, 21)),
        ],
        meetings=[
            meeting(1, D(2025, 3, 15), mode="custody_visit"),
            meeting(1, D(2025, 4, 3)),
            meeting(2, D(2025, 4, 10), outcome="did_not_attend"),
            meeting(3, D(2025, 4, 30)),
        ],
    )
    f = timeliness_section(r).figures
    assert f["referral_to_match_days"] == {
        "count": 3,
        "median": 20.0,
        "mean": 20.0,
        "min": 10.0,
        "max": 30.0,
    }
    assert f["referral_to_first_meeting_days"]["count"] == 2
    assert f["referral_to_first_meeting_days"]["min"] == 14.0
    assert f["released"] == 2
    assert f["released_with_contact_after_release"] == 1
    assert f["release_to_first_contact_days"]["median"] == 2.0
    assert f["matched_before_release"] == 1
    assert f["matched_before_release_share"] == 0.5


def test_contact_time_per_person_and_by_mode():
    """Hours of meetings held per person with any contact: mean, median, min, max, and the
    share with two hours or less; meetings not held count as arranged, not as time."""
    r = rows(
        referrals=[referral(i, i, D(2025, 2, 1)) for i in (1, 2, 3, 4)],
        relationships=[rel(i, i, D(2025, 2, 10)) for i in (1, 2, 3, 4)],
        meetings=[
            meeting(1, D(2025, 3, 1), minutes=30),
            meeting(2, D(2025, 3, 1), minutes=120, mode="face_to_face"),
            meeting(2, D(2025, 3, 8), minutes=120, mode="face_to_face", purpose="help_for"),
            meeting(3, D(2025, 3, 1), minutes=600, mode="prison_gate"),
            meeting(4, D(2025, 3, 1), outcome="cancelled_by_mentor"),
        ],
    )
    f = contact_section(r).figures
    assert f["mentees_with_contact"] == 3
    assert f["hours"] == {"total": 14.5, "mean": 4.83, "median": 4.0, "min": 0.5, "max": 10.0}
    assert f["two_hours_or_less"] == 1
    assert f["two_hours_or_less_share"] == 1 / 3
    assert f["meetings_arranged"] == 5 and f["meetings_held"] == 4
    assert f["meetings_not_held"]["cancelled_by_mentor"] == 1
    assert f["by_mode"]["face_to_face"] == {"arranged": 2, "held": 2, "hours": 4.0}
    assert f["by_mode"]["phone"] == {"arranged": 2, "held": 1, "hours": 0.5}
    assert f["by_purpose"]["help_for"]["held"] == 1


def test_relationships_open_closed_and_rematches():
    """Every relationship of the schemes in the period: open at the end, closed in the
    period by reason and type, median length in weeks, re-matches among those started."""
    r = rows(
        relationships=[
            rel(1, 1, D(2024, 6, 1)),  # open throughout
            rel(
                2,
                2,
                D(2025, 1, 1),
                status="closed",
                closed=D(2025, 3, 26),
                ctype="planned",
                reason="goals_achieved",
            ),  # 12 weeks
            rel(
                3,
                3,
                D(2025, 2, 1),
                status="closed",
                closed=D(2025, 3, 1),
                ctype="unplanned",
                reason="lost_contact",
            ),  # 4 weeks
            rel(
                4,
                3,
                D(2025, 4, 1),
                rematch=True,
                status="closed",
                closed=D(2026, 2, 1),
                ctype="planned",
                reason="goals_achieved",
            ),  # closed after the period
        ],
    )
    f = relationships_section(r).figures
    assert f["started"] == 3 and f["rematches"] == 1
    assert f["rematches_share_of_started"] == 1 / 3
    assert f["active_at_period_end"] == 2
    assert f["closed"] == 2 and f["closed_planned"] == 1 and f["closed_unplanned"] == 1
    assert f["closed_planned_share"] == 0.5
    assert f["closed_by_reason"]["unplanned"]["lost_contact"] == 1
    assert f["length_weeks"]["median"] == 8.0


def test_outcomes_goals_and_distance_travelled():
    """Goals set and achieved in the period by domain and primary good; distance travelled
    from the first to the latest review score per relationship and domain."""
    r = rows(
        goals=[
            (1, "accommodation", "inner_peace", "achieved", D(2025, 2, 1), D(2025, 6, 1)),
            (1, "ete", "excellence", "active", D(2025, 2, 1), None),
            (2, "ete", "agency", "dropped", D(2024, 2, 1), D(2025, 3, 1)),
        ],
        scores=[
            (1, 100, D(2025, 3, 1), "accommodation", 3),
            (1, 101, D(2025, 6, 1), "accommodation", 7),
            (1, 100, D(2025, 3, 1), "ete", 5),
            (1, 101, D(2025, 6, 1), "ete", 4),
            (1, 101, D(2025, 6, 1), "ete", 6),  # two ete goals at one review: averaged to 5
            (2, 200, D(2025, 3, 1), "finance", 4),  # scored once only
        ],
    )
    f = outcomes_section(r).figures
    assert f["goals_set"] == 2 and f["goals_achieved"] == 1 and f["goals_dropped"] == 1
    assert f["by_domain"]["accommodation"] == {"set": 1, "achieved": 1, "dropped": 0}
    assert f["by_primary_good"]["agency"]["dropped"] == 1
    d = f["distance_travelled"]
    assert d["all"] == {
        "pairs": 2,
        "mean_first": 4.0,
        "mean_latest": 6.0,
        "mean_change": 2.0,
        "improved": 1,
        "improved_share": 0.5,
    }
    assert d["ete"]["mean_change"] == 0.0 and d["ete"]["improved"] == 0
    assert d["finance"]["pairs"] == 0 and d["finance"]["improved_share"] is None


def test_mentors_status_at_end_vetting_lag_and_volunteer_hours():
    """Applied and vetted in the period, status on the last day from dated changes, left in
    the period, days from application to active, and volunteer hours (volunteer and peer
    mentors, not paid staff)."""
    r = rows(
        mentors=[
            (1, 1, "volunteer", "left", D(2026, 2, 1), D(2025, 1, 10), D(2025, 3, 1)),
            (2, 1, "paid_staff", "active", D(2024, 1, 1), D(2023, 11, 1), D(2024, 1, 1)),
            (3, 1, "peer", "left", D(2025, 8, 1), D(2024, 11, 1), D(2025, 2, 1)),
            (4, 1, "volunteer", "applied", D(2025, 12, 1), D(2025, 12, 1), None),
        ],
        mentor_changes=[
            (1, 1, "applied", D(2025, 1, 10)),
            (2, 1, "active", D(2025, 3, 1)),
            (3, 1, "left", D(2026, 2, 1)),  # after the period: still active on its last day
            (4, 3, "active", D(2025, 2, 1)),
            (5, 3, "left", D(2025, 8, 1)),
        ],
        relationships=[
            rel(1, 1, D(2025, 3, 1), mentor=1),
            rel(2, 2, D(2025, 3, 1), mentor=2),
            rel(3, 3, D(2025, 3, 1), mentor=3),
        ],
        meetings=[
            meeting(1, D(2025, 4, 1), minutes=90),
            meeting(2, D(2025, 4, 1)),
            meeting(3, D(2025, 4, 1), minutes=30),
            meeting(3, D(2025, 4, 8), outcome="did_not_attend"),
        ],
        supervision=[(1, D(2025, 5, 1)), (1, D(2025, 7, 1)), (3, D(2025, 5, 1))],
    )
    f = mentors_section(r).figures
    assert f["applied"] == 2 and f["vetted"] == 2
    # Mentor 2 has no dated changes (imported): their current status counts.
    assert f["active_at_period_end"] == 2
    assert f["left"] == 1
    assert f["days_application_to_active"]["median"] == 71.0
    assert f["volunteer_hours"] == 2.0 and f["volunteers_giving_time"] == 2
    assert f["staff_hours"] == 1.0
    assert f["supervision_sessions"] == 3 and f["mentors_supervised"] == 2


def test_flags_raised_acknowledged_resolved_by_kind():
    """Flags counted by what happened in the period, and those still live at its end."""
    r = rows(
        flags=[
            (1, "silence", "resolved", D(2025, 3, 1), D(2025, 3, 2), D(2025, 4, 1)),
            (1, "silence", "acknowledged", D(2024, 12, 1), D(2025, 1, 3), None),
            (1, "done_for", "resolved", D(2025, 12, 1), None, D(2026, 1, 2)),
        ]
    )
    f = flags_section(r).figures
    assert (f["raised"], f["acknowledged"], f["resolved"], f["open_at_period_end"]) == (2, 2, 1, 2)
    assert f["by_kind"]["silence"] == {
        "raised": 1,
        "acknowledged": 2,
        "resolved": 1,
        "open_at_period_end": 1,
    }
    assert f["by_kind"]["mentor_driving"]["raised"] == 0


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
