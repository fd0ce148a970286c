"""Load the plain rows a funder report is computed from, set-wise.

One query per kind of row, whatever the number of schemes, people or meetings: the report
over every scheme for a year at national scale (60,000 mentees, a million meetings) is thirteen
queries (the schemes' targets among them), and at most five more for a funder's grant periods
and the cohort's rows of a wider window. Each query selects only the columns the sections use
and only the rows of the schemes and the period, streamed in chunks into pandas with the coded
text columns stored as categories, so a million meetings take tens of megabytes rather than
hundreds.

No names, dates of birth or free text are ever selected: rows carry ids, codes, dates and
numbers only. The sections in ``reports.sections`` are pure functions of these frames, and
the column lists below are what their tests build crafted rows from. The queries themselves,
one per kind, are in ``reports.row_queries``.
"""

import datetime
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import pandas as pd
from django.db.models import QuerySet

from concerns.models import Outcome as ConcernOutcome
from flags.models import Flag
from flags.models import Kind as FlagKind
from mentees.models import NeedDomain, Readiness, Referral, Situation
from mentees.models.equality import ETHNIC_GROUPS, Disability, Ethnicity, Gender
from mentees.next_step import READINESS_QUESTIONS
from relationships.models import Goal, Meeting, PrimaryGood, Relationship
from reports.row_queries import (
    AGE_BANDS,
    grant_periods_queryset,
    row_querysets,
    span_querysets,
    targets_queryset,
)
from schemes.models import FunnelStage, Mentor, Scheme

CHUNK = 50_000

#: The four readiness questions asked at assessment, as the person's record names them.
READINESS_ANSWERS = list(READINESS_QUESTIONS)

#: The columns of each frame. Dates are ``datetime64`` (NaT when empty); codes are
#: categories of the model's choices (plus "" for blank).
COLUMNS: dict[str, list[str]] = {
    "referrals": [
        "referral_id",
        "mentee_id",
        "scheme_id",
        "source",
        "referred_on",
        "status",
        "exit_reason",
        "status_changed_on",
        "released_on",
        # The person's record as it is now (reports.sections.readiness): where they are, the
        # date they expect to leave custody or go to court, and their readiness answers.
        "situation",
        "expected_release_on",
        "next_court_date",
        "knows_what_mentoring_is",
        "sees_it_as_worthwhile_now",
        "life_stable_enough",
        "recognises_lack_of_support",
        "readiness_assessed_on",
        # Readiness before this referral's match (0 to 4 conditions held), kept on the referral.
        "assessed_readiness_held",
        "assessed_readiness_on",
        # Equality monitoring, the person's own answers as codes ("" when not asked); the
        # age as a band at the referral date (``row_queries.AGE_BANDS``), never the date.
        "age_band",
        "gender",
        "ethnic_group",
        "disability",
    ],
    "consents": ["mentee_id", "given_on", "withdrawn_on"],
    "relationships": [
        "relationship_id",
        "mentee_id",
        "scheme_id",
        "mentor_id",
        "status",
        "matched_on",
        "matched_in_custody",
        "closed_on",
        "closure_type",
        "closure_reason",
        "is_rematch",
    ],
    "meetings": [
        "relationship_id",
        "held_on",
        "duration_minutes",
        "mode",
        "outcome",
        "purpose",
        "initiated_by",
    ],
    "goals": ["relationship_id", "domain", "primary_good", "status", "agreed_on", "closed_on"],
    "scores": ["relationship_id", "review_id", "held_on", "domain", "score"],
    "mentors": [
        "mentor_id",
        "scheme_id",
        "kind",
        "status",
        "status_since",
        "applied_on",
        "first_active_on",
    ],
    "mentor_changes": ["change_id", "mentor_id", "to_status", "changed_on"],
    "supervision": ["mentor_id", "held_on"],
    "flags": ["scheme_id", "kind", "status", "raised_on", "acknowledged_on", "resolved_on"],
    # Safeguarding and risk concerns: dates, hours and the outcome's code only, never their
    # words or what they were about.
    "concerns": [
        "scheme_id",
        "raised_on",
        "acknowledged_on",
        "hours_to_acknowledge",
        "acknowledged_in_time",
        "escalated",
        "closed_on",
        "outcome",
        "carried_over",
    ],
    # The schemes' numeric targets for a funnel stage over a period (``schemes.Target``).
    "targets": ["scheme_id", "stage", "starts_on", "ends_on", "number"],
}

DATE_COLUMNS = {
    "referred_on",
    "status_changed_on",
    "released_on",
    "given_on",
    "withdrawn_on",
    "matched_on",
    "closed_on",
    "held_on",
    "agreed_on",
    "status_since",
    "applied_on",
    "first_active_on",
    "changed_on",
    "raised_on",
    "acknowledged_on",
    "resolved_on",
    "expected_release_on",
    "next_court_date",
    "readiness_assessed_on",
    "assessed_readiness_on",
    "starts_on",
    "ends_on",
}


def _codes(choices: list[str]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(["", *choices])


CATEGORIES: dict[str, dict[str, pd.CategoricalDtype]] = {
    "referrals": {
        "source": _codes(Referral.Source.values),
        "status": _codes(Referral.Status.values),
        "exit_reason": _codes(Referral.ExitReason.values),
        "situation": _codes(Situation.values),
        **{answer: _codes(Readiness.values) for answer in READINESS_ANSWERS},
        "age_band": _codes([code for code, _, _ in AGE_BANDS]),
        "gender": _codes(Gender.values),
        "ethnic_group": _codes([*ETHNIC_GROUPS, str(Ethnicity.NOT_SAID)]),
        "disability": _codes(Disability.values),
    },
    "relationships": {
        "status": _codes(Relationship.Status.values),
        "closure_type": _codes(Relationship.ClosureType.values),
        "closure_reason": _codes(Relationship.ClosureReason.values),
    },
    "meetings": {
        "mode": _codes(Meeting.Mode.values),
        "outcome": _codes(Meeting.Outcome.values),
        "purpose": _codes(Meeting.Purpose.values),
        "initiated_by": _codes(["mentee", "mentor", "coordinator"]),
    },
    "goals": {
        "domain": _codes(NeedDomain.values),
        "primary_good": _codes(PrimaryGood.values),
        "status": _codes(Goal.Status.values),
    },
    "scores": {"domain": _codes(NeedDomain.values)},
    "mentors": {"kind": _codes(Mentor.Kind.values), "status": _codes(Mentor.Status.values)},
    "mentor_changes": {"to_status": _codes(Mentor.Status.values)},
    "flags": {"kind": _codes(FlagKind.values), "status": _codes(Flag.Status.values)},
    "concerns": {"outcome": _codes(ConcernOutcome.values)},
    "targets": {"stage": _codes(FunnelStage.values)},
}


def frame(kind: str, records: list[tuple[Any, ...]] | None = None) -> pd.DataFrame:
    """A frame of one kind of row with the report's column types: from database rows or,
    in tests, from crafted tuples in ``COLUMNS[kind]`` order. A crafted tuple made before a
    column was added is read with the columns it lacks empty."""
    width = len(COLUMNS[kind])
    if records and len(records[0]) < width:
        records = [tuple(r) + (None,) * (width - len(r)) for r in records]
    df = pd.DataFrame.from_records(records or [], columns=COLUMNS[kind])
    if "hours_to_acknowledge" in df.columns:
        # A duration from the database (NaT when not acknowledged), or hours in crafted rows.
        hours = df["hours_to_acknowledge"]
        if pd.api.types.is_timedelta64_dtype(hours) or any(
            isinstance(v, datetime.timedelta) for v in hours
        ):
            hours = pd.to_timedelta(hours).dt.total_seconds() / 3600
        df["hours_to_acknowledge"] = hours.astype("float64")
    for column in df.columns:
        if column in DATE_COLUMNS:
            df[column] = pd.to_datetime(df[column]).astype("datetime64[ns]")
        elif column in CATEGORIES.get(kind, {}):
            df[column] = df[column].fillna("").astype(CATEGORIES[kind][column])
    for column in (
        "is_rematch",
        "matched_in_custody",
        "acknowledged_in_time",
        "escalated",
        "carried_over",
    ):
        if column in df.columns:
            df[column] = df[column].fillna(False).astype(bool)
    return df


@dataclass
class Rows:
    """Everything a report is computed from: the period, the schemes and one frame per kind
    of row. ``cache`` lets sections share work derived from the rows (the cohort's facts)."""

    date_from: datetime.date
    date_to: datetime.date
    schemes: dict[int, str]
    referrals: pd.DataFrame
    consents: pd.DataFrame
    relationships: pd.DataFrame
    meetings: pd.DataFrame
    goals: pd.DataFrame
    scores: pd.DataFrame
    mentors: pd.DataFrame
    mentor_changes: pd.DataFrame
    supervision: pd.DataFrame
    flags: pd.DataFrame
    concerns: pd.DataFrame
    cache: dict[str, Any] = field(default_factory=dict, repr=False)
    #: The schemes' targets overlapping the period (``COLUMNS["targets"]``).
    targets: pd.DataFrame = field(default_factory=lambda: frame("targets"))
    #: The period's end when counting stops before it (``date_to`` is then the last day
    #: counted, today); ``None`` when the two are the same day.
    period_to: datetime.date | None = None
    #: A funder's grant periods overlapping the report's, as (start, end): the trend's
    #: quarters follow them. Empty for a report by scheme (the trend follows the period).
    grant_periods: list[tuple[datetime.date, datetime.date]] = field(default_factory=list)
    #: The cohort rows (referrals, consents, relationships, meetings) over a wider window,
    #: from its own ``date_from`` to ``date_to``, when targets or the trend reach back before
    #: the period; ``None`` when these rows cover them.
    span: "Rows | None" = field(default=None, repr=False)

    @property
    def period_end(self) -> datetime.date:
        """The last day of the report's period (on or after ``date_to``, the last counted)."""
        return self.period_to or self.date_to

    @classmethod
    def empty(
        cls, *, date_from: datetime.date, date_to: datetime.date, schemes: dict[int, str]
    ) -> "Rows":
        return cls(
            date_from=date_from,
            date_to=date_to,
            schemes=schemes,
            **{kind: frame(kind) for kind in COLUMNS},
        )


def _load(kind: str, queryset: QuerySet) -> pd.DataFrame:
    """Stream ``values_list`` rows in chunks into a typed frame (a server-side cursor on
    PostgreSQL), so the Python tuples of a million rows never exist at once."""
    rows = queryset.values_list(*COLUMNS[kind]).iterator(chunk_size=CHUNK)
    parts = []
    while chunk := list(islice(rows, CHUNK)):
        parts.append(frame(kind, chunk))
    if not parts:
        return frame(kind)
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def load_rows(
    *,
    scheme_ids: list[int],
    date_from: datetime.date,
    date_to: datetime.date,
    counted_to: datetime.date | None = None,
    funder: str = "",
) -> Rows:
    """Load every row the report needs for these schemes and this period.

    Nothing after ``counted_to`` (the day the report is built, when the period ends later) is
    loaded: the rows below run to the last day counted, and ``Rows.date_to`` is that day.

    - referrals made in the period (the cohort is chosen from them by the sections), with
      the person's scheme and release date;
    - the consents of the people referred in the period;
    - every relationship of the schemes that was open at some time in the period (matched by
      its end, not closed before its start), with whether it followed an earlier relationship
      of the same person (a re-match). The cohort's relationships are among them: they were
      matched after a referral in the period;
    - every meeting of the schemes held in the period (contact time for the cohort, and the
      volunteer time given by every mentor);
    - the goals and review scores (to the period end) of those relationships;
    - the schemes' mentors who had applied by the period end, their status changes and the
      supervision sessions held in the period;
    - the schemes' flags live at some time in the period;
    - the schemes' concerns open at some time in the period (times and outcomes, no words);
    - the schemes' targets overlapping the whole period, and for a ``funder`` its grant
      periods overlapping it; when a target or the grant starts before the period, the
      cohort rows from that day (``span_querysets``, bounded by it) for those figures.
    """
    last = min(date_to, counted_to) if counted_to else date_to
    schemes = dict(
        Scheme.objects.filter(pk__in=scheme_ids).order_by("name").values_list("pk", "name")
    )
    querysets = row_querysets(scheme_ids=scheme_ids, date_from=date_from, date_to=last)
    rows = Rows(
        date_from=date_from,
        date_to=last,
        schemes=schemes,
        **{kind: _load(kind, queryset) for kind, queryset in querysets.items()},
    )
    rows.period_to = date_to if last < date_to else None
    rows.targets = _load("targets", targets_queryset(scheme_ids, date_from, date_to))
    if funder.strip():
        rows.grant_periods = list(grant_periods_queryset(funder, scheme_ids, date_from, date_to))
    starts = [date_from, *(start for start, _ in rows.grant_periods)]
    starts += [day.date() for day in rows.targets["starts_on"]]
    span_from = min(starts)
    if span_from < date_from:
        spans = span_querysets(scheme_ids, span_from, last)
        rows.span = Rows.empty(date_from=span_from, date_to=last, schemes=schemes)
        for kind, queryset in spans.items():
            setattr(rows.span, kind, _load(kind, queryset))
    return rows
