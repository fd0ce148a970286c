"""Mentors and volunteer time: the pipeline from application to active, who left, the hours
volunteers and staff gave, and supervision."""

from typing import Any

import pandas as pd

from reports.cohort import MET
from reports.report import Section
from reports.rows import Rows
from reports.sections.common import make_table, period, summary_stats, within
from schemes.models import Mentor

VOLUNTEER_KINDS = [str(Mentor.Kind.VOLUNTEER), str(Mentor.Kind.PEER)]

MENTOR_DEFINITIONS = {
    "applied": "Mentors of the schemes whose application is dated in the period.",
    "vetted": "Mentors who became active for the first time in the period: trained and "
    "vetted (the first active date is set once and never moves).",
    "active_at_period_end": "Mentors whose status on the last day of the period was "
    "active (from their dated status changes; paused mentors are not counted).",
    "left": "Mentors who moved to 'left' in the period.",
    "days_application_to_active": "For mentors who became active in the period, days "
    "from their application to their first active date (count, median, mean, shortest, "
    "longest): the vetting lag.",
    "volunteer_hours": "Hours of meetings held (outcome 'met') in the period by volunteer "
    "and peer mentors, in every relationship of the schemes: time given, for "
    "match-funding claims. Travel and preparation are not recorded, so not counted.",
    "volunteers_giving_time": "Volunteer and peer mentors with at least one meeting held "
    "in the period.",
    "staff_hours": "Hours of meetings held in the period by paid staff acting as mentors "
    "(not volunteer time).",
    "supervision_sessions": "Supervision sessions with the schemes' mentors held in the period.",
    "mentors_supervised": "Mentors with at least one supervision session in the period.",
}


def _status_at_end(rows: Rows) -> pd.Series:
    """Each mentor's status at the end of the period: from their dated status changes, or,
    for a file with none (an import), its current status if it began by then."""
    _, end = period(rows)
    m = rows.mentors.set_index("mentor_id")
    changes = rows.mentor_changes[rows.mentor_changes["changed_on"] <= end]
    last = (
        changes.sort_values(["changed_on", "change_id"])
        .drop_duplicates("mentor_id", keep="last")
        .set_index("mentor_id")["to_status"]
        .astype(str)
    )
    fallback = m["status"].astype(str).where(m["status_since"] <= end, str(Mentor.Status.APPLIED))
    return last.reindex(m.index).fillna(fallback)


def _left_ids(rows: Rows, start: pd.Timestamp, end: pd.Timestamp) -> set[int]:
    """Mentors who moved to 'left' in the period: by a dated status change or, for a file
    with none (an import), by its current status and the date it began."""
    m, changes = rows.mentors, rows.mentor_changes
    left_ids = set(
        changes.loc[
            (changes["to_status"] == Mentor.Status.LEFT)
            & within(changes["changed_on"], start, end),
            "mentor_id",
        ]
    )
    without_changes = m[~m["mentor_id"].isin(changes["mentor_id"])]
    left_ids |= set(
        without_changes.loc[
            (without_changes["status"] == Mentor.Status.LEFT)
            & within(without_changes["status_since"], start, end),
            "mentor_id",
        ]
    )
    return left_ids


def _meetings_held_by_mentor(rows: Rows, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """Meetings held in the period in every relationship of the schemes, with the mentor's
    id and kind (volunteer, peer or staff)."""
    meetings = rows.meetings[
        within(rows.meetings["held_on"], start, end) & (rows.meetings["outcome"] == MET)
    ]
    return meetings.merge(
        rows.relationships[["relationship_id", "mentor_id"]], on="relationship_id", how="left"
    ).merge(rows.mentors[["mentor_id", "kind"]], on="mentor_id", how="left")


def mentors_section(rows: Rows) -> Section:
    start, end = period(rows)
    m = rows.mentors
    applied = int(within(m["applied_on"], start, end).sum())
    vetted = m[within(m["first_active_on"], start, end)]
    days = (vetted["first_active_on"] - vetted["applied_on"]).dt.days
    status = _status_at_end(rows)
    meetings = _meetings_held_by_mentor(rows, start, end)
    volunteer = meetings["kind"].astype(str).isin(VOLUNTEER_KINDS)
    supervision = rows.supervision[within(rows.supervision["held_on"], start, end)]
    figures: dict[str, Any] = {
        "applied": applied,
        "vetted": len(vetted),
        "active_at_period_end": int((status == Mentor.Status.ACTIVE).sum()),
        "left": len(_left_ids(rows, start, end)),
        "days_application_to_active": summary_stats(days),
        "volunteer_hours": round(float(meetings.loc[volunteer, "duration_minutes"].sum()) / 60, 2),
        "volunteers_giving_time": int(meetings.loc[volunteer, "mentor_id"].nunique()),
        "staff_hours": round(float(meetings.loc[~volunteer, "duration_minutes"].sum()) / 60, 2),
        "supervision_sessions": len(supervision),
        "mentors_supervised": int(supervision["mentor_id"].nunique()),
    }
    return Section(
        key="mentors",
        title="Mentors and volunteer time",
        figures=figures,
        tables=[make_table("mentors", "Mentors and volunteer time", _summary(figures), [])],
        definitions=MENTOR_DEFINITIONS,
    )


def _summary(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"Measure": "Applied in the period", "Value": figures["applied"]},
        {
            "Measure": "Vetted and trained: became active for the first time",
            "Value": figures["vetted"],
        },
        {"Measure": "Active at the end of the period", "Value": figures["active_at_period_end"]},
        {"Measure": "Left in the period", "Value": figures["left"]},
        {
            "Measure": "Median days from application to active",
            "Value": figures["days_application_to_active"]["median"],
        },
        {"Measure": "Volunteer hours given (meetings held)", "Value": figures["volunteer_hours"]},
        {"Measure": "Volunteers who gave time", "Value": figures["volunteers_giving_time"]},
        {"Measure": "Paid staff hours mentoring", "Value": figures["staff_hours"]},
        {"Measure": "Supervision sessions held", "Value": figures["supervision_sessions"]},
        {"Measure": "Mentors supervised", "Value": figures["mentors_supervised"]},
    ]
