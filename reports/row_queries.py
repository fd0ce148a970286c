"""The queries behind a funder report's rows (``reports.rows``): one per kind of row, for
some schemes over a period, selecting ids, codes, dates and numbers, never names or free
text. ``row_querysets`` gives them by kind; ``reports.rows.load_rows`` streams each into its
frame with the columns ``reports.rows.COLUMNS`` names."""

import datetime

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, TruncDate
from django.db.models.lookups import GreaterThanOrEqual, LessThan
from django.utils import timezone

from concerns.models import Concern
from flags.models import Flag
from mentees.models import Consent, Referral
from mentees.models.equality import ETHNIC_GROUPS, Ethnicity
from relationships.models import Goal, GoalScore, Meeting, Relationship
from schemes.models import Funding, Mentor, MentorStatusChange, SupervisionSession, Target

#: Age bands at the referral date, youngest first: (code, label, the youngest age in it). Worked
#: out in the query, so no date of birth ever reaches the report's rows.
AGE_BANDS: list[tuple[str, str, int]] = [
    ("under_18", "Under 18", 0),
    ("18_24", "18 to 24", 18),
    ("25_34", "25 to 34", 25),
    ("35_44", "35 to 44", 35),
    ("45_54", "45 to 54", 45),
    ("55_plus", "55 and over", 55),
]


def _age_band() -> Case:
    """The person's age band on the referral date ("" when no date of birth is recorded).

    The age is the difference of the years, less one when the referral's month and day fall
    before the birthday's; built from portable expressions, so it runs on SQLite (``make
    run``) as on PostgreSQL."""
    born, referred = "mentee__date_of_birth", "referred_on"
    birthday_to_come = LessThan(
        ExtractMonth(referred) * 100 + ExtractDay(referred),
        ExtractMonth(born) * 100 + ExtractDay(born),
    )
    age = ExpressionWrapper(
        ExtractYear(referred)
        - ExtractYear(born)
        - Case(When(birthday_to_come, then=Value(1)), default=Value(0)),
        output_field=IntegerField(),
    )
    bands = reversed(AGE_BANDS)  # oldest first: the first band whose youngest age is reached
    return Case(
        When(mentee__date_of_birth__isnull=True, then=Value("")),
        *(When(GreaterThanOrEqual(age, youngest), then=Value(code)) for code, _, youngest in bands),
        default=Value(""),
        output_field=CharField(),
    )


def _ethnic_group() -> Case:
    """The census's high-level group of the person's answer (``ethnic_group``), "not_said",
    or "" (not asked): the report never needs the detailed answer."""
    return Case(
        When(mentee__ethnicity=Ethnicity.NOT_SAID, then=Value(str(Ethnicity.NOT_SAID))),
        *(
            When(mentee__ethnicity__startswith=f"{group}_", then=Value(group))
            for group in ETHNIC_GROUPS
        ),
        default=Value(""),
        output_field=CharField(),
    )


def row_querysets(
    *, scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> dict[str, QuerySet]:
    """Every kind of row's query for these schemes and this period (see ``load_rows``)."""
    return {
        **_cohort_querysets(scheme_ids, date_from, date_to),
        **_relationship_querysets(scheme_ids, date_from, date_to),
        **_mentor_querysets(scheme_ids, date_from, date_to),
        "flags": _flags_queryset(scheme_ids, date_from, date_to),
        "concerns": _concerns_queryset(scheme_ids, date_from, date_to),
    }


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


def _cohort_querysets(
    scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> dict[str, QuerySet]:
    """The referrals made in the period (with the person's release and court dates and
    readiness answers as their record holds them now), and the consents of the people
    referred."""
    referrals = Referral.objects.filter(
        mentee__scheme_id__in=scheme_ids, referred_on__gte=date_from, referred_on__lte=date_to
    ).annotate(
        referral_id=F("pk"),
        scheme_id=F("mentee__scheme_id"),
        released_on=F("mentee__released_on"),
        situation=F("mentee__situation"),
        expected_release_on=F("mentee__expected_release_on"),
        next_court_date=F("mentee__next_court_date"),
        knows_what_mentoring_is=F("mentee__knows_what_mentoring_is"),
        sees_it_as_worthwhile_now=F("mentee__sees_it_as_worthwhile_now"),
        life_stable_enough=F("mentee__life_stable_enough"),
        recognises_lack_of_support=F("mentee__recognises_lack_of_support"),
        readiness_assessed_on=F("mentee__readiness_assessed_on"),
        # Equality monitoring: codes only, the age as a band (``reports.sections.equality``).
        age_band=_age_band(),
        gender=F("mentee__gender"),
        ethnic_group=_ethnic_group(),
        disability=F("mentee__disability"),
    )
    cohort_ids = referrals.values("mentee_id")
    # Consent recorded before Tandem may have no date: it came before anything Tandem holds.
    consents = Consent.objects.filter(
        Q(given_on__lte=date_to) | Q(given_on=None, recorded_before_tandem=True),
        mentee_id__in=cohort_ids,
    )
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


def targets_queryset(
    scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> QuerySet:
    """The schemes' targets whose period overlaps the report's (the whole period, not only
    the days counted so far: a target running to the quarter's end is shown part-way)."""
    return Target.objects.filter(
        scheme_id__in=scheme_ids, starts_on__lte=date_to, ends_on__gte=date_from
    ).order_by()


def grant_periods_queryset(
    funder: str, scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> QuerySet:
    """The funder's grants to these schemes that overlap the period (as ``schemes_for_funder``
    chooses schemes), as (starts_on, ends_on): the trend follows their quarters."""
    return (
        Funding.objects.filter(
            funder__iexact=funder.strip(),
            scheme_id__in=scheme_ids,
            starts_on__lte=date_to,
            ends_on__gte=date_from,
        )
        .order_by("starts_on", "ends_on")
        .values_list("starts_on", "ends_on")
        .distinct()
    )


def span_querysets(
    scheme_ids: list[int], date_from: datetime.date, date_to: datetime.date
) -> dict[str, QuerySet]:
    """Only what the cohorts of a wider window need (targets and the trend reaching outside
    the report's period): the referrals made in [date_from, date_to], those people's consents,
    their relationships matched in the window and those relationships' meetings held in it.
    Bounded by the window and by the people referred in it, whatever else the schemes hold."""
    cohort = _cohort_querysets(scheme_ids, date_from, date_to)
    theirs = _relationship_querysets(scheme_ids, date_from, date_to)
    relationships = theirs["relationships"].filter(
        mentee_id__in=cohort["referrals"].values("mentee_id"), matched_on__gte=date_from
    )
    meetings = theirs["meetings"].filter(relationship_id__in=relationships.values("pk"))
    return {**cohort, "relationships": relationships, "meetings": meetings}
