"""The funnel by readiness and by the time from referral to release or court date: known
crafted rows, no database."""

import datetime

import pytest

from reports.sections.readiness import READINESS_GROUPS, TIME_BANDS, readiness_section
from reports.tests.crafted import D, meeting, referral, rel, rows

REFERRED = D(2025, 3, 1)
YES, PARTLY, NO = "yes", "partly", "no"


def _days(n: int) -> datetime.date:
    return REFERRED + datetime.timedelta(days=n)


def _readiness_rows():
    """Six people, each with a different readiness, who got to different stages:

    - 101: all four held; consented, matched, met 5 times face to face, ended as planned;
    - 102: three held (one "partly"); consented, matched, met 3 times by phone;
    - 103: two held; consented, matched, met once;
    - 104: one held; consented, never matched;
    - 105: none held (all "no"); referred only;
    - 106: answers on record but no assessment date: not assessed; consented, matched.
    """
    answers = {
        101: (YES, YES, YES, YES),
        102: (YES, YES, YES, PARTLY),
        103: (YES, NO, YES, NO),
        104: (PARTLY, PARTLY, YES, "not_asked"),
        105: (NO, NO, NO, NO),
        106: (YES, YES, YES, YES),
    }
    referrals = [
        referral(
            pk,
            pk,
            REFERRED,
            readiness=answers[pk],
            assessed=None if pk == 106 else D(2025, 3, 8),
        )
        for pk in answers
    ]
    consents = [(pk, D(2025, 3, 2), None) for pk in (101, 102, 103, 104, 106)]
    relationships = [
        rel(1, 101, D(2025, 4, 1), status="closed", closed=D(2025, 9, 1), ctype="planned"),
        rel(2, 102, D(2025, 4, 1)),
        rel(3, 103, D(2025, 4, 1)),
        rel(6, 106, D(2025, 4, 1)),
    ]
    meetings = [
        *[meeting(1, D(2025, 4, 2 + i), mode="face_to_face") for i in range(5)],
        *[meeting(2, D(2025, 4, 2 + i)) for i in range(3)],
        meeting(3, D(2025, 4, 2)),
    ]
    return rows(
        referrals=referrals,
        consents=consents,
        relationships=relationships,
        meetings=meetings,
    )


def test_the_funnel_splits_by_how_many_readiness_conditions_held():
    """Each person lands in the row of how many answers were "yes" (partly and no are not
    held; answers without an assessment date are "not assessed"), and each row's funnel
    counts how far its people got."""
    section = readiness_section(_readiness_rows())
    by = section.figures["by_readiness"]
    assert list(by) == [key for key, _ in READINESS_GROUPS]
    reached = {
        group: [stage for stage in ("referred", "consented", "matched", "any_contact",
                                    "face_to_face", "met_3_plus", "met_5_plus",
                                    "ended_as_planned", "met_once") if by[group][stage]]
        for group in by
    }  # fmt: skip
    assert reached == {
        "4": [
            "referred",
            "consented",
            "matched",
            "any_contact",
            "face_to_face",
            "met_3_plus",
            "met_5_plus",
            "ended_as_planned",
        ],
        "3": ["referred", "consented", "matched", "any_contact", "met_3_plus"],
        "2": ["referred", "consented", "matched", "any_contact", "met_once"],
        "1": ["referred", "consented"],
        "0": ["referred"],
        "not_assessed": ["referred", "consented", "matched"],
    }
    assert all(by[group]["referred"] == 1 for group in by)
    table = section.tables[0].frame.set_index("Readiness")
    assert table.loc["3 of the 4 held", "Met 3 or more times"] == 1
    assert table.loc["3 of the 4 held", "Share of referred with any contact"] == 1.0
    assert table.loc["None of the 4 held", "Share of referred matched"] == 0.0
    assert table.loc["Readiness not assessed", "Matched with a mentor"] == 1


def test_a_row_with_nobody_referred_has_no_shares():
    """A readiness row nobody is in counts 0 at every stage and its shares are None (shown
    n/a): there is a base, but it is zero."""
    section = readiness_section(rows(referrals=[referral(1, 1, REFERRED)]))
    assert section.figures["by_readiness"]["not_assessed"]["referred"] == 1
    assert section.figures["by_readiness"]["4"]["referred"] == 0
    table = section.tables[0].frame.set_index("Readiness")
    assert table.loc["All 4 conditions held", "Share of referred matched"] is None


# (person, record, expected band): the edge days of every band.
BAND_CASES = [
    (1, {"released": _days(-1)}, "released_before_referral"),
    (2, {"released": _days(0)}, "release_within_4_weeks"),
    (3, {"released": _days(28)}, "release_within_4_weeks"),
    (4, {"released": _days(29)}, "release_4_weeks_to_3_months"),
    (5, {"situation": "in_custody", "expected_release": _days(91)}, "release_4_weeks_to_3_months"),
    (6, {"situation": "in_custody", "expected_release": _days(92)}, "release_over_3_months"),
    (7, {"situation": "on_bail", "court": _days(0)}, "court_within_4_weeks"),
    (8, {"situation": "on_bail", "court": _days(28)}, "court_within_4_weeks"),
    (9, {"situation": "on_bail", "court": _days(29)}, "court_4_weeks_to_3_months"),
    (10, {"situation": "on_bail", "court": _days(91)}, "court_4_weeks_to_3_months"),
    (11, {"situation": "on_bail", "court": _days(92)}, "court_over_3_months"),
    (12, {}, "not_known"),
    (13, {"situation": "in_custody", "expected_release": _days(-1)}, "not_known"),
    (14, {"situation": "on_bail", "court": _days(-1)}, "not_known"),
    (15, {"situation": "in_custody"}, "not_known"),
    # Released after the referral and back in custody: the release counts, not the next one.
    (
        16,
        {"released": _days(10), "situation": "in_custody", "expected_release": _days(200)},
        "release_within_4_weeks",
    ),
    # Released before the referral, back in custody, release expected: the expected date.
    (
        17,
        {"released": _days(-30), "situation": "in_custody", "expected_release": _days(40)},
        "release_4_weeks_to_3_months",
    ),
    # Released before the referral, now on bail: the court date.
    (
        18,
        {"released": _days(-30), "situation": "on_bail", "court": _days(5)},
        "court_within_4_weeks",
    ),
]


@pytest.mark.parametrize(("person", "record", "band"), BAND_CASES)
def test_each_person_is_banded_by_the_days_to_release_or_court(person, record, band):
    """The day of referral to 28 days later is within 4 weeks; 29 to 91 days is 4 weeks to
    3 months; 92 or more is over 3 months; a release before the referral is its own row; no
    usable date is "not known"."""
    section = readiness_section(rows(referrals=[referral(person, person, REFERRED, **record)]))
    counts = {key: v["referred"] for key, v in section.figures["by_time_to_release"].items()}
    assert counts == {key: int(key == band) for key, _ in TIME_BANDS}


def test_the_time_bands_table_counts_how_far_each_band_got():
    """A matched person released within 4 weeks and an unmatched one with a court date in
    over 3 months: the table's rows say who got how far, with shares of each row's
    referred."""
    r = rows(
        referrals=[
            referral(1, 1, REFERRED, released=_days(3)),
            referral(2, 2, REFERRED, situation="on_bail", court=_days(100)),
        ],
        consents=[(1, D(2025, 3, 2), None)],
        relationships=[rel(1, 1, D(2025, 3, 20))],
        meetings=[meeting(1, D(2025, 3, 21))],
    )
    table = (
        readiness_section(r)
        .tables[1]
        .frame.set_index("Time from referral to release or court date")
    )
    within = table.loc["Release within 4 weeks (0–28 days)"]
    assert (within["Referred"], within["Matched with a mentor"], within["Met exactly once"]) == (
        1,
        1,
        1,
    )
    assert within["Share of referred with any contact"] == 1.0
    court = table.loc["Court date in more than 3 months (92 days or more)"]
    assert (court["Referred"], court["Consented"]) == (1, 0)
    assert court["Share of referred matched"] == 0.0


@pytest.mark.django_db
def test_the_rows_carry_each_persons_readiness_and_dates_from_their_record():
    """Built from the database: the answers and dates on the person's record reach the
    split (a person on bail with a court date in 10 days, all four answers yes)."""
    from mentees.tests.factories import MenteeFactory, ReferralFactory
    from reports.build import build_report

    mentee = MenteeFactory(
        situation="on_bail",
        next_court_date=D(2025, 3, 11),
        knows_what_mentoring_is=YES,
        sees_it_as_worthwhile_now=YES,
        life_stable_enough=YES,
        recognises_lack_of_support=YES,
        readiness_assessed_on=D(2025, 3, 5),
    )
    ReferralFactory(mentee=mentee, referred_on=REFERRED)
    report = build_report(
        scheme_ids=[mentee.scheme_id], date_from=D(2025, 1, 1), date_to=D(2025, 12, 31)
    )
    figures = report.section("readiness").figures
    assert figures["by_readiness"]["4"]["referred"] == 1
    assert figures["by_time_to_release"]["court_within_4_weeks"]["referred"] == 1


def test_readiness_kept_before_the_match_counts_over_the_latest_answers():
    """Person 1's referral kept 1 condition before the match; they now answer yes to all
    four: counted as 1. Person 2's referral kept nothing: their latest answers (2 held).
    Person 3 was referred twice in the period: the first referral (kept 0) counts, not the
    second (kept 4). Person 4's referral kept 0 though the record has no assessment date."""
    all_yes = (YES, YES, YES, YES)
    r = rows(
        referrals=[
            referral(1, 1, REFERRED, readiness=all_yes, assessed=_days(90),
                     held_before_match=1, assessed_before_match=_days(3)),
            referral(2, 2, REFERRED, readiness=(YES, YES, NO, PARTLY), assessed=_days(3)),
            referral(3, 3, REFERRED, held_before_match=0, assessed_before_match=_days(2)),
            referral(4, 3, _days(40), held_before_match=4, assessed_before_match=_days(41)),
            referral(5, 4, REFERRED, held_before_match=0, assessed_before_match=_days(1)),
        ]
    )  # fmt: skip
    counts = {k: v["referred"] for k, v in readiness_section(r).figures["by_readiness"].items()}
    assert counts == {"4": 0, "3": 0, "2": 1, "1": 1, "0": 2, "not_assessed": 0}
