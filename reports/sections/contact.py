"""Contact time: the hours the cohort spent with a mentor, the meetings arranged and held by
mode and purpose, and the schemes' contact month by month."""

from typing import Any

import pandas as pd
from django.db.models import Choices

from relationships.models import Meeting
from reports.cohort import MET, cohort, cohort_meetings
from reports.report import NO_BASE, Section, Table, rate
from reports.rows import Rows
from reports.sections.common import (
    choice_label,
    code_counts,
    make_table,
    period,
    summary_stats,
    within,
)

CONTACT_DEFINITIONS = {
    "mentees_with_contact": "People in the cohort with any contact (at least one meeting "
    "held): the people the hours below are about.",
    "hours": "Per person with any contact, the total duration of their meetings held "
    "(outcome 'met') by the end of the period, in hours: total over everyone, mean, "
    "median, fewest (min) and most (max). n/a when nobody had contact.",
    "two_hours_or_less": "People with any contact whose meetings held add up to two hours or less.",
    "two_hours_or_less_share": "Two hours or less divided by people with any contact.",
    "meetings_arranged": "Every meeting logged in the cohort's relationships by the end "
    "of the period, held or not.",
    "meetings_held": "Meetings logged with the outcome 'met'.",
    "meetings_not_held": "Meetings not held, by what happened (did not attend, "
    "cancelled by the mentee, cancelled by the mentor).",
    "by_mode": "Meetings arranged and held, and hours held, by mode.",
    "by_purpose": "Meetings arranged and held, and hours held, by what they were for "
    "(goals, practical help with or for the person, social, crisis). 'Not recorded' is "
    "imported history whose records do not say.",
    "by_month": "Contact over time: for each month of the period (YYYY-MM), meetings "
    "held by anyone in the schemes, their hours and how many different people met a "
    "mentor. Not only the cohort, so it shows the schemes' whole rhythm of contact.",
}


def contact_section(rows: Rows) -> Section:
    people = cohort(rows)
    meetings = cohort_meetings(rows)
    hours = people.loc[people["any_contact"], "hours"]
    n = len(hours)
    two_or_less = int((hours <= 2).sum())
    stats = summary_stats(hours, digits=2)
    stats.pop("count")
    stats["total"] = round(float(hours.sum()), 2)
    held = int((meetings["outcome"] == MET).sum())
    figures: dict[str, Any] = {
        "mentees_with_contact": n,
        "hours": stats,
        "two_hours_or_less": two_or_less,
        "two_hours_or_less_share": rate(two_or_less, n),
        "meetings_arranged": len(meetings),
        "meetings_held": held,
        "meetings_not_held": code_counts(
            meetings.loc[meetings["outcome"] != MET, "outcome"],
            [o for o in Meeting.Outcome.values if o != MET],
        ),
        "by_mode": _meeting_breakdown(meetings, "mode", Meeting.Mode.values),
        "by_purpose": _meeting_breakdown(meetings, "purpose", Meeting.Purpose.values),
        "by_month": _contact_by_month(rows),
    }
    return Section(
        key="contact",
        title="Contact time",
        figures=figures,
        tables=_contact_tables(figures),
        definitions=CONTACT_DEFINITIONS,
    )


def _contact_tables(figures: dict[str, Any]) -> list[Table]:
    stats = figures["hours"]
    summary = [
        {"Measure": "People with any contact", "Value": figures["mentees_with_contact"]},
        {"Measure": "Total hours", "Value": stats["total"]},
        {"Measure": "Mean hours per person", "Value": stats["mean"]},
        {"Measure": "Median hours per person", "Value": stats["median"]},
        {"Measure": "Fewest hours", "Value": stats["min"]},
        {"Measure": "Most hours", "Value": stats["max"]},
        {
            "Measure": "People with two hours or less",
            "Value": figures["two_hours_or_less"],
            "Share of people with any contact": figures["two_hours_or_less_share"],
        },
    ]
    for row in summary:  # only the last row is a share of anything
        row.setdefault("Share of people with any contact", NO_BASE)
    monthly = [
        {
            "Month": month,
            "Meetings held": v["held"],
            "Hours held": v["hours"],
            "People met": v["people"],
        }
        for month, v in figures["by_month"].items()
    ]
    return [
        make_table(
            "contact_time",
            "Time spent with a mentor, per person with any contact",
            summary,
            ["Share of people with any contact"],
            note="Only the last row is a share (of the people with any contact); the other "
            "rows are not shares of anything, so their share cell is blank. n/a means nobody "
            "had any contact.",
        ),
        make_table(
            "meetings_by_mode",
            "Meetings by mode",
            _breakdown_rows("Mode", Meeting.Mode, figures["by_mode"]),
            [],
        ),
        make_table(
            "meetings_by_purpose",
            "Meetings by what they were for",
            _breakdown_rows("Purpose", Meeting.Purpose, figures["by_purpose"]),
            [],
        ),
        make_table(
            "monthly",
            "Contact over time: meetings held each month, across the schemes",
            monthly,
            [],
        ),
    ]


#: Shorter words in a report's table than the app's own label.
SHORT_LABELS = {Meeting.Purpose.NOT_RECORDED.value: "Not recorded"}


def _breakdown_rows(
    label: str, choices: type[Choices], data: dict[str, Any]
) -> list[dict[str, Any]]:
    return [
        {
            label: SHORT_LABELS.get(key) or choice_label(choices, key),
            "Meetings arranged": v["arranged"],
            "Meetings held": v["held"],
            "Hours held": v["hours"],
        }
        for key, v in data.items()
    ]


def _meeting_breakdown(meetings: pd.DataFrame, column: str, keys: list[str]) -> dict[str, Any]:
    held = meetings[meetings["outcome"] == MET]
    arranged = code_counts(meetings[column], keys)
    held_n = code_counts(held[column], keys)
    minutes = held.groupby(held[column].astype(str))["duration_minutes"].sum()
    return {
        key: {
            "arranged": arranged[key],
            "held": held_n[key],
            "hours": round(float(minutes.get(key, 0)) / 60, 2),
        }
        for key in keys
    }


def _contact_by_month(rows: Rows) -> dict[str, dict[str, Any]]:
    """Meetings held in each month of the period, by everyone in the schemes (not only the
    cohort): the scheme's contact over time. Months with none are shown as 0."""
    start, end = period(rows)
    months = pd.period_range(start, end, freq="M")
    result = {str(m): {"held": 0, "hours": 0.0, "people": 0} for m in months}
    meetings = rows.meetings
    held = meetings[(meetings["outcome"] == MET) & within(meetings["held_on"], start, end)]
    if len(held):
        people = held.merge(
            rows.relationships[["relationship_id", "mentee_id"]], on="relationship_id"
        )
        month = people["held_on"].dt.to_period("M").astype(str)
        grouped = people.groupby(month)
        for key, group in grouped:
            result[str(key)] = {
                "held": len(group),
                "hours": round(float(group["duration_minutes"].sum()) / 60, 2),
                "people": int(group["mentee_id"].nunique()),
            }
    return result
