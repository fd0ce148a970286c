"""The sections of a funder report: pure functions from the plain rows to a ``Section``.

Each takes a ``reports.rows.Rows`` (frames of ids, codes, dates and numbers; no names, no
free text) and returns the section's figures (stable keys, documented in
``docs/reports.md``), the tables a person reads and a definition for every figure. No
database here: the tests build crafted rows. A rate is ``None`` when its denominator is 0
(shown "n/a"), and every rate sits beside the counts it is made of.
"""

from typing import Any

import pandas as pd

from flags.models import Kind as FlagKind
from mentees.models import NeedDomain, Referral
from relationships.models import Goal, Meeting, PrimaryGood, Relationship
from reports.cohort import MET, PLANNED, cohort, cohort_meetings
from reports.report import Section, Table, rate
from reports.rows import Rows
from schemes.models import Mentor

# The funnel, in order: each stage's conversion is from the one before it.
STAGES: list[tuple[str, str]] = [
    ("referred", "Referred"),
    ("consented", "Consented"),
    ("matched", "Matched with a mentor"),
    ("any_contact", "Any contact (met at least once)"),
    ("face_to_face", "Face-to-face contact"),
    ("met_3_plus", "Met 3 or more times"),
    ("met_5_plus", "Met 5 or more times"),
    ("ended_as_planned", "Relationship ended as planned"),
]
#: Met exactly once is off the main line: its "previous stage" is any contact.
MET_ONCE = ("met_once", "Met exactly once")
FUNNEL_KEYS = [key for key, _ in STAGES] + [MET_ONCE[0]]
STOPPED = [
    Referral.Status.DECLINED,
    Referral.Status.WITHDRAWN,
    Referral.Status.NOT_SUITABLE,
    Referral.Status.LOST_CONTACT,
]
VOLUNTEER_KINDS = [str(Mentor.Kind.VOLUNTEER), str(Mentor.Kind.PEER)]


# ---------------------------------------------------------------------------- small helpers


def _period(rows: Rows) -> tuple[pd.Timestamp, pd.Timestamp]:
    return pd.Timestamp(rows.date_from), pd.Timestamp(rows.date_to)


def _in(series: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return series.notna() & (series >= start) & (series <= end)


def _number(value: Any, digits: int) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def _stats(values: pd.Series, digits: int = 1) -> dict[str, Any]:
    """Count, median, mean, min and max; ``None`` for each but the count when empty."""
    values = values.dropna().astype(float)
    empty = values.empty
    return {
        "count": int(values.size),
        "median": None if empty else _number(values.median(), digits),
        "mean": None if empty else _number(values.mean(), digits),
        "min": None if empty else _number(values.min(), digits),
        "max": None if empty else _number(values.max(), digits),
    }


def _counts(values: pd.Series, keys: list[str]) -> dict[str, int]:
    """How many of each code, with every code present (0 when none), in a stable order."""
    found = values.astype(str).value_counts()
    return {key: int(found.get(key, 0)) for key in keys}


def _table(
    key: str, title: str, records: list[dict[str, Any]], rate_columns: list[str], note: str = ""
) -> Table:
    """A table whose columns keep their Python values: whole numbers stay whole, and an empty
    cell (a rate with nothing to divide by, a figure with no data) is ``None``, never NaN."""
    # Column by column as Python objects: from_records would turn a whole-number column with
    # a None in it into floats ("161.0") before anything here could stop it.
    columns = list(dict.fromkeys(key for record in records for key in record))
    df = pd.DataFrame({c: pd.Series([r.get(c) for r in records], dtype=object) for c in columns})
    for column in df.columns:
        values = list(df[column])
        if any(v is None or (isinstance(v, float) and pd.isna(v)) for v in values):
            df[column] = pd.Series(
                [None if v is None or pd.isna(v) else v for v in values],
                index=df.index,
                dtype=object,
            )
        elif all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            df[column] = df[column].astype("int64")
        elif all(isinstance(v, float) for v in values):
            df[column] = df[column].astype("float64")
        # A column mixing counts and measures (a label/value table) stays as objects, so each
        # cell keeps its own type and format.
    return Table(key=key, title=title, frame=df, rate_columns=rate_columns, note=note)


def _label(choices: Any, code: str) -> str:
    return dict(choices.choices).get(code, code or "Not recorded")


# ---------------------------------------------------------------------------- funnel


def funnel_counts(people: pd.DataFrame) -> dict[str, Any]:
    """The funnel of one group of the cohort: counts at the top level under the stage keys,
    then ``share_of_referred``, ``from_previous`` (people also at the previous stage) and
    ``conversion`` (``from_previous`` over the previous stage's count)."""
    masks = {"referred": pd.Series(True, index=people.index)}
    masks.update({key: people[key].astype(bool) for key, _ in STAGES[1:]})
    masks["met_once"] = people["met_once"].astype(bool)
    counts = {key: int(mask.sum()) for key, mask in masks.items()}
    previous = {key: STAGES[i - 1][0] for i, (key, _) in enumerate(STAGES) if i}
    previous["met_once"] = "any_contact"
    from_previous = {
        key: int((masks[key] & masks[before]).sum()) for key, before in previous.items()
    }
    return {
        **{key: counts[key] for key in FUNNEL_KEYS},
        "share_of_referred": {key: rate(counts[key], counts["referred"]) for key in FUNNEL_KEYS},
        "from_previous": from_previous,
        "conversion": {
            key: rate(from_previous[key], counts[before]) for key, before in previous.items()
        },
    }


FUNNEL_DEFINITIONS = {
    "cohort": "Everyone referred to one of the schemes in the period. A person referred more "
    "than once in the period counts once, by their first referral in it (its date, source "
    "and scheme). Everything after the referral is counted up to the end of the period.",
    "referred": "People referred in the period (the cohort).",
    "consented": "Of the cohort, people with informed consent given by the end of the period "
    "and not withdrawn before they were referred.",
    "matched": "Of the cohort, people matched with a mentor after their referral and by the "
    "end of the period (a re-match counts once: it is the same person).",
    "any_contact": "Of the cohort, people who met their mentor at least once: a meeting "
    "whose outcome is 'met', in any mode (face to face, phone, video, messages, custody "
    "visit, prison gate), by the end of the period.",
    "face_to_face": "Of the cohort, people with at least one meeting held face to face, on a "
    "custody visit or at the prison gate.",
    "met_once": "Of the cohort, people who met a mentor exactly once (all their "
    "relationships together).",
    "met_3_plus": "Of the cohort, people who met a mentor three or more times, any mode.",
    "met_5_plus": "Of the cohort, people who met a mentor five or more times, any mode.",
    "ended_as_planned": "Of the cohort, people whose latest relationship was closed as "
    "planned by the end of the period.",
    "share_of_referred": "A stage's people divided by everyone referred (the cohort).",
    "from_previous": "People at a stage who were also at the stage before it. Stages are "
    "counted independently, so someone who met three times by phone is at 'met 3+' without "
    "being at 'face to face'; they are not counted here.",
    "conversion": "From the previous stage: people at this stage who were also at the stage "
    "before, divided by the people at the stage before. For 'met once' the stage before is "
    "'any contact'. n/a when nobody reached the stage before.",
    "by_scheme": "The same figures for each scheme, keyed by the scheme's id. Not suppressed: "
    "a scheme is not a demographic group.",
    "by_source": "The same figures by who referred the person (prison, probation, court, "
    "self-referral, other agency). Not suppressed: the referral source is not a "
    "demographic group.",
    "stopped_before_match": "Of the cohort, referrals that stopped before a match (declined, "
    "withdrawn, not suitable, lost contact) by the end of the period, by the reason recorded. "
    "Someone referred again and matched is not counted here.",
}


def _funnel_row(label_column: str, label: str, group: dict[str, Any]) -> dict[str, Any]:
    return {
        label_column: label,
        **{title: group[key] for key, title in [*STAGES, MET_ONCE]},
        "Share of referred with any contact": group["share_of_referred"]["any_contact"],
        "Share of referred who met 3+ times": group["share_of_referred"]["met_3_plus"],
    }


def funnel_section(rows: Rows) -> Section:
    people = cohort(rows)
    total = funnel_counts(people)
    by_scheme = {str(pk): funnel_counts(people[people["scheme_id"] == pk]) for pk in rows.schemes}
    sources = Referral.Source.values
    by_source = {source: funnel_counts(people[people["source"] == source]) for source in sources}
    _, end = _period(rows)
    stopped = people[
        people["status"].isin([str(s) for s in STOPPED])
        & (people["status_changed_on"] <= end)
        & ~people["matched"]  # re-referred and matched later: not stopped before a match
    ]
    stopped_reasons = _counts(stopped["exit_reason"], Referral.ExitReason.values)
    figures = {
        **total,
        "by_scheme": by_scheme,
        "by_source": by_source,
        "stopped_before_match": stopped_reasons,
    }

    previous = {key: STAGES[i - 1] for i, (key, _) in enumerate(STAGES) if i}
    previous["met_once"] = STAGES[3]
    stage_rows = []
    for key, title in [*STAGES, MET_ONCE]:
        before = previous.get(key)
        stage_rows.append(
            {
                "Stage": title,
                "People": total[key],
                "Share of all referred": total["share_of_referred"][key],
                "Previous stage": before[1] if before else "",
                "People at the previous stage": total[before[0]] if before else None,
                "Of them, also at the previous stage": total["from_previous"].get(key),
                "Conversion from the previous stage": total["conversion"].get(key),
            }
        )
    rate_columns = ["Share of referred with any contact", "Share of referred who met 3+ times"]
    tables = [
        _table(
            "funnel",
            "The funnel: people referred in the period, and how far they got",
            stage_rows,
            ["Share of all referred", "Conversion from the previous stage"],
            note="Met exactly once is shown against everyone with any contact.",
        ),
        _table(
            "funnel_by_scheme",
            "The funnel by scheme",
            [_funnel_row("Scheme", rows.schemes[pk], by_scheme[str(pk)]) for pk in rows.schemes],
            rate_columns,
        ),
        _table(
            "funnel_by_source",
            "The funnel by referral source",
            [
                _funnel_row("Referral source", _label(Referral.Source, s), by_source[s])
                for s in sources
            ],
            rate_columns,
        ),
        _table(
            "stopped_before_match",
            "Referrals that stopped before a match, by reason",
            [
                {"Reason": _label(Referral.ExitReason, reason), "Referrals": n}
                for reason, n in stopped_reasons.items()
                if n
            ]
            or [{"Reason": "None", "Referrals": 0}],
            [],
        ),
    ]
    return Section(
        key="funnel",
        title="The funnel",
        figures=figures,
        tables=tables,
        definitions=FUNNEL_DEFINITIONS,
    )


# ---------------------------------------------------------------------------- timeliness


def timeliness_section(rows: Rows) -> Section:
    people = cohort(rows)
    _, end = _period(rows)
    to_match = (people["first_matched_on"] - people["referred_on"]).dt.days
    to_first = (people["first_met_on"] - people["referred_on"]).dt.days
    released = people[
        people["released_on"].notna()
        & (people["released_on"] >= people["referred_on"])
        & (people["released_on"] <= end)
    ]
    release_to_contact = (released["first_met_after_release_on"] - released["released_on"]).dt.days
    before_release = released["first_matched_on"].notna() & (
        released["matched_in_custody"].astype(bool)
        | (released["first_matched_on"] < released["released_on"])
    )
    n_released = len(released)
    n_before = int(before_release.sum())
    figures = {
        "referral_to_match_days": _stats(to_match),
        "referral_to_first_meeting_days": _stats(to_first),
        "released": n_released,
        "released_with_contact_after_release": int(release_to_contact.notna().sum()),
        "release_to_first_contact_days": _stats(release_to_contact),
        "matched_before_release": n_before,
        "matched_before_release_share": rate(n_before, n_released),
    }
    day_rows = [
        {
            "Measure": title,
            "People": s["count"],
            "Median days": s["median"],
            "Mean days": s["mean"],
            "Shortest": s["min"],
            "Longest": s["max"],
        }
        for title, s in [
            ("From referral to match", figures["referral_to_match_days"]),
            ("From referral to first meeting held", figures["referral_to_first_meeting_days"]),
            ("From release to first contact", figures["release_to_first_contact_days"]),
        ]
    ]
    release_rows = [
        {
            "Measure": "Released from custody after referral",
            "People": n_released,
            "Out of": None,
            "Share": None,
        },
        {
            "Measure": "Met a mentor after release",
            "People": figures["released_with_contact_after_release"],
            "Out of": n_released,
            "Share": rate(figures["released_with_contact_after_release"], n_released),
        },
        {
            "Measure": "Matched before release",
            "People": n_before,
            "Out of": n_released,
            "Share": figures["matched_before_release_share"],
        },
    ]
    definitions = {
        "referral_to_match_days": "Days from the referral to the person's first match, for "
        "people in the cohort who were matched (count, median, mean, shortest, longest).",
        "referral_to_first_meeting_days": "Days from the referral to the first meeting held "
        "(outcome 'met'), for people in the cohort who met a mentor.",
        "released": "People in the cohort released from custody on or after the day they "
        "were referred and by the end of the period (their recorded release date).",
        "released_with_contact_after_release": "Of those released, people who met a mentor "
        "on or after the day of release, by the end of the period.",
        "release_to_first_contact_days": "Days from release to the first meeting held on or "
        "after that day, for released people who met a mentor after release.",
        "matched_before_release": "Of those released, people whose first match was made "
        "while they were in custody (recorded at the match, or dated before the release).",
        "matched_before_release_share": "Matched before release divided by released; n/a "
        "when nobody was released.",
    }
    return Section(
        key="timeliness",
        title="Timeliness",
        figures=figures,
        tables=[
            _table("timeliness_days", "Days to a match and to contact", day_rows, []),
            _table("timeliness_release", "Release from custody", release_rows, ["Share"]),
        ],
        definitions=definitions,
    )


# ---------------------------------------------------------------------------- contact time


def _meeting_breakdown(meetings: pd.DataFrame, column: str, keys: list[str]) -> dict[str, Any]:
    held = meetings[meetings["outcome"] == MET]
    arranged = _counts(meetings[column], keys)
    held_n = _counts(held[column], keys)
    minutes = held.groupby(held[column].astype(str))["duration_minutes"].sum()
    return {
        key: {
            "arranged": arranged[key],
            "held": held_n[key],
            "hours": round(float(minutes.get(key, 0)) / 60, 2),
        }
        for key in keys
    }


def contact_section(rows: Rows) -> Section:
    people = cohort(rows)
    meetings = cohort_meetings(rows)
    hours = people.loc[people["any_contact"], "hours"]
    n = len(hours)
    two_or_less = int((hours <= 2).sum())
    stats = _stats(hours, digits=2)
    stats.pop("count")
    stats["total"] = round(float(hours.sum()), 2)
    by_mode = _meeting_breakdown(meetings, "mode", Meeting.Mode.values)
    by_purpose = _meeting_breakdown(meetings, "purpose", Meeting.Purpose.values)
    held = int((meetings["outcome"] == MET).sum())
    figures = {
        "mentees_with_contact": n,
        "hours": stats,
        "two_hours_or_less": two_or_less,
        "two_hours_or_less_share": rate(two_or_less, n),
        "meetings_arranged": len(meetings),
        "meetings_held": held,
        "meetings_not_held": _counts(
            meetings.loc[meetings["outcome"] != MET, "outcome"],
            [o for o in Meeting.Outcome.values if o != MET],
        ),
        "by_mode": by_mode,
        "by_purpose": by_purpose,
        "by_month": _contact_by_month(rows),
    }

    def breakdown_rows(label: str, choices: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                label: _label(choices, key),
                "Meetings arranged": v["arranged"],
                "Meetings held": v["held"],
                "Hours held": v["hours"],
            }
            for key, v in data.items()
        ]

    summary = [
        {"Measure": "People with any contact", "Value": n},
        {"Measure": "Total hours", "Value": stats["total"]},
        {"Measure": "Mean hours per person", "Value": stats["mean"]},
        {"Measure": "Median hours per person", "Value": stats["median"]},
        {"Measure": "Fewest hours", "Value": stats["min"]},
        {"Measure": "Most hours", "Value": stats["max"]},
        {
            "Measure": "People with two hours or less",
            "Value": two_or_less,
            "Share of people with any contact": figures["two_hours_or_less_share"],
        },
    ]
    definitions = {
        "mentees_with_contact": "People in the cohort with any contact (at least one meeting "
        "held): the people the hours below are about.",
        "hours": "Per person with any contact, the total duration of their meetings held "
        "(outcome 'met') by the end of the period, in hours: total over everyone, mean, "
        "median, fewest (min) and most (max). n/a when nobody had contact.",
        "two_hours_or_less": "People with any contact whose meetings held add up to two "
        "hours or less.",
        "two_hours_or_less_share": "Two hours or less divided by people with any contact.",
        "meetings_arranged": "Every meeting logged in the cohort's relationships by the end "
        "of the period, held or not.",
        "meetings_held": "Meetings logged with the outcome 'met'.",
        "meetings_not_held": "Meetings not held, by what happened (did not attend, "
        "cancelled by the mentee, cancelled by the mentor).",
        "by_mode": "Meetings arranged and held, and hours held, by mode.",
        "by_purpose": "Meetings arranged and held, and hours held, by what they were for "
        "(goals, practical help with or for the person, social, crisis).",
        "by_month": "Contact over time: for each month of the period (YYYY-MM), meetings "
        "held by anyone in the schemes, their hours and how many different people met a "
        "mentor. Not only the cohort, so it shows the schemes' whole rhythm of contact.",
    }
    return Section(
        key="contact",
        title="Contact time",
        figures=figures,
        tables=[
            _table(
                "contact_time",
                "Time spent with a mentor, per person with any contact",
                summary,
                ["Share of people with any contact"],
            ),
            _table(
                "meetings_by_mode",
                "Meetings by mode",
                breakdown_rows("Mode", Meeting.Mode, by_mode),
                [],
            ),
            _table(
                "meetings_by_purpose",
                "Meetings by what they were for",
                breakdown_rows("Purpose", Meeting.Purpose, by_purpose),
                [],
            ),
            _table(
                "monthly",
                "Contact over time: meetings held each month, across the schemes",
                [
                    {
                        "Month": month,
                        "Meetings held": v["held"],
                        "Hours held": v["hours"],
                        "People met": v["people"],
                    }
                    for month, v in figures["by_month"].items()
                ],
                [],
            ),
        ],
        definitions=definitions,
    )


def _contact_by_month(rows: Rows) -> dict[str, dict[str, Any]]:
    """Meetings held in each month of the period, by everyone in the schemes (not only the
    cohort): the scheme's contact over time. Months with none are shown as 0."""
    start, end = _period(rows)
    months = pd.period_range(start, end, freq="M")
    result = {str(m): {"held": 0, "hours": 0.0, "people": 0} for m in months}
    meetings = rows.meetings
    held = meetings[(meetings["outcome"] == MET) & _in(meetings["held_on"], start, end)]
    if len(held):
        people = held.merge(
            rows.relationships[["relationship_id", "mentee_id"]], on="relationship_id"
        )
        month = people["held_on"].dt.to_period("M").astype(str)
        grouped = people.groupby(month)
        for key, group in grouped:
            result[str(key)] = {
                "held": len(group),
                "hours": round(float(group["duration_minutes"].sum()) / 60, 1),
                "people": int(group["mentee_id"].nunique()),
            }
    return result


# ---------------------------------------------------------------------------- relationships


def relationships_section(rows: Rows) -> Section:
    start, end = _period(rows)
    r = rows.relationships
    r = r[r["matched_on"] <= end]
    started = _in(r["matched_on"], start, end)
    open_at_end = r["closed_on"].isna() | (r["closed_on"] > end)
    closed = r[_in(r["closed_on"], start, end)]
    planned = closed[closed["closure_type"] == PLANNED]
    unplanned = closed[closed["closure_type"] != PLANNED]
    weeks = (closed["closed_on"] - closed["matched_on"]).dt.days / 7
    reasons = Relationship.ClosureReason.values
    n_started = int(started.sum())
    rematches = int((started & r["is_rematch"].astype(bool)).sum())
    figures = {
        "started": n_started,
        "rematches": rematches,
        "rematches_share_of_started": rate(rematches, n_started),
        "active_at_period_end": int(open_at_end.sum()),
        "closed": len(closed),
        "closed_planned": len(planned),
        "closed_unplanned": len(unplanned),
        "closed_planned_share": rate(len(planned), len(closed)),
        "closed_by_reason": {
            "planned": _counts(planned["closure_reason"], reasons),
            "unplanned": _counts(unplanned["closure_reason"], reasons),
        },
        "length_weeks": _stats(weeks),
    }
    summary = [
        {"Measure": "Relationships started (matched) in the period", "Number": n_started},
        {"Measure": "Of them, re-matches", "Number": rematches},
        {"Measure": "Open at the end of the period", "Number": figures["active_at_period_end"]},
        {"Measure": "Closed in the period", "Number": len(closed)},
        {"Measure": "Closed as planned", "Number": len(planned)},
        {"Measure": "Closed unplanned", "Number": len(unplanned)},
        {
            "Measure": "Median length of those closed (weeks)",
            "Number": figures["length_weeks"]["median"],
        },
    ]
    by_reason = [
        {
            "Reason": _label(Relationship.ClosureReason, reason),
            "Planned": figures["closed_by_reason"]["planned"][reason],
            "Unplanned": figures["closed_by_reason"]["unplanned"][reason],
            "Total": figures["closed_by_reason"]["planned"][reason]
            + figures["closed_by_reason"]["unplanned"][reason],
        }
        for reason in reasons
    ]
    definitions = {
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
    return Section(
        key="relationships",
        title="Relationships",
        figures=figures,
        tables=[
            _table("relationships", "Relationships in the period", summary, []),
            _table("closures_by_reason", "Closures in the period by reason", by_reason, []),
        ],
        definitions=definitions,
    )


# ---------------------------------------------------------------------------- outcomes


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
        "mean_first": _number(pairs["first"].mean(), 2) if n else None,
        "mean_latest": _number(pairs["latest"].mean(), 2) if n else None,
        "mean_change": _number(pairs["change"].mean(), 2) if n else None,
        "improved": improved,
        "improved_share": rate(improved, n),
    }


def outcomes_section(rows: Rows) -> Section:
    start, end = _period(rows)
    g = rows.goals
    set_ = g[_in(g["agreed_on"], start, end)]
    closed_in = _in(g["closed_on"], start, end)
    achieved = g[closed_in & (g["status"] == Goal.Status.ACHIEVED)]
    dropped = g[closed_in & (g["status"] == Goal.Status.DROPPED)]

    def split(column: str, keys: list[str]) -> dict[str, dict[str, int]]:
        s, a, d = (_counts(frame[column], keys) for frame in (set_, achieved, dropped))
        return {k: {"set": s[k], "achieved": a[k], "dropped": d[k]} for k in keys}

    by_domain = split("domain", NeedDomain.values)
    by_good = split("primary_good", PrimaryGood.values)
    pairs = _distance(rows.scores, start, end)
    distance = {"all": _travelled(pairs)}
    distance.update({d: _travelled(pairs[pairs["domain"] == d]) for d in NeedDomain.values})
    figures = {
        "goals_set": len(set_),
        "goals_achieved": len(achieved),
        "goals_dropped": len(dropped),
        "by_domain": by_domain,
        "by_primary_good": by_good,
        "distance_travelled": distance,
    }

    def goal_rows(label: str, choices: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {
                label: _label(choices, k),
                "Goals set": v["set"],
                "Goals achieved": v["achieved"],
                "Goals dropped": v["dropped"],
            }
            for k, v in data.items()
        ]

    distance_rows = [
        {
            "Domain": "All domains" if key == "all" else _label(NeedDomain, key),
            "Relationships scored twice or more": v["pairs"],
            "Mean first score": v["mean_first"],
            "Mean latest score": v["mean_latest"],
            "Mean change": v["mean_change"],
            "Improved": v["improved"],
            "Share improved": v["improved_share"],
        }
        for key, v in distance.items()
    ]
    definitions = {
        "goals_set": "Goals agreed in the period, in the schemes' relationships.",
        "goals_achieved": "Goals marked achieved with a date in the period.",
        "goals_dropped": "Goals marked dropped with a date in the period.",
        "by_domain": "Goals set, achieved and dropped in the period by practical domain.",
        "by_primary_good": "Goals set, achieved and dropped in the period by the Good Lives "
        "primary good they serve.",
        "distance_travelled": "For each relationship and domain scored (1 to 10) at two or "
        "more reviews, the latest of them in the period: the first review's score and the "
        "latest review's score (several goals in one domain at one review are averaged). "
        "pairs: how many relationship-domains; mean_first, mean_latest, mean_change: their "
        "means; improved: how many scored higher at the latest review than at the first; "
        "improved_share: improved divided by pairs. 'all' is every domain together.",
    }
    return Section(
        key="outcomes",
        title="Outcomes",
        figures=figures,
        tables=[
            _table(
                "goals_by_domain", "Goals by domain", goal_rows("Domain", NeedDomain, by_domain), []
            ),
            _table(
                "goals_by_primary_good",
                "Goals by primary good",
                goal_rows("Primary good", PrimaryGood, by_good),
                [],
            ),
            _table(
                "distance_travelled",
                "Distance travelled: first to latest review score",
                distance_rows,
                ["Share improved"],
            ),
        ],
        definitions=definitions,
    )


# ---------------------------------------------------------------------------- mentors


def _status_at_end(rows: Rows) -> pd.Series:
    """Each mentor's status at the end of the period: from their dated status changes, or,
    for a file with none (an import), its current status if it began by then."""
    _, end = _period(rows)
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


def mentors_section(rows: Rows) -> Section:
    start, end = _period(rows)
    m = rows.mentors
    applied = int(_in(m["applied_on"], start, end).sum())
    vetted = m[_in(m["first_active_on"], start, end)]
    days = (vetted["first_active_on"] - vetted["applied_on"]).dt.days
    status = _status_at_end(rows)
    changes = rows.mentor_changes
    left_ids = set(
        changes.loc[
            (changes["to_status"] == Mentor.Status.LEFT) & _in(changes["changed_on"], start, end),
            "mentor_id",
        ]
    )
    without_changes = m[~m["mentor_id"].isin(changes["mentor_id"])]
    left_ids |= set(
        without_changes.loc[
            (without_changes["status"] == Mentor.Status.LEFT)
            & _in(without_changes["status_since"], start, end),
            "mentor_id",
        ]
    )
    meetings = rows.meetings[
        _in(rows.meetings["held_on"], start, end) & (rows.meetings["outcome"] == MET)
    ]
    meetings = meetings.merge(
        rows.relationships[["relationship_id", "mentor_id"]], on="relationship_id", how="left"
    ).merge(m[["mentor_id", "kind"]], on="mentor_id", how="left")
    volunteer = meetings["kind"].astype(str).isin(VOLUNTEER_KINDS)
    supervision = rows.supervision[_in(rows.supervision["held_on"], start, end)]
    figures = {
        "applied": applied,
        "vetted": len(vetted),
        "active_at_period_end": int((status == Mentor.Status.ACTIVE).sum()),
        "left": len(left_ids),
        "days_application_to_active": _stats(days),
        "volunteer_hours": round(float(meetings.loc[volunteer, "duration_minutes"].sum()) / 60, 2),
        "volunteers_giving_time": int(meetings.loc[volunteer, "mentor_id"].nunique()),
        "staff_hours": round(float(meetings.loc[~volunteer, "duration_minutes"].sum()) / 60, 2),
        "supervision_sessions": len(supervision),
        "mentors_supervised": int(supervision["mentor_id"].nunique()),
    }
    d = figures["days_application_to_active"]
    summary = [
        {"Measure": "Applied in the period", "Value": applied},
        {"Measure": "Vetted and trained: became active for the first time", "Value": len(vetted)},
        {"Measure": "Active at the end of the period", "Value": figures["active_at_period_end"]},
        {"Measure": "Left in the period", "Value": figures["left"]},
        {"Measure": "Median days from application to active", "Value": d["median"]},
        {"Measure": "Volunteer hours given (meetings held)", "Value": figures["volunteer_hours"]},
        {"Measure": "Volunteers who gave time", "Value": figures["volunteers_giving_time"]},
        {"Measure": "Paid staff hours mentoring", "Value": figures["staff_hours"]},
        {"Measure": "Supervision sessions held", "Value": figures["supervision_sessions"]},
        {"Measure": "Mentors supervised", "Value": figures["mentors_supervised"]},
    ]
    definitions = {
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
        "supervision_sessions": "Supervision sessions with the schemes' mentors held in the "
        "period.",
        "mentors_supervised": "Mentors with at least one supervision session in the period.",
    }
    return Section(
        key="mentors",
        title="Mentors and volunteer time",
        figures=figures,
        tables=[_table("mentors", "Mentors and volunteer time", summary, [])],
        definitions=definitions,
    )


# ---------------------------------------------------------------------------- flags


def flags_section(rows: Rows) -> Section:
    start, end = _period(rows)
    f = rows.flags
    raised = f[_in(f["raised_on"], start, end)]
    acknowledged = f[_in(f["acknowledged_on"], start, end)]
    resolved = f[_in(f["resolved_on"], start, end)]
    open_at_end = f[(f["raised_on"] <= end) & (f["resolved_on"].isna() | (f["resolved_on"] > end))]
    kinds = FlagKind.values
    counts = {
        name: _counts(frame["kind"], kinds)
        for name, frame in [
            ("raised", raised),
            ("acknowledged", acknowledged),
            ("resolved", resolved),
            ("open_at_period_end", open_at_end),
        ]
    }
    figures = {
        "raised": len(raised),
        "acknowledged": len(acknowledged),
        "resolved": len(resolved),
        "open_at_period_end": len(open_at_end),
        "by_kind": {k: {name: counts[name][k] for name in counts} for k in kinds},
    }
    by_kind = [
        {
            "Flag": _label(FlagKind, k),
            "Raised": v["raised"],
            "Acknowledged": v["acknowledged"],
            "Resolved": v["resolved"],
            "Open at the end": v["open_at_period_end"],
        }
        for k, v in figures["by_kind"].items()
    ]
    definitions = {
        "raised": "Flags the watcher raised in the period (stalling or drifting toward "
        "dependency; see docs/flags.md).",
        "acknowledged": "Flags a coordinator acknowledged in the period, saying what they did.",
        "resolved": "Flags resolved in the period, by the watcher when the condition cleared "
        "or by hand.",
        "open_at_period_end": "Flags raised by the end of the period and not resolved by "
        "then (open or acknowledged).",
        "by_kind": "The same four counts for each kind of flag.",
    }
    return Section(
        key="flags",
        title="Flags",
        figures=figures,
        tables=[_table("flags_by_kind", "Flags by kind", by_kind, [])],
        definitions=definitions,
    )


SECTIONS = [
    ("funnel", funnel_section),
    ("timeliness", timeliness_section),
    ("contact", contact_section),
    ("relationships", relationships_section),
    ("outcomes", outcomes_section),
    ("mentors", mentors_section),
    ("flags", flags_section),
]
