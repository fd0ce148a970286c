"""Flags: what the watcher raised in the period, what coordinators acknowledged, what was
resolved and what was still open at the end, by kind of flag."""

from typing import Any

from flags.models import Kind as FlagKind
from reports.report import Section
from reports.rows import Rows
from reports.sections.common import choice_label, code_counts, make_table, period, within

FLAG_DEFINITIONS = {
    "raised": "Flags the watcher raised in the period (stalling or drifting toward "
    "dependency; see docs/flags.md).",
    "acknowledged": "Flags a coordinator acknowledged in the period, saying what they did.",
    "resolved": "Flags resolved in the period, by the watcher when the condition cleared "
    "or by hand.",
    "open_at_period_end": "Flags raised by the end of the period and not resolved by "
    "then (open or acknowledged).",
    "by_kind": "The same four counts for each kind of flag.",
}


def flags_section(rows: Rows) -> Section:
    start, end = period(rows)
    f = rows.flags
    raised = f[within(f["raised_on"], start, end)]
    acknowledged = f[within(f["acknowledged_on"], start, end)]
    resolved = f[within(f["resolved_on"], start, end)]
    open_at_end = f[(f["raised_on"] <= end) & (f["resolved_on"].isna() | (f["resolved_on"] > end))]
    kinds = FlagKind.values
    counts = {
        name: code_counts(frame["kind"], kinds)
        for name, frame in [
            ("raised", raised),
            ("acknowledged", acknowledged),
            ("resolved", resolved),
            ("open_at_period_end", open_at_end),
        ]
    }
    by_kind = {k: {name: counts[name][k] for name in counts} for k in kinds}
    figures: dict[str, Any] = {
        "raised": len(raised),
        "acknowledged": len(acknowledged),
        "resolved": len(resolved),
        "open_at_period_end": len(open_at_end),
        "by_kind": by_kind,
    }
    by_kind_rows = [
        {
            "Flag": choice_label(FlagKind, k),
            "Raised": v["raised"],
            "Acknowledged": v["acknowledged"],
            "Resolved": v["resolved"],
            "Open at the end": v["open_at_period_end"],
        }
        for k, v in by_kind.items()
    ]
    return Section(
        key="flags",
        title="Flags",
        figures=figures,
        tables=[make_table("flags_by_kind", "Flags by kind", by_kind_rows, [])],
        definitions=FLAG_DEFINITIONS,
    )
