"""Load the plain rows a funder report is computed from, set-wise.

One query per kind of row, whatever the number of schemes, people or meetings: the report
over every scheme for a year at national scale (60,000 mentees, a million meetings) is twelve
queries. Each query selects only the columns the sections use and only the rows of the
schemes and the period, streamed in chunks into pandas with the coded text columns stored as
categories, so a million meetings take tens of megabytes rather than hundreds.

No names, dates of birth or free text are ever selected: rows carry ids, codes, dates and
numbers only. The sections in ``reports.sections`` are pure functions of these frames, and
the column lists below are what their tests build crafted rows from.
"""

import datetime
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import pandas as pd
from django.db.models import (
    BooleanField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncDate
from django.utils import timezone

from concerns.models import Concern
from concerns.models import Outcome as ConcernOutcome
from flags.models import Flag
from flags.models import Kind as FlagKind
from mentees.models import Consent, NeedDomain, Referral
from relationships.models import Goal, GoalScore, Meeting, PrimaryGood, Relationship
from schemes.models import Mentor, MentorStatusChange, Scheme, SupervisionSession

CHUNK = 50_000

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
}


def _codes(choices: list[str]) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(["", *choices])


CATEGORIES: dict[str, dict[str, pd.CategoricalDtype]] = {
    "referrals": {
        "source": _codes(Referral.Source.values),
        "status": _codes(Referral.Status.values),
        "exit_reason": _codes(Referral.ExitReason.values),
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
}


def frame(kind: str, records: list[tuple[Any, ...]] | None = None) -> pd.DataFrame:
    """A frame of one kind of row with the report's column types: from database rows or,
    in tests, from crafted tuples in ``COLUMNS[kind]`` order."""
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


def _day_bounds(
    date_from: datetime.date, date_to: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """The period as aware datetimes [start of the first day, start of the day after the
    last), in the site's time zone, so timestamp columns filter on their index."""
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def load_rows(*, scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date) -> Rows:
    """Load every row the report needs for these schemes and this period.

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
    - the schemes' concerns open at some time in the period (times and outcomes, no words).
    """
    schemes = dict(
        Scheme.objects.filter(pk__in=scheme_ids).order_by("name").values_list("pk", "name")
    )
    querysets = {
        **_cohort_querysets(scheme_ids, date_from, date_to),
        **_relationship_querysets(scheme_ids, date_from, date_to),
        **_mentor_querysets(scheme_ids, date_from, date_to),
        "flags": _flags_queryset(scheme_ids, date_from, date_to),
        "concerns": _concerns_queryset(scheme_ids, date_from, date_to),
    }
    return Rows(
        date_from=date_from,
        date_to=date_to,
        schemes=schemes,
        **{kind: _load(kind, queryset) for kind, queryset in querysets.items()},
    )


def _cohort_querysets(
    scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> dict[str, QuerySet]:
    """The referrals made in the period, and the consents of the people referred."""
    referrals = Referral.objects.filter(
        mentee__scheme_id__in=scheme_ids, referred_on__gte=date_from, referred_on__lte=date_to
    ).annotate(
        referral_id=F("pk"),
        scheme_id=F("mentee__scheme_id"),
        released_on=F("mentee__released_on"),
    )
    cohort_ids = referrals.values("mentee_id")
    consents = Consent.objects.filter(mentee_id__in=cohort_ids, given_on__lte=date_to)
    return {"referrals": referrals.order_by(), "consents": consents.order_by()}


def _relationship_querysets(
    scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> dict[str, QuerySet]:
    """The relationships open at some time in the period, the meetings held in it, and the
    goals and review scores of those relationships."""
    start, end = _day_bounds(date_from, date_to)
    overlapping = Q(mentee__scheme_id__in=scheme_ids, matched_on__lte=date_to) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=date_from)
    )
    earlier = Relationship.objects.filter(mentee_id=OuterRef("mentee_id")).filter(
        Q(matched_on__lt=OuterRef("matched_on"))
        | Q(matched_on=OuterRef("matched_on"), pk__lt=OuterRef("pk"))
    )
    relationships = (
        Relationship.objects.filter(overlapping)
        .annotate(
            relationship_id=F("pk"),
            scheme_id=F("mentee__scheme_id"),
            is_rematch=Exists(earlier),
        )
        .order_by()
    )
    meetings = (
        Meeting.objects.filter(
            relationship__mentee__scheme_id__in=scheme_ids, held_at__gte=start, held_at__lt=end
        )
        .annotate(held_on=TruncDate("held_at"))
        .order_by()
    )
    in_scope = Relationship.objects.filter(overlapping).values("pk")
    goals = Goal.objects.filter(relationship_id__in=in_scope).order_by()
    scores = (
        GoalScore.objects.filter(review__relationship_id__in=in_scope, review__held_on__lte=date_to)
        .annotate(
            relationship_id=F("review__relationship_id"),
            held_on=F("review__held_on"),
        )
        .order_by()
    )
    return {
        "relationships": relationships,
        "meetings": meetings,
        "goals": goals,
        "scores": scores,
    }


def _mentor_querysets(
    scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> dict[str, QuerySet]:
    """The mentors who had applied by the period end, their status changes, and the
    supervision sessions held in the period."""
    mentors = (
        Mentor.objects.filter(scheme_id__in=scheme_ids, applied_on__lte=date_to)
        .annotate(mentor_id=F("pk"))
        .order_by()
    )
    changes = (
        MentorStatusChange.objects.filter(mentor__scheme_id__in=scheme_ids, changed_on__lte=date_to)
        .annotate(change_id=F("pk"))
        .order_by()
    )
    supervision = SupervisionSession.objects.filter(
        mentor__scheme_id__in=scheme_ids, held_on__gte=date_from, held_on__lte=date_to
    ).order_by()
    return {"mentors": mentors, "mentor_changes": changes, "supervision": supervision}


def _flags_queryset(
    scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> QuerySet:
    """The flags live at some time in the period: raised by its end, not resolved before it."""
    start, end = _day_bounds(date_from, date_to)
    return (
        Flag.objects.filter(scheme_id__in=scheme_ids, raised_at__lt=end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=start))
        .annotate(
            raised_on=TruncDate("raised_at"),
            acknowledged_on=TruncDate("acknowledged_at"),
            resolved_on=TruncDate("resolved_at"),
        )
        .order_by()
    )


def _concerns_queryset(
    scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> QuerySet:
    """The concerns open at some time in the period: raised by its end, not closed before it.
    Only codes, dates and the time to acknowledge; the words never leave the concern."""
    start, end = _day_bounds(date_from, date_to)
    return (
        Concern.objects.filter(scheme_id__in=scheme_ids, raised_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=start))
        .annotate(
            raised_on=TruncDate("raised_at"),
            acknowledged_on=TruncDate("acknowledged_at"),
            closed_on=TruncDate("closed_at"),
            hours_to_acknowledge=ExpressionWrapper(
                F("acknowledged_at") - F("raised_at"), output_field=DurationField()
            ),
            acknowledged_in_time=ExpressionWrapper(
                Q(acknowledged_at__lte=F("due_at")), output_field=BooleanField()
            ),
            escalated=ExpressionWrapper(Q(escalated_at__isnull=False), output_field=BooleanField()),
        )
        .order_by()
    )
