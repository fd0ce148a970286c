"""Targets against actuals, and the trend by quarter.

A target is a number for one funnel stage over one period (``schemes.Target``). Its actual is
counted as the funnel counts: the people referred to the scheme in the target's period, each
followed to the end of that period or to the report's last counted day if that is sooner, at
the target's stage. A target whose period is still running is shown with how much of it has
gone, so a half-way figure is not read as a miss.

The trend is the funnel of the people referred in each quarter of the funder's grant period
(or of the report's period), all followed to the report's last counted day.

Both reuse the cohort (``reports.cohort``) and ``funnel_counts``: a smaller ``Rows`` holding
one window's referrals is the cohort of that window.
"""

import dataclasses
import datetime
from typing import Any

import pandas as pd

from reports.cohort import cohort
from reports.quarters import DASH, quarter_end, quarter_label, quarter_start, quarters_within
from reports.report import Section, Table, rate
from reports.rows import Rows
from reports.sections.common import make_table, within
from reports.sections.funnel import STAGES, funnel_counts
from schemes.models import FunnelStage

STAGE_ORDER = [key for key, _ in STAGES]
STAGE_TITLES = dict(STAGES)

OVER, RUNNING, NOT_STARTED = "over", "running", "not_started"

TARGETS_DEFINITIONS = {
    "targets": "Each scheme's target for a funnel stage over a period that overlaps the "
    "report's, one row per scheme, stage and target period. The actual is counted the way "
    "the funnel counts: the people referred to the scheme in the target's period (a person "
    "referred twice in it counts once), each followed to the end of the target's period, or "
    "to the report's last counted day if that is sooner, and counted at the target's stage "
    "(for example 'matched': matched after their referral and by that day). The target's "
    "period may start before the report's.",
    "share_of_target": 'The actual and the target in words ("12 of 40"), with the actual '
    "divided by the target in brackets; no share for a target of 0.",
    "status": "Whether the target's period is over, still running on the report's last "
    "counted day, or not started yet. A running target says how much of its period has gone "
    "by then: it is measured part-way, so compare its share of target with the share of its "
    "period gone, not with 100%.",
    "combined_targets": "Where more than one scheme has a target for the same stage and the "
    "same period: the targets and the actuals added together (a person belongs to one "
    "scheme, so nobody is counted twice).",
    "trend": "The funnel of the people referred in each calendar quarter: of the funder's "
    "grant period(s) overlapping the report's period when the report is for a funder, "
    "otherwise of the report's period, up to the last counted day. A quarter only partly "
    "covered says which days. Everyone is followed to the report's last counted day, so "
    "people referred in earlier quarters have had longer to get further. A person referred in "
    "two quarters is in both quarters' funnels.",
}


def _cohort_between(
    rows: Rows,
    scheme_ids: list[int],
    start: datetime.date,
    referred_to: datetime.date,
    count_to: datetime.date,
) -> pd.DataFrame:
    """The cohort of the people referred to these schemes in [start, referred_to], followed
    to ``count_to``: the rows cut to them, then the funnel's own cohort code."""
    source = rows.span or rows
    refs = source.referrals
    chosen = refs[
        refs["scheme_id"].isin(scheme_ids)
        & within(refs["referred_on"], pd.Timestamp(start), pd.Timestamp(referred_to))
    ]
    people = chosen["mentee_id"].unique()
    rels = source.relationships[source.relationships["mentee_id"].isin(people)]
    window = dataclasses.replace(
        source,
        date_from=start,
        date_to=count_to,
        referrals=chosen,
        consents=source.consents[source.consents["mentee_id"].isin(people)],
        relationships=rels,
        meetings=source.meetings[source.meetings["relationship_id"].isin(rels["relationship_id"])],
        cache={},
        span=None,
    )
    return cohort(window)


def _progress(start: datetime.date, end: datetime.date, counted: datetime.date) -> dict[str, Any]:
    """Where a target's period stood on the last counted day."""
    if end <= counted:
        return {"status": OVER, "elapsed_share": 1.0}
    if start > counted:
        return {"status": NOT_STARTED, "elapsed_share": 0.0}
    return {
        "status": RUNNING,
        "elapsed_share": ((counted - start).days + 1) / ((end - start).days + 1),
    }


def _funnels_by_scheme(
    rows: Rows, start: datetime.date, end: datetime.date
) -> dict[int, dict[str, Any]]:
    """Each scheme's funnel of the people referred in a target's period [start, end], followed
    to its end or the last counted day if sooner: one cohort for every scheme (a person
    belongs to one scheme), split by scheme. Empty when the period starts after that day."""
    counted = rows.date_to
    if start > counted:
        return {}
    last = min(end, counted)
    people = _cohort_between(rows, list(rows.schemes), start, last, last)
    return {int(pk): funnel_counts(group) for pk, group in people.groupby("scheme_id")}


def _target_figures(rows: Rows) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Each scheme's targets with their actuals, and the combined ones."""
    counted = rows.date_to
    targets = rows.targets[rows.targets["scheme_id"].isin(list(rows.schemes))].copy()
    targets["stage"] = targets["stage"].astype(str)
    targets = targets[targets["stage"].isin(STAGE_ORDER)]
    periods = {(t.starts_on.date(), t.ends_on.date()) for t in targets.itertuples(index=False)}
    funnels = {(start, end): _funnels_by_scheme(rows, start, end) for start, end in periods}
    singles: list[dict[str, Any]] = []
    groups: dict[tuple[str, datetime.date, datetime.date], list[dict[str, Any]]] = {}
    for t in targets.itertuples(index=False):
        start, end = t.starts_on.date(), t.ends_on.date()
        record = {
            "scheme_id": int(t.scheme_id),
            "stage": t.stage,
            "starts_on": start,
            "ends_on": end,
            "target": int(t.number),
            "actual": int(funnels[start, end].get(int(t.scheme_id), {}).get(t.stage, 0)),
        }
        singles.append(record)
        groups.setdefault((t.stage, start, end), []).append(record)
    combined = [
        {
            "scheme_ids": sorted(r["scheme_id"] for r in members),
            "stage": stage,
            "starts_on": start,
            "ends_on": end,
            "target": sum(r["target"] for r in members),
            "actual": sum(r["actual"] for r in members),
        }
        for (stage, start, end), members in groups.items()
        if len(members) > 1
    ]
    names = rows.schemes
    singles.sort(key=lambda r: (STAGE_ORDER.index(r["stage"]), r["starts_on"], r["ends_on"],
                                names[r["scheme_id"]]))  # fmt: skip
    combined.sort(key=lambda r: (STAGE_ORDER.index(r["stage"]), r["starts_on"], r["ends_on"]))
    for record in [*singles, *combined]:
        record["share_of_target"] = rate(record["actual"], record["target"])
        record["counted_to"] = min(record["ends_on"], counted)
        record.update(_progress(record["starts_on"], record["ends_on"], counted))
    return singles, combined


def _days(start: datetime.date, end: datetime.date) -> str:
    """A target's period, short enough for a phone (an en dash between): "Apr to Jun 2026"
    for a whole calendar quarter, "Apr 2025 to Mar 2026" for whole months, else "1 Apr to
    15 May 2026"."""
    if start == quarter_start(start) and end == quarter_end(start):
        return quarter_label(start, end)
    if start.day == 1 and (end + datetime.timedelta(days=1)).day == 1:
        if (start.year, start.month) == (end.year, end.month):
            return f"{end:%b %Y}"
        first = f"{start:%b}" if start.year == end.year else f"{start:%b %Y}"
        return f"{first}{DASH}{end:%b %Y}"
    first = f"{start:%-d %b}" if start.year == end.year else f"{start:%-d %b %Y}"
    return f"{first}{DASH}{end:%-d %b %Y}"


def _actual_of_target(record: dict[str, Any]) -> str:
    """ "12 of 40 (30%)": the actual, the target and the share in words; no share for a
    target of 0."""
    words = f"{record['actual']:,} of {record['target']:,}"
    share = record["share_of_target"]
    return words if share is None else f"{words} ({share:.0%})"


def _status_text(record: dict[str, Any]) -> str:
    if record["status"] == OVER:
        return "Over"
    if record["status"] == NOT_STARTED:
        return "Not started"
    return f"Running: {record['elapsed_share']:.0%} gone"


def _targets_table(
    rows: Rows, singles: list[dict[str, Any]], combined: list[dict[str, Any]]
) -> Table:
    def row(record: dict[str, Any], who: str) -> dict[str, Any]:
        # Four columns, so the table reads on a phone: the numbers are in the json.
        stage = STAGE_TITLES.get(record["stage"], FunnelStage(record["stage"]).label)
        return {
            "Target": f"{stage}: {who}",
            "Period": _days(record["starts_on"], record["ends_on"]),
            "Actual of target": _actual_of_target(record),
            "Status": _status_text(record),
        }

    combined_for = {(c["stage"], c["starts_on"], c["ends_on"]): c for c in combined}
    records = []
    for i, single in enumerate(singles):
        records.append(row(single, rows.schemes[single["scheme_id"]]))
        key = (single["stage"], single["starts_on"], single["ends_on"])
        following = singles[i + 1] if i + 1 < len(singles) else None
        last_of_group = following is None or key != (
            following["stage"],
            following["starts_on"],
            following["ends_on"],
        )
        if key in combined_for and last_of_group:  # after the schemes it adds up
            together = combined_for[key]
            records.append(row(together, f"{len(together['scheme_ids'])} schemes together"))
    return make_table(
        "targets",
        "Targets against actuals",
        records or [{"Target": "No scheme has a target for a period overlapping this one"}],
        [],
        note="The actual is the people referred in the target's period who reached the stage, "
        "followed to the end of the period, or to the report's last counted day if sooner. A "
        "running target is measured part-way: compare its share of target with the share of "
        "its period gone, not with 100%.",
    )


def _trend(rows: Rows) -> dict[str, Any]:
    """The funnel of each quarter's referrals, followed to the last counted day."""
    counted = rows.date_to
    spans = rows.grant_periods or [(rows.date_from, rows.period_end)]
    quarters = []
    for start, end in quarters_within(spans, counted):
        counts = funnel_counts(_cohort_between(rows, list(rows.schemes), start, end, counted))
        quarters.append(
            {
                "label": quarter_label(start, end),
                "from": start.isoformat(),
                "to": end.isoformat(),
                **{key: counts[key] for key in STAGE_ORDER},
            }
        )
    return {
        "basis": "grant" if rows.grant_periods else "period",
        "counted_to": counted.isoformat(),
        "quarters": quarters,
    }


def _trend_table(trend: dict[str, Any]) -> Table:
    counted = datetime.date.fromisoformat(trend["counted_to"])
    basis = "the funder's grant period" if trend["basis"] == "grant" else "the report's period"
    return make_table(
        "trend",
        "Trend by quarter: the funnel of the people referred in each quarter",
        [
            {"Quarter": q["label"], **{title: q[key] for key, title in STAGES}}
            for q in trend["quarters"]
        ]
        or [{"Quarter": "No quarter to show", **{title: 0 for _, title in STAGES}}],
        [],
        note=f"The quarters of {basis}. Everyone is followed to {counted:%-d %B %Y}, the "
        "report's last counted day, so people referred in earlier quarters have had longer "
        "to get further.",
    )


def _json(record: dict[str, Any]) -> dict[str, Any]:
    """A target's figures with its days as ISO dates, as the json carries them."""
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in record.items()}


def targets_section(rows: Rows) -> Section:
    singles, combined = _target_figures(rows)
    trend = _trend(rows)
    return Section(
        key="targets",
        title="Targets and trend by quarter",  # 29 characters: an XLSX sheet name holds 31
        figures={
            "targets": [_json(r) for r in singles],
            "combined_targets": [_json(r) for r in combined],
            "trend": trend,
        },
        tables=[_targets_table(rows, singles, combined), _trend_table(trend)],
        definitions=TARGETS_DEFINITIONS,
    )
