"""Concerns: the safeguarding and risk concerns raised in the period, how quickly a
coordinator acknowledged them, how many went to the managers, and how they ended. Counts and
hours only: a concern's words never reach a report, nor what it was about (its kind), which
in a small scheme's month could point at a person."""

from typing import Any

from concerns.models import Outcome
from reports.report import Section
from reports.rows import Rows
from reports.sections.common import (
    choice_label,
    code_counts,
    make_table,
    period,
    summary_stats,
    within,
)

CONCERN_DEFINITIONS = {
    "raised": "Concerns about a mentee's safety or the risk they pose raised in the period, "
    "by a mentor on a meeting or by a coordinator.",
    "acknowledged": "Of the concerns raised in the period, those a coordinator has "
    "acknowledged (by the time the report was built); concerns written on meetings before "
    "Tandem tracked concerns are counted as raised but not here.",
    "acknowledged_in_time": "Of those, the ones acknowledged within the scheme's time "
    "(24 hours unless the scheme set another; four hours at most for an urgent one).",
    "hours_to_acknowledge": "Hours from raising to acknowledgement, for the concerns raised "
    "in the period and acknowledged: count, median, mean, least and most (to 0.01 hour).",
    "escalated": "Concerns raised in the period that nobody acknowledged in time, so the "
    "worker sent them to the managers.",
    "closed": "Concerns closed in the period, whenever they were raised.",
    "open_at_period_end": "Concerns raised by the end of the period and not closed by then.",
    "closed_by_outcome": "Concerns closed in the period, by how they ended.",
}


def concerns_section(rows: Rows) -> Section:
    start, end = period(rows)
    c = rows.concerns
    raised = c[within(c["raised_on"], start, end)]
    # One carried over from before Tandem tracked concerns could not be acknowledged then:
    # its acknowledgement is not timed.
    acknowledged = raised[raised["acknowledged_on"].notna() & ~raised["carried_over"]]
    closed = c[within(c["closed_on"], start, end)]
    open_at_end = c[(c["raised_on"] <= end) & (c["closed_on"].isna() | (c["closed_on"] > end))]
    by_outcome = code_counts(closed["outcome"], Outcome.values)
    figures: dict[str, Any] = {
        "raised": len(raised),
        "acknowledged": len(acknowledged),
        "acknowledged_in_time": int(acknowledged["acknowledged_in_time"].sum()),
        "hours_to_acknowledge": summary_stats(acknowledged["hours_to_acknowledge"], digits=2),
        "escalated": int(raised["escalated"].sum()),
        "closed": len(closed),
        "open_at_period_end": len(open_at_end),
        "closed_by_outcome": by_outcome,
    }
    outcome_rows = [
        {"How it ended": choice_label(Outcome, code), "Closed": n} for code, n in by_outcome.items()
    ]
    return Section(
        key="concerns",
        title="Safeguarding and risk concerns",
        figures=figures,
        tables=[
            make_table("concerns_by_outcome", "Concerns closed, by outcome", outcome_rows, []),
        ],
        definitions=CONCERN_DEFINITIONS,
    )
