"""Each section after the funnel, figure by figure, on crafted rows (see ``crafted.py``). Like
``test_sections.py``, these never touch the database: any query would fail the test."""

from reports.sections.contact import contact_section
from reports.sections.flags import flags_section
from reports.sections.mentors import mentors_section
from reports.sections.outcomes import outcomes_section
from reports.sections.relationships import relationships_section
from reports.sections.timeliness import timeliness_section
from reports.tests.crafted import D, meeting, referral, rel, rows


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
