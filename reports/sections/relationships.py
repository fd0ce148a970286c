"""Relationships: every relationship of the schemes started, open and closed in the period
(not only the cohort's), re-matches, and why and how they ended."""

from typing import Any

from relationships.models import Relationship
from reports.cohort import PLANNED
from reports.report import Section, rate
from reports.rows import Rows
from reports.sections.common import (
    choice_label,
    code_counts,
    make_table,
    period,
    summary_stats,
    within,
)

RELATIONSHIP_DEFINITIONS = {
    "started": "Relationships of the schemes matched in the period (every relationship, "
    "not only the cohort's).",
    "rematches": "Of those started, relationships of a person who had an earlier "
    "relationship (with another mentor, or an earlier episode).",
    "rematches_share_of_started": "Re-matches divided by relationships started.",
    "active_at_period_end": "Relationships matched by the end of the period and not "
    "closed by then, whatever their stage (introduced, active, paused or ending).",
    "closed": "Relationships closed in the period.",
    "closed_planned": "Of those closed, closures recorded as planned.",
    "closed_unplanned": "Of those closed, closures recorded as unplanned.",
    "closed_planned_share": "Planned closures divided by all closures in the period.",
    "closed_by_reason": "Closures in the period by the reason recorded, planned and unplanned.",
    "length_weeks": "For relationships closed in the period, weeks from the match to "
    "the closure (count, median, mean, shortest, longest).",
}


def relationships_section(rows: Rows) -> Section:
    start, end = period(rows)
    r = rows.relationships
    r = r[r["matched_on"] <= end]
    started = within(r["matched_on"], start, end)
    open_at_end = r["closed_on"].isna() | (r["closed_on"] > end)
    closed = r[within(r["closed_on"], start, end)]
    planned = closed[closed["closure_type"] == PLANNED]
    unplanned = closed[closed["closure_type"] != PLANNED]
    weeks = (closed["closed_on"] - closed["matched_on"]).dt.days / 7
    reasons = Relationship.ClosureReason.values
    n_started = int(started.sum())
    rematches = int((started & r["is_rematch"].astype(bool)).sum())
    figures: dict[str, Any] = {
        "started": n_started,
        "rematches": rematches,
        "rematches_share_of_started": rate(rematches, n_started),
        "active_at_period_end": int(open_at_end.sum()),
        "closed": len(closed),
        "closed_planned": len(planned),
        "closed_unplanned": len(unplanned),
        "closed_planned_share": rate(len(planned), len(closed)),
        "closed_by_reason": {
            "planned": code_counts(planned["closure_reason"], reasons),
            "unplanned": code_counts(unplanned["closure_reason"], reasons),
        },
        "length_weeks": summary_stats(weeks),
    }
    return Section(
        key="relationships",
        title="Relationships",
        figures=figures,
        tables=[
            make_table("relationships", "Relationships in the period", _summary(figures), []),
            make_table(
                "closures_by_reason",
                "Closures in the period by reason",
                _by_reason(figures["closed_by_reason"]),
                [],
            ),
        ],
        definitions=RELATIONSHIP_DEFINITIONS,
    )


def _summary(figures: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"Measure": "Relationships started (matched) in the period", "Number": figures["started"]},
        {"Measure": "Of them, re-matches", "Number": figures["rematches"]},
        {"Measure": "Open at the end of the period", "Number": figures["active_at_period_end"]},
        {"Measure": "Closed in the period", "Number": figures["closed"]},
        {"Measure": "Closed as planned", "Number": figures["closed_planned"]},
        {"Measure": "Closed unplanned", "Number": figures["closed_unplanned"]},
        {
            "Measure": "Median length of those closed (weeks)",
            "Number": figures["length_weeks"]["median"],
        },
    ]


def _by_reason(closed_by_reason: dict[str, dict[str, int]]) -> list[dict[str, Any]]:
    planned, unplanned = closed_by_reason["planned"], closed_by_reason["unplanned"]
    return [
        {
            "Reason": choice_label(Relationship.ClosureReason, reason),
            "Planned": planned[reason],
            "Unplanned": unplanned[reason],
            "Total": planned[reason] + unplanned[reason],
        }
        for reason in Relationship.ClosureReason.values
    ]
