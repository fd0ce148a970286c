"""The funnel by readiness: how far the cohort got, by how many of the four readiness
conditions held when the person was assessed, and by how long they had between their
referral and their release from custody or their court date.

Readiness is as the counted referral kept it before its match, or else the person's latest
answers; the dates are the person's record as it is when the report is built (Tandem keeps
the latest dates only). See ``READINESS_DEFINITIONS``. Neither split is a personal
characteristic, so neither is suppressed.
"""

from typing import Any

import pandas as pd

from mentees.models import Readiness, Situation
from reports.cohort import cohort
from reports.report import Section, Table
from reports.rows import READINESS_ANSWERS, Rows
from reports.sections.common import make_table
from reports.sections.funnel import MET_ONCE, STAGES, funnel_counts

NOT_ASSESSED = "not_assessed"
#: The readiness rows, most ready first: conditions held (as a string key), then not assessed.
READINESS_GROUPS: list[tuple[str, str]] = [
    ("4", "All 4 conditions held"),
    ("3", "3 of the 4 held"),
    ("2", "2 of the 4 held"),
    ("1", "1 of the 4 held"),
    ("0", "None of the 4 held"),
    (NOT_ASSESSED, "Readiness not assessed"),
]

#: Days from the referral: "4 weeks" is 28 days, "3 months" is 91 days (13 weeks).
WITHIN_4_WEEKS, WITHIN_3_MONTHS = 28, 91
#: The time-to-release rows, in order.
TIME_BANDS: list[tuple[str, str]] = [
    ("released_before_referral", "Released before the referral"),
    ("release_within_4_weeks", "Release within 4 weeks (0–28 days)"),
    ("release_4_weeks_to_3_months", "Release in 4 weeks to 3 months (29–91 days)"),
    ("release_over_3_months", "Release in more than 3 months (92 days or more)"),
    ("court_within_4_weeks", "Court date within 4 weeks (0–28 days)"),
    ("court_4_weeks_to_3_months", "Court date in 4 weeks to 3 months (29–91 days)"),
    ("court_over_3_months", "Court date in more than 3 months (92 days or more)"),
    ("not_known", "Not known, or in the community"),
]

READINESS_DEFINITIONS = {
    "readiness_conditions": "The four readiness conditions a coordinator asks about when "
    "assessing someone: they know what mentoring is, see it as worthwhile now, their life is "
    "stable enough, and they recognise a lack of support. A condition is held when the answer "
    "is 'Yes'; 'Partly', 'No' and 'Not asked yet' are not held.",
    "by_readiness": "The funnel's figures for the cohort by how many of the four conditions "
    "held: 4, 3, 2, 1 or 0, or 'not assessed'. Which answers: readiness is assessed after the "
    "referral, before the person waits for a match (Tandem asks for it then), and may be "
    "assessed again later. The answers counted are those of the last assessment before the "
    "person's match in the referral counted (their first in the period), kept on that "
    "referral, so mentoring itself cannot change them. Where the referral kept none (it was "
    "matched or ended before Tandem kept them, or first assessed after its match) the "
    "person's latest answers are counted, whenever they were given, so such a person can move "
    "between rows when reassessed. Not assessed: neither is on record.",
    "by_time_to_release": "The funnel's figures for the cohort by the days from their "
    "referral to their release from custody or their court date. The date used is the first "
    "of these the record holds: the day they were released, if on or after the day of "
    "referral (whenever it fell, even after the period's end); for someone in custody now, "
    "their expected release date, if on or after the day of referral; for someone on bail "
    "now, their next court date, if on or after the day of referral. The record keeps the "
    "latest dates only (an expected release date gives way to the day of release), so these "
    "are the dates as the record holds them when the report is built.",
    "released_before_referral": "No date above, and the day they last left custody is before "
    "the day they were referred.",
    "within_4_weeks": "The date is 0 to 28 days after the referral (0: the same day).",
    "4_weeks_to_3_months": "The date is 29 to 91 days (13 weeks) after the referral.",
    "over_3_months": "The date is 92 days or more after the referral.",
    "not_known": "None of the above: in the community with no release date on record, in "
    "custody with no expected release date (or one before the referral), or on bail with no "
    "court date (or one before the referral).",
    "shares": "Each share in these tables is of the people referred in that row, not of "
    "everyone referred.",
}


def readiness_groups(people: pd.DataFrame, records: pd.DataFrame) -> pd.Series:
    """Each person's readiness row: how many of the four conditions held ("4" to "0") as
    their counted referral kept them before its match, else by their latest answers ("yes"
    is held), else ``NOT_ASSESSED``. ``records`` is the counted referral of each person,
    indexed by ``mentee_id``."""
    r = records.reindex(people.index)
    latest = sum((r[a].astype(str) == Readiness.YES).astype(int) for a in READINESS_ANSWERS)
    latest = pd.Series(latest, index=people.index).where(r["readiness_assessed_on"].notna())
    held = r["assessed_readiness_held"].where(r["assessed_readiness_held"].notna(), latest)
    groups = held.map(lambda n: NOT_ASSESSED if pd.isna(n) else str(int(n)))
    return groups.astype(object)


def time_bands(people: pd.DataFrame, records: pd.DataFrame) -> pd.Series:
    """Each person's time-to-release row (a ``TIME_BANDS`` key), by the rules of
    ``READINESS_DEFINITIONS["by_time_to_release"]``."""
    r = records.reindex(people.index)
    referred = people["referred_on"]
    released_after = r["released_on"].notna() & (r["released_on"] >= referred)
    expected = (
        (r["situation"].astype(str) == Situation.IN_CUSTODY)
        & r["expected_release_on"].notna()
        & (r["expected_release_on"] >= referred)
    )
    court = (
        (r["situation"].astype(str) == Situation.ON_BAIL)
        & r["next_court_date"].notna()
        & (r["next_court_date"] >= referred)
    )
    release_date = r["released_on"].where(released_after, r["expected_release_on"])
    is_release = released_after | expected
    date = release_date.where(is_release, r["next_court_date"].where(court))
    days = (date - referred).dt.days
    kind = pd.Series("release", index=people.index).where(is_release, "court")
    length = pd.Series("over_3_months", index=people.index)
    length = length.mask(days <= WITHIN_3_MONTHS, "4_weeks_to_3_months")
    length = length.mask(days <= WITHIN_4_WEEKS, "within_4_weeks")
    bands = (kind + "_" + length).where(is_release | court, "not_known")
    before = ~is_release & ~court & r["released_on"].notna() & (r["released_on"] < referred)
    return bands.mask(before, "released_before_referral")


def readiness_section(rows: Rows) -> Section:
    people = cohort(rows)
    # Each person's counted referral, as the cohort counts it: their first in the period.
    records = (
        rows.referrals.sort_values(["referred_on", "referral_id"])
        .drop_duplicates("mentee_id", keep="first")
        .set_index("mentee_id")
    )
    groups = readiness_groups(people, records)
    bands = time_bands(people, records)
    by_readiness = {key: funnel_counts(people[groups == key]) for key, _ in READINESS_GROUPS}
    by_time = {key: funnel_counts(people[bands == key]) for key, _ in TIME_BANDS}
    return Section(
        key="readiness",
        title="Readiness and time to release",
        figures={"by_readiness": by_readiness, "by_time_to_release": by_time},
        tables=[
            _table(
                "funnel_by_readiness",
                "The funnel by readiness: how many of the four conditions held before the match",
                "Readiness",
                READINESS_GROUPS,
                by_readiness,
            ),
            _table(
                "funnel_by_time_to_release",
                "The funnel by the time from referral to release or court date",
                "Time from referral to release or court date",
                TIME_BANDS,
                by_time,
            ),
        ],
        definitions=READINESS_DEFINITIONS,
    )


#: The shares each row shows, of the people referred in that row.
SHARES = [
    ("matched", "Share of referred matched"),
    ("any_contact", "Share of referred with any contact"),
    ("met_3_plus", "Share of referred who met 3+ times"),
]


def _table(
    key: str,
    title: str,
    label: str,
    groups: list[tuple[str, str]],
    counts: dict[str, dict[str, Any]],
) -> Table:
    records = [
        {
            label: group_title,
            **{title: counts[group][stage] for stage, title in [*STAGES, MET_ONCE]},
            **{header: counts[group]["share_of_referred"][stage] for stage, header in SHARES},
        }
        for group, group_title in groups
    ]
    return make_table(
        key,
        title,
        records,
        [header for _, header in SHARES],
        note="Each share is of the people referred in that row, not of everyone referred; n/a "
        "means nobody in the row was referred.",
    )
