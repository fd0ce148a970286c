"""Reads of the mentor pool: lists, vetting that is running out, and who can be matched.

Whether one mentor can be matched (``mentor_matchability``, with reasons a coordinator can act
on) and which mentors can (``mentors_matchable``, one query for a whole pool) follow the same
rules, and the tests hold them to each other. Vetting is valid from its issue date up to, not
including, its expiry date.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DateField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce
from django.utils.formats import date_format

from accounts.models import User
from relationships.models import MatchOffer, Relationship
from schemes.mentors.records import LEVELS_FOR_MENTORING
from schemes.models import (
    DBSCheck,
    Mentor,
    MentorStatusChange,
    PrisonClearance,
    SupervisionSession,
    UnavailablePeriod,
)
from schemes.selectors import scheme_visible_to

EXPIRY_WARNING_DAYS = 30


def _day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


def supervision_visible_to(user: User) -> QuerySet[SupervisionSession]:
    """Supervision notes are for the scheme's coordinators and managers. A coordinator who
    also mentors elsewhere can open their own file, but not the notes about themselves."""
    return SupervisionSession.objects.filter(mentor__scheme__in=scheme_visible_to(user)).exclude(
        mentor__user_id=user.pk
    )


def _count_per_mentor(rows: QuerySet) -> Coalesce:
    return Coalesce(
        Subquery(
            rows.filter(mentor=OuterRef("pk"))
            .order_by()
            .values("mentor")
            .annotate(n=Count("*"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def _open_matches() -> CombinedExpression:
    """The places each outer mentor has taken: relationships that are not closed, and
    offers waiting for their answer (an offer holds its place until it is answered, or its
    deadline passes)."""
    return _count_per_mentor(
        Relationship.objects.exclude(status=Relationship.Status.CLOSED)
    ) + _count_per_mentor(MatchOffer.objects.filter(MatchOffer.awaiting_answer()))


def _latest_dbs_expiry() -> Subquery:
    return Subquery(
        DBSCheck.objects.filter(mentor=OuterRef("pk"))
        .order_by("-expires_on")
        .values("expires_on")[:1],
        output_field=DateField(),
    )


def mentors_for_list(mentors: QuerySet[Mentor]) -> QuerySet[Mentor]:
    """The one place a mentor list is given its related rows and figures, as annotations:
    ``dbs_expires_on`` (the latest DBS expiry) and ``open_matches``."""
    return mentors.select_related("scheme").annotate(
        dbs_expires_on=_latest_dbs_expiry(), open_matches=_open_matches()
    )


def mentors_matching(mentors: QuerySet[Mentor], query: str) -> QuerySet[Mentor]:
    """Narrow a list by name or the scheme's reference, as a coordinator types it."""
    q = Q()
    for word in query.split():
        q &= (
            Q(given_name__icontains=word)
            | Q(family_name__icontains=word)
            | Q(reference__iexact=word)
        )
    return mentors.filter(q)


def mentors_vetting_expiring(
    mentors: QuerySet[Mentor], *, today: datetime.date, within_days: int = EXPIRY_WARNING_DAYS
) -> QuerySet[Mentor]:
    """Mentors whose vetting is valid today but runs out within ``within_days``: their latest
    DBS check, or the latest clearance for any prison. Renewal takes weeks, so this is the
    list to start renewals from."""
    end = today + datetime.timedelta(days=within_days)
    clearance_lapsing = PrisonClearance.objects.filter(
        mentor=OuterRef("pk"), issued_on__lte=today, expires_on__gt=today, expires_on__lte=end
    ).exclude(
        Exists(
            PrisonClearance.objects.filter(
                mentor=OuterRef("mentor"),
                establishment__iexact=OuterRef("establishment"),
                expires_on__gt=OuterRef("expires_on"),
            )
        )
    )
    return mentors.annotate(_dbs_expiry=_latest_dbs_expiry()).filter(
        Q(_dbs_expiry__gt=today, _dbs_expiry__lte=end) | Q(Exists(clearance_lapsing))
    )


def mentors_vetting_lapsed(mentors: QuerySet[Mentor], *, today: datetime.date) -> QuerySet[Mentor]:
    """Mentors with no DBS check valid today: never checked, or expired."""
    return mentors.exclude(Exists(_valid_dbs(today)))


def mentors_with_time_to_active(mentors: QuerySet[Mentor]) -> QuerySet[Mentor]:
    """Annotate ``time_to_active`` (a timedelta; None until first active): the vetting lag
    funders and coordinators need to see, as the research found it starves schemes."""
    return mentors.annotate(
        time_to_active=ExpressionWrapper(
            F("first_active_on") - F("applied_on"), output_field=DurationField()
        )
    )


def mentor_for_detail(mentors: QuerySet[Mentor]) -> QuerySet[Mentor]:
    """Everything the mentor's page shows, in a fixed number of queries."""
    return mentors.select_related("scheme", "user").prefetch_related(
        Prefetch("status_changes", queryset=MentorStatusChange.objects.select_related("by")),
        "dbs_checks",
        "clearances",
        "training",
        "references",
        "slots",
        "unavailable_periods",
    )


# --- Matching -----------------------------------------------------------------------------


def _valid_dbs(on: datetime.date) -> QuerySet[DBSCheck]:
    return DBSCheck.objects.filter(
        mentor=OuterRef("pk"),
        issued_on__lte=on,
        expires_on__gt=on,
        level__in=LEVELS_FOR_MENTORING,
    )


def _valid_clearance(on: datetime.date, establishment: str) -> QuerySet[PrisonClearance]:
    return PrisonClearance.objects.filter(
        mentor=OuterRef("pk"),
        establishment__iexact=establishment.strip(),
        issued_on__lte=on,
        expires_on__gt=on,
    )


def mentors_matchable(
    mentors: QuerySet[Mentor], *, on: datetime.date, establishment: str | None = None
) -> QuerySet[Mentor]:
    """The mentors of ``mentors`` who can take a new mentee on ``on``, in one query: active,
    with a DBS check valid that day, not away, with a place left, and, for a mentee in
    custody at ``establishment``, cleared for that prison that day.

    Annotates ``open_matches`` and ``places_left`` for the matching work to rank on.
    """
    away = UnavailablePeriod.objects.filter(
        mentor=OuterRef("pk"), starts_on__lte=on, ends_on__gte=on
    )
    matchable = (
        mentors.filter(status=Mentor.Status.ACTIVE)
        .filter(Exists(_valid_dbs(on)))
        .exclude(Exists(away))
        .annotate(open_matches=_open_matches())
        .annotate(places_left=F("capacity") - F("open_matches"))
        .filter(places_left__gt=0)
    )
    if establishment:
        matchable = matchable.filter(Exists(_valid_clearance(on, establishment)))
    return matchable


@dataclass(frozen=True)
class Matchability:
    """Whether a mentor can be matched, and if not, every reason why in plain words."""

    reasons: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.reasons


def mentor_matchability(
    *, mentor: Mentor, on: datetime.date, establishment: str | None = None
) -> Matchability:
    """Can ``mentor`` be matched on ``on`` (optionally with a mentee in custody at
    ``establishment``)? Every reason is given, not just the first, so a coordinator sees all
    there is to fix."""
    reasons: list[str] = []
    if mentor.status != Mentor.Status.ACTIVE:
        reasons.append(f"Not active: their status is “{mentor.get_status_display()}”.")

    checks = list(mentor.dbs_checks.all())
    if not any(check.is_valid_on(on) for check in checks):
        expired = [check.expires_on for check in checks if check.expires_on <= on]
        weak = [c for c in checks if c.level not in LEVELS_FOR_MENTORING and c.expires_on > on]
        if weak and not expired:
            reasons.append(
                f"Their DBS check is {weak[0].get_level_display().lower()}; mentoring needs "
                "an enhanced check."
            )
        elif expired:
            reasons.append(f"Their DBS check expired on {_day(max(expired))}.")
        elif checks:
            first = min(check.issued_on for check in checks)
            reasons.append(f"No DBS check valid on {_day(on)}: it was issued on {_day(first)}.")
        else:
            reasons.append("No DBS check on record.")

    # Filtered here rather than in SQL, so a page that prefetched the records reuses them.
    away = [p for p in mentor.unavailable_periods.all() if p.starts_on <= on <= p.ends_on]
    for period in away:
        why = f" ({period.reason})" if period.reason else ""
        reasons.append(f"Unavailable from {_day(period.starts_on)} to {_day(period.ends_on)}{why}.")

    # A list that annotated ``open_matches`` (``mentors_for_list``) is not counted again. An
    # offer waiting for the mentor's answer holds a place as a match does.
    open_matches = getattr(mentor, "open_matches", None)
    if open_matches is None:
        open_matches = (
            mentor.relationships.exclude(status=Relationship.Status.CLOSED).count()
            + mentor.offers.filter(MatchOffer.awaiting_answer()).count()
        )
    if open_matches >= mentor.capacity:
        reasons.append(
            f"No capacity left: {open_matches} open match{'es' if open_matches != 1 else ''} "
            f"for a capacity of {mentor.capacity}."
        )

    if establishment:
        establishment = establishment.strip()
        clearances = [
            c
            for c in mentor.clearances.all()
            if c.establishment.casefold() == establishment.casefold()
        ]
        if not any(c.is_valid_on(on) for c in clearances):
            expired = [c.expires_on for c in clearances if c.expires_on <= on]
            if expired:
                reasons.append(
                    f"Their clearance for {establishment} expired on {_day(max(expired))}."
                )
            else:
                reasons.append(f"No valid prison clearance for {establishment}.")
    return Matchability(reasons=tuple(reasons))


SUPERVISION_SOON_DAYS = 7


def mentors_supervision_due(mentors: QuerySet[Mentor], *, today: datetime.date) -> QuerySet[Mentor]:
    """Active mentors whose supervision is due within a week or overdue: the next date set at
    their latest session has come, or they have a mentee and have never had supervision.
    Supervision is where dependency is talked through, so it should not slip."""
    latest_next_due = Subquery(
        SupervisionSession.objects.filter(mentor=OuterRef("pk"))
        .order_by("-held_on", "-pk")
        .values("next_due_on")[:1],
        output_field=DateField(),
    )
    any_session = SupervisionSession.objects.filter(mentor=OuterRef("pk"))
    has_open_match = Relationship.objects.filter(mentor=OuterRef("pk")).exclude(
        status=Relationship.Status.CLOSED
    )
    return (
        mentors.filter(status=Mentor.Status.ACTIVE)
        .annotate(_next_supervision=latest_next_due)
        .filter(
            Q(_next_supervision__lte=today + datetime.timedelta(days=SUPERVISION_SOON_DAYS))
            | (~Exists(any_session) & Exists(has_open_match))
        )
    )
