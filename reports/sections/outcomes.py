"""Outcomes: goals set, achieved and dropped by domain and primary good, and distance
travelled: how review scores moved from the first review to the latest."""

from typing import Any

import pandas as pd
from django.db.models import Choices

from mentees.models import NeedDomain
from relationships.models import Goal, PrimaryGood
from reports.report import Section, rate
from reports.rows import Rows
from reports.sections.common import (
    choice_label,
    code_counts,
    make_table,
    period,
    rounded,
    within,
)

OUTCOME_DEFINITIONS = {
    "goals_set": "Goals agreed in the period, in the schemes' relationships.",
    "goals_achieved": "Goals marked achieved with a date in the period.",
    "goals_dropped": "Goals marked dropped with a date in the period.",
    "by_domain": "Goals set, achieved and dropped in the period by practical domain.",
    "by_primary_good": "Goals set, achieved and dropped in the period by the Good Lives "
    "primary good they serve.",
    "distance_travelled": "For each relationship and domain scored (1 to 10) at two or "
    "more reviews, the latest of them in the period: the first review's score and the "
    "latest review's score (several goals in one domain at one review are averaged). "
    "Relationships scored twice or more: how many relationship-domains; mean first score, "
    "mean latest score and mean change: their means; improved: how many scored higher at the "
    "latest review than at the first; share improved: improved divided by relationships "
    "scored twice or more. 'All domains' is every domain together.",
}


def _distance(scores: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> pd.DataFrame:
    """One row per relationship and domain scored at two or more reviews, the latest in the
    period: the first and latest score (a review's goals in one domain are averaged)."""
    s = scores[scores["held_on"] <= end]
    per_review = (
        s.groupby(["relationship_id", "domain", "review_id", "held_on"], observed=True)["score"]
        .mean()
        .reset_index()
        .sort_values(["held_on", "review_id"])
    )
    grouped = per_review.groupby(["relationship_id", "domain"], observed=True)
    pairs = pd.DataFrame(
        {
            "reviews": grouped.size(),
            "first": grouped["score"].first(),
            "latest": grouped["score"].last(),
            "latest_on": grouped["held_on"].last(),
        }
    ).reset_index()
    pairs = pairs[(pairs["reviews"] >= 2) & (pairs["latest_on"] >= start)]
    pairs["change"] = pairs["latest"] - pairs["first"]
    pairs["domain"] = pairs["domain"].astype(str)
    return pairs


def _travelled(pairs: pd.DataFrame) -> dict[str, Any]:
    n = len(pairs)
    improved = int((pairs["change"] > 0).sum())
    return {
        "pairs": n,
        "mean_first": rounded(pairs["first"].mean(), 2) if n else None,
        "mean_latest": rounded(pairs["latest"].mean(), 2) if n else None,
        "mean_change": rounded(pairs["change"].mean(), 2) if n else None,
        "improved": improved,
        "improved_share": rate(improved, n),
    }


def outcomes_section(rows: Rows) -> Section:
    start, end = period(rows)
    g = rows.goals
    set_ = g[within(g["agreed_on"], start, end)]
    closed_in = within(g["closed_on"], start, end)
    achieved = g[closed_in & (g["status"] == Goal.Status.ACHIEVED)]
    dropped = g[closed_in & (g["status"] == Goal.Status.DROPPED)]

    def split(column: str, keys: list[str]) -> dict[str, dict[str, int]]:
        s, a, d = (code_counts(frame[column], keys) for frame in (set_, achieved, dropped))
        return {k: {"set": s[k], "achieved": a[k], "dropped": d[k]} for k in keys}

    by_domain = split("domain", NeedDomain.values)
    by_good = split("primary_good", PrimaryGood.values)
    pairs = _distance(rows.scores, start, end)
    distance = {"all": _travelled(pairs)}
    distance.update({d: _travelled(pairs[pairs["domain"] == d]) for d in NeedDomain.values})
    figures: dict[str, Any] = {
        "goals_set": len(set_),
        "goals_achieved": len(achieved),
        "goals_dropped": len(dropped),
        "by_domain": by_domain,
        "by_primary_good": by_good,
        "distance_travelled": distance,
    }
    return Section(
        key="outcomes",
        title="Outcomes",
        figures=figures,
        tables=[
            make_table(
                "goals_by_domain",
                "Goals by domain",
                _goal_rows("Domain", NeedDomain, by_domain),
                [],
            ),
            make_table(
                "goals_by_primary_good",
                "Goals by primary good",
                _goal_rows("Primary good", PrimaryGood, by_good),
                [],
            ),
            make_table(
                "distance_travelled",
                "Distance travelled: first to latest review score",
                _distance_rows(distance),
                ["Share improved"],
            ),
        ],
        definitions=OUTCOME_DEFINITIONS,
    )


def _goal_rows(
    label: str, choices: type[Choices], data: dict[str, dict[str, int]]
) -> list[dict[str, Any]]:
    return [
        {
            label: choice_label(choices, k),
            "Goals set": v["set"],
            "Goals achieved": v["achieved"],
            "Goals dropped": v["dropped"],
        }
        for k, v in data.items()
    ]


def _distance_rows(distance: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "Domain": "All domains" if key == "all" else choice_label(NeedDomain, key),
            "Relationships scored twice or more": v["pairs"],
            "Mean first score": v["mean_first"],
            "Mean latest score": v["mean_latest"],
            "Mean change": v["mean_change"],
            "Improved": v["improved"],
            "Share improved": v["improved_share"],
        }
        for key, v in distance.items()
    ]
